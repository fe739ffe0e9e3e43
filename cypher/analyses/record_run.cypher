// Records an analysis run (households, fraud) with its settings hash and counts, for audit.
// Parameters: $run_id, $props (map: analysis, at, config_hash, counts...).
CREATE (run:AnalysisRun {run_id: $run_id})
SET run += $props
