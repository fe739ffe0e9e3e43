// Erases source records (right to be forgotten): each record, its orders, interactions,
// consent events and revisions, and the identifier nodes no record outside $keys uses. Run
// resolution afterwards.
// Parameters: $keys (list of record keys).
// Generated from c360graph/graph/schema.py and cypher/templates/resolve/erase_records.cypher.tmpl
// by `make cypher`; do not edit.
UNWIND $keys AS key
MATCH (c:Customer {key: key})
CALL (c) {
  MATCH (c)-[:PLACED|HAD|GAVE_CONSENT]->(activity)
  OPTIONAL MATCH (activity)-[:HAD_VERSION]->(old)
  DETACH DELETE old, activity
}
CALL (c) {
  MATCH (c)-[:HAD_VERSION]->(old:Revision)
  DETACH DELETE old
}
CALL (c) {
  MATCH (c)-[:HAS_EMAIL|HAS_PHONE|USES|LIVES_AT|HAS_LOYALTY_ID|HAS_NATIONAL_ID]->(n)
  WHERE NOT EXISTS { MATCH (n)<--(other:Customer) WHERE NOT other.key IN $keys }
  DETACH DELETE n
}
DETACH DELETE c
