// The identifiers tying each given fraud ring together (EVIDENCE links written by
// `c360 analyze fraud`), one row each, with how many of the ring's identities use it.
// Parameters: $ids (list of fraud ring ids).
UNWIND $ids AS id
MATCH (:FraudRing {id: id})-[e:EVIDENCE]->(x)
RETURN id, labels(x)[0] AS label, x {.*} AS identifier, e.identities AS identities
