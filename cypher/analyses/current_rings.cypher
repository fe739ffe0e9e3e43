// Lists every identity's current fraud ring, so a new fraud run can keep ring ids.
// Parameters: none.
MATCH (i:Identity)-[:IN_RING]->(r:FraudRing)
RETURN i.id AS identity, r.id AS ring
