// Returns every analyst assertion (must-link SAME_AS, cannot-link NOT_SAME_AS): labelled pairs
// that training refines the model with and checks it against.
// Parameters: none.
MATCH (a:Customer)-[r:SAME_AS|NOT_SAME_AS]->(b:Customer)
RETURN a.key AS a, b.key AS b, type(r) AS type
