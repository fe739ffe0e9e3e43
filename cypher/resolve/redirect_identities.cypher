// Turns absorbed identities into redirects to the identity that absorbed them, so a look-up
// by an old id still finds the person.
// Parameters: $redirects (list of {from, to}), $run_id, $now.
UNWIND $redirects AS r
MATCH (old:Identity {id: r.from})
MATCH (new:Identity {id: r.to})
SET old.status = 'merged', old.merged_into = r.to, old.updated_at = $now, old.run_id = $run_id
MERGE (old)-[:MERGED_INTO]->(new)
