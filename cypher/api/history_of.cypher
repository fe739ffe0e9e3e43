// The merge, split and other identity events of identities, including those recorded under
// ids that were later merged into them.
// Parameters: $ids (list of current identity ids).
UNWIND $ids AS id
MATCH (:Identity {id: id})<-[:MERGED_INTO*0..20]-(old:Identity)
WITH id, collect(old.id) AS ids
MATCH (e:IdentityEvent)
WHERE e.identity IN ids OR any(other IN e.others WHERE other IN ids)
RETURN id, e {.*} AS event
ORDER BY e.at DESC
