// Active identities with their golden record, record count and sources, segment, household
// and fraud ring: the rows of Client.identities().
// Parameters: $min_records (fewest source records an identity must have to be listed).
// :param min_records => 1
MATCH (i:Identity)
WHERE i.status = 'active' AND coalesce(i.record_count, 0) >= $min_records
RETURN i.id AS identity_id, i.full_name AS full_name, i.email AS email, i.phone AS phone,
  i.date_of_birth AS date_of_birth, i.country AS country, i.record_count AS record_count,
  i.sources AS sources, i.segment AS segment,
  [(i)-[:IN_HOUSEHOLD]->(h:Household) | h.id][0] AS household_id,
  [(i)-[:IN_RING]->(f:FraudRing) | f.id][0] AS ring_id
ORDER BY identity_id
