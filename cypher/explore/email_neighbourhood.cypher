// Who uses an email address, drawn as paths: the records listing it, their identities, and
// those identities' other records. The address is matched as stored: trimmed, lower-case,
// an IDN domain in punycode.
// Parameters: $email (an email address).
// :param email => 'ann.smith@example.com'
MATCH (e:Email {address: toLower(trim($email))})
CALL (e) {
  MATCH p = (e)
  RETURN p
  UNION
  MATCH p = (e)<-[:HAS_EMAIL]-(:Customer)
  RETURN p
  UNION
  MATCH p = (e)<-[:HAS_EMAIL]-(:Customer)-[:RESOLVES_TO]->(:Identity)<-[:RESOLVES_TO]-(:Customer)
  RETURN p
}
RETURN p
