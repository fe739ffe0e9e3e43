// Sets a staff attribute on an identity; earlier values of the same name stay as history
// with current = false.
// Parameters: $identity (current identity id), $id (new attribute id), $attribute (its
//   name), $value, $author, $now.
MATCH (i:Identity {id: $identity})
OPTIONAL MATCH (i)-[:HAS_ATTRIBUTE]->(old:StaffAttribute {name: $attribute, current: true})
SET old.current = false
WITH DISTINCT i
CREATE (i)-[:HAS_ATTRIBUTE]->(a:StaffAttribute {id: $id, name: $attribute, value: $value,
  author: $author, at: $now, current: true})
RETURN a {.*} AS attribute
