"""Personal names: display spelling, an accent- and case-blind match key, and splitting.

Name order, decided: Vietnamese, Chinese, Japanese, Korean and Hungarian write the family
name first ("Nguyễn Thị Hồng": family Nguyễn, given Hồng). A source's locale (or its
mapping's `name_order`) says which order its full names are in; the record's own country
does not, because a Vietnamese shop's export writes a customer in Paris the same way. In
Vietnamese the words between family and given name are a middle name (Thị, Văn), kept
apart so that the given name is the one people are called by; in the other
family-first languages every word after the family name is the given name (Kim Min Jun).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from c360graph.normalize.text import clean_text

# Letters that carry no combining mark under NFKD, so stripping marks cannot fold them.
_FOLDS = {
    "đ": "d", "ð": "d", "ø": "o", "ł": "l", "æ": "ae", "œ": "oe", "ß": "ss", "þ": "th",
    "ı": "i", "ħ": "h", "ŧ": "t",
}  # fmt: skip
_APOSTROPHES = "'’‘ʼʻ`´′"
_PUNCTUATION = '-‐‑‒–—―.,;:!?"“”„«»()[]{}/\\|_&+*#@~^<>=…·•¿¡'
_KEY_TABLE: dict[int, str | None] = {
    **{ord(k): v for k, v in _FOLDS.items()},
    **{ord(k.upper()): v for k, v in _FOLDS.items() if len(k.upper()) == 1},
    **{ord(c): None for c in _APOSTROPHES},
    **{ord(c): " " for c in _PUNCTUATION},
    **{c: " " for c in range(0x00, 0x20)},
    **{c: " " for c in range(0x7F, 0xA0)},
}
# The combining-diacritics blocks: accents of Latin, Greek, Cyrillic and Vietnamese. Marks of
# other scripts (Devanagari vowel signs, ...) are part of the spelling and are kept.
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """Return text case-folded, without diacritics, apostrophes or punctuation, spaces collapsed."""
    folded = text.casefold().translate(_KEY_TABLE)
    if not folded.isascii():
        folded = _COMBINING.sub("", unicodedata.normalize("NFKD", folded))
        # NFKD can expose capitals (U+210C black-letter H) and stroke letters (ǿ -> ø).
        folded = folded.casefold().translate(_KEY_TABLE)
    return " ".join(folded.split())


def name_key(raw: str | None) -> str | None:
    """Return the accent-, case- and punctuation-blind match key of a name; None if blank."""
    if raw is None:
        return None
    return fold(raw) or None


# Surname particles. "le", "la" and "y" are left out: unaccented Vietnamese "Le" is a name.
_PARTICLES = frozenset(
    {"van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "des", "dos", "das",
     "zu", "ten", "ter"}
)  # fmt: skip
_SUFFIXES = frozenset({"ii", "iii", "iv", "vi"})
_WORD = re.compile(r"[^\W\d_]+")


def _cap(match: re.Match[str]) -> str:
    word = match.group()
    start = match.start()
    before = match.string[start - 1] if start else " "
    if before in _APOSTROPHES and len(word) == 1:
        return word.lower()  # the s of "JOHN'S"
    lower = word.lower()
    if before == " " or not start:
        if lower in _SUFFIXES:
            return word.upper()
        if lower in _PARTICLES and start and match.end() < len(match.string):
            return lower
        if lower.startswith("mc") and len(lower) > 3:
            return "Mc" + lower[2].upper() + lower[3:]
    return lower[:1].upper() + lower[1:]


def display_name(raw: str | None) -> str | None:
    """Return the cleaned name; ALL-CAPS or all-lower input is title-cased (o'brien -> O'Brien)."""
    text = clean_text(raw)
    if text is None or not (text.isupper() or text.islower()):
        return text
    return _WORD.sub(_cap, text)


# Only the accented Vietnamese forms: "Ong" is also a surname and "Ba" a given name.
_HONORIFICS = frozenset(
    {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "herr", "frau", "mme",
     "mlle", "sr", "sra", "srta", "ông", "bà"}
)  # fmt: skip
_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "phd", "md", "esq"})


def _token(word: str) -> str:
    return word.casefold().rstrip(".")


def _strip_titles(tokens: list[str]) -> list[str]:
    while len(tokens) > 1 and _token(tokens[0]) in _HONORIFICS:
        tokens = tokens[1:]
    while len(tokens) > 1 and _token(tokens[-1]).rstrip(",") in _NAME_SUFFIXES:
        tokens = tokens[:-1]
    return tokens


FAMILY_FIRST = "family_first"
GIVEN_FIRST = "given_first"
NAME_ORDERS = (FAMILY_FIRST, GIVEN_FIRST)
# Languages (ISO 639-1) whose names put the family name first.
FAMILY_FIRST_LANGUAGES = frozenset({"vi", "zh", "ja", "ko", "hu"})
# Languages whose words between family and given name are a middle name.
_MIDDLE_NAME_LANGUAGES = frozenset({"vi"})


@dataclass(frozen=True)
class NameOrder:
    """How a source writes full names: family name first or last, and middle names apart."""

    family_first: bool = False
    middle_names: bool = False


def name_order(locale: str | None, explicit: str | None = None) -> NameOrder:
    """The name order of a source: its mapping's `name_order`, else its locale's language."""
    language = (locale or "").replace("-", "_").split("_")[0].lower()
    family_first = explicit == FAMILY_FIRST if explicit else language in FAMILY_FIRST_LANGUAGES
    return NameOrder(family_first, family_first and language in _MIDDLE_NAME_LANGUAGES)


@dataclass(frozen=True)
class NameParts:
    """A full name split into given, middle and family names (any may be None)."""

    given: str | None
    middle: str | None
    family: str | None


def split_name(full: str | None, order: NameOrder) -> NameParts:
    """Split a full name by the source's name order (see split_full_name for given-first)."""
    if not order.family_first:
        given, family = split_full_name(full)
        return NameParts(given, None, family)
    text = clean_text(full)
    if text is None:
        return NameParts(None, None, None)
    if "," in text:  # "Family, Given" reads the same in either order
        given, family = split_full_name(text)
        return NameParts(given, None, family)
    tokens = _strip_titles(text.split())
    if not tokens or (len(tokens) == 1 and _token(tokens[0]) in _HONORIFICS):
        return NameParts(None, None, None)
    if len(tokens) == 1:
        return NameParts(tokens[0], None, None)
    if order.middle_names and len(tokens) > 2:
        return NameParts(tokens[-1], " ".join(tokens[1:-1]), tokens[0])
    return NameParts(" ".join(tokens[1:]), None, tokens[0])


