// Creates new :Interaction records, each linked to its customer and its :Channel. A customer
// not loaded yet gets a stub :Customer {stub: true} that its own record fills in later.
// Parameters:
//   $rows    list of {props, customer_key, customer_source, customer_id, channel}: props holds
//            key ('source:id'), source, the normalized fields (type,occurred_at,subject,text,rating;
//            a ticket's status and updated_at) and row_hash.
//   $run_id the ingest run; $now its datetime.
UNWIND $rows AS r
MATCH (ch:Channel {name: r.channel})
MERGE (c:Customer {key: r.customer_key})
ON CREATE SET c.source = r.customer_source, c.source_id = r.customer_id, c.stub = true,
  c.first_ingested_at = $now
CREATE (o:Interaction)
SET o = r.props, o.run_id = $run_id, o.first_ingested_at = $now, o.ingested_at = $now
CREATE (c)-[:HAD]->(o)
CREATE (o)-[:VIA]->(ch)
