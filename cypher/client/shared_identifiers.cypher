// Identifiers used by the records of at least $min_identities identities, or marked shared by
// resolution, with their record and identity counts: the rows of
// Client.shared_identifiers(). Scans every identifier link.
// Parameters: $min_identities (identities using an identifier before it is listed).
// :param min_identities => 2
// Generated from c360graph/graph/schema.py and cypher/templates/client/shared_identifiers.cypher.tmpl
// by `make cypher`; do not edit.
MATCH (x)<-[:HAS_EMAIL|HAS_PHONE|USES|LIVES_AT|HAS_LOYALTY_ID|HAS_NATIONAL_ID]-(c:Customer)
OPTIONAL MATCH (c)-[:RESOLVES_TO]->(i:Identity)
WITH x, count(DISTINCT c) AS records, count(DISTINCT i) AS identities
WHERE identities >= $min_identities OR x.shared = true
RETURN labels(x)[0] AS kind, coalesce(x.address, x.e164, x.device_id, x.key, x.value, x.hash)
  AS value, coalesce(x.shared, false) AS shared, coalesce(x.placeholder, false) AS placeholder,
  records, identities
ORDER BY identities DESC, records DESC, kind, value
