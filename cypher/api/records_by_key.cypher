// Finds source records by key (source:source_id), with their emails, phones and identity.
// Parameters: $keys (list of record keys).
UNWIND $keys AS key
MATCH (c:Customer {key: key})
OPTIONAL MATCH (c)-[:RESOLVES_TO]->(i:Identity)
RETURN key, c {.*,
  emails: [(c)-[:HAS_EMAIL]->(e:Email) | e.address],
  phones: [(c)-[:HAS_PHONE]->(p:Phone) | p.e164],
  identity: i.id} AS record
