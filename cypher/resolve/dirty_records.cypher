// Lists the records that changed since they were last resolved (or were never resolved):
// their content hash differs from the one stamped by the last resolution.
// Parameters: none.
MATCH (c:Customer)
WHERE c.resolved_hash IS NULL OR c.resolved_hash <> coalesce(c.row_hash, 'stub')
RETURN c.key AS key
