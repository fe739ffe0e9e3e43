// Lists identifiers marked shared by resolution (placeholders, shop phones, kiosk devices),
// with how many records use each: for fraud review and evaluation.
// Parameters: none.
// Generated from c360graph/graph/schema.py and cypher/templates/resolve/shared_identifiers.cypher.tmpl
// by `make cypher`; do not edit.
MATCH (n)
WHERE (n:Email OR n:Phone OR n:Device OR n:LoyaltyId OR n:NationalId) AND n.shared = true
RETURN labels(n)[0] AS kind, coalesce(n.address, n.e164, n.device_id, n.value, n.hash) AS value,
  COUNT { (n)<--(:Customer) } AS records
ORDER BY records DESC
