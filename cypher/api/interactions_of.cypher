// One page of interactions per group of records (an identity's records, or one record),
// newest first, after a keyset cursor.
// Parameters: $groups (list of {id, keys}), $channel, $type (null for any), $since, $until
//   (DateTime or null), $after_at, $after_key (the cursor, or nulls), $limit (page size + 1).
UNWIND $groups AS g
UNWIND g.keys AS key
MATCH (:Customer {key: key})-[:HAD]->(x:Interaction)
OPTIONAL MATCH (x)-[:VIA]->(ch:Channel)
WITH g, x, ch
WHERE ($channel IS NULL OR ch.name = $channel)
  AND ($type IS NULL OR x.type = $type)
  AND ($since IS NULL OR x.occurred_at >= $since)
  AND ($until IS NULL OR x.occurred_at < $until)
  AND ($after_at IS NULL OR x.occurred_at < $after_at
       OR (x.occurred_at = $after_at AND x.key < $after_key))
WITH g.id AS id, x, ch
ORDER BY x.occurred_at DESC, x.key DESC
WITH id, collect(x {.key, .interaction_id, .source, .type, .occurred_at, .subject, .text,
    .rating, .status, .updated_at, channel: ch.name}) AS interactions
RETURN id, interactions[..$limit] AS items
