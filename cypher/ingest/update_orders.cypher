// Updates changed :Order records: the previous values are kept as a :Revision, and the
// customer and channel links are moved when they changed.
// Parameters: $rows as for ingest/create_orders; $run_id the ingest run; $now its datetime.
UNWIND $rows AS r
MATCH (o:Order {key: r.props.key})
MATCH (ch:Channel {name: r.channel})
CREATE (o)-[:HAD_VERSION]->(v:Revision)
SET v = properties(o), v.superseded_at = $now, v.superseded_by_run = $run_id
WITH o, r, ch, coalesce(o.first_ingested_at, $now) AS first
SET o = r.props, o.run_id = $run_id, o.first_ingested_at = first, o.ingested_at = $now
WITH o, r, ch
CALL (o, ch) {
  MATCH (o)-[old:VIA]->(other:Channel)
  WHERE other.name <> ch.name
  DELETE old
}
CALL (o, r) {
  MATCH (other:Customer)-[old:PLACED]->(o)
  WHERE other.key <> r.customer_key
  DELETE old
}
MERGE (o)-[:VIA]->(ch)
MERGE (c:Customer {key: r.customer_key})
ON CREATE SET c.source = r.customer_source, c.source_id = r.customer_id, c.stub = true,
  c.first_ingested_at = $now
MERGE (c)-[:PLACED]->(o)
