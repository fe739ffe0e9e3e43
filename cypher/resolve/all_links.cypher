// Streams every stored accepted link with its evidence (evaluation, exports).
// Parameters: none.
MATCH (a:Customer)-[l:LINKED]->(b:Customer)
RETURN a.key AS a, b.key AS b, l.kind AS kind, l.probability AS probability,
  l.rules AS rules, l.evidence AS evidence
