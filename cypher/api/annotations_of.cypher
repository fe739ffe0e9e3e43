// Staff notes and attributes on identities, including those made under ids that were later
// merged into them.
// Parameters: $ids (list of current identity ids).
UNWIND $ids AS id
MATCH (:Identity {id: id})<-[:MERGED_INTO*0..20]-(old:Identity)
MATCH (old)-[:HAS_NOTE|HAS_ATTRIBUTE]->(n)
RETURN id, CASE WHEN n:Note THEN 'note' ELSE 'attribute' END AS kind, n {.*} AS item
ORDER BY n.at DESC