def join_name(given: str | None, family: str | None, order: NameOrder) -> str | None:
    """The full name from its parts, in the source's order."""
    parts = (family, given) if order.family_first else (given, family)
    return " ".join(p for p in parts if p) or None


def split_full_name(full: str | None) -> tuple[str | None, str | None]:
    """Split a full name into (first, last); "Last, First" is understood, honorifics dropped.

    The last name is the final token plus any particles before it ("van Beethoven"); a single
    token is taken as the first name. Parts keep their raw casing: see display_name.
    """
    text = clean_text(full)
    if text is None:
        return None, None
    head, comma, tail = text.partition(",")
    tail_tokens = _strip_titles(tail.replace(",", " ").split())
    if (
        comma
        and tail_tokens
        and not (len(tail_tokens) == 1 and _token(tail_tokens[0]) in _NAME_SUFFIXES)
    ):
        last_tokens = _strip_titles(head.split())
        return " ".join(tail_tokens), " ".join(last_tokens) or None
    tokens = _strip_titles(head.split())
    if not tokens or (len(tokens) == 1 and _token(tokens[0]) in _HONORIFICS):
        return None, None
    if len(tokens) == 1:
        return tokens[0], None
    cut = len(tokens) - 1
    while cut > 1 and _token(tokens[cut - 1]) in _PARTICLES:
        cut -= 1
    return " ".join(tokens[:cut]), " ".join(tokens[cut:])
