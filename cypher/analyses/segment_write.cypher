// Writes the segment properties of active identities (a null value removes the property).
// Parameters: $rows (list of {id, props}: props holds segment, rfm, the scores, bands,
//   order_count, total_spend, average_order_value, first_order_at, last_order_at, the values,
//   value_currency, churn_risk, churn_band, preferred_channel, segments_at, segments_as_of).
// Browser: :param rows => [{id: 'id_01m8376rxkr3m0fk73th', props: {segment: 'champions'}}]
UNWIND $rows AS r
MATCH (i:Identity {id: r.id})
WHERE i.status = 'active'
SET i += r.props
