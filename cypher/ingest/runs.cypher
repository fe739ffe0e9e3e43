// One page of ingest runs, newest first, of one source or of all: the ingest history
// (`c360 ingest history`, the GraphQL `ingestRuns`). Order (and keyset): start time
// descending, then run id descending.
// Parameters: $source (source name, or null for all), $after_at, $after_id (start time and
//   run id of the last run seen, or nulls for the first page), $limit (page size plus one,
//   to see whether more follow).
// Browser: :param source => null
// Browser: :param after_at => null
// Browser: :param after_id => null
// Browser: :param limit => 21
MATCH (r:IngestRun)-[:OF_SOURCE]->(s:Source)
WHERE ($source IS NULL OR s.name = $source)
  AND ($after_id IS NULL OR r.at < $after_at OR (r.at = $after_at AND r.run_id < $after_id))
RETURN r {.*} AS run, s.name AS source
ORDER BY r.at DESC, r.run_id DESC
LIMIT $limit
