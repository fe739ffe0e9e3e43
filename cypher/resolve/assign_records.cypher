// Points each given record at its identity, replacing a previous RESOLVES_TO. The new link
// keeps the run and the identity it replaces, so an interrupted run can be undone.
// Parameters: $rows (list of {key, identity, previous}: previous may be null), $run_id.
UNWIND $rows AS r
MATCH (c:Customer {key: r.key})
MATCH (i:Identity {id: r.identity})
CALL (c, i) {
  MATCH (c)-[old:RESOLVES_TO]->(other:Identity)
  WHERE other.id <> i.id
  DELETE old
}
MERGE (c)-[rel:RESOLVES_TO]->(i)
ON CREATE SET rel.run_id = $run_id, rel.moved_from = r.previous
