// Updates changed source customer records. The previous values are kept as a :Revision
// (lineage); identifier links no longer in the record are retired (current = false, until)
// rather than deleted, and new ones are added.
// Parameters:
//   $rows    list of {props, emails, phones, devices, addresses, loyalty_ids, national_ids}
//            as for ingest/create_customers.
//   $run_id the ingest run; $now its datetime.
// Generated from c360graph/graph/schema.py and cypher/templates/ingest/update_customers.cypher.tmpl
// by `make cypher`; do not edit.
UNWIND $rows AS r
MATCH (c:Customer {key: r.props.key})
CALL (c) {
  WITH c WHERE c.row_hash IS NOT NULL
  CREATE (c)-[:HAD_VERSION]->(v:Revision)
  SET v = properties(c), v.superseded_at = $now, v.superseded_by_run = $run_id
}
WITH c, r, coalesce(c.first_ingested_at, $now) AS first
SET c = r.props, c.run_id = $run_id, c.first_ingested_at = first, c.ingested_at = $now
WITH c, r
CALL (c, r) {
  MATCH (c)-[h:HAS_EMAIL]->(n:Email)
  WHERE h.current AND NOT n.address IN [x IN r.emails | x.value]
  SET h.current = false, h.until = $now
}
CALL (c, r) {
  UNWIND r.emails AS x
  MATCH (n:Email {address: x.value})
  MERGE (c)-[h:HAS_EMAIL]->(n)
  ON CREATE SET h.source = c.source, h.raw = x.raw, h.first_seen = $now
  SET h.current = true, h.last_seen = $now, h.until = null
}
CALL (c, r) {
  MATCH (c)-[h:HAS_PHONE]->(n:Phone)
  WHERE h.current AND NOT n.e164 IN [x IN r.phones | x.value]
  SET h.current = false, h.until = $now
}
CALL (c, r) {
  UNWIND r.phones AS x
  MATCH (n:Phone {e164: x.value})
  MERGE (c)-[h:HAS_PHONE]->(n)
  ON CREATE SET h.source = c.source, h.raw = x.raw, h.first_seen = $now
  SET h.current = true, h.last_seen = $now, h.until = null
}
CALL (c, r) {
  MATCH (c)-[h:USES]->(n:Device)
  WHERE h.current AND NOT n.device_id IN [x IN r.devices | x.value]
  SET h.current = false, h.until = $now
}
CALL (c, r) {
  UNWIND r.devices AS x
  MATCH (n:Device {device_id: x.value})
  MERGE (c)-[h:USES]->(n)
  ON CREATE SET h.source = c.source, h.raw = x.raw, h.first_seen = $now
  SET h.current = true, h.last_seen = $now, h.until = null
}
CALL (c, r) {
  MATCH (c)-[h:LIVES_AT]->(n:Address)
  WHERE h.current AND NOT n.key IN [x IN r.addresses | x.value]
  SET h.current = false, h.until = $now
}
CALL (c, r) {
  UNWIND r.addresses AS x
  MATCH (n:Address {key: x.value})
  MERGE (c)-[h:LIVES_AT]->(n)
  ON CREATE SET h.source = c.source, h.raw = x.raw, h.first_seen = $now
  SET h.current = true, h.last_seen = $now, h.until = null
}
CALL (c, r) {
  MATCH (c)-[h:HAS_LOYALTY_ID]->(n:LoyaltyId)
  WHERE h.current AND NOT n.value IN [x IN r.loyalty_ids | x.value]
  SET h.current = false, h.until = $now
}
CALL (c, r) {
  UNWIND r.loyalty_ids AS x
  MATCH (n:LoyaltyId {value: x.value})
  MERGE (c)-[h:HAS_LOYALTY_ID]->(n)
  ON CREATE SET h.source = c.source, h.raw = x.raw, h.first_seen = $now
  SET h.current = true, h.last_seen = $now, h.until = null
}
CALL (c, r) {
  MATCH (c)-[h:HAS_NATIONAL_ID]->(n:NationalId)
  WHERE h.current AND NOT n.hash IN [x IN r.national_ids | x.value]
  SET h.current = false, h.until = $now
}
CALL (c, r) {
  UNWIND r.national_ids AS x
  MATCH (n:NationalId {hash: x.value})
  MERGE (c)-[h:HAS_NATIONAL_ID]->(n)
  ON CREATE SET h.source = c.source, h.raw = x.raw, h.first_seen = $now
  SET h.current = true, h.last_seen = $now, h.until = null
}
