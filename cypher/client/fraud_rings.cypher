// Every fraud ring of the last fraud run, one row each, with the parts of its score and its
// member identities in id order: the rows of Client.fraud_rings().
// Parameters: none.
MATCH (f:FraudRing)<-[:IN_RING]-(i:Identity)
WITH f, i
ORDER BY i.id
WITH f, collect(i.id) AS member_ids
RETURN f.id AS ring_id, f.score AS score, f.size AS size, f.density AS density,
  f.velocity AS velocity, f.orders AS orders, f.opened_within_days AS opened_within_days,
  f.large_orders AS large_orders, f.evidence_kinds AS evidence_kinds, f.reason AS reason,
  member_ids
ORDER BY score DESC, ring_id
