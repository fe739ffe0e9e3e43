// Returns the content hash of each given :Consent already in the graph; ingest compares it
// with the incoming row to tell new, changed and unchanged consent events apart.
// Parameters: $keys (list of 'source:id' keys).
UNWIND $keys AS key
MATCH (n:Consent {key: key})
RETURN n.key AS key, n.row_hash AS row_hash
