// Links customers to the devices they use, from a devices file (new or changed links).
// The :Device nodes exist already (ingest/merge_devices); a customer not loaded yet gets
// a stub :Customer {stub: true}.
// Parameters:
//   $rows    list of {customer_key, customer_source, customer_id, device_id, device (map:
//            device_type, os), link (map: first_seen, last_seen, row_hash)}.
//   $source  the source name; $run_id the ingest run; $now its datetime.
UNWIND $rows AS r
MATCH (d:Device {device_id: r.device_id})
SET d += r.device
MERGE (c:Customer {key: r.customer_key})
ON CREATE SET c.source = r.customer_source, c.source_id = r.customer_id, c.stub = true,
  c.first_ingested_at = $now
MERGE (c)-[u:USES]->(d)
ON CREATE SET u.source = $source, u.first_ingested_at = $now
SET u += r.link, u.current = true, u.run_id = $run_id
