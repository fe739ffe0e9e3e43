// Returns the stored accepted links leaving the given records (callers keep those whose
// other end they asked for too; a list membership test here would be quadratic).
// Parameters: $keys (list of record keys).
UNWIND $keys AS key
MATCH (a:Customer {key: key})-[l:LINKED]->(b:Customer)
RETURN a.key AS a, b.key AS b, l.kind AS kind, l.probability AS probability,
  l.weight AS weight, l.rules AS rules, l.evidence AS evidence, l.levels AS levels,
  l.model_version AS model_version, l.run_id AS run_id
