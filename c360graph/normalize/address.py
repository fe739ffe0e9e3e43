"""Postal addresses: cleaned display fields, ISO countries, postcodes and a dedup key."""

from __future__ import annotations

import re
from dataclasses import dataclass

from c360graph.normalize.name import fold
from c360graph.normalize.text import clean_text


@dataclass(frozen=True, slots=True)
class NormalizedAddress:
    """An address ready to store: display fields plus `key`, which identifies the address node."""

    line1: str | None
    line2: str | None
    city: str | None
    postcode: str | None
    region: str | None
    country: str | None
    key: str


# alpha-2, alpha-3, then English and native names (folded: no accents, lower case).
_COUNTRY_ROWS = (
    "GB GBR united kingdom|uk|u k|great britain|britain|england|scotland|wales|"
    "northern ireland|vereinigtes konigreich|royaume uni|reino unido|vuong quoc anh",
    "US USA united states|united states of america|usa|u s a|u s|america|vereinigte staaten|"
    "etats unis|estados unidos|hoa ky",
    "DE DEU germany|deutschland|allemagne|alemania|duc",
    "FR FRA france|frankreich|francia|phap",
    "ES ESP spain|espana|spanien|espagne|tay ban nha",
    "IT ITA italy|italia|italien|italie",
    "NL NLD netherlands|the netherlands|holland|nederland|niederlande|pays bas|paises bajos",
    "BE BEL belgium|belgie|belgique|belgien|belgica",
    "AT AUT austria|osterreich|oesterreich|autriche",
    "CH CHE switzerland|schweiz|suisse|svizzera|suiza",
    "IE IRL ireland|republic of ireland|eire|irland|irlande",
    "PT PRT portugal",
    "PL POL poland|polska|polen|pologne|polonia",
    "SE SWE sweden|sverige|schweden|suede|suecia",
    "NO NOR norway|norge|norwegen|norvege|noruega",
    "DK DNK denmark|danmark|danemark|dinamarca|danemark",
    "FI FIN finland|suomi|finnland|finlande|finlandia",
    "CZ CZE czechia|czech republic|cesko|ceska republika|tschechien",
    "GR GRC greece|hellas|ellada|griechenland|grece|grecia",
    "HU HUN hungary|magyarorszag|ungarn|hongrie",
    "RO ROU romania|rumanien|roumanie",
    "TR TUR turkey|turkiye|turkei|turquie|turquia",
    "RU RUS russia|russian federation|russland|russie|rusia|nga",
    "UA UKR ukraine|ukraina|ucrania",
    "VN VNM vietnam|viet nam|socialist republic of vietnam",
    "CN CHN china|people's republic of china|prc|chine|trung quoc",
    "JP JPN japan|nippon|nihon|japon|nhat ban",
    "KR KOR south korea|korea|republic of korea|sudkorea|coree du sud|han quoc",
    "IN IND india|indien|inde|bharat|an do",
    "SG SGP singapore|singapur|singapour",
    "MY MYS malaysia|malaisie|malasia",
    "TH THA thailand|thailande|tailandia|thai lan",
    "ID IDN indonesia|indonesien|indonesie",
    "PH PHL philippines|philippinen|filipinas",
    "AU AUS australia|australien|australie|uc",
    "NZ NZL new zealand|aotearoa|neuseeland|nouvelle zelande",
    "CA CAN canada|kanada",
    "MX MEX mexico|mexiko|mexique",
    "BR BRA brazil|brasil|brasilien|bresil",
    "AR ARG argentina|argentinien|argentine",
    "ZA ZAF south africa|sudafrika|afrique du sud|sudafrica",
    "AE ARE united arab emirates|uae|emirates|vae",
)
_COUNTRIES: dict[str, str] = {}
for _row in _COUNTRY_ROWS:
    _a2, _a3, _names = _row.split(" ", 2)
    for _name in (_a3, *_names.split("|")):
        _COUNTRIES[fold(_name).replace(" ", "")] = _a2

