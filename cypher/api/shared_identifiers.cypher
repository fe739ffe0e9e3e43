// One page of the identifiers resolution marked shared (placeholders, shop phones, kiosk
// devices), most used first, with how many records use each: the GraphQL `sharedIdentifiers`
// query. Order (and keyset): records descending, then label, then value.
// Parameters: $after_records, $after_label, $after_value (the last identifier seen, or nulls
//   for the first page), $limit (page size plus one, to see whether more follow).
// Browser: :param after_records => null
// Browser: :param after_label => null
// Browser: :param after_value => null
// Browser: :param limit => 21
// Generated from c360graph/graph/schema.py and cypher/templates/api/shared_identifiers.cypher.tmpl
// by `make cypher`; do not edit.
CALL () {
  MATCH (n:Email) WHERE n.shared = true RETURN n
  UNION
  MATCH (n:Phone) WHERE n.shared = true RETURN n
  UNION
  MATCH (n:Device) WHERE n.shared = true RETURN n
  UNION
  MATCH (n:LoyaltyId) WHERE n.shared = true RETURN n
  UNION
  MATCH (n:NationalId) WHERE n.shared = true RETURN n
}
WITH n, labels(n)[0] AS label, coalesce(n.address, n.e164, n.device_id, n.value, n.hash) AS value,
  COUNT { (n)<--(:Customer) } AS records
WHERE $after_value IS NULL OR records < $after_records
  OR (records = $after_records
      AND (label > $after_label OR (label = $after_label AND value > $after_value)))
RETURN label, value, records, n {.*} AS identifier
ORDER BY records DESC, label, value
LIMIT $limit
