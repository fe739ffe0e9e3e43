// The segments of `c360 analyze segments` side by side: identities (and their share of all
// scored ones), orders, spend, mean RFM scores, lifetime value and churn risk, most valuable
// segment first.
// Parameters: none.
MATCH (i:Identity)
WHERE i.status = 'active' AND i.segment IS NOT NULL
WITH count(i) AS scored
MATCH (i:Identity)
WHERE i.status = 'active' AND i.segment IS NOT NULL
WITH scored, i.segment AS segment, i.value_currency AS currency, count(i) AS identities,
  sum(i.order_count) AS orders, sum(i.total_spend) AS total_spend,
  avg(i.recency_score) AS recency, avg(i.frequency_score) AS frequency,
  avg(i.monetary_score) AS monetary, sum(i.lifetime_value) AS lifetime_value,
  avg(i.lifetime_value) AS average_lifetime_value, avg(i.churn_risk) AS average_churn_risk
RETURN segment, identities, round(100.0 * identities / scored, 1) AS percent, orders,
  total_spend, round(recency, 2) AS recency, round(frequency, 2) AS frequency,
  round(monetary, 2) AS monetary, lifetime_value, average_lifetime_value, average_churn_risk,
  currency
ORDER BY lifetime_value DESC, segment
