// Lists the source records of identities, with each record's own emails and phones.
// Parameters: $ids (list of current identity ids).
// Returns one row per record: the identity id and the record's properties, ordered by key.
UNWIND $ids AS id
MATCH (:Identity {id: id})<-[:RESOLVES_TO]-(c:Customer)
RETURN id, c {.*,
  emails: [(c)-[:HAS_EMAIL]->(e:Email) | e.address],
  phones: [(c)-[:HAS_PHONE]->(p:Phone) | p.e164],
  identity: id} AS record
ORDER BY c.key
