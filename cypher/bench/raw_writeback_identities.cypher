// Benchmark baseline: the identities a resolution run wrote, each a RawIdentity node with the
// same properties, and each member record's RAW_RESOLVES_TO relationship to it, written with
// plain CREATE (bench/resolve.py's raw write rate).
// Parameters: $identities (list of {props, members}: the identity's properties and its
//   records' keys), $run_id.
UNWIND $identities AS i
CREATE (n:RawIdentity)
SET n = i.props
WITH n, i
UNWIND i.members AS key
MATCH (c:Customer {key: key})
CREATE (c)-[:RAW_RESOLVES_TO {run_id: $run_id}]->(n)
