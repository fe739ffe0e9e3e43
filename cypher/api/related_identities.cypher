// Other identities sharing a device, phone or address with the given ones (fraud review).
// Identifiers resolution marked shared are left out here; they are listed on their own.
// Parameters: $groups (list of {id, keys}: identity id and its record keys), $limit (most
//   identifiers scanned per identity, a guard against hubs).
UNWIND $groups AS g
UNWIND g.keys AS key
MATCH (:Customer {key: key})-[r:USES|HAS_PHONE|LIVES_AT]->(x)
WHERE x.shared IS NULL OR x.shared = false
WITH g, type(r) AS kind, x LIMIT $limit
MATCH (x)<-[:USES|HAS_PHONE|LIVES_AT]-(other:Customer)-[:RESOLVES_TO]->(j:Identity)
WHERE j.id <> g.id
WITH g.id AS id, j.id AS related, kind, x
// Two parallel lists, not a list of maps: ArcadeDB flattens a map holding a map projection.
RETURN id, related, collect(kind) AS kinds, collect(x {.*}) AS identifiers
