// Takes the resolution lock: one run at a time. Creating the node fails on its uniqueness
// constraint (ConstraintError) while another run holds it.
// Parameters: $run_id, $host, $pid, $now, $lease_until.
CREATE (:ResolutionLock {name: 'resolution', run_id: $run_id, host: $host, pid: $pid,
  since: $now, lease_until: $lease_until})
