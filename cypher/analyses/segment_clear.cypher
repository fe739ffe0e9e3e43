// Removes the segment properties of identities that are no longer active (merged, retired,
// erased): their records now count towards another identity, or nowhere.
// Parameters: $ids (list of identity ids).
// Browser: :param ids => ['id_01m8376rxkr3m0fk73th']
UNWIND $ids AS id
MATCH (i:Identity {id: id})
WHERE i.status <> 'active'
REMOVE i.segment, i.rfm, i.recency_score, i.frequency_score, i.monetary_score,
  i.frequency_band, i.value_band, i.loyalty_band, i.order_count, i.total_spend,
  i.average_order_value, i.first_order_at, i.last_order_at, i.historic_value,
  i.expected_value, i.lifetime_value, i.value_currency, i.churn_risk, i.churn_band,
  i.preferred_channel, i.segments_at, i.segments_as_of
