// Returns the latest completed resolution run (its config hash decides whether a full run
// is needed).
// Parameters: none.
MATCH (run:ResolutionRun)
WHERE coalesce(run.status, 'complete') = 'complete'
RETURN run.run_id AS run_id, run.at AS at, run.config_hash AS config_hash
ORDER BY run.at DESC
LIMIT 1
