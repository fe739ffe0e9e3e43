// Why two records are one person, drawn as paths: the shortest chain of accepted links and
// analyst must-links between them (each LINKED relationship carries kind, probability,
// weight, rules, evidence and the per-field comparison levels), the identifiers both records
// use, their identity, and any analyst cannot-link between them. `c360 explain A B` prints
// the same chain as text.
// Parameters: $a, $b (record keys, source:source_id).
// :param a => 'crm:C000012'
// :param b => 'webshop:100245'
// Generated from c360graph/graph/schema.py and cypher/templates/explore/merge_evidence.cypher.tmpl
// by `make cypher`; do not edit.
MATCH (a:Customer {key: $a})
MATCH (b:Customer {key: $b})
CALL (a, b) {
  MATCH p = shortestPath((a)-[:LINKED|SAME_AS*..20]-(b))
  RETURN p
  UNION
  MATCH p = (a)-[:HAS_EMAIL|HAS_PHONE|USES|LIVES_AT|HAS_LOYALTY_ID|HAS_NATIONAL_ID]->()
    <-[:HAS_EMAIL|HAS_PHONE|USES|LIVES_AT|HAS_LOYALTY_ID|HAS_NATIONAL_ID]-(b)
  RETURN p
  UNION
  MATCH p = (a)-[:RESOLVES_TO]->(:Identity)<-[:RESOLVES_TO]-(b)
  RETURN p
  UNION
  MATCH p = (a)-[:NOT_SAME_AS]-(b)
  RETURN p
}
RETURN p
