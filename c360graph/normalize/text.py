"""Free-text cleaning and gender codes."""

from __future__ import annotations

import unicodedata

# C0, DEL and C1 controls become spaces (a stray tab or NEL usually separates words);
# invisible format characters that leak in from spreadsheets are dropped outright.
_CLEAN_TABLE: dict[int, str | None] = {
    **{c: " " for c in range(0x00, 0x20)},
    **{c: " " for c in range(0x7F, 0xA0)},
    0x00AD: None,  # soft hyphen
    0x200B: None,  # zero-width space
    0x2060: None,  # word joiner
    0xFEFF: None,  # byte-order mark
}


def clean_text(raw: str | None) -> str | None:
    """Return raw in NFC with controls turned to spaces and whitespace collapsed; None if blank."""
    if raw is None:
        return None
    text = " ".join(raw.translate(_CLEAN_TABLE).split())
    if not text:
        return None
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text


def clean_paragraphs(raw: str | None) -> str | None:
    """Return raw cleaned as clean_text cleans it, but keeping its line breaks (a ticket's
    body): each line cleaned, a run of blank lines kept as one; None if blank."""
    if raw is None:
        return None
    kept: list[str] = []
    for line in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        cleaned = clean_text(line) or ""
        if cleaned or (kept and kept[-1]):
            kept.append(cleaned)
    while kept and not kept[-1]:
        kept.pop()
    return "\n".join(kept) or None


_MALE = frozenset(
    {
        "m", "male", "man", "men", "boy", "mr", "mister", "sir", "herr", "h", "homme",
        "masculin", "masculine", "männlich", "maennlich", "mannlich", "hombre", "masculino",
        "varón", "varon", "nam", "ông",
    }
)  # fmt: skip
_FEMALE = frozenset(
    {
        "f", "female", "woman", "women", "girl", "ms", "mrs", "miss", "frau", "w", "weiblich",
        "femme", "féminin", "feminin", "féminine", "feminine", "mujer", "femenino", "fem",
        "mme", "mlle", "madame", "nữ", "nu", "bà",
    }
)  # fmt: skip
_UNKNOWN = frozenset(
    {
        "u", "unknown", "unk", "n/a", "na", "n.a", "none", "null", "nil", "-", "--", "?",
        "not known", "not specified", "unspecified", "not stated", "undisclosed",
        "prefer not to say", "prefer not to answer", "declined", "k.a", "keine angabe",
        "unbekannt", "inconnu", "desconocido", "không rõ", "khong ro",
    }
)  # fmt: skip


def normalize_gender(raw: str | None) -> str | None:
    """Map a gender code in English, German, French, Spanish or Vietnamese to male/female/other."""
    text = clean_text(raw)
    if text is None:
        return None
    code = text.casefold().rstrip(".")
    if code in _MALE:
        return "male"
    if code in _FEMALE:
        return "female"
    # Numeric codes (0/1, ISO 5218 1/2, ...) differ between systems: the source mapping must
    # translate them, so an unmapped number means "not known" rather than "other".
    if code in _UNKNOWN or not code or code.isdigit():
        return None
    return "other"
