// The marketing consent events of identities: every :Consent of their records, with the
// record it was recorded for (c360graph.analyze.consent decides the current one per channel).
// Parameters: $ids (list of current identity ids).
// Browser: :param ids => ['id_01m8376rxkr3m0fk73th']
UNWIND $ids AS id
MATCH (:Identity {id: id})<-[:RESOLVES_TO]-(c:Customer)-[:GAVE_CONSENT]->(k:Consent)
RETURN id, k.key AS key, k.channel AS channel, k.status AS status,
  k.recorded_at AS recorded_at, k.source AS source, k.detail AS detail, c.key AS record
