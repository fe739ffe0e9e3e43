// Takes over the resolution lock from a holder known to be gone; no row when another run
// took it first.
// Parameters: $stale_run_id, $run_id, $host, $pid, $now, $lease_until.
MATCH (lock:ResolutionLock {name: 'resolution'})
WHERE lock.run_id = $stale_run_id
SET lock.run_id = $run_id, lock.host = $host, lock.pid = $pid, lock.since = $now,
  lock.lease_until = $lease_until
RETURN lock.run_id AS run_id