# Postcodes that are digits only, with their length (leading zeros lost in spreadsheets
# are restored: German 01067 arrives as 1067).
_NUMERIC_POSTCODES = {
    "DE": 5, "FR": 5, "ES": 5, "IT": 5, "US": 5, "FI": 5, "MX": 5, "SE": 5, "GR": 5,
    "TR": 5, "TH": 5, "MY": 5, "ID": 5, "UA": 5, "CZ": 5, "PL": 5, "AT": 4, "CH": 4,
    "BE": 4, "DK": 4, "NO": 4, "AU": 4, "NZ": 4, "HU": 4, "PH": 4, "ZA": 4, "VN": 6,
    "IN": 6, "CN": 6, "RU": 6, "SG": 6, "PT": 7,
}  # fmt: skip
_PADDED = frozenset({"DE", "FR", "ES", "IT", "US", "FI", "AT", "CH", "BE"})
_GB_POSTCODE = re.compile(r"([A-Z]{1,2}\d[A-Z\d]?|GIR)(\d[A-Z]{2})")
_COUNTRY_PREFIX = re.compile(r"\A[A-Z]{1,3}[- ]?(?=\d)")  # D-10115, CH-8001, F 75001
_POSTCODE_JUNK = re.compile(r"[\s.\-]+")

# Spellings folded to one canonical token in keys. "str" is German Straße (Berliner Str.);
# English "street" is written st.
_ABBREVIATIONS = {
    "street": "st", "st": "st", "road": "rd", "rd": "rd", "avenue": "ave", "ave": "ave",
    "av": "ave", "avenida": "ave", "avda": "ave", "lane": "ln", "ln": "ln", "drive": "dr",
    "dr": "dr", "court": "ct", "ct": "ct", "place": "pl", "pl": "pl", "square": "sq",
    "sq": "sq", "boulevard": "blvd", "blvd": "blvd", "bd": "blvd", "close": "cl",
    "apartment": "apt", "apt": "apt", "flat": "apt", "unit": "apt", "appartement": "apt",
    "appt": "apt", "wohnung": "apt", "whg": "apt", "suite": "ste", "ste": "ste",
    "strasse": "str", "str": "str", "gardens": "gdns", "gdns": "gdns", "terrace": "terr",
    "terr": "terr", "crescent": "cres", "cres": "cres", "plaza": "pza", "pza": "pza",
}  # fmt: skip
# Words for "number" that are dropped before a house number: No. 5, Nr. 5, Số 5, # 5.
_NUMBER_WORDS = frozenset({"no", "nr", "num", "number", "n°", "so"})
_BLANKS = frozenset({"", "n a", "na", "none", "null", "unknown", "no address"})
_KEEP_UPPER = frozenset({"po", "bfpo", "nw", "ne", "sw", "se", "uk", "usa", "us"})
_WORD = re.compile(r"[^\W\d_]+")
_INITIALISM = re.compile(r"\b(?:[^\W\d_]\.){2,}")  # N.W. and NW must meet


def address_line_key(line: str | None) -> str:
    """Return a lower-case, accent-free key of an address line with abbreviations unified."""
    if line is None:
        return ""
    tokens = fold(_INITIALISM.sub(lambda m: m.group().replace(".", ""), line)).split()
    out: list[str] = []
    for i, token in enumerate(tokens):
        if token in _NUMBER_WORDS and i + 1 < len(tokens) and tokens[i + 1][:1].isdigit():
            continue
        if token.endswith("strasse"):
            token = token[:-7] + "str"
        out.append(_ABBREVIATIONS.get(token, token))
    return " ".join(out)


# Words naming what kind of place a town is, not which: "Thành phố Cần Thơ" and "Thành phố
# Hà Nội" share nine letters of "thanh pho" and are two cities. Folded, at the start only.
_PLACE_KINDS = re.compile(
    r"\A(?:thanh pho|tp|tinh|thi xa|thi tran|quan|huyen|city of|ciudad de|ville de|"
    r"stadt|citta di|municipio de)\b\.?\s*"
)
# One city, several names: the folded forms people type for Vietnam's largest cities.
_CITY_NAMES = {
    "hcm": "ho chi minh", "hcmc": "ho chi minh", "tphcm": "ho chi minh",
    "ho chi minh city": "ho chi minh", "sai gon": "ho chi minh", "saigon": "ho chi minh",
    "hn": "ha noi", "hanoi": "ha noi", "da nang": "da nang", "danang": "da nang",
    "hai phong": "hai phong", "haiphong": "hai phong", "can tho": "can tho",
    "cantho": "can tho", "hue": "hue",
}  # fmt: skip


