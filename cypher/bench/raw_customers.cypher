// Benchmark baseline: a batch of :Customer nodes with the properties the customer ingest
// gives them, written with plain UNWIND ... CREATE (see bench/raw_identifiers).
// Parameters: $rows (list of property maps, as ingest/create_customers' r.props),
//   $run_id (the run), $now (datetime).
UNWIND $rows AS props
CREATE (c:Customer)
SET c = props, c.run_id = $run_id, c.first_ingested_at = $now, c.ingested_at = $now
