// Rule: same_device
// Version: 1
// Description: records that use the same device id.
// Returns one row per Device that the given records use and that another record uses too: the
// identifier (evidence) and every record using it. Resolution then drops identifiers shared by
// too many distinct people (placeholders, shop phones, kiosk devices) and scores each pair.
// Parameters: $keys (list of record keys to find partners for).
//   Example: :param keys => ['crm:C000001']
// Generated from c360graph/graph/schema.py and cypher/templates/rules/same_identifier.cypher.tmpl
// by `make cypher`; do not edit.
UNWIND $keys AS key
MATCH (:Customer {key: key})-[:USES]->(n:Device)
WITH DISTINCT n
MATCH (n)<-[:USES]-(c:Customer)
WITH n, collect(DISTINCT c.key) AS records
WHERE size(records) > 1
RETURN n.device_id AS evidence, coalesce(n.placeholder, false) AS placeholder,
  coalesce(n.shared, false) AS was_shared, records
