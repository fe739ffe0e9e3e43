// The member identities of one fraud ring, or of all when $ring is null, each with its
// records, when its first account was opened and its orders: the rows of
// Client.ring_members().
// Parameters: $ring (fraud ring id, or null for every ring).
// :param ring => null
MATCH (f:FraudRing)<-[:IN_RING]-(i:Identity)
WHERE $ring IS NULL OR f.id = $ring
OPTIONAL MATCH (i)<-[:RESOLVES_TO]-(c:Customer)
WITH f, i, count(c) AS records, collect(DISTINCT c.source) AS sources,
  min(c.created_at) AS first_opened_at
RETURN f.id AS ring_id, i.id AS identity_id, i.full_name AS full_name, records, sources,
  first_opened_at, COUNT { (i)<-[:RESOLVES_TO]-(:Customer)-[:PLACED]->(:Order) } AS orders
ORDER BY ring_id, identity_id
