// Streams every stored accepted link with its evidence (evaluation, exports, full runs).
// Parameters: none.
MATCH (a:Customer)-[l:LINKED]->(b:Customer)
RETURN a.key AS a, b.key AS b, l.kind AS kind, l.probability AS probability,
  l.weight AS weight, l.rules AS rules, l.evidence AS evidence, l.levels AS levels
