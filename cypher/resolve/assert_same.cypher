// Records an analyst's must-link assertion: these two records are the same person.
// Replaces a cannot-link between them. Honoured by every later resolution run.
// Parameters: $a, $b (record keys), $by (who asserts), $note, $now.
MATCH (a:Customer {key: $a})
MATCH (b:Customer {key: $b})
CALL (a, b) {
  MATCH (a)-[old:NOT_SAME_AS]-(b)
  DELETE old
}
MERGE (a)-[r:SAME_AS]->(b)
SET r.by = $by, r.note = $note, r.at = $now
RETURN count(r) AS asserted
