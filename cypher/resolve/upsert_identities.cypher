// Creates or updates :Identity nodes with their golden record and counts (active status).
// Parameters: $identities (list of {id, props}: props flat, golden values with their
//   *_source), $run_id, $now.
UNWIND $identities AS i
MERGE (n:Identity {id: i.id})
ON CREATE SET n.created_at = $now, n.created_by_run = $run_id
SET n += i.props, n.status = 'active', n.updated_at = $now, n.run_id = $run_id
REMOVE n.merged_into
