// Returns the content hash of each given customer-device link already in the graph.
// Parameters: $keys (list of {customer_key, device_id}).
UNWIND $keys AS k
MATCH (:Customer {key: k.customer_key})-[u:USES]->(:Device {device_id: k.device_id})
RETURN k.customer_key + '|' + k.device_id AS key, u.row_hash AS row_hash
