// Creates the secondary indexes used by look-ups and analyses. Idempotent (IF NOT EXISTS).
// Run by `c360 db migrate`, after schema/constraints.
// Parameters: none.
CREATE INDEX order_ordered_at IF NOT EXISTS FOR (n:Order) ON (n.ordered_at);
CREATE INDEX interaction_occurred_at IF NOT EXISTS FOR (n:Interaction) ON (n.occurred_at);
CREATE INDEX customer_last_name_key IF NOT EXISTS FOR (n:Customer) ON (n.last_name_key);
CREATE INDEX customer_first_name_key IF NOT EXISTS FOR (n:Customer) ON (n.first_name_key);
CREATE INDEX identity_event_identity IF NOT EXISTS FOR (n:IdentityEvent) ON (n.identity);
CREATE INDEX identity_event_seq IF NOT EXISTS FOR (n:IdentityEvent) ON (n.seq);
CREATE INDEX identity_segment IF NOT EXISTS FOR (n:Identity) ON (n.segment);
CREATE INDEX identity_churn_risk IF NOT EXISTS FOR (n:Identity) ON (n.churn_risk);
