// Every GraphQL document the explorer sends: the public API (schema.graphql), nothing else.
// Values always travel as variables, never inside the query text.

export const VIEWER = `{ viewer { name role } }`;

const HIT = `
  score
  identity {
    id recordCount sources
    profile { fullName { value } email { value } phone { value } address { city country } }
  }`;

export const SEARCH = `
query Search($name: String, $email: String, $phone: String, $first: Int, $after: String) {
  searchIdentities(name: $name, email: $email, phone: $phone, first: $first, after: $after) {
    edges { cursor node { ${HIT} } }
    pageInfo { hasNextPage endCursor }
  }
}`;

export const HEADER = `
query Header($id: ID!, $agent: Boolean = false) {
  identity(id: $id) {
    id redirectedFrom status recordCount sources
    profile { fullName { value source record } }
    segment { name }
    household @skip(if: $agent) { id size }
  }
}`;

export const RING_OF = `
query RingOf($id: ID!) { identity(id: $id) { id fraudRing { id score } } }`;

const GOLDEN = "value source record";

// The service context (service.js): last contact and open tickets, with status and body.
const TICKET = "key interactionId source type status subject text occurredAt updatedAt channel { name }";
const SERVICE_FIELDS = `lastContact { at channel { name } interaction { ${TICKET} } } openTickets { ${TICKET} }`;

export const PROFILE = `
query Profile($id: ID!, $agent: Boolean = false) {
  identity(id: $id) {
    id createdAt updatedAt
    profile {
      fullName { ${GOLDEN} } firstName { ${GOLDEN} } lastName { ${GOLDEN} }
      dateOfBirth { ${GOLDEN} } gender { ${GOLDEN} } email { ${GOLDEN} } phone { ${GOLDEN} }
      country { ${GOLDEN} }
      address { line1 line2 city postcode region country source record }
    }
    identifiers { kind value records shared detail }
    channels { channel orders interactions lastUsedAt }
    consents { channel status contactable source record recordedAt detail }
    ${SERVICE_FIELDS}
    metrics {
      orderCount excludedOrderCount firstOrderAt lastOrderAt lifetimeValue lifetimeValueText
      valueCurrency churnRisk segment
      spend { currency orders total average totalText averageText }
    }
    segment {
      name rfm recencyScore frequencyScore monetaryScore frequencyBand valueBand loyaltyBand
      churnRisk churnBand preferredChannel lifetimeValue currency asOf
    }
    household @skip(if: $agent) {
      id confidence reason evidence size
      memberships {
        identityId confidence reason
        identity { id profile { fullName { value } } }
      }
    }
    records(first: 100) {
      edges { node { key source sourceId fullName emails phones city country createdAt } }
    }
    attributes { name value author at }
    notes(first: 50) { edges { node { id text author at } } pageInfo { hasNextPage } }
  }
}`;

export const NOTES = `
query Notes($id: ID!) {
  identity(id: $id) { id notes(first: 50) { edges { node { id text author at } } pageInfo { hasNextPage } } }
}`;

export const ADD_NOTE = `
mutation AddNote($id: ID!, $text: String!) {
  addNote(identityId: $id, text: $text) { id text author at }
}`;

export const TIMELINE = `
query Timeline($id: ID!, $first: Int, $after: String, $channel: String, $kinds: [TimelineKind!]) {
  identity(id: $id) {
    id
    channels { channel }
    timeline(first: $first, after: $after, channel: $channel, kinds: $kinds) {
      edges {
        node {
          at kind channel { name }
          order { key orderId source amount amountText currency status }
          interaction { key interactionId source type status subject text rating updatedAt }
        }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;

export const IDENTITY_GRAPH = `
query IdentityGraph($id: ID!) {
  identity(id: $id) {
    id
    profile { fullName { value } }
    records(first: 200) { edges { node { key source sourceId fullName emails phones city } } }
    identifiers { kind value records shared detail }
    links { a b kind probability rules evidence levels }
    related(first: 25) {
      edges { node { identityId reasons { kind value } identity { id profile { fullName { value } } } } }
    }
  }
}`;

export const EXPLAIN_CHOICES = `
query ExplainChoices($id: ID!) {
  identity(id: $id) {
    id
    records(first: 200) { edges { node { key fullName } } }
    household { memberships { identityId identity { id profile { fullName { value } } records(first: 20) { edges { node { key } } } } } }
    related(first: 10) {
      edges { node { identityId identity { id profile { fullName { value } } records(first: 20) { edges { node { key } } } } } }
    }
  }
}`;

export const EXPLAIN = `
query Explain($a: RecordRef!, $b: RecordRef!) {
  explain(a: $a, b: $b) {
    a b same reason identityA identityB
    path { a b kind probability rules evidence levels }
    direct { probability weight threshold levels blockedBy }
  }
}`;

const RING = `
  id score size density velocity largeOrderShare largeOrders openedWithinDays reason
  evidenceKinds createdAt updatedAt
  evidence { kind value detail identities }
  members(first: 100) {
    edges { node { id recordCount profile { fullName { value } } identifiers { kind value shared detail } } }
  }`;

export const RINGS = `
query Rings($first: Int, $after: String) {
  fraudRings(minScore: 0, first: $first, after: $after) {
    edges { node { ${RING} } }
    pageInfo { hasNextPage endCursor }
  }
}`;

export const RING_OF_IDENTITY = `
query RingOfIdentity($id: ID!) { identity(id: $id) { id fraudRing { ${RING} } } }`;

const INGEST_RUN = `
  id source kind file fileName fileSha256 startedAt finishedAt status error
  read landed created updated unchanged rejected suppressed withIssues addsUp
  rejectReasons { reason rows }
  problems { field problem records }`;

export const INGEST_SOURCES = `
{ ingestSources { name runs firstSeen lastRun { ${INGEST_RUN} } } }`;

export const INGEST_RUNS = `
query IngestRuns($source: String, $first: Int, $after: String) {
  ingestRuns(source: $source, first: $first, after: $after) {
    edges { node { ${INGEST_RUN} } }
    pageInfo { hasNextPage endCursor }
  }
}`;

export const INGEST_RUN_PROBLEMS = `
query IngestRunProblems($id: ID!, $first: Int, $after: String) {
  ingestRun(id: $id) {
    ${INGEST_RUN}
    problemRecords(first: $first, after: $after) {
      edges {
        node {
          line record customer
          problems { field problem value message }
          customerRecord { key identityId }
        }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;

const REVIEW_RECORD = `key source fullName dateOfBirth emails phones addressLine1 city identityId`;

export const REVIEW_QUEUE = `
query ReviewQueue($first: Int, $after: String) {
  reviewQueue(first: $first, after: $after) {
    edges { node {
      a { ${REVIEW_RECORD} } b { ${REVIEW_RECORD} }
      probability reason runId queuedAt
      comparison { weight threshold blockedBy fieldWeights { field level weight } }
    } }
    pageInfo { hasNextPage endCursor }
  }
}`;

export const DECIDE_REVIEW_PAIR = `
mutation DecideReviewPair($a: RecordRef!, $b: RecordRef!, $decision: ReviewDecision!, $note: String) {
  decideReviewPair(a: $a, b: $b, decision: $decision, note: $note) {
    a b same by resolution { mode identities }
  }
}`;
