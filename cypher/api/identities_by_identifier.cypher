// Identities holding an exact (normalized) email or phone.
// Parameters: $email (normalized address or null), $phones (E.164 readings of one number:
//   a national number read in each region the data uses; empty for none).
OPTIONAL MATCH (e:Email {address: $email})<-[:HAS_EMAIL]-(a:Customer)-[:RESOLVES_TO]->(i:Identity)
WITH collect(DISTINCT i.id) AS by_email
OPTIONAL MATCH (p:Phone)<-[:HAS_PHONE]-(b:Customer)-[:RESOLVES_TO]->(j:Identity)
WHERE p.e164 IN $phones
WITH by_email, collect(DISTINCT j.id) AS by_phone
RETURN by_email, by_phone
