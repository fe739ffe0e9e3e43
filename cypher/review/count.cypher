// Returns how many pairs the review queue holds.
// Parameters: none.
MATCH (:Customer)-[r:REVIEW_PAIR]->(:Customer)
RETURN count(r) AS pairs
