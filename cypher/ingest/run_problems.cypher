// One page of the records an ingest run kept with field problems, in file order: each row's
// line, record and customer keys, and problem by problem the field, the problem, the raw
// value dropped and the message (`c360 ingest history --run`, the GraphQL
// `IngestRun.problemRecords`). A record erased since is gone from the list.
// Parameters: $run_id (the run's id), $after_line (the line of the last row seen, or null
//   for the first page), $limit (page size plus one, to see whether more follow).
MATCH (:IngestRun {run_id: $run_id})-[p:FOUND_PROBLEMS]->()
WHERE $after_line IS NULL OR p.line > $after_line
RETURN p.line AS line, p.record AS record, p.customer AS customer, p.fields AS fields,
  p.problems AS problems, p.raw_values AS raw_values, p.messages AS messages
ORDER BY line
LIMIT $limit