def city_key(city: str | None) -> str:
    """Return a lower-case, accent-free key of a town's name without the words for its
    kind ("TP. Hải Phòng", "Thành phố Hải Phòng" and "Haiphong" all give "hai phong")."""
    if not city:
        return ""
    key = " ".join(fold(city).replace(".", " ").split())
    key = _PLACE_KINDS.sub("", key).strip()
    return _CITY_NAMES.get(key, key)


def _cap(match: re.Match[str]) -> str:
    word = match.group()
    start = match.start()
    before = match.string[start - 1] if start else " "
    if before.isdigit():
        return word if len(word) == 1 else word.lower()  # flat 2B, 4th
    if before in "'’":
        return word.lower()  # the s of ST JOHN'S
    if word.lower() in _KEEP_UPPER:
        return word
    return word[:1].upper() + word[1:].lower()


def _display(text: str | None, keep_short: bool = False) -> str | None:
    if text is None or not text.isupper():
        return text
    if keep_short and len(text) <= 3:
        return text  # state codes: CA, NSW
    return _WORD.sub(_cap, text)


def normalize_country(text: str) -> str:
    """ISO 3166 alpha-2 for a code or common name ('Deutschland' -> 'DE'), else the text upper."""
    folded = fold(text).replace(" ", "")
    code = _COUNTRIES.get(folded)
    if code:
        return code
    return folded.upper() if len(folded) == 2 and folded.isalpha() else text.upper()


def _postcode(text: str, country: str | None) -> str:
    upper = text.upper()
    compact = _POSTCODE_JUNK.sub("", upper)
    if country == "GB":
        m = _GB_POSTCODE.fullmatch(compact)
        return f"{m[1]} {m[2]}" if m else upper
    length = _NUMERIC_POSTCODES.get(country or "")
    if length is None:
        return upper
    digits = _POSTCODE_JUNK.sub("", _COUNTRY_PREFIX.sub("", upper, count=1))
    if not digits.isdigit():
        return upper
    if country == "US" and len(digits) == 9:
        return f"{digits[:5]}-{digits[5:]}"  # ZIP+4
    if country in _PADDED and length - 2 <= len(digits) < length:
        return digits.zfill(length)
    return digits


def _usable(text: str | None) -> str | None:
    return None if text is None or fold(text) in _BLANKS else text


def normalize_address(
    line1: str | None,
    line2: str | None = None,
    city: str | None = None,
    postcode: str | None = None,
    region: str | None = None,
    country: str | None = None,
    default_country: str | None = "GB",
) -> NormalizedAddress | None:
    """Return the cleaned address with its dedup key, or None if no line, city or postcode."""
    l1, l2, town, code = (_usable(clean_text(v)) for v in (line1, line2, city, postcode))
    area, nation = clean_text(region), clean_text(country)  # "NA" is Namibia, not n/a
    if l1 is None:
        l1, l2 = l2, None
    if l1 is None and town is None and code is None:
        return None
    iso = (
        normalize_country(nation)
        if nation
        else (default_country.upper() if default_country else None)
    )
    code = _postcode(code, iso) if code else None
    if code:
        place = _POSTCODE_JUNK.sub("", code).lower()
        if iso == "US":
            place = place[:5]  # ZIP and ZIP+4 spellings of one address must meet
    else:
        place = fold(town) if town else ""
    key = "|".join((address_line_key(l1), address_line_key(l2), place, fold(iso) if iso else ""))
    return NormalizedAddress(
        line1=_display(l1),
        line2=_display(l2),
        city=_display(town),
        postcode=code,
        region=_display(area, keep_short=True),
        country=iso,
        key=key,
    )
