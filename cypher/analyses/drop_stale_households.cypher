// Removes household memberships a householding run did not confirm, then the households left
// with no members.
// Parameters: $run_id (the run that just wrote the current households).
MATCH (h:Household)
OPTIONAL MATCH (h)<-[r:IN_HOUSEHOLD]-(:Identity)
WHERE coalesce(r.run_id, '') <> $run_id
DELETE r
WITH DISTINCT h
WHERE coalesce(h.run_id, '') <> $run_id
DETACH DELETE h
