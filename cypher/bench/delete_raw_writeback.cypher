// Benchmark clean-up: removes a batch of the raw write-back baseline's RawIdentity nodes with
// their relationships, and of its RAW_LINKED relationships; run until it deletes none.
// Parameters: $limit (how many of each per batch).
CALL () {
  MATCH (n:RawIdentity)
  WITH n LIMIT $limit
  DETACH DELETE n
  RETURN count(*) AS nodes
}
CALL () {
  MATCH (:Customer)-[r:RAW_LINKED]->(:Customer)
  WITH r LIMIT $limit
  DELETE r
  RETURN count(*) AS links
}
RETURN nodes + links AS deleted
