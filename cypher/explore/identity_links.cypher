// Every accepted link between the records of one identity, strongest first: the evidence
// behind its merges as a table. kind is rule (proposed by a deterministic rule), fuzzy
// (blocking) or must (an analyst's must-link); levels are 'field=level' strings.
// Parameters: $identity (identity id, current or absorbed).
// :param identity => 'id_01m8376rxkr3m0fk73th'
MATCH (:Identity {id: $identity})-[:MERGED_INTO*0..20]->(i:Identity)
WHERE NOT (i)-[:MERGED_INTO]->()
MATCH (i)<-[:RESOLVES_TO]-(a:Customer)-[l:LINKED]->(b:Customer)-[:RESOLVES_TO]->(i)
RETURN a.key AS a, b.key AS b, l.kind AS kind, l.probability AS probability,
  l.weight AS weight, l.rules AS rules, l.evidence AS evidence, l.levels AS levels,
  l.model_version AS model_version, l.at AS at
ORDER BY probability DESC, a, b
