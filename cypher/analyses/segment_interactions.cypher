// Interactions up to $as_of of some identities' records, counted per channel: the tie-break
// of the preferred channel. The time test sits in the count, not in a WHERE, so that no
// DateTime index range scan is planned (docs/graph-engines.md).
// Parameters: $ids (list of identity ids, at most 5,000), $as_of (DateTime).
// Browser: :param ids => ['id_01m8376rxkr3m0fk73th']
// Browser: :param as_of => datetime()
UNWIND $ids AS id
MATCH (:Identity {id: id})<-[:RESOLVES_TO]-(:Customer)-[:HAD]->(x:Interaction)
OPTIONAL MATCH (x)-[:VIA]->(ch:Channel)
WITH id, ch.name AS channel, sum(CASE WHEN x.occurred_at <= $as_of THEN 1 ELSE 0 END) AS n
WHERE n > 0
RETURN id, channel, n
