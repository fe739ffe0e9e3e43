// Every household of the last householding run, one row each, with its member identities in
// id order: the rows of Client.households().
// Parameters: none.
MATCH (h:Household)<-[:IN_HOUSEHOLD]-(i:Identity)
WITH h, i
ORDER BY i.id
WITH h, collect(i.id) AS member_ids, collect(i.full_name) AS member_names
RETURN h.id AS household_id, h.size AS size, h.confidence AS confidence, h.reason AS reason,
  h.evidence AS evidence, member_ids, member_names
ORDER BY household_id
