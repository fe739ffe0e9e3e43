// Counts and value per segment over the active identities, for the GraphQL `segments` query:
// identities, total spend, lifetime value (sum and mean), mean churn risk and the reporting
// currency, biggest lifetime value first. Identities not scored yet are left out.
// Parameters: none.
MATCH (i:Identity)
WHERE i.status = 'active' AND i.segment IS NOT NULL
WITH i.segment AS segment, i.value_currency AS currency, count(i) AS identities,
  sum(i.total_spend) AS total_spend, sum(i.lifetime_value) AS lifetime_value,
  avg(i.lifetime_value) AS average_lifetime_value, avg(i.churn_risk) AS average_churn_risk,
  sum(i.order_count) AS orders
RETURN segment, currency, identities, orders, total_spend, lifetime_value,
  average_lifetime_value, average_churn_risk
ORDER BY lifetime_value DESC, segment
