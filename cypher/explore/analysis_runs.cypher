// The latest resolution and analysis runs, newest first: what the graph's identities,
// households, rings and segments were computed by, and when.
// Parameters: $limit (how many runs).
// :param limit => 10
CALL () {
  MATCH (r:ResolutionRun)
  RETURN 'resolution' AS analysis, r.run_id AS run_id, r.at AS at, r.mode AS mode,
    properties(r) AS details
  UNION ALL
  MATCH (r:AnalysisRun)
  RETURN r.analysis AS analysis, r.run_id AS run_id, r.at AS at, r.mode AS mode,
    properties(r) AS details
}
RETURN analysis, run_id, at, mode, details
ORDER BY at DESC
LIMIT $limit
