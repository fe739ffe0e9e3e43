// Returns who holds the resolution lock (no row when it is free).
// Parameters: none.
MATCH (lock:ResolutionLock {name: 'resolution'})
RETURN lock.run_id AS run_id, lock.host AS host, lock.pid AS pid, lock.since AS since,
  lock.lease_until AS lease_until
