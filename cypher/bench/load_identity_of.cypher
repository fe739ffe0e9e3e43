// Integrity after the load test (bench/load.py): the identities each given record resolves
// to (exactly one expected), to check that analyst links and unlinks held.
// Parameters: $keys (list of record keys, source:source_id).
UNWIND $keys AS key
MATCH (c:Customer {key: key})
OPTIONAL MATCH (c)-[:RESOLVES_TO]->(i:Identity)
RETURN key, collect(i.id) AS identities
