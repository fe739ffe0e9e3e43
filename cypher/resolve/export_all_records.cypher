// Exports every source record with its identifiers, for a resolution run (streamed), with
// its current identity (null when unresolved) and whether it changed since it was resolved
// (its content hash differs from the one the last resolution stamped). The date of birth and
// the time come as ISO text: turning them into the driver's temporal types took a fifth of
// the export's time.
// Parameters: none.
// Generated from c360graph/graph/schema.py and cypher/templates/resolve/export_all_records.cypher.tmpl
// by `make cypher`; do not edit.
MATCH (c:Customer)
RETURN c.key AS key, c.source AS source, c.first_name AS first_name, c.last_name AS last_name,
  c.full_name AS full_name, c.first_name_key AS first_name_key, c.last_name_key AS last_name_key,
  toString(c.date_of_birth) AS date_of_birth, c.gender AS gender, c.address_line1 AS address_line1,
  c.address_line2 AS address_line2, c.city AS city, c.postcode AS postcode, c.region AS region,
  c.country AS country, toString(coalesce(c.updated_at, c.ingested_at)) AS updated_at,
  coalesce(c.stub, false) AS stub,
  head([(c)-[:RESOLVES_TO]->(i:Identity) | i.id]) AS identity,
  c.resolved_hash IS NULL OR c.resolved_hash <> coalesce(c.row_hash, 'stub') AS dirty,
  [(c)-[:HAS_EMAIL]->(n) | n.address] AS emails,
  [(c)-[:HAS_PHONE]->(n) | n.e164] AS phones,
  [(c)-[:USES]->(n) | n.device_id] AS devices,
  [(c)-[:HAS_LOYALTY_ID]->(n) | n.value] AS loyalty_ids,
  [(c)-[:HAS_NATIONAL_ID]->(n) | n.hash] AS national_ids
