// Integrity after the load test (bench/load.py): the notes and staff attributes one API key
// wrote, to compare with the addNote and setAttribute calls that succeeded.
// Parameters: $author (the API key's name).
OPTIONAL MATCH (n:Note)
WHERE n.author = $author
WITH count(n) AS notes
OPTIONAL MATCH (a:StaffAttribute)
WHERE a.author = $author
RETURN notes, count(a) AS attributes
