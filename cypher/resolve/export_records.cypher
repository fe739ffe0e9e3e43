// Exports the given source records with their identifiers (explain, incremental runs), as
// resolve/export_all_records (dates and times as ISO text).
// Parameters: $keys (list of record keys). Example: :param keys => ['crm:C000001']
// Generated from c360graph/graph/schema.py and cypher/templates/resolve/export_records.cypher.tmpl
// by `make cypher`; do not edit.
UNWIND $keys AS key
MATCH (c:Customer {key: key})
RETURN c.key AS key, c.source AS source, c.first_name AS first_name, c.last_name AS last_name,
  c.full_name AS full_name, c.first_name_key AS first_name_key, c.last_name_key AS last_name_key,
  toString(c.date_of_birth) AS date_of_birth, c.gender AS gender, c.address_line1 AS address_line1,
  c.address_line2 AS address_line2, c.city AS city, c.postcode AS postcode, c.region AS region,
  c.country AS country, toString(coalesce(c.updated_at, c.ingested_at)) AS updated_at,
  coalesce(c.stub, false) AS stub,
  [(c)-[:HAS_EMAIL]->(n) | n.address] AS emails,
  [(c)-[:HAS_PHONE]->(n) | n.e164] AS phones,
  [(c)-[:USES]->(n) | n.device_id] AS devices,
  [(c)-[:HAS_LOYALTY_ID]->(n) | n.value] AS loyalty_ids,
  [(c)-[:HAS_NATIONAL_ID]->(n) | n.hash] AS national_ids
