// One page of a campaign's candidates: active identities (of one segment, or all), by id after
// a keyset cursor, each with its golden contact values and its consent events on one channel
// (c360graph.analyze.consent decides who may be contacted).
// Parameters: $segment (segment name, or null for every active identity), $channel (consent
//   channel, e.g. 'email'), $after_id (the last id of the previous page, or null), $limit.
// Browser: :param segment => 'champions'
// Browser: :param channel => 'email'
// Browser: :param after_id => null
// Browser: :param limit => 500
MATCH (i:Identity)
WHERE i.status = 'active' AND ($segment IS NULL OR i.segment = $segment)
  AND ($after_id IS NULL OR i.id > $after_id)
WITH i ORDER BY i.id LIMIT $limit
OPTIONAL MATCH (i)<-[:RESOLVES_TO]-(c:Customer)-[:GAVE_CONSENT]->(k:Consent)
WHERE k.channel = $channel
WITH i, collect(CASE WHEN k IS NOT NULL THEN {key: k.key, channel: k.channel,
  status: k.status, recorded_at: k.recorded_at, source: k.source, detail: k.detail,
  record: c.key} END) AS events
RETURN i.id AS id, i.segment AS segment, i.full_name AS full_name, i.email AS email,
  i.phone AS phone, i.address_line1 AS address_line1, i.address_city AS city,
  i.address_postcode AS postcode, events
ORDER BY id
