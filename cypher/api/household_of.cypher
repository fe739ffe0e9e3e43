// The household of identities (written by `c360 analyze households`) and its members.
// Parameters: $ids (list of current identity ids).
UNWIND $ids AS id
MATCH (:Identity {id: id})-[:IN_HOUSEHOLD]->(h:Household)
MATCH (h)<-[:IN_HOUSEHOLD]-(member:Identity)
WITH id, h, member ORDER BY member.id
RETURN id, h {.*} AS household, collect(member.id) AS members
