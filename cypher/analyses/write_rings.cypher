// Creates or updates fraud rings and links their member identities, stamped with the run.
// Parameters: $rings (list of {id, props: {score, size, density, velocity, orders, reason,
//   opened_within_days, large_orders, evidence_kinds}, members: list of identity ids}),
//   $run_id, $now.
UNWIND $rings AS ring
MERGE (f:FraudRing {id: ring.id})
ON CREATE SET f.created_at = $now
SET f += ring.props, f.run_id = $run_id, f.updated_at = $now
WITH f, ring
UNWIND ring.members AS member
MATCH (i:Identity {id: member})
MERGE (i)-[r:IN_RING]->(f)
SET r.run_id = $run_id
