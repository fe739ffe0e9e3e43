// Stamps records as resolved at their current content and name rarity, so incremental runs
// skip them until either changes.
// Parameters: $rows (list of {key, profile}: record key and its name rarity profile).
UNWIND $rows AS r
MATCH (c:Customer {key: r.key})
SET c.resolved_hash = coalesce(c.row_hash, 'stub'), c.name_profile = r.profile
