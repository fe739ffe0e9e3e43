// Returns the content hash of each given :Interaction already in the graph; ingest compares it with
// the incoming row to tell new, changed and unchanged records apart.
// Parameters: $keys (list of 'source:id' keys).
UNWIND $keys AS key
MATCH (n:Interaction {key: key})
RETURN n.key AS key, n.row_hash AS row_hash
