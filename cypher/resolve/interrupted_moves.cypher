// Lists the records an interrupted run re-pointed, with the identity each had before
// (null for records it resolved for the first time).
// Parameters: $run_id.
MATCH (c:Customer)-[r:RESOLVES_TO]->(:Identity)
WHERE r.run_id = $run_id
RETURN c.key AS key, r.moved_from AS previous
