"""Pure corruption functions: the small mistakes and habits that make one person look like many."""

from __future__ import annotations

import random
import re
import unicodedata
from datetime import date

# Letters NFKD does not decompose into base + combining mark.
_SPECIAL = str.maketrans(
    {
        "đ": "d",
        "Đ": "D",
        "ß": "ss",
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ł": "l",
        "Ł": "L",
        "ı": "i",
    }
)
_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})

NICKNAMES: dict[str, tuple[str, ...]] = {
    "Robert": ("Bob", "Rob", "Bobby"),
    "William": ("Bill", "Will", "Billy"),
    "Elizabeth": ("Liz", "Beth", "Lizzie"),
    "Katherine": ("Kate", "Kathy"),
    "Catherine": ("Cathy", "Kate"),
    "Kathleen": ("Kathy",),
    "Michael": ("Mike", "Mick"),
    "James": ("Jim", "Jimmy"),
    "Richard": ("Rick", "Dick", "Richie"),
    "Thomas": ("Tom", "Tommy"),
    "Christopher": ("Chris",),
    "Daniel": ("Dan", "Danny"),
    "Matthew": ("Matt",),
    "Anthony": ("Tony",),
    "Joseph": ("Joe", "Joey"),
    "Jonathan": ("Jon",),
    "Nicholas": ("Nick",),
    "Alexander": ("Alex",),
    "Benjamin": ("Ben",),
    "Samuel": ("Sam",),
    "Andrew": ("Andy", "Drew"),
    "Edward": ("Ed", "Ted", "Eddie"),
    "Charles": ("Charlie", "Chuck"),
    "Patrick": ("Pat",),
    "Margaret": ("Maggie", "Peggy", "Meg"),
    "Jennifer": ("Jen", "Jenny"),
    "Rebecca": ("Becky",),
    "Victoria": ("Vicky", "Tori"),
    "Susan": ("Sue", "Susie"),
    "Deborah": ("Debbie", "Deb"),
    "Patricia": ("Pat", "Trish"),
    "Christine": ("Chris",),
    "Alexandra": ("Alex", "Sandra"),
    "Jessica": ("Jess",),
    "Samantha": ("Sam",),
    "Stephanie": ("Steph",),
    "Kimberly": ("Kim",),
    "Timothy": ("Tim",),
    "Steven": ("Steve",),
    "Stephen": ("Steve",),
    "Gregory": ("Greg",),
    "Jacqueline": ("Jackie",),
    "Abigail": ("Abby",),
    "Zachary": ("Zach",),
    "Joshua": ("Josh",),
    "Nathaniel": ("Nate",),
    "Johannes": ("Hans",),
    "Friedrich": ("Fritz",),
    "Wolfgang": ("Wolf",),
    "Francisco": ("Paco",),
    "José": ("Pepe",),
    "Manuel": ("Manolo",),
    "Dolores": ("Lola",),
    "Guillermo": ("Memo",),
    "Jean-Baptiste": ("JB",),
}

# Longer forms first so "Street" is not half-replaced inside another word.
_ABBREVIATIONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(rf"\b{long}\b"), short)
    for long, short in (
        ("Street", "St."),
        ("Road", "Rd"),
        ("Avenue", "Ave"),
        ("Lane", "Ln"),
        ("Drive", "Dr."),
        ("Close", "Cl."),
        ("Crescent", "Cres."),
        ("Boulevard", "Blvd"),
        ("Court", "Ct"),
        ("Place", "Pl."),
        ("Gardens", "Gdns"),
        ("Terrace", "Terr."),
        ("avenue", "av."),
        ("boulevard", "bd"),
        ("Calle", "C/"),
        ("Avenida", "Avda."),
        ("Plaza", "Pza."),
    )
)
_STRASSE = re.compile(r"(?<=\w)(straße|strasse)\b")

