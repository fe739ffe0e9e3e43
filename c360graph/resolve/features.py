"""Per-record features, derived once per record so that comparing a pair is cheap.

Scoring a million records means tens of millions of comparisons; folding names, splitting
emails and cutting phone numbers there would dominate. `features` does that work once.
Tuples, not sets: a record holds one to three values, and a tuple is a quarter the memory.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from rapidfuzz.distance import JaroWinkler

from c360graph.normalize.address import address_line_key, city_key
from c360graph.normalize.email import email_local_key, is_placeholder_email
from c360graph.normalize.name import fold
from c360graph.resolve.nicknames import canonical_first_name
from c360graph.resolve.records import Rec

_NOT_ALNUM = re.compile(r"[^0-9A-Z]")
_GB_STYLE = re.compile(r"[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}")
_MAX_PAIR_TOKENS = 5  # a name of 5+ tokens is rare; cap the number of pair keys it makes
_AREA_CHARS = 3  # numeric postcodes: the first three digits name the delivery area


@dataclass(frozen=True, slots=True)
class Feat:
    """What comparisons and blocking read from a record; "" or () when the record lacks it."""

    key: str
    stub: bool
    tokens: tuple[str, ...]  # sorted unique folded name tokens of first, last and full name
    canon: tuple[str, ...]  # the same after nicknames are replaced by their canonical name
    canon_sorted: str  # " ".join(canon): order-insensitive name, for token-sort and blocking
    given: tuple[str, ...]  # folded tokens of the first name (the cannot-link guard)
    given_canon: tuple[str, ...]  # their canonical forms
    first_initial: str
    last: str  # folded last name
    dob: date | None
    dob_year: int  # 0 when unknown
    dob_month: int
    dob_day: int
    emails: tuple[str, ...]  # normalized addresses, placeholders left out
    email_locals: tuple[str, ...]  # local parts without +tags (and Gmail dots)
    email_local_rests: tuple[str, ...]  # "local:rest", rest = what the own name leaves over
    phones: tuple[str, ...]  # E.164
    phone7: tuple[str, ...]  # last seven digits: survives a wrong or missing country code
    devices: tuple[str, ...]
    loyalty_ids: tuple[str, ...]
    national_ids: tuple[str, ...]
    address: str  # address_line_key of line 1
    postcode: str  # upper case, no spaces or dashes
    postcode_area: str  # GB outward code (SW1A), else the first three characters
    city: str  # city_key: folded, without "Thành phố" or "TP."


def _unique(values: list[str]) -> tuple[str, ...]:
    return tuple(sorted(set(values)))


def _canon_tokens(tokens: tuple[str, ...]) -> tuple[str, ...]:
    # A canonical name may be two words (jb -> jean baptiste).
    return _unique([part for t in tokens for part in canonical_first_name(t).split()])


def _postcode(raw: str | None) -> tuple[str, str]:
    if not raw:
        return "", ""
    code = _NOT_ALNUM.sub("", raw.upper())
    if _GB_STYLE.fullmatch(code):
        return code, code[:-3]
    return code, code[:_AREA_CHARS]


_MAILBOX_SEPARATORS = re.compile(r"[._\-]")


def mailbox_rest(local: str, tokens: tuple[str, ...]) -> str | None:
    """What is left of a mailbox name once the record's own name tokens are taken out of it,
    each once, longest first ("dangducquang" less "Quang Đặng" leaves "duc"); None when the
    mailbox holds digits or other signs, which say something of their own.

    Two strangers called Robert Gomez often both own "robert.gomez" at some provider, so a
    mailbox spelled from the two records' names repeats the name comparison rather than
    adding evidence (model/kinds.py, REPEATS_ANOTHER_FIELD, reads the rest against the other
    record's name); one with digits or another word ("robert.gomez82") does add some.
    """
    rest = _MAILBOX_SEPARATORS.sub("", local)
    if not rest.isalpha() or not rest.isascii():
        return None
    parts = sorted({p for t in tokens for p in t.split() if p}, key=lambda p: (-len(p), p))
    for part in parts:
        rest = rest.replace(part, "", 1)
    return rest


_DIGITS = re.compile(r"\d+")
_MIN_NAME_LETTERS = 3  # "l" in lbutcher is an initial, not a name
_CLOSE_TO_OWN_NAME = 0.9  # Jaro-Winkler: "btcher" is this record's "butcher"


def name_from_mailbox(locals_: tuple[str, ...], own: str) -> str:
    """The other part of a name a record known by one name spells in its mailboxes: "lauren"
    for "Butcher" with lauren_butcher@ or laurenbutcher82@; "" when none, or more than one.

    A surname-only till record at a family's address otherwise matches every member of the
    family equally; its mailbox often says which one it is.
    """
    found = set()
    for local in locals_:
        pieces = [p for p in _MAILBOX_SEPARATORS.split(_DIGITS.sub("", local)) if p]
        if len(pieces) == 2:
            near = [JaroWinkler.similarity(p, own) >= _CLOSE_TO_OWN_NAME for p in pieces]
            if near.count(True) == 1:
                found.add(pieces[near.index(False)])
        elif len(pieces) == 1 and own in pieces[0]:
            found.add(pieces[0].replace(own, "", 1))
    words = {w for w in found if len(w) >= _MIN_NAME_LETTERS and w.isalpha() and w.isascii()}
    return words.pop() if len(words) == 1 else ""


def _rests(locals_: tuple[str, ...], tokens: tuple[str, ...]) -> tuple[str, ...]:
    out = ((local, mailbox_rest(local, tokens)) for local in locals_)
    return tuple(f"{local}:{rest}" for local, rest in out if rest is not None)


def _key(text: str | None) -> str:
    return fold(text) if text else ""


def features(rec: Rec) -> Feat:
    """Return the comparison and blocking features of one record."""
    first, last = (
        _key(rec.first_name_key or rec.first_name),
        _key(rec.last_name_key or rec.last_name),
    )
    tokens = _unique(f"{first} {last} {_key(rec.full_name)}".split())
    # Exact means the same normalized address, as for the same_email rule: a.b@gmail.com
    # and ab@gmail.com only share a local key (a weaker level).
    emails = tuple(e for e in rec.emails if not is_placeholder_email(e))
    locals_ = _unique([email_local_key(e) for e in emails])
    if len(tokens) == 1 and (inferred := name_from_mailbox(locals_, tokens[0])):
        tokens = _unique([*tokens, inferred])
        if not first and last:  # a surname alone: the mailbox names the person
            first = inferred
        elif first and not last:
            last = inferred
    canon = _canon_tokens(tokens)
    given = tuple(first.split())
    dob = rec.date_of_birth
    code, area = _postcode(rec.postcode)
    address, city = address_line_key(rec.address_line1), city_key(rec.city)
    return Feat(
        key=rec.key,
        stub=rec.stub,
        tokens=tokens,
        canon=canon,
        canon_sorted=" ".join(canon),
        given=given,
        given_canon=_canon_tokens(given),
        first_initial=first[:1],
        last=last,
        dob=dob,
        dob_year=dob.year if dob else 0,
        dob_month=dob.month if dob else 0,
        dob_day=dob.day if dob else 0,
        emails=emails,
        email_locals=locals_,
        email_local_rests=_rests(locals_, tokens),
        phones=rec.phones,
        phone7=_unique([p[-7:] for p in rec.phones if len(p) >= 8]),
        devices=rec.devices,
        loyalty_ids=rec.loyalty_ids,
        national_ids=rec.national_ids,
        address=address,
        postcode=code,
        postcode_area=area,
        city=city,
    )


def _one(value: str) -> tuple[str, ...]:
    return (value,) if value else ()


def _token_pairs(f: Feat) -> tuple[str, ...]:
    # Every two tokens of the name: "Dương Minh Mai" meets "Mai Dương" on "duong mai".
    c = f.canon[:_MAX_PAIR_TOKENS]
    return tuple(f"{x} {y}" for i, x in enumerate(c) for y in c[i + 1 :])


def _dob(f: Feat) -> tuple[str, ...]:
    return (f.dob.isoformat(),) if f.dob else ()


# Blocking keys by name: each returns the record's values for that key (none: not blocked).
# A single-token name is left out of the name key: "robert" alone would gather every Robert.
BLOCK_KEYS: dict[str, Callable[[Feat], tuple[str, ...]]] = {
    "name_tokens_sorted": lambda f: _one(f.canon_sorted) if len(f.canon) > 1 else (),
    "name_token_pairs": _token_pairs,
    "first_name_canon": lambda f: (canonical_first_name(f.given[0]),) if f.given else (),
    "first_initial": lambda f: _one(f.first_initial),
    "last_name_key": lambda f: _one(f.last),
    "last_initial": lambda f: _one(f.last[:1]),
    "dob": _dob,
    "dob_year": lambda f: (str(f.dob_year),) if f.dob_year else (),
    "postcode": lambda f: _one(f.postcode),
    "postcode_area": lambda f: _one(f.postcode_area),
    "city": lambda f: _one(f.city),
    "address_line_key": lambda f: _one(f.address),
    "email_local_key": lambda f: f.email_locals,
    "email": lambda f: f.emails,
    "phone_last7": lambda f: f.phone7,
    "device": lambda f: f.devices,
    "loyalty_id": lambda f: f.loyalty_ids,
}
