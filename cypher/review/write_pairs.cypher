// Queues pairs for review: two records a run scored just under the threshold, or linked by the
// model but vetoed by a guard. Replaces the pair's earlier item.
// Parameters: $pairs (list of {a, b, probability, weight, distance, reason, blocked_by, fields,
//   levels, weights}; a < b), $run_id, $now.
UNWIND $pairs AS p
MATCH (a:Customer {key: p.a})
MATCH (b:Customer {key: p.b})
MERGE (a)-[r:REVIEW_PAIR]->(b)
SET r.probability = p.probability, r.weight = p.weight, r.distance = p.distance,
  r.reason = p.reason, r.blocked_by = p.blocked_by, r.fields = p.fields, r.levels = p.levels,
  r.weights = p.weights, r.run_id = $run_id, r.at = $now
