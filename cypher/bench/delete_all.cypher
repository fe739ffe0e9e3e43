// Benchmark set-up: removes a batch of nodes with their relationships, whatever their label;
// run until it deletes none (bench/ingest.py empties the graph between its phases).
// Parameters: $limit (how many nodes per batch).
MATCH (n)
WITH n LIMIT $limit
DETACH DELETE n
RETURN count(*) AS deleted
