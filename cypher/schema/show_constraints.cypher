// Lists the database's constraints (name, label, properties); `c360 db status` and tests use it.
// Parameters: none.
SHOW CONSTRAINTS YIELD name, labelsOrTypes, properties
RETURN name, labelsOrTypes, properties
