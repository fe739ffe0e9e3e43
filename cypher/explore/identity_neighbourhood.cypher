// A person's neighbourhood, drawn as paths: the identity (an absorbed id is followed to the
// identity it was merged into), the ids merged into it, its source records with their
// identifiers, the accepted links and analyst assertions between those records, its household
// and fraud ring, and, with $activity, its records' orders and interactions and their channels.
// Parameters: $identity (identity id, current or absorbed), $activity (true to add orders and
//   interactions; many rows for a big spender).
// :param identity => 'id_01m8376rxkr3m0fk73th'
// :param activity => false
// Generated from c360graph/graph/schema.py and cypher/templates/explore/identity_neighbourhood.cypher.tmpl
// by `make cypher`; do not edit.
MATCH (:Identity {id: $identity})-[:MERGED_INTO*0..20]->(i:Identity)
WHERE NOT (i)-[:MERGED_INTO]->()
CALL (i) {
  MATCH p = (i)
  RETURN p
  UNION
  MATCH p = (i)<-[:RESOLVES_TO]-(:Customer)
  RETURN p
  UNION
  MATCH p = (i)<-[:RESOLVES_TO]-(:Customer)
    -[:HAS_EMAIL|HAS_PHONE|USES|LIVES_AT|HAS_LOYALTY_ID|HAS_NATIONAL_ID]->()
  RETURN p
  UNION
  MATCH p = (i)<-[:RESOLVES_TO]-(:Customer)-[:LINKED|SAME_AS]->(:Customer)-[:RESOLVES_TO]->(i)
  RETURN p
  UNION
  MATCH p = (i)-[:IN_HOUSEHOLD|IN_RING]->()
  RETURN p
  UNION
  MATCH p = (:Identity)-[:MERGED_INTO]->(i)
  RETURN p
  UNION
  MATCH p = (i)<-[:RESOLVES_TO]-(:Customer)-[:PLACED|HAD]->()-[:VIA]->(:Channel)
  WHERE $activity
  RETURN p
}
RETURN p
