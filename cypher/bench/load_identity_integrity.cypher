// Integrity after the load test (bench/load.py): active identities, how many of them hold no
// record, and how many have a stored record_count that differs from their records (both
// must be 0); and the orders and interactions in the graph, to compare with the ingest runs.
// Parameters: none.
OPTIONAL MATCH (i:Identity)
WHERE i.status = 'active'
WITH i, COUNT { (i)<-[:RESOLVES_TO]-(:Customer) } AS records
WITH count(i) AS identities,
  sum(CASE WHEN i IS NOT NULL AND records = 0 THEN 1 ELSE 0 END) AS empty,
  sum(CASE WHEN i IS NOT NULL AND records <> i.record_count THEN 1 ELSE 0 END) AS miscounted
RETURN identities, empty, miscounted,
  COUNT { (:Order) } AS orders,
  COUNT { (:Interaction) } AS interactions
