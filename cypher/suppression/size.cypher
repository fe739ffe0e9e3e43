// How many entries the suppression list holds: ingest skips its look-ups when none.
// Parameters: none.
MATCH (s:Suppressed)
RETURN count(s) AS n
