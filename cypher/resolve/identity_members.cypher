// Returns the record keys of the given identities.
// Parameters: $ids (list of identity ids).
UNWIND $ids AS id
MATCH (:Identity {id: id})<-[:RESOLVES_TO]-(c:Customer)
RETURN id AS identity, c.key AS key
