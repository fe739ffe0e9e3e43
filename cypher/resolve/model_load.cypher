// Reads the stored matching model, if one was trained or imported.
// Parameters: none.
MATCH (m:ResolutionModel {name: 'current'})
RETURN m.settings AS settings, m.term_frequencies AS term_frequencies, m.records AS records,
  m.fingerprint AS fingerprint, m.steps AS steps, m.trained_at AS trained_at
