// One page of fraud rings scoring at least $min_score, highest score first then by id, after
// a keyset cursor, with their member identity ids: the GraphQL `fraudRings` query.
// Parameters: $min_score (0..1), $after_score, $after_id (score and id of the last ring seen,
//   or nulls for the first page), $limit (page size plus one, to see whether more follow).
// Browser: :param min_score => 0.5
// Browser: :param after_score => null
// Browser: :param after_id => null
// Browser: :param limit => 21
MATCH (f:FraudRing)
WHERE f.score >= $min_score
  AND ($after_id IS NULL OR f.score < $after_score
       OR (f.score = $after_score AND f.id > $after_id))
RETURN f {.*} AS ring, [(f)<-[:IN_RING]-(member:Identity) | member.id] AS members
ORDER BY f.score DESC, f.id
LIMIT $limit
