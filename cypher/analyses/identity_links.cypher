// Streams every resolved record with its identity, surname key, account opening time and
// current identifier links: the input of householding and fraud-ring detection.
// Links to placeholders, and to addresses without a street line (an area, not a home), are
// left out. Each link is [relationship type, identifier key, line or device type].
// Parameters: none.
MATCH (i:Identity)<-[:RESOLVES_TO]-(c:Customer)
RETURN i.id AS identity, c.last_name_key AS surname, c.created_at AS opened_at,
  [(c)-[r:LIVES_AT|HAS_PHONE|USES|HAS_LOYALTY_ID|HAS_NATIONAL_ID]->(x)
    WHERE coalesce(r.current, true) AND NOT coalesce(x.placeholder, false)
      AND NOT (x:Address AND coalesce(x.line1, '') = '') |
    [type(r), coalesce(x.key, x.e164, x.device_id, x.value, x.hash),
      coalesce(x.line_type, x.device_type, '')]] AS links
