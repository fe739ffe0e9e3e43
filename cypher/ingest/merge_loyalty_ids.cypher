// Creates the :LoyaltyId nodes not yet in the graph, keyed by LoyaltyId.value; existing ones keep their values.
// Ingest runs this before linking records to them, in the same transaction.
// Parameters: $values (list of maps, each with value and the node's other properties),
//   $now (datetime of this run). Example: :param values => [{value: 'L0001'}]
// Generated from c360graph/graph/schema.py and cypher/templates/ingest/merge_identifier.cypher.tmpl
// by `make cypher`; do not edit.
UNWIND $values AS v
MERGE (n:LoyaltyId {value: v.value})
ON CREATE SET n += v, n.first_seen = $now
