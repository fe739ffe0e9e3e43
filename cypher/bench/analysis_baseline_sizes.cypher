// Benchmark context: the size of the analyses' input, printed by bench/analyses.py beside
// its baseline reads and stored in its build marker: customer records, orders, interactions,
// and active identities with records.
// Parameters: none.
MATCH (c:Customer)
WITH count(c) AS records
OPTIONAL MATCH (o:Order)
WITH records, count(o) AS orders
OPTIONAL MATCH (x:Interaction)
WITH records, orders, count(x) AS interactions
OPTIONAL MATCH (i:Identity)
WHERE i.status = 'active' AND i.record_count > 0
RETURN records, orders, interactions, count(i) AS identities
