// Benchmark baseline: the households and fraud analyses' main input read plainly, one
// statement streamed through the driver, no filtering or shaping: every identifier link of
// every active identity's records, as (identity id, relationship type, identifier key).
// bench/analyses.py times each analysis against this read and analysis_baseline_orders.
// Parameters: none.
// Generated from c360graph/graph/schema.py and cypher/templates/bench/analysis_baseline_links.cypher.tmpl
// by `make cypher`; do not edit.
MATCH (i:Identity)<-[:RESOLVES_TO]-(:Customer)
  -[r:HAS_EMAIL|HAS_PHONE|USES|LIVES_AT|HAS_LOYALTY_ID|HAS_NATIONAL_ID]->(x)
WHERE i.status = 'active'
RETURN i.id AS identity, type(r) AS kind,
  coalesce(x.address, x.e164, x.device_id, x.key, x.value, x.hash) AS identifier
