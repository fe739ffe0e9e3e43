// Records the retirement of identities an erasure emptied, under the erasure's tombstone and
// numbered from the graph's event sequence (as resolve/record_events), in the erasure's own
// transaction: the change feed and identityLineage then say where the id went.
// Parameters: $tombstone (the tombstone id), $ids (identity ids), $records (records erased),
// $run_id, $now.
MATCH (t:Tombstone {id: $tombstone})
MERGE (counter:EventSequence {name: 'identity_events'})
ON CREATE SET counter.last = 0
SET counter.last = counter.last + size($ids)
WITH t, counter.last - size($ids) AS base
UNWIND range(0, size($ids) - 1) AS i
CREATE (t)-[:RECORDED]->(:IdentityEvent {seq: base + i + 1, kind: 'retire', identity: $ids[i],
  others: [], records: $records, reason: 'erased on request (right to be forgotten)',
  at: $now, run_id: $run_id})
