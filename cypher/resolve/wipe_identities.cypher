// Wipes identities emptied by an erasure: every property but the id goes (the golden record
// held personal data), and so do staff notes and attributes on them or on ids merged into
// them; status 'erased'. Look-ups by the id then say it was erased.
// Parameters: $ids (list of identity ids), $run_id, $now.
UNWIND $ids AS id
MATCH (i:Identity {id: id})
SET i = {id: id, status: 'erased', updated_at: $now, run_id: $run_id}
WITH i
OPTIONAL MATCH (i)<-[:MERGED_INTO*0..20]-(:Identity)-[:HAS_NOTE|HAS_ATTRIBUTE]->(annotation)
DETACH DELETE annotation
