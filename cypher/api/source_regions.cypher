// The phone regions the sources' national numbers were read in (mappings' default_region):
// a phone search reads a national number in each, as ingest did.
// Parameters: none.
MATCH (s:Source)
UNWIND coalesce(s.regions, []) AS region
RETURN DISTINCT region
ORDER BY region
