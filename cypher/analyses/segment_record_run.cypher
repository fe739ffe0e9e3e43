// Records a segments run: analysis 'segments', at, as_of, mode, counts, the population cut
// points (JSON string) and the config hash.
// Parameters: $run_id, $props (map of those properties).
// Browser: :param run_id => 'run-1'
// Browser: :param props => {analysis: 'segments', mode: 'full'}
CREATE (run:AnalysisRun {run_id: $run_id})
SET run += $props
