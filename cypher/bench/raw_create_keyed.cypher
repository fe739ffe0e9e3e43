// Benchmark baseline: raw write rate of keyed nodes (a uniqueness constraint on key, as every
// ingested record has), one node per row, no MERGE. Needs bench/keyed_constraint first.
// Parameters: $rows (list of {key, value}).
UNWIND $rows AS r
CREATE (:BenchKeyed {key: r.key, value: r.value})
