// Valuable customers likely to leave: active identities whose churn risk is at least
// $min_risk and lifetime value at least $min_value (reporting currency), most valuable first,
// with how to reach them. Written by `c360 analyze segments`.
// Parameters: $min_risk (0..1), $min_value (lifetime value), $limit.
// :param min_risk => 0.6
// :param min_value => 100.0
// :param limit => 50
MATCH (i:Identity)
WHERE i.status = 'active' AND i.churn_risk >= $min_risk AND i.lifetime_value >= $min_value
RETURN i.id AS identity, i.full_name AS full_name, i.email AS email, i.segment AS segment,
  i.churn_risk AS churn_risk, i.churn_band AS churn_band, i.lifetime_value AS lifetime_value,
  i.historic_value AS historic_value, i.value_currency AS currency,
  i.order_count AS order_count, i.last_order_at AS last_order_at,
  i.preferred_channel AS preferred_channel
ORDER BY lifetime_value DESC, identity
LIMIT $limit
