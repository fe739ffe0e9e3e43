// Deletes stored accepted links between the given pairs (no longer accepted by this run).
// Parameters: $pairs (list of {a, b} record keys, a < b).
UNWIND $pairs AS p
MATCH (:Customer {key: p.a})-[l:LINKED]-(:Customer {key: p.b})
DELETE l
