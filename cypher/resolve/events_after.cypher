// The identity change feed: events numbered after $after, oldest first, from finished writes
// only. A resolution run still writing (or about to be undone) holds back its own events and
// every later-numbered one, so a follower never sees an event that is rolled back and never
// skips one that commits late. The sequence is read first: an event numbered after it was
// committed after this query began and waits for the next poll.
// Parameters: $after (sequence number; 0 for the beginning), $limit.
OPTIONAL MATCH (counter:EventSequence {name: 'identity_events'})
WITH coalesce(counter.last, 0) AS last
OPTIONAL MATCH (:ResolutionRun {status: 'writing'})-[:RECORDED]->(pending:IdentityEvent)
WITH last, min(pending.seq) AS horizon
MATCH (e:IdentityEvent)
WHERE e.seq > $after AND e.seq <= last AND (horizon IS NULL OR e.seq < horizon)
RETURN e {.*} AS event
ORDER BY e.seq
LIMIT $limit
