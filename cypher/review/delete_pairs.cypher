// Takes pairs out of the review queue (decided, now in one identity, or re-scored).
// Parameters: $pairs (list of {a, b}; a < b).
UNWIND $pairs AS p
MATCH (a:Customer {key: p.a})-[r:REVIEW_PAIR]->(b:Customer {key: p.b})
DELETE r
RETURN count(*) AS removed
