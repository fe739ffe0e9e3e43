// The newest order and the newest interaction time not after $now: the default as_of of a
// segments refresh (a stale extract must not make everyone look churned; future-dated rows
// are ignored). No WHERE on the times: on ArcadeDB a DateTime index range scan can return
// deleted nodes (docs/graph-engines.md).
// Parameters: $now (DateTime: the wall clock).
// Browser: :param now => datetime()
OPTIONAL MATCH (o:Order)
WITH max(CASE WHEN o.ordered_at <= $now THEN o.ordered_at END) AS newest_order
OPTIONAL MATCH (x:Interaction)
RETURN newest_order,
  max(CASE WHEN x.occurred_at <= $now THEN x.occurred_at END) AS newest_interaction
