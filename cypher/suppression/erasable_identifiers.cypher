// The identifiers an erasure deletes with its records and that suppression will remember:
// those no record outside $keys uses, and not placeholders or identifiers marked shared
// (blocking those would turn away strangers). Read before the erasure's write.
// Parameters: $keys (list of record keys about to be erased).
// Browser: :param keys => ['crm:C000012']
// Generated from c360graph/graph/schema.py and cypher/templates/suppression/erasable_identifiers.cypher.tmpl
// by `make cypher`; do not edit.
UNWIND $keys AS key
MATCH (:Customer {key: key})-[r:HAS_EMAIL|HAS_PHONE|HAS_LOYALTY_ID|HAS_NATIONAL_ID]->(n)
WHERE NOT EXISTS { MATCH (n)<--(other:Customer) WHERE NOT other.key IN $keys }
  AND coalesce(n.shared, false) = false AND coalesce(n.placeholder, false) = false
RETURN DISTINCT type(r) AS rel, coalesce(n.address, n.e164, n.value, n.hash) AS value
