// Returns the analyst assertions (must-link SAME_AS, cannot-link NOT_SAME_AS) touching the
// given records.
// Parameters: $keys (list of record keys).
UNWIND $keys AS key
MATCH (a:Customer {key: key})-[r:SAME_AS|NOT_SAME_AS]-(b:Customer)
RETURN DISTINCT a.key AS a, b.key AS b, type(r) AS type, r.by AS by, r.at AS at, r.note AS note
