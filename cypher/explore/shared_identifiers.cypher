// Identifiers used by the records of several identities, or marked shared by resolution
// (placeholders, shop phones, kiosk devices: never evidence for a link), most widely used
// first, with a few of the names behind them. Scans every identifier link: seconds on a
// million records. Draw one with explore/identifier_users.
// Parameters: $min_identities (identities using an identifier before it is listed), $limit.
// :param min_identities => 3
// :param limit => 50
// Generated from c360graph/graph/schema.py and cypher/templates/explore/shared_identifiers.cypher.tmpl
// by `make cypher`; do not edit.
MATCH (x)<-[:HAS_EMAIL|HAS_PHONE|USES|LIVES_AT|HAS_LOYALTY_ID|HAS_NATIONAL_ID]-(c:Customer)
OPTIONAL MATCH (c)-[:RESOLVES_TO]->(i:Identity)
WITH x, count(DISTINCT c) AS records, count(DISTINCT i) AS identities,
  collect(DISTINCT c.full_name) AS names
WHERE identities >= $min_identities OR x.shared = true
RETURN labels(x)[0] AS kind, coalesce(x.address, x.e164, x.device_id, x.key, x.value, x.hash)
  AS value, coalesce(x.shared, false) AS shared, coalesce(x.placeholder, false) AS placeholder,
  records, identities, names[..5] AS some_names
ORDER BY identities DESC, records DESC, value
LIMIT $limit
