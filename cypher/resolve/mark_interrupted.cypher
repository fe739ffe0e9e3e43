// Marks an interrupted run as undone and drops the identity events it had recorded.
// Parameters: $run_id, $now.
MATCH (run:ResolutionRun {run_id: $run_id})
SET run.status = 'interrupted', run.undone_at = $now
WITH run
OPTIONAL MATCH (run)-[:RECORDED]->(event:IdentityEvent)
DETACH DELETE event
