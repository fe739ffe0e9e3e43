// Marks identities with no records left (all erased or moved) as retired.
// Parameters: $ids (list of identity ids), $run_id, $now.
UNWIND $ids AS id
MATCH (i:Identity {id: id})
SET i.status = 'retired', i.updated_at = $now, i.run_id = $run_id
