// Returns every queued review pair's two record keys.
// Parameters: none.
MATCH (a:Customer)-[:REVIEW_PAIR]->(b:Customer)
RETURN a.key AS a, b.key AS b
