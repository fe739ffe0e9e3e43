// Finds the identity an id stands for now, following merge redirects (old ids keep working).
// Parameters: $id (an identity id, current or absorbed).
MATCH (:Identity {id: $id})-[:MERGED_INTO*0..20]->(current:Identity)
WHERE NOT (current)-[:MERGED_INTO]->()
RETURN current.id AS id, current.status AS status
