// The accepted links (LINKED, written by resolution) among the records of each group: the
// edges of an identity's graph, each with its kind, probability, rules, evidence and levels.
// Parameters: $groups (list of {id, keys}: identity id and its record keys).
// Returns one row per link whose two ends are both in the group's keys.
UNWIND $groups AS g
UNWIND g.keys AS key
MATCH (a:Customer {key: key})-[l:LINKED]->(b:Customer)
WHERE b.key IN g.keys
RETURN g.id AS id, a.key AS a, b.key AS b, l.kind AS kind, l.probability AS probability,
  l.rules AS rules, l.evidence AS evidence, l.levels AS levels
