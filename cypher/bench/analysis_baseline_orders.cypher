// Benchmark baseline: the segments and fraud analyses' order input read plainly, one
// statement streamed through the driver: every order of every active identity's records, as
// (identity id, amount, currency, ordered_at). bench/analyses.py times each analysis against
// this read and analysis_baseline_links.
// Parameters: none.
MATCH (i:Identity)<-[:RESOLVES_TO]-(:Customer)-[:PLACED]->(o:Order)
WHERE i.status = 'active'
RETURN i.id AS identity, o.amount AS amount, o.currency AS currency, o.ordered_at AS ordered_at
