"""Term frequencies counted per person, not per record.

Splink's term-frequency adjustment replaces a level's u by how often the agreed value
occurs: agreeing on a rare name weighs more than on "Nguyễn Văn An". Counted per record,
one person's five accounts make their name look five times as common, and customer data
holds many accounts per person. So records first join into groups where they share an
identifier, or a name and a date of birth (the same evidence deterministic rules trust),
and a value's frequency is the share of groups that carry it.

A full name is rarer than any count of full names can show: in a few thousand people
nearly every full name occurs once or twice, whether it is "James Smith" or "Gabrielle
Maillot". Its frequency is therefore estimated from its tokens, as the share of people
expected to carry its two rarest tokens together (middle names follow the rest, so only
two count). This replaces Splink's record-count frequency, which cannot tell the two.

Tokens are not independent (a Vietnamese family name comes with Vietnamese given names),
so the product misjudges: it makes rare names rarer than they are, and common ones
commoner. The data itself says by how much, without labels: two person groups that carry
one name but clearly different dates of birth are two people, so counting such namesakes,
scaled by how often two random groups' dates differ that much, estimates how often
strangers share a name. Where that count exceeds what the product predicts, names of that
rarity are made as common as the count says (`NAME_CALIBRATION`, per half decade of the
product); never rarer than the product.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable

import pyarrow as pa
from rapidfuzz.distance import DamerauLevenshtein

# An identifier on more records than this is a shop phone or a placeholder, not a person.
_MAX_HOLDERS = 20
NAME_TOKENS = "name_token"  # pseudo-column: token -> share of people carrying it
PEOPLE = "_people"  # {"groups": number of person groups counted}
NAME_CALIBRATION = "_name_calibration"  # half decade of the token product -> factor >= 1
# Two dates of birth this many typing edits apart are two people's, not a typo.
_DIFFERENT_DATES = 3
_RARE_NAME = 1e-4  # names commoner than this by the product are over-, not under-estimated
_MAX_NAMESAKES = 50  # groups of one name compared pairwise (a rare name has a few)
_DATE_PAIRS = 20_000  # random pairs of groups that estimate how often dates differ
_PSEUDO_COUNT = 5.0  # few namesakes leave a factor near 1
_HINTS = ("emails", "phones", "devices", "loyalty_ids", "national_ids")


def _groups(table: pa.Table) -> list[int]:
    """A group number per row: rows sharing an identifier or a name and birth date join."""
    n = table.num_rows
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    holders: dict[tuple[str, str], list[int]] = {}
    for column in _HINTS:
        for i, values in enumerate(table.column(column).to_pylist()):
            for v in values or ():
                holders.setdefault((column, v), []).append(i)
    names = table.column("name_key").to_pylist()
    dobs = table.column("dob_text").to_pylist()
    for i, (name, dob) in enumerate(zip(names, dobs, strict=True)):
        if name and dob:
            holders.setdefault(("name_dob", f"{name}|{dob}"), []).append(i)
    for rows in holders.values():
        if 1 < len(rows) <= _MAX_HOLDERS:
            root = find(rows[0])
            for i in rows[1:]:
                parent[find(i)] = root
    return [find(i) for i in range(n)]


def person_frequencies(table: pa.Table, columns: Iterable[str]) -> dict[str, dict[str, float]]:
    """Per column, value -> share of person groups carrying it (model/columns.py table)."""
    groups = _groups(table)
    total = max(1, len(set(groups)))
    out: dict[str, dict[str, float]] = {}
    for column in columns:
        carriers: dict[str, set[int]] = {}
        for value, group in zip(table.column(column).to_pylist(), groups, strict=True):
            if value is not None:
                carriers.setdefault(str(value), set()).add(group)
        out[column] = {v: len(g) / total for v, g in carriers.items()}
    tokens: dict[str, set[int]] = {}
    for names, group in zip(table.column("name_canon").to_pylist(), groups, strict=True):
        for token in names or ():
            tokens.setdefault(token, set()).add(group)
    out[NAME_TOKENS] = {t: len(g) / total for t, g in tokens.items()}
    out[PEOPLE] = {"groups": float(total)}
    out[NAME_CALIBRATION] = _name_calibration(table, groups, out)
    if "name_key" in out:
        out["name_key"] = {name: name_frequency(out, name) for name in out["name_key"]}
    return out


def _token_product(freqs: dict[str, dict[str, float]], name: str) -> float:
    total = freqs[PEOPLE]["groups"]
    shares = freqs[NAME_TOKENS]
    rarest = sorted(shares.get(t, 1 / total) for t in name.split())[:2]
    return max(1 / total**2, rarest[0] * (rarest[1] if len(rarest) > 1 else 1.0))


def _bin(product: float) -> str:
    return f"{math.floor(math.log10(product) * 2) / 2:g}"


def name_frequency(freqs: dict[str, dict[str, float]], name: str) -> float:
    """A full name's expected share of people: its two rarest tokens', calibrated."""
    product = _token_product(freqs, name)
    factor = freqs.get(NAME_CALIBRATION, {}).get(_bin(product), 1.0)
    return min(1.0, product * factor)


def _name_calibration(
    table: pa.Table, groups: list[int], freqs: dict[str, dict[str, float]]
) -> dict[str, float]:
    """Per half decade of the token product: strangers' name coincidences seen / predicted."""
    dobs: dict[int, set[str]] = {}
    names: dict[str, set[int]] = {}
    for name, dob, group in zip(
        table.column("name_key").to_pylist(),
        table.column("dob_text").to_pylist(),
        groups,
        strict=True,
    ):
        if name and dob:
            dobs.setdefault(group, set()).add(dob)
            names.setdefault(name, set()).add(group)
    dated = sorted(dobs)
    if len(dated) < 2:
        return {}

    def differ(a: int, b: int) -> bool:
        return all(
            DamerauLevenshtein.distance(x, y) >= _DIFFERENT_DATES for x in dobs[a] for y in dobs[b]
        )

    rng = random.Random(len(dated))  # the same data gives the same model
    sample = [rng.sample(dated, 2) for _ in range(_DATE_PAIRS)]
    share_differing = sum(differ(a, b) for a, b in sample) / len(sample)
    if share_differing == 0:
        return {}
    seen: dict[str, float] = {}
    predicted: dict[str, float] = {}
    for name, carriers in names.items():
        product = _token_product(freqs, name)
        if product >= _RARE_NAME:
            continue
        key = _bin(product)
        # Each dated group carrying the name expects (dated - 1) * product namesakes.
        predicted[key] = predicted.get(key, 0.0) + len(carriers) * (len(dated) - 1) * product / 2
        some = sorted(carriers)[:_MAX_NAMESAKES]
        strangers = sum(differ(a, b) for i, a in enumerate(some) for b in some[i + 1 :])
        seen[key] = seen.get(key, 0.0) + strangers / share_differing
    return {
        key: max(1.0, (seen.get(key, 0.0) + _PSEUDO_COUNT) / (p + _PSEUDO_COUNT))
        for key, p in predicted.items()
    }


def lookup(
    freqs: dict[str, dict[str, float]], column: str, values: Iterable[str]
) -> dict[str, float]:
    """Frequencies of these values; a value training never saw counts as one person's."""
    known = freqs.get(column, {})
    unseen = 1 / freqs[PEOPLE]["groups"]
    out = {}
    for value in values:
        if value in known:
            out[value] = known[value]
        elif column == "name_key":
            out[value] = name_frequency(freqs, value)
        else:
            out[value] = unseen
    return out
