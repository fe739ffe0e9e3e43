// Stamps records as resolved at their current content, so incremental runs skip them until
// it changes.
// Parameters: $keys (record keys).
UNWIND $keys AS key
MATCH (c:Customer {key: key})
SET c.resolved_hash = coalesce(c.row_hash, 'stub')
