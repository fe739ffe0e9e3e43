// The active identities with the most source records: where over-merging shows first (many
// distinct names on one identity is a sign). Open one with explore/identity_neighbourhood.
// Parameters: $limit (how many identities).
// :param limit => 25
MATCH (i:Identity)
WHERE i.status = 'active'
WITH i
ORDER BY i.record_count DESC, i.id
LIMIT $limit
MATCH (i)<-[:RESOLVES_TO]-(c:Customer)
WITH i, count(c) AS records, collect(DISTINCT c.source) AS sources,
  collect(DISTINCT c.full_name) AS names
RETURN i.id AS identity, i.full_name AS full_name, records, size(sources) AS source_count,
  sources, size(names) AS distinct_names, names
ORDER BY records DESC, identity
