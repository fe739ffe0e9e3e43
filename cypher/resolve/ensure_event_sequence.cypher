// Creates the identity event counter if the graph has none yet (a new or reset graph), in a
// transaction of its own before events are written: two writers creating it at once would
// both fail on ArcadeDB (docs/graph-engines.md), so resolve/event_feed.py retries this alone.
// Parameters: none.
MERGE (counter:EventSequence {name: 'identity_events'})
ON CREATE SET counter.last = 0
