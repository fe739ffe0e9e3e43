// Benchmark set-up: households taken from the generated ground truth and written as
// `c360 analyze households` is to write them (that command does not exist yet), so that
// bench/api.py's full-neighbourhood query has household members to fetch. One :Household per
// generated household, linked from each identity its members' records resolve to.
// Parameters: $households (list of {id, keys}: the household id and its members' record keys).
UNWIND $households AS hh
CREATE (h:Household {id: hh.id, confidence: 1.0, reason: 'bench: generated ground truth'})
WITH h, hh
UNWIND hh.keys AS key
MATCH (:Customer {key: key})-[:RESOLVES_TO]->(i:Identity)
MERGE (i)-[:IN_HOUSEHOLD]->(h)
