// Integrity after the load test (bench/load.py): what every ingest run (CLI and API) says it
// read, created and rejected, summed per kind, to compare with the nodes in the graph.
// Parameters: none.
MATCH (r:IngestRun)
RETURN r.kind AS kind, sum(r.read) AS read, sum(r.created) AS created,
  sum(r.updated) AS updated, sum(r.rejected) AS rejected, count(r) AS runs
