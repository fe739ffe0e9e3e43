// Creates the secondary indexes used by look-ups and analyses. Idempotent (IF NOT EXISTS).
// Run by `c360 db migrate`, after schema/constraints.
// Parameters: none.
CREATE INDEX order_ordered_at IF NOT EXISTS FOR (n:Order) ON (n.ordered_at);
CREATE INDEX interaction_occurred_at IF NOT EXISTS FOR (n:Interaction) ON (n.occurred_at);
