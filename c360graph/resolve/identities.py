"""Stable identity ids across runs: components keep the ids their records had before.

Each old id is kept by at most one component and each component keeps at most one old id,
decided globally and greedily: all (records shared, old id, component) overlaps, most records
first, then smallest old id, then the component whose smallest record key is smallest. So:

- unchanged input keeps every id and records no event;
- merged components keep the id holding most of their records (tie: smallest id); the other
  ids become redirects to it ("merge" event on the survivor);
- a split identity stays with the component holding most of its records (tie: the component
  with the smallest record key); the others get new ids ("split" event on the old id);
- an old id that no component keeps redirects to the identity that got most of its records;
- records that leave an identity for one that existed before and kept its id (not a merge)
  are a "move" event on the receiving identity, beside the "split" on the one they left;
- an old id none of whose records are present any more is retired ("retire" event);
- a component with no earlier ids gets a new one ("create" event).
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

EVENT_KINDS = ("create", "merge", "split", "move", "retire")
# Crockford's base32, lower-case: URL-safe, no look-alike letters, sorts like the numbers.
_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"


@dataclass(frozen=True)
class Event:
    """Something that happened to an identity in this run.

    `records` counts: for "create" and "merge" the records of the identity now, for "split"
    the records that left it, for "move" the records that arrived, for "retire" the records
    it had in the previous run.
    """

    kind: str  # one of EVENT_KINDS
    identity: str
    # merge: ids absorbed; split: identities its records went to; move: ids they came from
    others: tuple[str, ...]
    records: int
    reason: str


@dataclass
class Assignment:
    """The identities of one run and how they relate to the previous run's."""

    record_identity: dict[str, str] = field(default_factory=dict)
    identities: dict[str, tuple[str, ...]] = field(default_factory=dict)  # id -> record keys
    redirects: dict[str, str] = field(default_factory=dict)  # absorbed old id -> surviving id
    retired: list[str] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)


def new_identity_id() -> str:
    """A fresh id: "id_" + 10 base32 chars of milliseconds + 10 of randomness (sorts by time)."""
    stamp = int(time.time() * 1000) & ((1 << 50) - 1)
    noise = int.from_bytes(os.urandom(7), "big") >> 6  # 50 random bits
    return "id_" + _base32(stamp, 10) + _base32(noise, 10)


def _base32(number: int, width: int) -> str:
    chars = []
    for _ in range(width):
        number, digit = divmod(number, 32)
        chars.append(_ALPHABET[digit])
    return "".join(reversed(chars))


def resolve_redirect(identity_id: str, redirects: Mapping[str, str]) -> str:
    """The identity an id ends up at by following redirects; a cycle yields its smallest id."""
    path: list[str] = []
    seen: set[str] = set()
    current = identity_id
    while current in redirects and current not in seen:
        seen.add(current)
        path.append(current)
        current = redirects[current]
    if current in seen:  # a corrupted chain: settle on one member so every caller agrees
        return min(path[path.index(current) :])
    return current


def assign_identities(
    components: Sequence[tuple[str, ...]],
    previous: Mapping[str, str],
    new_id: Callable[[], str],
) -> Assignment:
    """Give each component an identity id, keeping previous ids as stably as possible."""
    groups = _checked_components(components)
    # overlap[old id][component] = records of that component the old id held
    overlap: dict[str, Counter[int]] = {}
    for c, keys in enumerate(groups):
        for key in keys:
            old = previous.get(key)
            if old is not None:
                overlap.setdefault(old, Counter())[c] += 1

    claims = sorted(
        (-count, old, groups[c][0], c) for old, per in overlap.items() for c, count in per.items()
    )
    kept: dict[int, str] = {}  # component -> old id it keeps
    taken: set[str] = set()
    for _, old, _, c in claims:
        if old not in taken and c not in kept:
            kept[c] = old
            taken.add(old)

    result = Assignment()
    ids: list[str] = []
    in_use = set(previous.values())
    for c, keys in enumerate(groups):
        identity = kept[c] if c in kept else _fresh(new_id, in_use)
        ids.append(identity)
        result.identities[identity] = keys
        result.record_identity.update(dict.fromkeys(keys, identity))

    for old, per in sorted(overlap.items()):
        if old not in taken:
            result.redirects[old] = ids[_home(per, groups)]
    _record_events(result, groups, ids, kept, overlap, previous)
    return result


def _checked_components(components: Sequence[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Components sorted inside and by smallest key; ValueError on empty or overlapping ones."""
    groups = sorted(tuple(sorted(c)) for c in components)
    if groups and not groups[0]:
        raise ValueError("an empty component was given; drop it before assigning identities")
    seen: set[str] = set()
    for keys in groups:
        twice = seen.intersection(keys)
        if twice:
            raise ValueError(
                f"record {min(twice)!r} is in two components; components must partition "
                "the records (use cluster() output as is)"
            )
        seen.update(keys)
    return groups


def _fresh(new_id: Callable[[], str], in_use: set[str]) -> str:
    identity = new_id()
    if identity in in_use:
        raise ValueError(f"new_id() returned {identity!r}, an id already in use; it must be unique")
    in_use.add(identity)
    return identity


def _home(per: Counter[int], groups: list[tuple[str, ...]]) -> int:
    """The component holding most of an old id's records (tie: smallest record key)."""
    return min(per, key=lambda c: (-per[c], groups[c][0]))


def _record_events(
    result: Assignment,
    groups: list[tuple[str, ...]],
    ids: list[str],
    kept: dict[int, str],
    overlap: dict[str, Counter[int]],
    previous: Mapping[str, str],
) -> None:
    events: list[Event] = []
    absorbed: dict[str, list[str]] = {}
    for old, survivor in result.redirects.items():
        absorbed.setdefault(survivor, []).append(old)
    for survivor, olds in absorbed.items():
        reason = f"now linked with the records of {', '.join(sorted(olds))}, redirected here"
        size = len(result.identities[survivor])
        events.append(Event("merge", survivor, tuple(sorted(olds)), size, reason))

    for c, keys in enumerate(groups):
        if c not in kept and not any(key in previous for key in keys):
            events.append(
                Event("create", ids[c], (), len(keys), "records with no earlier identity")
            )

    for old, per in overlap.items():
        home = result.redirects.get(old, old)
        away = {c: n for c, n in per.items() if ids[c] != home}
        if away:
            moved = sum(away.values())
            reason = "records no longer linked to the rest went to other identities"
            events.append(Event("split", old, tuple(sorted(ids[c] for c in away)), moved, reason))

    events.extend(_moves(result, ids, kept, overlap))
    gone = Counter(old for key, old in previous.items() if key not in result.record_identity)
    for old in sorted(set(gone).difference(overlap)):
        result.retired.append(old)
        reason = "none of its records are present any more (erased or removed)"
        events.append(Event("retire", old, (), gone[old], reason))

    rank = {kind: r for r, kind in enumerate(EVENT_KINDS)}
    result.events = sorted(events, key=lambda e: (rank[e.kind], e.identity))


def _moves(
    result: Assignment, ids: list[str], kept: dict[int, str], overlap: dict[str, Counter[int]]
) -> list[Event]:
    """Records arriving at an identity that kept its id, from ids not merged into it."""
    events = []
    for c, identity in kept.items():
        came = {
            old: per[c]
            for old, per in overlap.items()
            if per.get(c) and old != identity and result.redirects.get(old) != identity
        }
        if came:
            reason = f"records of {', '.join(sorted(came))} are now linked with this identity"
            events.append(Event("move", ids[c], tuple(sorted(came)), sum(came.values()), reason))
    return events
