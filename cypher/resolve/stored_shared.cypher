// Lists every identifier value marked shared by earlier runs, by the record field it fills,
// so records outside a run's scope are compared without it too.
// Parameters: none.
// Generated from c360graph/graph/schema.py and cypher/templates/resolve/stored_shared.cypher.tmpl
// by `make cypher`; do not edit.
MATCH (n:Email) WHERE n.shared = true RETURN 'emails' AS field, n.address AS value
UNION ALL
MATCH (n:Phone) WHERE n.shared = true RETURN 'phones' AS field, n.e164 AS value
UNION ALL
MATCH (n:Device) WHERE n.shared = true RETURN 'devices' AS field, n.device_id AS value
UNION ALL
MATCH (n:LoyaltyId) WHERE n.shared = true RETURN 'loyalty_ids' AS field, n.value AS value
UNION ALL
MATCH (n:NationalId) WHERE n.shared = true RETURN 'national_ids' AS field, n.hash AS value
