// The identifiers tying the members of one fraud ring together, or of all rings when $ring
// is null, with how many member identities use each: the rows of Client.ring_evidence().
// Parameters: $ring (fraud ring id, or null for every ring).
// :param ring => null
// Generated from c360graph/graph/schema.py and cypher/templates/client/ring_evidence.cypher.tmpl
// by `make cypher`; do not edit.
MATCH (f:FraudRing)-[e:EVIDENCE]->(x)
WHERE $ring IS NULL OR f.id = $ring
RETURN f.id AS ring_id, labels(x)[0] AS kind,
  coalesce(x.address, x.e164, x.device_id, x.key, x.value, x.hash) AS value,
  e.identities AS identities, coalesce(x.shared, false) AS shared
ORDER BY ring_id, identities DESC, kind, value