_KEYBOARD_NEIGHBOURS = {
    "a": "sqwz",
    "b": "vghn",
    "c": "xdfv",
    "d": "serfcx",
    "e": "wsdr",
    "f": "drtgvc",
    "g": "ftyhbv",
    "h": "gyujnb",
    "i": "ujko",
    "j": "huikmn",
    "k": "jiolm",
    "l": "kop",
    "m": "njk",
    "n": "bhjm",
    "o": "iklp",
    "p": "ol",
    "q": "wa",
    "r": "edft",
    "s": "awedxz",
    "t": "rfgy",
    "u": "yhji",
    "v": "cfgb",
    "w": "qase",
    "x": "zsdc",
    "y": "tghu",
    "z": "asx",
}


def fold_ascii(text: str) -> str:
    """Drop diacritics: "Nguyễn Đức" -> "Nguyen Duc", "Straße" -> "Strasse"."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold_german(text: str) -> str:
    """Fold the way German speakers do by hand (ü -> ue), then drop any remaining accents."""
    return fold_ascii(text.translate(_GERMAN))


def typo(rng: random.Random, text: str) -> str:
    """Apply one character edit: keyboard-neighbour substitution, deletion, doubling or swap."""
    if len(text) < 3:
        return text
    i = rng.randrange(1, len(text) - 1)
    op = rng.random()
    ch = text[i]
    if op < 0.4:
        near = _KEYBOARD_NEIGHBOURS.get(ch.lower())
        if near:
            sub = rng.choice(near)
            return text[:i] + (sub.upper() if ch.isupper() else sub) + text[i + 1 :]
        return text[:i] + text[i + 1 :]
    if op < 0.65:
        return text[:i] + text[i + 1 :]
    if op < 0.85:
        return text[:i] + ch + text[i:]
    return text[: i - 1] + text[i] + text[i - 1] + text[i + 1 :]


def nickname(rng: random.Random, first: str) -> str:
    """Return a common short form of a first name, or the name itself when there is none."""
    options = NICKNAMES.get(first)
    return rng.choice(options) if options else first


def abbreviate(street: str) -> str:
    """Shorten street types the way clerks do: Street -> St., Road -> Rd, -straße -> -str."""
    for pattern, short in _ABBREVIATIONS:
        street = pattern.sub(short, street)
    return _STRASSE.sub("str.", street)


def email_variant(rng: random.Random, email: str) -> str:
    """Mis-key an email's formatting only (case, surrounding blanks), never its identity."""
    r = rng.random()
    if r < 0.4:
        return email.upper()
    if r < 0.7:
        local, _, domain = email.partition("@")
        return f"{local[:1].upper()}{local[1:]}@{domain.capitalize()}"
    return f" {email} " if r < 0.85 else f"{email} "


def transpose_day_month(d: date) -> date:
    """Swap day and month when that still gives a real date (a classic form-entry mistake)."""
    if d.day > 12 or d.day == d.month:
        return d
    return date(d.year, d.day, d.month)


def first_letter_typo(rng: random.Random, text: str) -> str:
    """Mis-key a word's first letter: a keyboard neighbour, a dropped or a swapped letter."""
    if len(text) < 3:
        return text
    head, rest = text[0], text[1:]
    near = _KEYBOARD_NEIGHBOURS.get(head.lower())
    op = rng.random()
    if near and op < 0.6:
        sub = rng.choice(near)
        return (sub.upper() if head.isupper() else sub) + rest
    if op < 0.8 and text[1].lower() != head.lower():
        # "Karen" -> "aKren", written with the case of a name: "Akren".
        swapped = text[1] + head + text[2:]
        if head.isupper() and not text.isupper():
            return swapped[0].upper() + swapped[1:].lower()
        return swapped
    return rest[0].upper() + rest[1:] if head.isupper() else rest


def dob_typo(rng: random.Random, d: date, latest: date) -> date:
    """Change one digit of YYYYMMDD (never the century), still a real date from 1900 to `latest`."""
    digits = d.strftime("%Y%m%d")
    options: list[date] = []
    for i in range(2, 8):
        for digit in "0123456789":
            if digit == digits[i]:
                continue
            text = digits[:i] + digit + digits[i + 1 :]
            try:
                other = date(int(text[:4]), int(text[4:6]), int(text[6:]))
            except ValueError:
                continue
            if date(1900, 1, 1) <= other <= latest:
                options.append(other)
    # Changing the day's tens digit always leaves a real date, so options is never empty.
    return rng.choice(options) if options else d
