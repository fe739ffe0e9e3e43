// Answers one row when the database is up and usable; readiness checks run it.
// Parameters: none.
RETURN 1 AS ok
