// Deletes every node and relationship in the database (keeps constraints and indexes).
// Used by the test suite between tests and by `c360 db reset --yes`. Irreversible.
// Parameters: none.
MATCH (n)
DETACH DELETE n
