// Creates the :Source node of a source system (lineage for its records) if it is new, and
// notes the phone region its numbers were read in (the API reads national numbers the same way)
// and the locale its mapping declared (amounts are shown as the data's locale writes them).
// Parameters: $source (source name, e.g. 'crm'), $region (ISO 3166 code, e.g. 'VN'),
//   $locale (Babel locale of the mapping, e.g. 'vi_VN', or null), $now (datetime of this run).
MERGE (s:Source {name: $source})
ON CREATE SET s.first_seen = $now
WITH s, coalesce(s.regions, []) AS regions, coalesce(s.locales, []) AS locales
SET s.regions = CASE WHEN $region IN regions THEN regions ELSE regions + $region END,
  s.locales = CASE WHEN $locale IS NULL OR $locale IN locales THEN locales
    ELSE locales + $locale END
