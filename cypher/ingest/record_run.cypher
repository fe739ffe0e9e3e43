// Records one ingest run for audit: file, source, kind and its counts.
// Parameters: $run_id (uuid of the run), $props (map: source, kind, file, started_at,
//   finished_at, read, created, updated, unchanged, rejected).
CREATE (r:IngestRun {run_id: $run_id})
SET r += $props
