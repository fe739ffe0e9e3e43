// Creates the :Channel nodes not yet in the graph, keyed by Channel.name; existing ones keep their values.
// Ingest runs this before linking records to them, in the same transaction.
// Parameters: $values (list of maps, each with name and the node's other properties),
//   $now (datetime of this run). Example: :param values => [{name: 'web'}]
UNWIND $values AS v
MERGE (n:Channel {name: v.name})
ON CREATE SET n += v, n.first_seen = $now
