// Stores the trained matching model (a Splink settings JSON and its term frequencies),
// replacing the one before: every run and every process scores with the stored model.
// Parameters: $settings (JSON text), $term_frequencies (compressed JSON text), $records,
// $fingerprint (of the config's comparisons and training), $steps, $trained_at.
MERGE (m:ResolutionModel {name: 'current'})
SET m.settings = $settings, m.term_frequencies = $term_frequencies, m.records = $records,
  m.fingerprint = $fingerprint, m.steps = $steps, m.trained_at = $trained_at
RETURN m.name AS name
