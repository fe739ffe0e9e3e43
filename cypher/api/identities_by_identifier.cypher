// Identities holding an exact (normalized) email or phone.
// Parameters: $email (normalized address or null), $phone (E.164 or null).
OPTIONAL MATCH (e:Email {address: $email})<-[:HAS_EMAIL]-(a:Customer)-[:RESOLVES_TO]->(i:Identity)
WITH collect(DISTINCT i.id) AS by_email
OPTIONAL MATCH (p:Phone {e164: $phone})<-[:HAS_PHONE]-(b:Customer)-[:RESOLVES_TO]->(j:Identity)
WITH by_email, collect(DISTINCT j.id) AS by_phone
RETURN by_email, by_phone
