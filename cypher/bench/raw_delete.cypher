// Removes a batch of the benchmark baselines' nodes; run until it deletes none.
// Parameters: $limit (how many nodes per batch).
MATCH (n)
WHERE n:BenchRaw OR n:BenchKeyed
WITH n LIMIT $limit
DELETE n
RETURN count(*) AS deleted
