// Integrity after the load test (bench/load.py): customer records, stubs among them, and how
// many resolve to no identity, to more than one, or to one that is not active (each of the
// last three must be 0: every record resolves to exactly one active identity).
// Parameters: none.
MATCH (c:Customer)
WITH c,
  COUNT { (c)-[:RESOLVES_TO]->(:Identity) } AS links,
  COUNT { (c)-[:RESOLVES_TO]->(a:Identity) WHERE a.status = 'active' } AS active
RETURN count(c) AS records,
  sum(CASE WHEN c.stub THEN 1 ELSE 0 END) AS stubs,
  sum(CASE WHEN links = 0 THEN 1 ELSE 0 END) AS unresolved,
  sum(CASE WHEN links > 1 THEN 1 ELSE 0 END) AS ambiguous,
  sum(CASE WHEN links = 1 AND active = 0 THEN 1 ELSE 0 END) AS inactive
