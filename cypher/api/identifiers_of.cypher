// The identifiers (emails, phones, devices, addresses) of groups of records, each with the
// records that use it and whether resolution marked it shared.
// Parameters: $groups (list of {id, keys}).
UNWIND $groups AS g
UNWIND g.keys AS key
MATCH (c:Customer {key: key})-[r:HAS_EMAIL|HAS_PHONE|USES|LIVES_AT]->(x)
WITH g.id AS id, type(r) AS kind, x, collect(DISTINCT c.key) AS records
RETURN id, kind, x {.*} AS identifier, records
