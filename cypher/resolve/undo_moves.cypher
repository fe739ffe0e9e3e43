// Puts records an interrupted run re-pointed back on the identity they had before it (or
// on none, for records it resolved first).
// Parameters: $rows (list of {key, previous}), $run_id.
UNWIND $rows AS row
MATCH (c:Customer {key: row.key})-[r:RESOLVES_TO]->(:Identity)
WHERE r.run_id = $run_id
DELETE r
WITH c, row
WHERE row.previous IS NOT NULL
MATCH (before:Identity {id: row.previous})
MERGE (c)-[:RESOLVES_TO]->(before)
