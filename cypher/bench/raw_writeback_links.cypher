// Benchmark baseline: the LINKED relationships a resolution run wrote, written again with
// plain CREATE as RAW_LINKED between the same records (bench/resolve.py's raw write rate).
// Parameters: $links (list of {a, b, kind, probability, weight, rules, evidence, levels}),
//   $model_version, $run_id, $now.
UNWIND $links AS l
MATCH (a:Customer {key: l.a})
MATCH (b:Customer {key: l.b})
CREATE (a)-[:RAW_LINKED {kind: l.kind, probability: l.probability, weight: l.weight,
  rules: l.rules, evidence: l.evidence, levels: l.levels, model_version: $model_version,
  run_id: $run_id, at: $now}]->(b)
