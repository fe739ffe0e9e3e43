// Adds a staff note to an identity, keeping its author and time.
// Parameters: $identity (current identity id), $id (new note id), $text, $author, $now.
MATCH (i:Identity {id: $identity})
CREATE (i)-[:HAS_NOTE]->(n:Note {id: $id, text: $text, author: $author, at: $now})
RETURN n {.*} AS note
