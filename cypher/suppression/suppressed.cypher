// Which of some keyed hashes are on the suppression list: ingest rejects the rows they
// came from. Parameters: $hashes (list of hex strings).
UNWIND $hashes AS h
MATCH (s:Suppressed {hash: h})
RETURN s.hash AS hash, s.kind AS kind, s.since AS since
