// Links each fraud ring to the identifiers that tie its members together, with how many
// identities use each.
// Parameters: $evidence, a map {devices, phones, addresses, loyalty_ids, national_ids}, each a
//   list of {ring, value, identities}; $run_id.
CALL () {
  UNWIND $evidence.devices AS e
  MATCH (f:FraudRing {id: e.ring}) MATCH (n:Device {device_id: e.value})
  MERGE (f)-[r:EVIDENCE]->(n) SET r.identities = e.identities, r.run_id = $run_id
}
CALL () {
  UNWIND $evidence.phones AS e
  MATCH (f:FraudRing {id: e.ring}) MATCH (n:Phone {e164: e.value})
  MERGE (f)-[r:EVIDENCE]->(n) SET r.identities = e.identities, r.run_id = $run_id
}
CALL () {
  UNWIND $evidence.addresses AS e
  MATCH (f:FraudRing {id: e.ring}) MATCH (n:Address {key: e.value})
  MERGE (f)-[r:EVIDENCE]->(n) SET r.identities = e.identities, r.run_id = $run_id
}
CALL () {
  UNWIND $evidence.loyalty_ids AS e
  MATCH (f:FraudRing {id: e.ring}) MATCH (n:LoyaltyId {value: e.value})
  MERGE (f)-[r:EVIDENCE]->(n) SET r.identities = e.identities, r.run_id = $run_id
}
CALL () {
  UNWIND $evidence.national_ids AS e
  MATCH (f:FraudRing {id: e.ring}) MATCH (n:NationalId {hash: e.value})
  MERGE (f)-[r:EVIDENCE]->(n) SET r.identities = e.identities, r.run_id = $run_id
}
