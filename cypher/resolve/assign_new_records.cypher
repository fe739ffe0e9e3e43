// Points records that had no identity at the identity this run gave them, and stamps them as
// resolved at their current content (assign_records and stamp_resolved in one
// pass: a first run does this for every record). The link keeps the run, so an interrupted run
// can be undone.
// Parameters: $rows (list of {key, identity}), $run_id.
UNWIND $rows AS r
MATCH (c:Customer {key: r.key})
MATCH (i:Identity {id: r.identity})
CREATE (c)-[:RESOLVES_TO {run_id: $run_id}]->(i)
SET c.resolved_hash = coalesce(c.row_hash, 'stub')
