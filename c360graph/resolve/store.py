"""The graph adapter of resolution: reads records, rule groups and state; writes results.

The only module of resolve/ that talks to the database; everything it returns is plain data.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from typing import Any

from c360graph.db.graph import Graph
from c360graph.db.values import date_from_text, moment_from_text
from c360graph.resolve.model.stored import from_properties, to_properties
from c360graph.resolve.model.training import TrainedModel
from c360graph.resolve.records import Rec

CHUNK = 5000
RULES = ("same_email", "same_phone", "same_device", "same_loyalty_id", "same_national_id")


@dataclass(frozen=True)
class RuleGroup:
    """Records sharing one identifier, as a deterministic rule found them."""

    rule: str
    evidence: str
    placeholder: bool
    was_shared: bool  # marked shared by an earlier run
    records: tuple[str, ...]


@dataclass(frozen=True)
class StoredLink:
    """An accepted link kept in the graph from an earlier run."""

    a: str
    b: str
    kind: str
    probability: float
    weight: float
    rules: tuple[str, ...]
    evidence: tuple[str, ...]
    levels: tuple[str, ...]


def chunks(items: Sequence[str], size: int = CHUNK) -> Iterator[list[str]]:
    """Consecutive slices of at most `size` items."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _rec(row: dict[str, Any]) -> Rec:
    return Rec(
        key=row["key"],
        source=row["source"] or row["key"].split(":", 1)[0],
        first_name=row["first_name"],
        last_name=row["last_name"],
        full_name=row["full_name"],
        first_name_key=row["first_name_key"],
        last_name_key=row["last_name_key"],
        date_of_birth=date_from_text(row["date_of_birth"]),
        gender=row["gender"],
        address_line1=row["address_line1"],
        address_line2=row["address_line2"],
        city=row["city"],
        postcode=row["postcode"],
        region=row["region"],
        country=row["country"],
        emails=tuple(sorted(row["emails"])),
        phones=tuple(sorted(row["phones"])),
        devices=tuple(sorted(row["devices"])),
        loyalty_ids=tuple(sorted(row["loyalty_ids"])),
        national_ids=tuple(sorted(row["national_ids"])),
        updated_at=moment_from_text(row["updated_at"]),
        stub=bool(row["stub"]),
    )


@dataclass
class Export:
    """Every record as a run starts: its content, its identity, whether it changed since."""

    recs: dict[str, Rec]
    identity: dict[str, str]  # record key -> current identity id (resolved records only)
    dirty: set[str]  # records new or changed since they were last resolved

    def members(self, identity_ids: Iterable[str]) -> dict[str, list[str]]:
        """The record keys of each given identity, as exported."""
        wanted = set(identity_ids)
        found: dict[str, list[str]] = {}
        for key, identity in self.identity.items():
            if identity in wanted:
                found.setdefault(identity, []).append(key)
        return found


def export_all(graph: Graph) -> Export:
    """Every record with its identifiers, identity and dirtiness, in one streamed read."""
    export = Export({}, {}, set())
    for row in graph.stream("resolve/export_all_records"):
        rec = _rec(row)
        export.recs[rec.key] = rec
        if row["identity"] is not None:
            export.identity[rec.key] = row["identity"]
        if row["dirty"]:
            export.dirty.add(rec.key)
    return export


def load_all_records(graph: Graph) -> Iterator[Rec]:
    """Every source record with its identifiers, streamed."""
    for row in graph.stream("resolve/export_all_records"):
        yield _rec(row)


def load_records(graph: Graph, keys: Sequence[str]) -> dict[str, Rec]:
    """The given records by key (missing keys are simply absent)."""
    found: dict[str, Rec] = {}
    for chunk in chunks(keys):
        for row in graph.read("resolve/export_records", keys=chunk):
            found[row["key"]] = _rec(row)
    return found


