// Records a batch of identity events (merge, split, create, retire) under their run.
// Parameters: $run_id, $events (list of {kind, identity, others, records, reason}), $now.
MATCH (run:ResolutionRun {run_id: $run_id})
UNWIND $events AS e
CREATE (run)-[:RECORDED]->(:IdentityEvent {kind: e.kind, identity: e.identity,
  others: e.others, records: e.records, reason: e.reason, at: $now, run_id: $run_id})
