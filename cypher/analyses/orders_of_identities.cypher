// The orders of some identities, for scoring fraud-ring candidates (large baskets soon after
// the accounts were opened).
// Parameters: $ids (list of identity ids).
// Browser: :param ids => ['id_01m8376rxkr3m0fk73th']
UNWIND $ids AS id
MATCH (:Identity {id: id})<-[:RESOLVES_TO]-(:Customer)-[:PLACED]->(o:Order)
RETURN id AS identity, o.amount AS amount, o.currency AS currency, o.ordered_at AS ordered_at,
  o.status AS status
