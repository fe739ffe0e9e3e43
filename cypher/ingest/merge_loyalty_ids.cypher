// Creates the :LoyaltyId nodes not yet in the graph, keyed by LoyaltyId.value; existing ones keep their values.
// Ingest runs this before linking records to them, in the same transaction.
// Parameters: $values (list of maps, each with value and the node's other properties),
//   $now (datetime of this run). Example: :param values => [{value: 'L-0001'}]
UNWIND $values AS v
MERGE (n:LoyaltyId {value: v.value})
ON CREATE SET n += v, n.first_seen = $now
