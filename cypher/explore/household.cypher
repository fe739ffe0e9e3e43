// One household, drawn as paths: its member identities (each IN_HOUSEHOLD carries the
// member's confidence and reason), their records, and the addresses, phones and devices that
// records of two or more members share: the evidence the household rests on.
// Parameters: $household (household id).
// :param household => 'hh_01m8376s0q4p1y9qzk2x'
MATCH (h:Household {id: $household})
CALL (h) {
  MATCH p = (h)<-[:IN_HOUSEHOLD]-(:Identity)
  RETURN p
  UNION
  MATCH p = (h)<-[:IN_HOUSEHOLD]-(i:Identity)<-[:RESOLVES_TO]-(:Customer)
    -[:LIVES_AT|HAS_PHONE|USES]->(x)
  WHERE COUNT {
    (x)<-[:LIVES_AT|HAS_PHONE|USES]-(:Customer)-[:RESOLVES_TO]->(j:Identity)-[:IN_HOUSEHOLD]->(h)
    WHERE j <> i
  } > 0
  RETURN p
}
RETURN p
