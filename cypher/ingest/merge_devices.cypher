// Creates the :Device nodes not yet in the graph, keyed by Device.device_id; existing ones keep their values.
// Ingest runs this before linking records to them, in the same transaction.
// Parameters: $values (list of maps, each with device_id and the node's other properties),
//   $now (datetime of this run). Example: :param values => [{device_id: 'dev-123'}]
// Generated from c360graph/graph/schema.py and cypher/templates/ingest/merge_identifier.cypher.tmpl
// by `make cypher`; do not edit.
UNWIND $values AS v
MERGE (n:Device {device_id: v.device_id})
ON CREATE SET n += v, n.first_seen = $now
