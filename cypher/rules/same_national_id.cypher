// Rule: same_national_id
// Version: 1
// Description: records with the same national id (compared by keyed hash).
// Returns one row per NationalId that the given records use and that another record uses too: the
// identifier (evidence) and every record using it. Resolution then drops identifiers shared by
// too many distinct people (placeholders, shop phones, kiosk devices) and scores each pair.
// Parameters: $keys (list of record keys to find partners for).
//   Example: :param keys => ['crm:C000001']
// Generated from c360graph/graph/schema.py and cypher/templates/rules/same_identifier.cypher.tmpl
// by `make cypher`; do not edit.
UNWIND $keys AS key
MATCH (:Customer {key: key})-[:HAS_NATIONAL_ID]->(n:NationalId)
WITH DISTINCT n
MATCH (n)<-[:HAS_NATIONAL_ID]-(c:Customer)
WITH n, collect(DISTINCT c.key) AS records
WHERE size(records) > 1
RETURN n.hash AS evidence, coalesce(n.placeholder, false) AS placeholder,
  coalesce(n.shared, false) AS was_shared, records
