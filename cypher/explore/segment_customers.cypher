// The identities of one segment, most valuable first, with their RFM scores, bands, value,
// churn risk and preferred channel.
// Parameters: $segment (e.g. champions, loyal, at_risk, cannot_lose, lost, no_orders; see
//   c360graph/analyze/analyses.yaml), $limit.
// :param segment => 'champions'
// :param limit => 50
MATCH (i:Identity)
WHERE i.status = 'active' AND i.segment = $segment
RETURN i.id AS identity, i.full_name AS full_name, i.email AS email, i.rfm AS rfm,
  i.recency_score AS recency_score, i.frequency_score AS frequency_score,
  i.monetary_score AS monetary_score, i.frequency_band AS frequency_band,
  i.value_band AS value_band, i.loyalty_band AS loyalty_band, i.order_count AS order_count,
  i.total_spend AS total_spend, i.lifetime_value AS lifetime_value,
  i.churn_risk AS churn_risk, i.last_order_at AS last_order_at,
  i.preferred_channel AS preferred_channel
ORDER BY lifetime_value DESC, identity
LIMIT $limit
