// Benchmark baseline: the identifier relationships of a batch of customer records, with the
// properties the customer ingest gives them, written with plain CREATE between nodes found
// by their keys (see bench/raw_identifiers).
// Parameters: $emails, $phones, $devices, $addresses, $loyalty_ids, $national_ids (lists of
//   {customer, source, value, raw}: the record's key and source, the identifier's key value
//   and its raw source text), $now (datetime).
// Generated from c360graph/graph/schema.py and cypher/templates/bench/raw_links.cypher.tmpl
// by `make cypher`; do not edit.
CALL () {
  UNWIND $emails AS x
  MATCH (c:Customer {key: x.customer})
  MATCH (n:Email {address: x.value})
  CREATE (c)-[:HAS_EMAIL {source: x.source, raw: x.raw, first_seen: $now, last_seen: $now, current: true}]->(n)
}
CALL () {
  UNWIND $phones AS x
  MATCH (c:Customer {key: x.customer})
  MATCH (n:Phone {e164: x.value})
  CREATE (c)-[:HAS_PHONE {source: x.source, raw: x.raw, first_seen: $now, last_seen: $now, current: true}]->(n)
}
CALL () {
  UNWIND $devices AS x
  MATCH (c:Customer {key: x.customer})
  MATCH (n:Device {device_id: x.value})
  CREATE (c)-[:USES {source: x.source, raw: x.raw, first_seen: $now, last_seen: $now, current: true}]->(n)
}
CALL () {
  UNWIND $addresses AS x
  MATCH (c:Customer {key: x.customer})
  MATCH (n:Address {key: x.value})
  CREATE (c)-[:LIVES_AT {source: x.source, raw: x.raw, first_seen: $now, last_seen: $now, current: true}]->(n)
}
CALL () {
  UNWIND $loyalty_ids AS x
  MATCH (c:Customer {key: x.customer})
  MATCH (n:LoyaltyId {value: x.value})
  CREATE (c)-[:HAS_LOYALTY_ID {source: x.source, raw: x.raw, first_seen: $now, last_seen: $now, current: true}]->(n)
}
CALL () {
  UNWIND $national_ids AS x
  MATCH (c:Customer {key: x.customer})
  MATCH (n:NationalId {hash: x.value})
  CREATE (c)-[:HAS_NATIONAL_ID {source: x.source, raw: x.raw, first_seen: $now, last_seen: $now, current: true}]->(n)
}
