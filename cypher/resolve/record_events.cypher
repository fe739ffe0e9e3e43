// Records a batch of identity events (merge, split, move, create, retire) under their run,
// numbering them from the graph's event sequence in the same transaction: `seq` orders the
// change feed (api/events.py), survives restarts, and two events never share a number.
// Parameters: $run_id, $events (list of {kind, identity, others, records, reason}), $now.
MATCH (run:ResolutionRun {run_id: $run_id})
MERGE (counter:EventSequence {name: 'identity_events'})
ON CREATE SET counter.last = 0
SET counter.last = counter.last + size($events)
WITH run, counter.last - size($events) AS base
UNWIND range(0, size($events) - 1) AS i
WITH run, base + i + 1 AS seq, $events[i] AS e
CREATE (run)-[:RECORDED]->(:IdentityEvent {seq: seq, kind: e.kind, identity: e.identity,
  others: e.others, records: e.records, reason: e.reason, at: $now, run_id: $run_id})
