// Marks a resolution run complete, with what it wrote.
// Parameters: $run_id, $props (map of write counts).
MATCH (run:ResolutionRun {run_id: $run_id})
SET run += $props, run.status = 'complete'
