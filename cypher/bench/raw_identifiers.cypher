// Benchmark baseline: the identifier nodes of a batch of customer records, written with plain
// CREATE (the caller passes only those not created yet). With bench/raw_customers and
// bench/raw_links it writes the same nodes and relationships as the customer ingest, which
// bench/ingest.py compares with it in the same run.
// Parameters: $emails, $phones, $devices, $addresses, $loyalty_ids, $national_ids (lists of
//   node property maps, as the ingest/merge_* queries take them), $now (datetime).
// Generated from c360graph/graph/schema.py and cypher/templates/bench/raw_identifiers.cypher.tmpl
// by `make cypher`; do not edit.
CALL () {
  UNWIND $emails AS v
  CREATE (n:Email)
  SET n = v, n.first_seen = $now
}
CALL () {
  UNWIND $phones AS v
  CREATE (n:Phone)
  SET n = v, n.first_seen = $now
}
CALL () {
  UNWIND $devices AS v
  CREATE (n:Device)
  SET n = v, n.first_seen = $now
}
CALL () {
  UNWIND $addresses AS v
  CREATE (n:Address)
  SET n = v, n.first_seen = $now
}
CALL () {
  UNWIND $loyalty_ids AS v
  CREATE (n:LoyaltyId)
  SET n = v, n.first_seen = $now
}
CALL () {
  UNWIND $national_ids AS v
  CREATE (n:NationalId)
  SET n = v, n.first_seen = $now
}
