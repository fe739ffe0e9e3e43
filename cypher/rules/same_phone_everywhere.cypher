// Rule: same_phone (whole graph)
// Version: 1
// Description: records that share a phone number in E.164 form.
// The same groups as rules/same_phone given every record, found from the Phone side: a full
// resolution run reads them here in one pass instead of around each chunk of records (7x
// faster at a million records). Keep the two files in step; tests compare their answers.
// Parameters: none.
// Generated from c360graph/graph/schema.py and cypher/templates/rules/same_identifier_everywhere.cypher.tmpl
// by `make cypher`; do not edit.
MATCH (n:Phone)
WITH n, [(n)<-[:HAS_PHONE]-(c:Customer) | c.key] AS records
WHERE size(records) > 1
RETURN n.e164 AS evidence, coalesce(n.placeholder, false) AS placeholder,
  coalesce(n.shared, false) AS was_shared, records
