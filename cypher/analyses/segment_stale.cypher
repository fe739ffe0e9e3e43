// Identities that are no longer active but still carry segment properties (a full refresh
// clears them; incremental refreshes clear the ones resolution touched).
// Parameters: none.
MATCH (i:Identity)
WHERE i.status <> 'active' AND i.segments_at IS NOT NULL
RETURN i.id AS id