def rule_groups(graph: Graph, rule: str, keys: Sequence[str] | None) -> list[RuleGroup]:
    """The identifier groups a rule finds around the given records (None: all), each once."""
    rows: Iterable[dict[str, Any]]
    if keys is None:
        rows = graph.stream(f"rules/{rule}_everywhere")
    else:
        rows = (row for chunk in chunks(keys) for row in graph.read(f"rules/{rule}", keys=chunk))
    groups: dict[str, RuleGroup] = {}
    for row in rows:
        evidence = row["evidence"]
        if evidence not in groups:
            records = tuple(sorted(set(row["records"])))
            groups[evidence] = RuleGroup(
                rule, evidence, row["placeholder"], row["was_shared"], records
            )
    return list(groups.values())


def stored_shared(graph: Graph) -> dict[str, set[str]]:
    """Identifier values earlier runs marked shared, by the Rec field they fill."""
    shared: dict[str, set[str]] = {}
    for row in graph.read("resolve/stored_shared"):
        shared.setdefault(row["field"], set()).add(row["value"])
    return shared


def assignments(graph: Graph, keys: Sequence[str]) -> dict[str, str]:
    """The current identity id of each given record that has one."""
    found: dict[str, str] = {}
    for chunk in chunks(keys):
        for row in graph.read("resolve/assignments", keys=chunk):
            found[row["key"]] = row["identity"]
    return found


def members(graph: Graph, identity_ids: Iterable[str]) -> dict[str, list[str]]:
    """The record keys of each given identity."""
    found: dict[str, list[str]] = {}
    for chunk in chunks(sorted(set(identity_ids))):
        for row in graph.read("resolve/identity_members", ids=chunk):
            found.setdefault(row["identity"], []).append(row["key"])
    return found


def links_among(graph: Graph, keys: Iterable[str], everywhere: bool = False) -> list[StoredLink]:
    """Stored accepted links whose both ends are among `keys` (`everywhere`: keys are all)."""
    wanted = set(keys)
    rows: Iterable[dict[str, Any]]
    if everywhere:
        rows = graph.stream("resolve/all_links")  # one pass, not a read per chunk of keys
    else:
        rows = (
            row
            for chunk in chunks(sorted(wanted))
            for row in graph.read("resolve/links_from", keys=chunk)
        )
    return [
        StoredLink(
            row["a"],
            row["b"],
            row["kind"] or "fuzzy",
            float(row["probability"] or 0.0),
            float(row["weight"] or 0.0),
            tuple(row["rules"] or ()),
            tuple(row["evidence"] or ()),
            tuple(row["levels"] or ()),
        )
        for row in rows
        if row["a"] in wanted and row["b"] in wanted
    ]


def assertions(
    graph: Graph, keys: Iterable[str]
) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """Analyst assertions touching `keys`: (must-link pairs, cannot-link pairs), each ordered."""
    must: set[tuple[str, str]] = set()
    cannot: set[tuple[str, str]] = set()
    for chunk in chunks(sorted(set(keys))):
        for row in graph.read("resolve/assertions_among", keys=chunk):
            pair = (min(row["a"], row["b"]), max(row["a"], row["b"]))
            (must if row["type"] == "SAME_AS" else cannot).add(pair)
    return must, cannot


def all_assertions(graph: Graph) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """Every analyst assertion: (must-link pairs, cannot-link pairs), each ordered."""
    must: set[tuple[str, str]] = set()
    cannot: set[tuple[str, str]] = set()
    for row in graph.read("resolve/all_assertions"):
        pair = (min(row["a"], row["b"]), max(row["a"], row["b"]))
        (must if row["type"] == "SAME_AS" else cannot).add(pair)
    return must, cannot


def write_batched(graph: Graph, name: str, param: str, items: Sequence[Any], **extra: Any) -> None:
    """Run a write query over `items` in transactions of CHUNK items."""
    for start in range(0, len(items), CHUNK):
        graph.write(name, **{param: list(items[start : start + CHUNK])}, **extra)


def load_model(graph: Graph) -> tuple[TrainedModel, str] | None:
    """The stored trained model and the fingerprint of the config it was trained for."""
    rows = graph.read("resolve/model_load")
    return from_properties(rows[0]) if rows else None


def save_model(graph: Graph, model: TrainedModel, fingerprint: str, now: datetime) -> None:
    """Store a trained model; it replaces the one before."""
    graph.write("resolve/model_save", trained_at=now, **to_properties(model, fingerprint))
