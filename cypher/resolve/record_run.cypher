// Records a resolution run and its identity events (merge, split, create, retire) for audit.
// Parameters: $run_id, $props (map: mode, at, model_version, config_hash, counts...),
//   $events (list of {kind, identity, others, records, reason}), $now.
CREATE (run:ResolutionRun {run_id: $run_id})
SET run += $props
WITH run
UNWIND $events AS e
CREATE (run)-[:RECORDED]->(ev:IdentityEvent {kind: e.kind, identity: e.identity,
  others: e.others, records: e.records, reason: e.reason, at: $now, run_id: $run_id})
