// Benchmark set-up (bench/load.py): every customer record of an active identity, with the
// record's display name; the load test draws its reads (identity, identityByRecord,
// searchIdentities, timeline) and its link and unlink pairs from these rows in Python.
// Parameters: none.
MATCH (c:Customer)-[:RESOLVES_TO]->(i:Identity)
WHERE i.status = 'active'
RETURN c.key AS key, c.source AS source, c.source_id AS source_id, c.full_name AS name,
  i.id AS identity
