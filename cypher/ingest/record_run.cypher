// Records one ingest run for audit: file, source, kind and its counts, linked to its
// :Source. Records written by the run carry its run_id.
// Parameters: $run_id (uuid of the run), $source (source name), $props (map: kind, file,
//   at, read, created, updated, unchanged, rejected, with_issues).
MATCH (s:Source {name: $source})
CREATE (r:IngestRun {run_id: $run_id})-[:OF_SOURCE]->(s)
SET r += $props
