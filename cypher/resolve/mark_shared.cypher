// Marks identifiers as shared by unrelated people (placeholders, shop phones, kiosk devices):
// linking ignores them; fraud analysis reports them. Unmarks ones no longer shared.
// Parameters: $shared and $unshared, each a map of value lists by identifier kind
//   ({emails, phones, devices, loyalty_ids, national_ids}); $now.
// Generated from c360graph/graph/schema.py and cypher/templates/resolve/mark_shared.cypher.tmpl
// by `make cypher`; do not edit.
CALL () {
  UNWIND $shared.emails AS v MATCH (n:Email {address: v})
  SET n.shared = true, n.shared_since = coalesce(n.shared_since, $now)
}
CALL () {
  UNWIND $shared.phones AS v MATCH (n:Phone {e164: v})
  SET n.shared = true, n.shared_since = coalesce(n.shared_since, $now)
}
CALL () {
  UNWIND $shared.devices AS v MATCH (n:Device {device_id: v})
  SET n.shared = true, n.shared_since = coalesce(n.shared_since, $now)
}
CALL () {
  UNWIND $shared.loyalty_ids AS v MATCH (n:LoyaltyId {value: v})
  SET n.shared = true, n.shared_since = coalesce(n.shared_since, $now)
}
CALL () {
  UNWIND $shared.national_ids AS v MATCH (n:NationalId {hash: v})
  SET n.shared = true, n.shared_since = coalesce(n.shared_since, $now)
}
CALL () {
  UNWIND $unshared.emails AS v MATCH (n:Email {address: v}) REMOVE n.shared, n.shared_since
}
CALL () {
  UNWIND $unshared.phones AS v MATCH (n:Phone {e164: v}) REMOVE n.shared, n.shared_since
}
CALL () {
  UNWIND $unshared.devices AS v MATCH (n:Device {device_id: v}) REMOVE n.shared, n.shared_since
}
CALL () {
  UNWIND $unshared.loyalty_ids AS v MATCH (n:LoyaltyId {value: v}) REMOVE n.shared, n.shared_since
}
CALL () {
  UNWIND $unshared.national_ids AS v MATCH (n:NationalId {hash: v}) REMOVE n.shared, n.shared_since
}
