// Benchmark baseline: an identity's whole neighbourhood in one statement, one round trip,
// beside bench/api.py's sequence of the API's named queries. Returns the identity (following
// merge redirects), its records ordered by key, each with its emails, phones, identifiers,
// and all its orders and interactions with their channel (the caller pages and sorts them),
// its household, and the household's other member identities with their emails. An
// identifier is its node's properties plus `kind` (the relationship type): ArcadeDB answers a
// map literal holding a map projection, inside a pattern comprehension, with the projection.
// Parameters: $id (identity id, current or absorbed).
MATCH (:Identity {id: $id})-[:MERGED_INTO*0..20]->(i:Identity)
WHERE NOT (i)-[:MERGED_INTO]->()
OPTIONAL MATCH (i)<-[:RESOLVES_TO]-(c:Customer)
WITH i, c
ORDER BY c.key
WITH i, collect(c {.*,
  emails: [(c)-[:HAS_EMAIL]->(e:Email) | e.address],
  phones: [(c)-[:HAS_PHONE]->(p:Phone) | p.e164],
  identifiers: [(c)-[r:HAS_EMAIL|HAS_PHONE|USES|LIVES_AT]->(n) | n {.*, kind: type(r)}],
  orders: [(c)-[:PLACED]->(o:Order) | o {.*, channel: [(o)-[:VIA]->(oc:Channel) | oc.name][0]}],
  interactions: [(c)-[:HAD]->(x:Interaction) |
    x {.*, channel: [(x)-[:VIA]->(xc:Channel) | xc.name][0]}]
}) AS records
OPTIONAL MATCH (i)-[:IN_HOUSEHOLD]->(h:Household)<-[:IN_HOUSEHOLD]-(m:Identity)
WITH i, records, h, collect(m {.*,
  emails: [(m)<-[:RESOLVES_TO]-(:Customer)-[:HAS_EMAIL]->(me:Email) | me.address]
}) AS members
RETURN i {.*} AS identity, records, h {.*} AS household, members
