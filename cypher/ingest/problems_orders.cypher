// Notes the field problems an ingest run found in the order records it kept (a value
// dropped, the rest of the row landed; unchanged records too): one FOUND_PROBLEMS edge from
// the run to each, holding the row's line and, problem by problem, the field, the problem,
// the raw value dropped ('' when none) and the message. Erasing the record erases its edges.
// Parameters: $run_id (the ingest run), $rows (list of {line, record (the row's key),
//   customer (its customer's key), fields, problems, raw_values, messages}).
MATCH (run:IngestRun {run_id: $run_id})
UNWIND $rows AS r
MATCH (n:Order {key: r.record})
CREATE (run)-[:FOUND_PROBLEMS {line: r.line, record: r.record, customer: r.customer,
  fields: r.fields, problems: r.problems, raw_values: r.raw_values, messages: r.messages}]->(n)
