// Deletes the identities an interrupted run created, once its record moves are undone (none
// has records any more).
// Parameters: $run_id.
MATCH (i:Identity)
WHERE i.created_by_run = $run_id AND NOT EXISTS { MATCH (:Customer)-[:RESOLVES_TO]->(i) }
DETACH DELETE i
