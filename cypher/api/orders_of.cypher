// One page of orders per group of records (an identity's records, or one record), newest
// first, after a keyset cursor.
// Parameters: $groups (list of {id, keys}: an owner id and its record keys), $channel,
//   $status (null for any), $since, $until (DateTime or null), $after_at, $after_key (the
//   cursor: the last order seen, or nulls), $limit (page size plus one, to see a next page).
UNWIND $groups AS g
UNWIND g.keys AS key
MATCH (:Customer {key: key})-[:PLACED]->(o:Order)
OPTIONAL MATCH (o)-[:VIA]->(ch:Channel)
WITH g, o, ch
WHERE ($channel IS NULL OR ch.name = $channel)
  AND ($status IS NULL OR o.status = $status)
  AND ($since IS NULL OR o.ordered_at >= $since)
  AND ($until IS NULL OR o.ordered_at < $until)
  AND ($after_at IS NULL OR o.ordered_at < $after_at
       OR (o.ordered_at = $after_at AND o.key < $after_key))
WITH g.id AS id, o, ch
ORDER BY o.ordered_at DESC, o.key DESC
WITH id, collect(o {.key, .order_id, .source, .amount, .currency, .ordered_at, .status,
    channel: ch.name}) AS orders
RETURN id, orders[..$limit] AS items
