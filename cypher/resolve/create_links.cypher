// Stores accepted links: why two records are the same person (rules, evidence, model, score,
// per-field comparison levels as 'field=level' strings).
// Parameters: $links (list of {a, b, kind, probability, weight, rules, evidence, levels}),
//   $model_version, $run_id, $now.
UNWIND $links AS l
MATCH (a:Customer {key: l.a})
MATCH (b:Customer {key: l.b})
CREATE (a)-[:LINKED {kind: l.kind, probability: l.probability, weight: l.weight,
  rules: l.rules, evidence: l.evidence, levels: l.levels, model_version: $model_version,
  run_id: $run_id, at: $now}]->(b)
