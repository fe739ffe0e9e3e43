// Returns a page of the review queue, nearest the threshold first (then by record keys),
// after a keyset position, with each pair's score and evidence.
// Parameters: $min_probability, $after_distance, $after_a, $after_b (all three null for the
//   first page), $limit.
MATCH (a:Customer)-[r:REVIEW_PAIR]->(b:Customer)
WHERE r.probability >= $min_probability
  AND ($after_distance IS NULL OR r.distance > $after_distance
    OR (r.distance = $after_distance AND (a.key > $after_a
      OR (a.key = $after_a AND b.key > $after_b))))
RETURN a.key AS a, b.key AS b, r.probability AS probability, r.weight AS weight,
  r.distance AS distance, r.reason AS reason, r.blocked_by AS blocked_by, r.fields AS fields,
  r.levels AS levels, r.weights AS weights, r.run_id AS run_id, r.at AS at
ORDER BY distance, a, b
LIMIT $limit
