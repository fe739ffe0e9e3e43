// Takes the resolution lock if it is free, and returns the run holding it: this run when
// taken, another when busy. The uniqueness constraint on the name makes it atomic.
// Parameters: $run_id, $host, $pid, $now, $lease_until.
MERGE (lock:ResolutionLock {name: 'resolution'})
ON CREATE SET lock.run_id = $run_id, lock.host = $host, lock.pid = $pid, lock.since = $now,
  lock.lease_until = $lease_until
RETURN lock.run_id AS run_id
