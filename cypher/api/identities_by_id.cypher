// Finds identities by id, following merge redirects, so an absorbed id still finds the person.
// Parameters: $ids (list of identity ids, current or absorbed).
// Returns one row per id that exists: the id asked for, the current identity's properties.
UNWIND $ids AS asked
MATCH (:Identity {id: asked})-[:MERGED_INTO*0..20]->(current:Identity)
WHERE NOT (current)-[:MERGED_INTO]->()
RETURN asked, current {.*} AS identity
