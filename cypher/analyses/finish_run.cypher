// Marks an analysis run complete, with its counts (and, for segments, the cut points).
// Parameters: $run_id, $props (map of those properties).
MATCH (run:AnalysisRun {run_id: $run_id})
SET run += $props, run.status = 'complete'
