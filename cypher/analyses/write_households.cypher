// Creates or updates households and links their member identities, stamped with the run.
// Parameters: $households (list of {id, props: {confidence, reason, evidence, size},
//   members: list of {id, confidence, reason}}), $run_id, $now.
UNWIND $households AS hh
MERGE (h:Household {id: hh.id})
ON CREATE SET h.created_at = $now
SET h += hh.props, h.run_id = $run_id, h.updated_at = $now
WITH h, hh
UNWIND hh.members AS m
MATCH (i:Identity {id: m.id})
MERGE (i)-[r:IN_HOUSEHOLD]->(h)
SET r.confidence = m.confidence, r.reason = m.reason, r.run_id = $run_id
