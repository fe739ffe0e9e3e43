// The fraud ring (written by `c360 analyze fraud`) each given identity belongs to, with the
// ids of all its member identities.
// Parameters: $ids (list of current identity ids).
UNWIND $ids AS id
MATCH (:Identity {id: id})-[:IN_RING]->(f:FraudRing)
RETURN id, f {.*} AS ring, [(f)<-[:IN_RING]-(member:Identity) | member.id] AS members
