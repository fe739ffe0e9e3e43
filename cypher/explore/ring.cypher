// One fraud ring, drawn as paths: its member identities, the identifiers that tie them
// (EVIDENCE carries how many member identities use each), and the member records using those
// identifiers.
// Parameters: $ring (fraud ring id).
// :param ring => 'ring_01m8376s1b2c3d4e5f6g'
// Generated from c360graph/graph/schema.py and cypher/templates/explore/ring.cypher.tmpl
// by `make cypher`; do not edit.
MATCH (f:FraudRing {id: $ring})
CALL (f) {
  MATCH p = (f)<-[:IN_RING]-(:Identity)
  RETURN p
  UNION
  MATCH p = (f)-[:EVIDENCE]->()
  RETURN p
  UNION
  MATCH p = (f)<-[:IN_RING]-(:Identity)<-[:RESOLVES_TO]-(:Customer)
    -[:HAS_EMAIL|HAS_PHONE|USES|LIVES_AT|HAS_LOYALTY_ID|HAS_NATIONAL_ID]->(x)<-[:EVIDENCE]-(f)
  RETURN p
}
RETURN p
