// Lists resolution runs that began writing and never finished (the process or the graph
// died). Only read while holding the resolution lock, so none of them is still running.
// Parameters: none.
MATCH (run:ResolutionRun)
WHERE run.status = 'writing'
RETURN run.run_id AS run_id, run.at AS at
ORDER BY at
