// The service context of groups of records (an identity's records, or one record): their
// open tickets, newest first, and their last contact, the interaction of a contact type last
// opened or updated (a ticket's updated_at, else its occurred_at).
// Parameters: $groups (list of {id, keys}), $open_statuses (ticket statuses that are open
//   work), $contact_types (interaction types that are a contact with the customer),
//   $limit (open tickets kept per group).
UNWIND $groups AS g
CALL (g) {
  UNWIND g.keys AS key
  MATCH (:Customer {key: key})-[:HAD]->(x:Interaction)
  WHERE x.type = 'ticket' AND x.status IN $open_statuses
  OPTIONAL MATCH (x)-[:VIA]->(ch:Channel)
  WITH x, ch ORDER BY x.occurred_at DESC, x.key DESC
  RETURN collect(x {.key, .interaction_id, .source, .type, .occurred_at, .subject, .text,
    .rating, .status, .updated_at, channel: ch.name})[..$limit] AS open_tickets
}
CALL (g) {
  UNWIND g.keys AS key
  MATCH (:Customer {key: key})-[:HAD]->(x:Interaction)
  WHERE x.type IN $contact_types AND coalesce(x.updated_at, x.occurred_at) IS NOT NULL
  OPTIONAL MATCH (x)-[:VIA]->(ch:Channel)
  WITH x, ch, coalesce(x.updated_at, x.occurred_at) AS at
  ORDER BY at DESC, x.key DESC
  LIMIT 1
  RETURN collect(x {.key, .interaction_id, .source, .type, .occurred_at, .subject, .text,
    .rating, .status, .updated_at, channel: ch.name}) AS last_contact
}
RETURN g.id AS id, open_tickets, last_contact
