// One source record in context, drawn as paths: its identity and that identity's other
// records, its identifiers and the other records (with their identities) using them, and the
// links and analyst assertions touching it. Other users of an identifier resolution marked
// shared (a placeholder, a shop phone) are left out: there may be thousands.
// Parameters: $key (record key, source:source_id).
// :param key => 'crm:C000012'
// Generated from c360graph/graph/schema.py and cypher/templates/explore/record_neighbourhood.cypher.tmpl
// by `make cypher`; do not edit.
MATCH (c:Customer {key: $key})
CALL (c) {
  MATCH p = (c)
  RETURN p
  UNION
  MATCH p = (c)-[:RESOLVES_TO]->(:Identity)<-[:RESOLVES_TO]-(:Customer)
  RETURN p
  UNION
  MATCH p = (c)-[:HAS_EMAIL|HAS_PHONE|USES|LIVES_AT|HAS_LOYALTY_ID|HAS_NATIONAL_ID]->()
  RETURN p
  UNION
  MATCH p = (c)-[:HAS_EMAIL|HAS_PHONE|USES|LIVES_AT|HAS_LOYALTY_ID|HAS_NATIONAL_ID]->(x)
    <-[:HAS_EMAIL|HAS_PHONE|USES|LIVES_AT|HAS_LOYALTY_ID|HAS_NATIONAL_ID]-(other:Customer)
  WHERE other <> c AND NOT coalesce(x.shared, false) AND NOT (other)-[:RESOLVES_TO]->()
  RETURN p
  UNION
  MATCH p = (c)-[:HAS_EMAIL|HAS_PHONE|USES|LIVES_AT|HAS_LOYALTY_ID|HAS_NATIONAL_ID]->(x)
    <-[:HAS_EMAIL|HAS_PHONE|USES|LIVES_AT|HAS_LOYALTY_ID|HAS_NATIONAL_ID]-(other:Customer)
    -[:RESOLVES_TO]->(:Identity)
  WHERE other <> c AND NOT coalesce(x.shared, false)
  RETURN p
  UNION
  MATCH p = (c)-[:LINKED|SAME_AS|NOT_SAME_AS]-(:Customer)
  RETURN p
}
RETURN p
