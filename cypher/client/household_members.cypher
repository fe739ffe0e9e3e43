// Every household membership, one row per member identity with its own confidence and
// reason: the rows of Client.household_members().
// Parameters: none.
MATCH (h:Household)<-[m:IN_HOUSEHOLD]-(i:Identity)
RETURN h.id AS household_id, i.id AS identity_id, i.full_name AS full_name,
  m.confidence AS confidence, m.reason AS reason
ORDER BY household_id, identity_id
