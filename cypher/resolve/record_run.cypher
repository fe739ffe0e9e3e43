// Records a resolution run for audit; its identity events follow (resolve/record_events).
// Parameters: $run_id, $props (map: mode, at, model_version, config_hash, counts...).
CREATE (run:ResolutionRun {run_id: $run_id})
SET run += $props
