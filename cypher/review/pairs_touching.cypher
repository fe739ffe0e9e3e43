// Returns the queued review pairs touching the given records.
// Parameters: $keys (list of record keys).
UNWIND $keys AS key
MATCH (c:Customer {key: key})-[r:REVIEW_PAIR]-(d:Customer)
RETURN DISTINCT CASE WHEN c.key < d.key THEN c.key ELSE d.key END AS a,
  CASE WHEN c.key < d.key THEN d.key ELSE c.key END AS b
