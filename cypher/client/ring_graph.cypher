// A fraud ring as an edge list for Client.ring_graph(): one row per relationship (a, type,
// rel, b: labels and properties of both ends), plus one row for the ring itself with null
// type. Covers the ring, its member identities and their records, the evidence identifiers
// and the member records' links to them.
// Parameters: $ring (fraud ring id).
// :param ring => 'ring_01m8376s1b2c3d4e5f6g'
// Generated from c360graph/graph/schema.py and cypher/templates/client/ring_graph.cypher.tmpl
// by `make cypher`; do not edit.
MATCH (f:FraudRing {id: $ring})
CALL (f) {
  RETURN f AS a, null AS r, null AS b
  UNION ALL
  MATCH (i:Identity)-[r:IN_RING]->(f)
  RETURN i AS a, r, f AS b
  UNION ALL
  MATCH (f)-[r:EVIDENCE]->(x)
  RETURN f AS a, r, x AS b
  UNION ALL
  MATCH (f)<-[:IN_RING]-(i:Identity)<-[r:RESOLVES_TO]-(c:Customer)
  RETURN c AS a, r, i AS b
  UNION ALL
  MATCH (f)<-[:IN_RING]-(:Identity)<-[:RESOLVES_TO]-(c:Customer)
    -[r:HAS_EMAIL|HAS_PHONE|USES|LIVES_AT|HAS_LOYALTY_ID|HAS_NATIONAL_ID]->(x)<-[:EVIDENCE]-(f)
  RETURN c AS a, r, x AS b
}
RETURN labels(a) AS a_labels, properties(a) AS a, type(r) AS type, properties(r) AS rel,
  labels(b) AS b_labels, properties(b) AS b
