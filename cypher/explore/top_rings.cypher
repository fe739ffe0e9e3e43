// Fraud rings found by `c360 analyze fraud`, highest score first: the score's parts (size,
// density, velocity, orders; each 0..1), the reason in words, and the members' names. Draw
// one with explore/ring.
// Parameters: $limit (how many rings).
// :param limit => 25
MATCH (f:FraudRing)<-[:IN_RING]-(i:Identity)
WITH f, i
ORDER BY i.id
WITH f, collect(i.id) AS members, collect(i.full_name) AS names
RETURN f.id AS ring, f.score AS score, f.size AS size, f.density AS density,
  f.velocity AS velocity, f.orders AS orders, f.opened_within_days AS opened_within_days,
  f.large_orders AS large_orders, f.evidence_kinds AS evidence_kinds, f.reason AS reason,
  members, names
ORDER BY score DESC, size DESC, ring
LIMIT $limit
