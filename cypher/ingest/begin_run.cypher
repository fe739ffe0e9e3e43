// Records the start of one ingest run for the ingest history, linked to its :Source: kind,
// file, the file's SHA-256 and the start time. ingest/finish_run adds what the run did; a
// run without finished_at is still running, or was interrupted. Records written by the run
// carry its run_id; ingest/problems_* link it to the records it kept with field problems.
// Parameters: $run_id (uuid of the run), $source (source name), $props (map: kind, file,
//   file_sha256, at: the start).
MATCH (s:Source {name: $source})
CREATE (r:IngestRun {run_id: $run_id})-[:OF_SOURCE]->(s)
SET r += $props
