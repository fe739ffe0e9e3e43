// One step of an identity's lineage (resolve/lineage.py): for each id, its status, where a
// merge redirected it, its own events, and the events of the run that created it which name
// it (the split it was cut from).
// Parameters: $ids (list of identity ids).
UNWIND $ids AS id
OPTIONAL MATCH (i:Identity {id: id})
OPTIONAL MATCH (own:IdentityEvent {identity: id})
WITH id, i, collect(own {.*}) AS own
OPTIONAL MATCH (:ResolutionRun {run_id: i.created_by_run})-[:RECORDED]->(origin:IdentityEvent)
WHERE id IN origin.others
RETURN id, i.status AS status, i.merged_into AS merged_into, own,
  collect(origin {.*}) AS origin
