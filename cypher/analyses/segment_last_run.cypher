// The latest segments run: when it started (incremental refreshes rescore what changed
// since), its config hash (a change forces a full refresh) and its population cut points.
// A run that never finished is not one (runs before the status was kept have none).
// Parameters: none.
MATCH (run:AnalysisRun)
WHERE run.analysis = 'segments' AND coalesce(run.status, 'complete') = 'complete'
RETURN run.run_id AS run_id, run.at AS at, run.as_of AS as_of, run.mode AS mode,
  run.config_hash AS config_hash, run.cut_points AS cut_points
ORDER BY run.at DESC
LIMIT 1
