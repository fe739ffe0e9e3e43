// Who uses one identifier, drawn as paths: the email, phone, device, address, loyalty id or
// national id whose key is $value, the records using it, their identities, and any fraud
// ring holding it as evidence. Keys are as stored (see docs/model.md): an email lower-case,
// a phone in E.164, an address its folded key, a national id its hash.
// Parameters: $value (the identifier's key).
// :param value => '+447700900123'
// Generated from c360graph/graph/schema.py and cypher/templates/explore/identifier_users.cypher.tmpl
// by `make cypher`; do not edit.
CALL () {
  MATCH (x:Email {address: $value})
  RETURN x
  UNION
  MATCH (x:Phone {e164: $value})
  RETURN x
  UNION
  MATCH (x:Device {device_id: $value})
  RETURN x
  UNION
  MATCH (x:Address {key: $value})
  RETURN x
  UNION
  MATCH (x:LoyaltyId {value: $value})
  RETURN x
  UNION
  MATCH (x:NationalId {hash: $value})
  RETURN x
}
CALL (x) {
  MATCH p = (x)
  RETURN p
  UNION
  MATCH p = (x)<-[:HAS_EMAIL|HAS_PHONE|USES|LIVES_AT|HAS_LOYALTY_ID|HAS_NATIONAL_ID]-(:Customer)
  RETURN p
  UNION
  MATCH p = (x)<-[:HAS_EMAIL|HAS_PHONE|USES|LIVES_AT|HAS_LOYALTY_ID|HAS_NATIONAL_ID]-(:Customer)
    -[:RESOLVES_TO]->(:Identity)
  RETURN p
  UNION
  MATCH p = (x)<-[:EVIDENCE]-(:FraudRing)
  RETURN p
}
RETURN p
