// Wipes identities emptied by an erasure: every property but the id goes (the golden record
// held personal data); status 'erased'. Look-ups by the id then say it was erased.
// Parameters: $ids (list of identity ids), $run_id, $now.
UNWIND $ids AS id
MATCH (i:Identity {id: id})
SET i = {id: id, status: 'erased', updated_at: $now, run_id: $run_id}
