// Returns the identity each given record resolves to now (none for unresolved records).
// Parameters: $keys (list of record keys).
UNWIND $keys AS key
MATCH (:Customer {key: key})-[:RESOLVES_TO]->(i:Identity)
RETURN key, i.id AS identity
