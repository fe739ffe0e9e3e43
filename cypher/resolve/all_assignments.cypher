// Returns every record's current identity (export and evaluation).
// Parameters: none.
MATCH (c:Customer)-[:RESOLVES_TO]->(i:Identity)
RETURN c.source AS source, c.source_id AS source_id, c.key AS key, i.id AS identity
