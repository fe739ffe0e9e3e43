// Streams the id of every active identity: the scope of a full segments refresh.
// Parameters: none.
MATCH (i:Identity)
WHERE i.status = 'active'
RETURN i.id AS id
