// An identity's neighbourhood as an edge list for Client.neighbourhood(): one row per
// relationship (a, type, rel, b: labels and properties of both ends), plus one row for the
// identity itself with null type. Covers the identity (an absorbed id is followed), the ids
// merged into it, its records and their identifiers, links and assertions between its
// records, its household and ring, and with $activity its orders, interactions and channels.
// Parameters: $identity (identity id, current or absorbed), $activity (true to add orders and
//   interactions).
// :param identity => 'id_01m8376rxkr3m0fk73th'
// :param activity => false
// Generated from c360graph/graph/schema.py and cypher/templates/client/neighbourhood.cypher.tmpl
// by `make cypher`; do not edit.
MATCH (:Identity {id: $identity})-[:MERGED_INTO*0..20]->(i:Identity)
WHERE NOT (i)-[:MERGED_INTO]->()
CALL (i) {
  RETURN i AS a, null AS r, null AS b
  UNION ALL
  MATCH (i)<-[r:RESOLVES_TO]-(c:Customer)
  RETURN c AS a, r, i AS b
  UNION ALL
  MATCH (i)<-[:RESOLVES_TO]-(c:Customer)
    -[r:HAS_EMAIL|HAS_PHONE|USES|LIVES_AT|HAS_LOYALTY_ID|HAS_NATIONAL_ID]->(x)
  RETURN c AS a, r, x AS b
  UNION ALL
  MATCH (i)<-[:RESOLVES_TO]-(c:Customer)-[r:LINKED|SAME_AS|NOT_SAME_AS]->(d:Customer)
    -[:RESOLVES_TO]->(i)
  RETURN c AS a, r, d AS b
  UNION ALL
  MATCH (i)-[r:IN_HOUSEHOLD|IN_RING]->(g)
  RETURN i AS a, r, g AS b
  UNION ALL
  MATCH (old:Identity)-[r:MERGED_INTO]->(i)
  RETURN old AS a, r, i AS b
  UNION ALL
  MATCH (i)<-[:RESOLVES_TO]-(c:Customer)-[r:PLACED|HAD]->(x)
  WHERE $activity
  RETURN c AS a, r, x AS b
  UNION ALL
  MATCH (i)<-[:RESOLVES_TO]-(:Customer)-[:PLACED|HAD]->(x)-[r:VIA]->(ch:Channel)
  WHERE $activity
  RETURN x AS a, r, ch AS b
}
RETURN labels(a) AS a_labels, properties(a) AS a, type(r) AS type, properties(r) AS rel,
  labels(b) AS b_labels, properties(b) AS b
