// Records the end of an ingest run: its finish time and counts (read = created + updated +
// unchanged + rejected), rejected rows by reason and kept records by field problem, each
// breakdown as parallel lists (a property cannot hold a map; c360graph/graph/runs.py).
// Parameters: $run_id (uuid of the run), $props (map: finished_at, read, created, updated,
//   unchanged, rejected, with_issues, suppressed, reject_reasons, reject_counts,
//   problem_fields, problem_names, problem_counts).
MATCH (r:IngestRun {run_id: $run_id})
SET r += $props
