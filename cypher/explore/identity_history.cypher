// The merge, split, create and retire events of an identity, newest first, including those
// recorded under ids later merged into it, with the run that made each.
// Parameters: $identity (identity id, current or absorbed).
// :param identity => 'id_01m8376rxkr3m0fk73th'
MATCH (:Identity {id: $identity})-[:MERGED_INTO*0..20]->(i:Identity)
WHERE NOT (i)-[:MERGED_INTO]->()
MATCH (i)<-[:MERGED_INTO*0..20]-(old:Identity)
WITH i, collect(old.id) AS ids
MATCH (e:IdentityEvent)
WHERE e.identity IN ids OR any(other IN e.others WHERE other IN ids)
RETURN i.id AS identity, e.at AS at, e.kind AS kind, e.identity AS event_identity,
  e.others AS others, e.records AS records, e.reason AS reason, e.run_id AS run_id
ORDER BY at DESC, kind
