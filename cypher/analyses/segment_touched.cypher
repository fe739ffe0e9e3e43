// The identities a segments refresh must rescore since its last run: rewritten by resolution
// (merged, split, new records, erased) or with an order or interaction ingested since. Each
// comes with its status: active ones are rescored, the others lose their segment properties.
// The times are compared inside coalesce() so that no DateTime index serves the range: on
// ArcadeDB such a scan can return deleted nodes (docs/graph-engines.md).
// Parameters: $since (DateTime: when the last segments run started).
// Browser: :param since => datetime('2026-01-01T00:00:00Z')
MATCH (i:Identity)
WHERE coalesce(i.updated_at, $since) > $since
RETURN i.id AS id, i.status AS status
UNION
MATCH (o:Order)
WHERE coalesce(o.ingested_at, $since) > $since
MATCH (o)<-[:PLACED]-(:Customer)-[:RESOLVES_TO]->(i:Identity)
RETURN i.id AS id, i.status AS status
UNION
MATCH (x:Interaction)
WHERE coalesce(x.ingested_at, $since) > $since
MATCH (x)<-[:HAD]-(:Customer)-[:RESOLVES_TO]->(i:Identity)
RETURN i.id AS id, i.status AS status
