// The marketing consent events of the identity a record belongs to (or of the record alone
// when it is not resolved yet), with the record each was recorded for.
// Parameters: $key (a record key, 'source:source_id').
// Browser: :param key => 'crm:KH001'
MATCH (r:Customer {key: $key})
OPTIONAL MATCH (r)-[:RESOLVES_TO]->(i:Identity)
OPTIONAL MATCH (i)<-[:RESOLVES_TO]-(other:Customer)
WITH r, i, CASE WHEN i IS NULL THEN [r] ELSE collect(DISTINCT other) END AS records
UNWIND records AS c
MATCH (c)-[:GAVE_CONSENT]->(k:Consent)
RETURN i.id AS identity, k.key AS key, k.channel AS channel, k.status AS status,
  k.recorded_at AS recorded_at, k.source AS source, k.detail AS detail, c.key AS record
