// Marks records as needing resolution again (after an assertion or an erasure near them),
// so the next incremental run re-resolves them and rewrites their identity's golden record.
// Parameters: $keys (list of record keys).
UNWIND $keys AS key
MATCH (c:Customer {key: key})
REMOVE c.resolved_hash
