// Candidate records for a fuzzy name search: first or last name keys starting with the first
// letters of a searched token. Scored in Python with rapidfuzz.
// Parameters: $prefixes (first three letters of each folded token), $limit (most candidates).
UNWIND $prefixes AS t
MATCH (c:Customer)
WHERE c.last_name_key STARTS WITH t OR c.first_name_key STARTS WITH t
MATCH (c)-[:RESOLVES_TO]->(i:Identity)
WITH DISTINCT i, c LIMIT $limit
RETURN i.id AS id, c.first_name_key AS first, c.last_name_key AS last, c.city AS city
