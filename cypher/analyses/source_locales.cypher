// The locales the sources' mappings declared (`locale: vi_VN`), each with how many sources
// declared it: amounts are shown grouped as the data's own locale writes them.
// Parameters: none.
MATCH (s:Source)
UNWIND coalesce(s.locales, []) AS locale
RETURN locale, count(s) AS sources
ORDER BY sources DESC, locale
