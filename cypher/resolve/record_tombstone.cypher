// Keeps a PII-free audit trace of an erasure: a keyed hash of what was erased, when, by
// which run, and how many records; no names, identifiers or source ids.
// Parameters: $tombstones (list of {id, kind, records}), $run_id, $now.
UNWIND $tombstones AS t
CREATE (:Tombstone {id: t.id, kind: t.kind, records: t.records, erased_at: $now, run_id: $run_id})
