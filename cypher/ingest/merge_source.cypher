// Creates the :Source node of a source system (lineage for its records) if it is new, and
// notes the phone region its numbers were read in (the API reads national numbers the same way).
// Parameters: $source (source name, e.g. 'crm'), $region (ISO 3166 code, e.g. 'VN'),
//   $now (datetime of this run).
MERGE (s:Source {name: $source})
ON CREATE SET s.first_seen = $now
WITH s, coalesce(s.regions, []) AS regions
SET s.regions = CASE WHEN $region IN regions THEN regions ELSE regions + $region END
