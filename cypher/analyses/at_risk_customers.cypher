// One page of active identities whose churn risk is at least $min_risk, most valuable first:
// ordered by lifetime value (descending) then id, after a keyset cursor, for the GraphQL
// `atRiskCustomers(minRisk, first, after)` query.
// Parameters: $min_risk (0..1), $after_value, $after_id (the cursor: lifetime_value and id of
//   the last identity seen, or nulls for the first page), $limit (page size plus one, to see
//   whether a next page exists).
// Browser: :param min_risk => 0.8
// Browser: :param after_value => null
// Browser: :param after_id => null
// Browser: :param limit => 26
MATCH (i:Identity)
WHERE i.status = 'active' AND i.churn_risk >= $min_risk
  AND ($after_id IS NULL OR i.lifetime_value < $after_value
       OR (i.lifetime_value = $after_value AND i.id > $after_id))
RETURN i.id AS id, i.segment AS segment, i.rfm AS rfm,
  i.churn_risk AS churn_risk, i.churn_band AS churn_band, i.lifetime_value AS lifetime_value,
  i.historic_value AS historic_value, i.expected_value AS expected_value,
  i.value_currency AS value_currency, i.last_order_at AS last_order_at,
  i.order_count AS order_count, i.preferred_channel AS preferred_channel
ORDER BY i.lifetime_value DESC, i.id
LIMIT $limit
