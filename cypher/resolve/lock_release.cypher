// Releases the resolution lock held by a run.
// Parameters: $run_id.
MATCH (lock:ResolutionLock {name: 'resolution'})
WHERE lock.run_id = $run_id
DELETE lock
