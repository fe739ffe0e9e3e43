// One ingest run by id, with its source's name (`c360 ingest history --run`, the GraphQL
// `ingestRun`).
// Parameters: $run_id (the run's id).
MATCH (r:IngestRun {run_id: $run_id})-[:OF_SOURCE]->(s:Source)
RETURN r {.*} AS run, s.name AS source
