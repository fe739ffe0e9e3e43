// Lists every identity's current household, so a new householding run can keep household ids.
// Parameters: none.
MATCH (i:Identity)-[:IN_HOUSEHOLD]->(h:Household)
RETURN i.id AS identity, h.id AS household
