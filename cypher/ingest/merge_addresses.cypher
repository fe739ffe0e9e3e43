// Creates the :Address nodes not yet in the graph, keyed by Address.key; existing ones keep their values.
// Ingest runs this before linking records to them, in the same transaction.
// Parameters: $values (list of maps, each with key and the node's other properties),
//   $now (datetime of this run). Example: :param values => [{key: '12 ly thuong kiet||ha noi|vn'}]
// Generated from c360graph/graph/schema.py and cypher/templates/ingest/merge_identifier.cypher.tmpl
// by `make cypher`; do not edit.
UNWIND $values AS v
MERGE (n:Address {key: v.key})
ON CREATE SET n += v, n.first_seen = $now
