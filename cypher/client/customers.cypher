// Active identities with every segment property, filtered by segment, least churn risk and
// least lifetime value (each null for no filter), most valuable first: the rows of
// Client.customers() and Client.at_risk().
// Parameters: $segment (segment name or null), $min_risk (0..1 or null), $min_value
//   (lifetime value in the reporting currency, or null).
// :param segment => 'champions'
// :param min_risk => null
// :param min_value => null
MATCH (i:Identity)
WHERE i.status = 'active' AND i.segment IS NOT NULL
  AND ($segment IS NULL OR i.segment = $segment)
  AND ($min_risk IS NULL OR i.churn_risk >= $min_risk)
  AND ($min_value IS NULL OR i.lifetime_value >= $min_value)
RETURN i.id AS identity_id, i.full_name AS full_name, i.email AS email,
  i.segment AS segment, i.rfm AS rfm, i.recency_score AS recency_score,
  i.frequency_score AS frequency_score, i.monetary_score AS monetary_score,
  i.frequency_band AS frequency_band, i.value_band AS value_band,
  i.loyalty_band AS loyalty_band, i.order_count AS order_count, i.total_spend AS total_spend,
  i.average_order_value AS average_order_value, i.first_order_at AS first_order_at,
  i.last_order_at AS last_order_at, i.historic_value AS historic_value,
  i.expected_value AS expected_value, i.lifetime_value AS lifetime_value,
  i.value_currency AS value_currency, i.churn_risk AS churn_risk, i.churn_band AS churn_band,
  i.preferred_channel AS preferred_channel, i.segments_at AS segments_at,
  i.segments_as_of AS segments_as_of
ORDER BY lifetime_value DESC, identity_id
