// Records that an analysis run (households, fraud, segments) starts writing; finish_run
// completes it. A segments refresh never takes an unfinished run as its last one.
// Parameters: $run_id, $props (map: analysis, at, config_hash, and what the run knows then).
CREATE (run:AnalysisRun {run_id: $run_id})
SET run += $props, run.status = 'running'
