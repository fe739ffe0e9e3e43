// Turns identities an interrupted run made redirects back into active identities, once its
// record moves are undone (each has its records again).
// Parameters: $run_id.
MATCH (i:Identity)
WHERE i.run_id = $run_id AND i.status = 'merged'
OPTIONAL MATCH (i)-[redirect:MERGED_INTO]->(:Identity)
DELETE redirect
SET i.status = 'active'
REMOVE i.merged_into
