// Adds keyed hashes (HMAC-SHA256 with the installation's secret) of erased record keys and
// identifiers to the suppression list, so that ingest turns them away; never the values.
// Runs in the erasure's transaction. Parameters: $entries (list of {hash, kind}),
// $tombstone (the erasure's tombstone id), $now.
UNWIND $entries AS e
MERGE (s:Suppressed {hash: e.hash})
ON CREATE SET s.kind = e.kind, s.since = $now, s.tombstone = $tombstone
