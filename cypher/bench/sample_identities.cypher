// Benchmark set-up: the ids of active identities that hold records; bench/api.py counts them
// and draws its random sample of ids from them in Python.
// Parameters: none.
MATCH (i:Identity)
WHERE i.status = 'active' AND i.record_count > 0
RETURN i.id AS id
