// Counts the nodes of each main label, for `c360 db status` and the demo summary.
// Parameters: none.
RETURN
  COUNT { (:Customer) } AS customers,
  COUNT { (:Email) } AS emails,
  COUNT { (:Phone) } AS phones,
  COUNT { (:Device) } AS devices,
  COUNT { (:Address) } AS addresses,
  COUNT { (:Order) } AS orders,
  COUNT { (:Interaction) } AS interactions,
  COUNT { (:Source) } AS sources
