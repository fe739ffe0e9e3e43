// Removes ring memberships and evidence a fraud run did not confirm, then the rings it did
// not write.
// Parameters: $run_id (the run that just wrote the current rings).
MATCH (f:FraudRing)
OPTIONAL MATCH (f)-[r:IN_RING|EVIDENCE]-()
WHERE coalesce(r.run_id, '') <> $run_id
DELETE r
WITH DISTINCT f
WHERE coalesce(f.run_id, '') <> $run_id
DETACH DELETE f
