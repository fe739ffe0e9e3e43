"""Per-record features, derived once per record so that comparing a pair is cheap.

Scoring a million records means tens of millions of comparisons; folding names, splitting
emails and cutting phone numbers there would dominate. `features` does that work once.
Tuples, not sets: a record holds one to three values, and a tuple is a quarter the memory.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from c360graph.normalize.address import address_line_key
from c360graph.normalize.email import email_local_key, is_placeholder_email
from c360graph.normalize.name import fold
from c360graph.resolve.nicknames import canonical_first_name
from c360graph.resolve.records import Rec

_NOT_ALNUM = re.compile(r"[^0-9A-Z]")
_GB_STYLE = re.compile(r"[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}")
_MAX_PAIR_TOKENS = 5  # a name of 5+ tokens is rare; cap the number of pair keys it makes
_AREA_CHARS = 3  # numeric postcodes: the first three digits name the delivery area


# One bit per compared field; a Feat's `present` has the bits of the fields it holds.
FIELD_BITS: dict[str, int] = {
    name: 1 << i
    for i, name in enumerate(
        ("name", "date_of_birth", "address_line", "postcode", "city", "email", "phone",
         "device", "loyalty_id", "national_id")
    )
}  # fmt: skip


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
    phones: tuple[str, ...]  # E.164
    phone7: tuple[str, ...]  # last seven digits: survives a wrong or missing country code
    devices: tuple[str, ...]
    loyalty_ids: tuple[str, ...]
    national_ids: tuple[str, ...]
    address: str  # address_line_key of line 1
    postcode: str  # upper case, no spaces or dashes
    postcode_area: str  # GB outward code (SW1A), else the first three characters
    city: str  # folded
    present: int  # FIELD_BITS of the fields this record has: one AND tells what both have


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


def _key(text: str | None) -> str:
    return fold(text) if text else ""


def features(rec: Rec) -> Feat:
    """Return the comparison and blocking features of one record."""
    first, last = (
        _key(rec.first_name_key or rec.first_name),
        _key(rec.last_name_key or rec.last_name),
    )
    tokens = _unique(f"{first} {last} {_key(rec.full_name)}".split())
    canon = _canon_tokens(tokens)
    given = tuple(first.split())
    # Exact means the same normalized address, as for the same_email rule: a.b@gmail.com
    # and ab@gmail.com only share a local key (a weaker level).
    emails = tuple(e for e in rec.emails if not is_placeholder_email(e))
    dob = rec.date_of_birth
    code, area = _postcode(rec.postcode)
    address, city = address_line_key(rec.address_line1), _key(rec.city)
    has = [tokens, dob is not None, address, code, city, emails, rec.phones, rec.devices]
    has += [rec.loyalty_ids, rec.national_ids]
    present = sum(bit for bit, v in zip(FIELD_BITS.values(), has, strict=True) if v)
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
        email_locals=_unique([email_local_key(e) for e in emails]),
        phones=rec.phones,
        phone7=_unique([p[-7:] for p in rec.phones if len(p) >= 8]),
        devices=rec.devices,
        loyalty_ids=rec.loyalty_ids,
        national_ids=rec.national_ids,
        address=address,
        postcode=code,
        postcode_area=area,
        city=city,
        present=present,
    )


def _identity_hints(f: Feat) -> tuple[str, ...]:
    # Values one person's records share and different people almost never do.
    hints = (*f.emails, *f.phones, *f.devices, *f.loyalty_ids, *f.national_ids)
    if f.dob is not None:
        hints += (f"dob {f.dob.isoformat()}",)
    if f.address and f.postcode:
        hints += (f"at {f.address} {f.postcode}",)
    return hints


def _groups(feats: Sequence[Feat], holders: list[int]) -> int:
    """How many groups the records fall into when records sharing any hint are joined."""
    parent = list(range(len(holders)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    first: dict[str, int] = {}
    for pos, i in enumerate(holders):
        for hint in _identity_hints(feats[i]):
            other = first.setdefault(hint, pos)
            if other != pos:
                parent[find(pos)] = find(other)
    return sum(1 for x in range(len(holders)) if find(x) == x)


@dataclass(frozen=True)
class NameStats:
    """How common names are in the population being resolved (for the rare-name levels)."""

    groups: dict[str, int]  # canonical name -> identity groups carrying it
    tokens: dict[str, int]  # name token -> records carrying it
    records: int  # records with a name of two or more tokens

    def expected(self, canon: tuple[str, ...]) -> float:
        """Records expected to carry this name's two rarest tokens, drawn independently.

        Only two tokens count: middle names are not independent of the rest (Văn, Thị
        follow gender), and multiplying them in would make every long name look rare.
        """
        if not self.records:
            return 0.0
        shares = sorted(self.tokens.get(t, 0) / self.records for t in canon)
        return math.prod(shares[:2]) * self.records


def is_common_name(
    f: Feat, stats: NameStats, max_frequency: int | None, max_expected: float | None
) -> bool:
    """True when a record's name is too common for a rare-name level with these limits."""
    if stats.groups.get(f.canon_sorted, 0) > (max_frequency or 0):
        return True
    return max_expected is not None and stats.expected(f.canon) > max_expected


def name_frequencies(feats: Iterable[Feat]) -> NameStats:
    """Measure how common each canonical name of 2+ tokens is, once per population.

    `groups` counts records carrying a name as groups: records sharing an email, phone,
    device, loyalty or national id, date of birth or address count once, so one person with
    five accounts does not make a name common. A two-token name also counts longer names
    holding both tokens ("Tú Hoàng" counts "Hoàng Văn Tú"). `tokens` gives token counts,
    so that "Susan Smith" is seen to be common even when only one Susan Smith is present.
    """
    named = [f for f in feats if len(f.canon) > 1]
    holders: dict[str, list[int]] = {}
    tokens: dict[str, int] = {}
    for i, f in enumerate(named):
        keys = _token_pairs(f) if len(f.canon) > 2 else ()
        for key in (f.canon_sorted, *keys):
            holders.setdefault(key, []).append(i)
        for t in f.canon:
            tokens[t] = tokens.get(t, 0) + 1
    groups = {k: 1 if len(v) == 1 else _groups(named, v) for k, v in holders.items()}
    return NameStats(groups, tokens, len(named))


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
