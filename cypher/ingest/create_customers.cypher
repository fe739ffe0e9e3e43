// Creates new source customer records linked to their identifier nodes (created just
// before by the ingest/merge_* queries in the same transaction). Lineage is c.source and
// c.run_id: (:IngestRun {run_id})-[:OF_SOURCE]->(:Source) (no per-record supernode edge).
// Parameters:
//   $rows    list of {props, emails, phones, devices, addresses, loyalty_ids, national_ids}:
//            props holds key ('source:source_id'), source, source_id, the normalized fields
//            and row_hash; each identifier list holds {value, raw} maps.
//   $run_id the ingest run; $now its datetime.
// Generated from c360graph/graph/schema.py and cypher/templates/ingest/create_customers.cypher.tmpl
// by `make cypher`; do not edit.
UNWIND $rows AS r
CREATE (c:Customer)
SET c = r.props, c.run_id = $run_id, c.first_ingested_at = $now, c.ingested_at = $now
WITH c, r
CALL (c, r) {
  UNWIND r.emails AS x
  MATCH (n:Email {address: x.value})
  CREATE (c)-[:HAS_EMAIL {source: c.source, raw: x.raw, first_seen: $now, last_seen: $now, current: true}]->(n)
}
CALL (c, r) {
  UNWIND r.phones AS x
  MATCH (n:Phone {e164: x.value})
  CREATE (c)-[:HAS_PHONE {source: c.source, raw: x.raw, first_seen: $now, last_seen: $now, current: true}]->(n)
}
CALL (c, r) {
  UNWIND r.devices AS x
  MATCH (n:Device {device_id: x.value})
  CREATE (c)-[:USES {source: c.source, raw: x.raw, first_seen: $now, last_seen: $now, current: true}]->(n)
}
CALL (c, r) {
  UNWIND r.addresses AS x
  MATCH (n:Address {key: x.value})
  CREATE (c)-[:LIVES_AT {source: c.source, raw: x.raw, first_seen: $now, last_seen: $now, current: true}]->(n)
}
CALL (c, r) {
  UNWIND r.loyalty_ids AS x
  MATCH (n:LoyaltyId {value: x.value})
  CREATE (c)-[:HAS_LOYALTY_ID {source: c.source, raw: x.raw, first_seen: $now, last_seen: $now, current: true}]->(n)
}
CALL (c, r) {
  UNWIND r.national_ids AS x
  MATCH (n:NationalId {hash: x.value})
  CREATE (c)-[:HAS_NATIONAL_ID {source: c.source, raw: x.raw, first_seen: $now, last_seen: $now, current: true}]->(n)
}
