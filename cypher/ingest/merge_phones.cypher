// Creates the :Phone nodes not yet in the graph, keyed by Phone.e164; existing ones keep their values.
// Ingest runs this before linking records to them, in the same transaction.
// Parameters: $values (list of maps, each with e164 and the node's other properties),
//   $now (datetime of this run). Example: :param values => [{e164: '+84977888999'}]
// Generated from c360graph/graph/schema.py and cypher/templates/ingest/merge_identifier.cypher.tmpl
// by `make cypher`; do not edit.
UNWIND $values AS v
MERGE (n:Phone {e164: v.e164})
ON CREATE SET n += v, n.first_seen = $now
