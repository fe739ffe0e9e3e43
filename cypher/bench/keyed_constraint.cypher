// Benchmark set-up: the uniqueness constraint of the keyed raw-create baseline.
// Parameters: none.
CREATE CONSTRAINT bench_keyed_key IF NOT EXISTS FOR (n:BenchKeyed) REQUIRE n.key IS UNIQUE
