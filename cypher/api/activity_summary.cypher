// Per group of records: orders and interactions counted by channel, and order spend by
// currency, for the channels-used and metrics fields.
// Parameters: $groups (list of {id, keys}).
UNWIND $groups AS g
UNWIND g.keys AS key
MATCH (:Customer {key: key})-[:PLACED|HAD]->(a)
OPTIONAL MATCH (a)-[:VIA]->(ch:Channel)
WITH g.id AS id, a, ch.name AS channel,
  CASE WHEN a:Order THEN 'order' ELSE 'interaction' END AS kind
RETURN id, kind, channel, a.currency AS currency, count(a) AS n,
  sum(a.amount) AS total, min(coalesce(a.ordered_at, a.occurred_at)) AS first_at,
  max(coalesce(a.ordered_at, a.occurred_at)) AS last_at
