// Benchmark input: every identity with its properties and its records' keys, as a
// resolution run wrote them (bench/resolve.py writes them again as a raw baseline).
// Parameters: none.
MATCH (c:Customer)-[:RESOLVES_TO]->(i:Identity)
RETURN properties(i) AS props, collect(c.key) AS members
