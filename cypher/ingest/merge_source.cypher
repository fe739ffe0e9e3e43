// Creates the :Source node of a source system (lineage for its records) if it is new.
// Parameters: $source (source name, e.g. 'crm'), $now (datetime of this run).
MERGE (s:Source {name: $source})
ON CREATE SET s.first_seen = $now
