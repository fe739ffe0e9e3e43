// Updates changed :Consent events: the previous values are kept as a :Revision, and the
// customer link is moved when it changed.
// Parameters: $rows as for ingest/create_consents; $run_id the ingest run; $now its datetime.
UNWIND $rows AS r
MATCH (k:Consent {key: r.props.key})
CREATE (k)-[:HAD_VERSION]->(v:Revision)
SET v = properties(k), v.superseded_at = $now, v.superseded_by_run = $run_id
WITH k, r, coalesce(k.first_ingested_at, $now) AS first
SET k = r.props, k.run_id = $run_id, k.first_ingested_at = first, k.ingested_at = $now
WITH k, r
CALL (k, r) {
  MATCH (other:Customer)-[old:GAVE_CONSENT]->(k)
  WHERE other.key <> r.customer_key
  DELETE old
}
MERGE (c:Customer {key: r.customer_key})
ON CREATE SET c.source = r.customer_source, c.source_id = r.customer_id, c.stub = true,
  c.first_ingested_at = $now
MERGE (c)-[:GAVE_CONSENT]->(k)
