// Creates the :NationalId nodes not yet in the graph, keyed by NationalId.hash; existing ones keep their values.
// Ingest runs this before linking records to them, in the same transaction.
// Parameters: $values (list of maps, each with hash and the node's other properties),
//   $now (datetime of this run). Example: :param values => [{hash: '9f86d081'}]
// Generated from c360graph/graph/schema.py and cypher/templates/ingest/merge_identifier.cypher.tmpl
// by `make cypher`; do not edit.
UNWIND $values AS v
MERGE (n:NationalId {hash: v.hash})
ON CREATE SET n += v, n.first_seen = $now
