// Benchmark baseline: the server's raw write rate, one plain node per row, no MERGE.
// bench/ingest.py compares ingest speed with this, measured in the same run.
// Parameters: $rows (list of {key, value}).
UNWIND $rows AS r
CREATE (:BenchRaw {key: r.key, value: r.value})
