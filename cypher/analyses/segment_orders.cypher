// Every order of some identities' records, with its channel: the purchases a segments
// refresh sums (statuses, currencies and dates are judged in Python).
// Parameters: $ids (list of identity ids, at most 5,000).
// Browser: :param ids => ['id_01m8376rxkr3m0fk73th']
UNWIND $ids AS id
MATCH (:Identity {id: id})<-[:RESOLVES_TO]-(:Customer)-[:PLACED]->(o:Order)
OPTIONAL MATCH (o)-[:VIA]->(ch:Channel)
RETURN id, o.amount AS amount, o.currency AS currency, o.ordered_at AS ordered_at,
  o.status AS status, ch.name AS channel
