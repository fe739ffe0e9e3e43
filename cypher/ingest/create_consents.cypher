// Creates new :Consent events (one customer's marketing preference on one channel, at one
// time), each linked to its customer. A customer not loaded yet gets a stub :Customer
// {stub: true} that its own record fills in later.
// Parameters:
//   $rows    list of {props, customer_key, customer_source, customer_id}: props holds key
//            ('source:id'), source, consent_id, channel, status, precedence, recorded_at,
//            detail and row_hash.
//   $run_id the ingest run; $now its datetime.
UNWIND $rows AS r
MERGE (c:Customer {key: r.customer_key})
ON CREATE SET c.source = r.customer_source, c.source_id = r.customer_id, c.stub = true,
  c.first_ingested_at = $now
CREATE (k:Consent)
SET k = r.props, k.run_id = $run_id, k.first_ingested_at = $now, k.ingested_at = $now
CREATE (c)-[:GAVE_CONSENT]->(k)
