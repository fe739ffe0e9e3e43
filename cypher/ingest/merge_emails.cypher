// Creates the :Email nodes not yet in the graph, keyed by Email.address; existing ones keep their values.
// Ingest runs this before linking records to them, in the same transaction.
// Parameters: $values (list of maps, each with address and the node's other properties),
//   $now (datetime of this run). Example: :param values => [{address: 'lan.nguyen@example.vn'}]
// Generated from c360graph/graph/schema.py and cypher/templates/ingest/merge_identifier.cypher.tmpl
// by `make cypher`; do not edit.
UNWIND $values AS v
MERGE (n:Email {address: v.address})
ON CREATE SET n += v, n.first_seen = $now
