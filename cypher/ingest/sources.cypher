// Every source system with how many ingest runs it had and its newest run: the overview of
// the ingest history (the GraphQL `ingestSources`).
// Parameters: none.
MATCH (s:Source)
OPTIONAL MATCH (r:IngestRun)-[:OF_SOURCE]->(s)
WITH s, r ORDER BY r.at DESC, r.run_id DESC
WITH s, count(r) AS runs, collect(r) AS newest_first
WITH s, runs, newest_first[0] AS last
RETURN s.name AS source, s.first_seen AS first_seen, runs, last {.*} AS last
ORDER BY source
