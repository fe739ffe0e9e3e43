// Extends the lease of the resolution lock held by a run (long runs renew it per stage).
// Parameters: $run_id, $lease_until.
MATCH (lock:ResolutionLock {name: 'resolution'})
WHERE lock.run_id = $run_id
SET lock.lease_until = $lease_until
