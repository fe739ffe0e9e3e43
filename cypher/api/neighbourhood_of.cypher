// The neighbourhood of identities in one round trip, for the API's deep queries. Per id asked:
// the current identity (following merge redirects, as api/identities_by_id); its records
// ordered by key, each with the properties the API's Record shows (not resolution's hashes
// and stamps) and its own emails and phones; its identifiers (emails, phones, devices,
// addresses), each with the records using it; its orders and interactions counted per kind,
// channel, currency, status and whether dated (what c360graph.analyze.purchases needs to tell
// purchases), with spend and first and last times; its household with its members and their
// memberships, and the other members' identity properties and identifiers (enough for a
// household list, without another round trip); and each record's newest orders and
// interactions (as api/orders_of and api/interactions_of without filters or cursor). Dates
// and times of records and activity come as toString() text: the driver's temporal types cost
// the API more than parsing text. Identifiers come as parallel lists: ArcadeDB drops the
// other keys of a map literal that holds a map projection (docs/graph-engines.md).
// Parameters: $ids (list of identity ids, current or absorbed), $max_items (orders and
//   interactions kept per record, newest first; a record with more is cut there, and pages
//   beyond it are queried).
UNWIND $ids AS asked
MATCH (:Identity {id: asked})-[:MERGED_INTO*0..20]->(i:Identity)
WHERE NOT (i)-[:MERGED_INTO]->()
WITH asked, i, i.id AS id
CALL (i, id) {
  OPTIONAL MATCH (i)<-[:RESOLVES_TO]-(c:Customer)
  WITH c, id ORDER BY c.key
  RETURN collect(c {.key, .source, .source_id, .first_name, .last_name, .full_name,
    date_of_birth: toString(c.date_of_birth), .gender, .address_line1, .city, .postcode,
    .country, created_at: toString(c.created_at), updated_at: toString(c.updated_at),
    ingested_at: toString(c.ingested_at), .data_issues, .data_issue_values, .stub,
    emails: [(c)-[:HAS_EMAIL]->(e:Email) | e.address],
    phones: [(c)-[:HAS_PHONE]->(p:Phone) | p.e164],
    identity: id}) AS records
}
CALL (i) {
  OPTIONAL MATCH (i)<-[:RESOLVES_TO]-(c:Customer)-[r:HAS_EMAIL|HAS_PHONE|USES|LIVES_AT]->(x)
  WITH type(r) AS kind, x, collect(DISTINCT c.key) AS users
  WHERE x IS NOT NULL
  RETURN collect(kind) AS identifier_kinds, collect(x {.*}) AS identifiers,
    collect(users) AS identifier_records
}
CALL (i) {
  OPTIONAL MATCH (i)<-[:RESOLVES_TO]-(:Customer)-[:PLACED|HAD]->(a)
  OPTIONAL MATCH (a)-[:VIA]->(ch:Channel)
  WITH a, ch.name AS channel, CASE WHEN a:Order THEN 'order' ELSE 'interaction' END AS kind
  WITH kind, channel, a.currency AS currency, a.status AS status,
    coalesce(a.ordered_at, a.occurred_at) IS NOT NULL AS dated, count(a) AS n,
    sum(a.amount) AS total, count(a.amount) AS priced,
    min(coalesce(a.ordered_at, a.occurred_at)) AS first_at,
    max(coalesce(a.ordered_at, a.occurred_at)) AS last_at
  WHERE n > 0
  RETURN collect({kind: kind, channel: channel, currency: currency, status: status,
    dated: dated, n: n, total: total, priced: priced, first_at: toString(first_at),
    last_at: toString(last_at)}) AS activity
}
CALL (i) {
  OPTIONAL MATCH (i)<-[:RESOLVES_TO]-(c:Customer)-[:PLACED]->(o:Order)
  OPTIONAL MATCH (o)-[:VIA]->(ch:Channel)
  WITH c, o, ch ORDER BY o.ordered_at DESC, o.key DESC
  WITH c, collect(o {.key, .order_id, .source, .amount, .currency,
    ordered_at: toString(o.ordered_at), .status, channel: ch.name}) AS orders
  WHERE c IS NOT NULL
  RETURN collect(c.key) AS order_owners, collect(orders[..$max_items]) AS orders
}
CALL (i) {
  OPTIONAL MATCH (i)<-[:RESOLVES_TO]-(c:Customer)-[:HAD]->(x:Interaction)
  OPTIONAL MATCH (x)-[:VIA]->(ch:Channel)
  WITH c, x, ch ORDER BY x.occurred_at DESC, x.key DESC
  WITH c, collect(x {.key, .interaction_id, .source, .type,
    occurred_at: toString(x.occurred_at), .subject, .text, .rating, .status,
    updated_at: toString(x.updated_at), channel: ch.name}) AS interactions
  WHERE c IS NOT NULL
  RETURN collect(c.key) AS interaction_owners, collect(interactions[..$max_items])
    AS interactions
}
CALL (i) {
  OPTIONAL MATCH (i)-[:IN_HOUSEHOLD]->(h:Household)
  OPTIONAL MATCH (h)<-[r:IN_HOUSEHOLD]-(member:Identity)
  WITH h, member, r ORDER BY member.id
  RETURN h {.*} AS household, collect(member.id) AS members,
    collect({id: member.id, confidence: r.confidence, reason: r.reason}) AS memberships
}
CALL (i) {
  OPTIONAL MATCH (i)-[:IN_HOUSEHOLD]->(:Household)<-[:IN_HOUSEHOLD]-(m:Identity)
  WHERE m <> i
  OPTIONAL MATCH (m)<-[:RESOLVES_TO]-(c:Customer)-[r:HAS_EMAIL|HAS_PHONE|USES|LIVES_AT]->(x)
  WITH m, type(r) AS kind, x, collect(DISTINCT c.key) AS users
  WITH m, collect(kind) AS kinds, collect(CASE WHEN x IS NOT NULL THEN x {.*} END) AS nodes,
    collect(CASE WHEN x IS NOT NULL THEN users END) AS uses
  WHERE m IS NOT NULL
  RETURN collect(m {.*}) AS member_identities, collect(kinds) AS member_identifier_kinds,
    collect(nodes) AS member_identifiers, collect(uses) AS member_identifier_records
}
RETURN asked, i {.*} AS identity, id, records,
  identifier_kinds, identifiers, identifier_records, activity,
  order_owners, orders, interaction_owners, interactions, household, members, memberships,
  member_identities, member_identifier_kinds, member_identifiers, member_identifier_records
