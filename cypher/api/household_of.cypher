// The household of identities (written by `c360 analyze households`) and its members, each
// with its own confidence and reason (from its IN_HOUSEHOLD link; null if not recorded).
// Parameters: $ids (list of current identity ids).
UNWIND $ids AS id
MATCH (:Identity {id: id})-[:IN_HOUSEHOLD]->(h:Household)
MATCH (h)<-[r:IN_HOUSEHOLD]-(member:Identity)
WITH id, h, member, r ORDER BY member.id
RETURN id, h {.*} AS household, collect(member.id) AS members,
  collect({id: member.id, confidence: r.confidence, reason: r.reason}) AS memberships
