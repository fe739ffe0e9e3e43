// Records that a resolution run starts writing (status 'writing'); finish_run completes it.
// A run left 'writing' was interrupted, and the next run undoes what it half-wrote.
// Parameters: $run_id, $props (map: mode, at, model_version, config_hash, counts...).
CREATE (run:ResolutionRun {run_id: $run_id})
SET run += $props, run.status = 'writing'
