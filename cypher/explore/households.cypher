// Households found by `c360 analyze households`, biggest and surest first, with their
// members' names. Draw one with explore/household.
// Parameters: $limit (how many households).
// :param limit => 25
MATCH (h:Household)<-[m:IN_HOUSEHOLD]-(i:Identity)
WITH h, i, m
ORDER BY i.id
WITH h, collect(i.id) AS members, collect(i.full_name) AS names,
  collect(m.reason) AS member_reasons
RETURN h.id AS household, h.size AS size, h.confidence AS confidence, h.reason AS reason,
  h.evidence AS evidence, members, names, member_reasons
ORDER BY size DESC, confidence DESC, household
LIMIT $limit
