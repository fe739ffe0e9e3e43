"""Writing a resolution's outcome to the graph, in batches, touching only what changed."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from c360graph.db.graph import Graph
from c360graph.resolve.components import Edge
from c360graph.resolve.event_feed import ensure_sequence
from c360graph.resolve.identities import Assignment
from c360graph.resolve.records import Scored
from c360graph.resolve.shared import RULE_FIELDS
from c360graph.resolve.store import StoredLink, write_batched
from c360graph.run import Run

LinkKey = tuple[str, str]
PROBABILITY_DIGITS = 6  # as stored; clustering reads fresh and stored links at this precision


@dataclass
class Outcome:
    """Everything one run decided, ready to write."""

    run: Run  # its id, start time (every write's stamp) and run node
    model_version: str
    links: dict[LinkKey, dict[str, Any]]  # accepted link pair -> properties
    stored: dict[LinkKey, StoredLink]  # what the graph holds for the same scope
    assignment: Assignment
    previous: Mapping[str, str]  # record -> identity before this run
    # identity id -> flat golden properties to write; computed while links are written
    golden: Callable[[], Mapping[str, Mapping[str, Any]]]
    resolved: Sequence[str]  # keys of the records resolved now
    shared: dict[str, set[str]] = field(default_factory=dict)  # rule -> values now shared
    unshared: dict[str, set[str]] = field(default_factory=dict)  # rule -> no longer shared
    run_props: dict[str, Any] = field(default_factory=dict)

    @property
    def run_id(self) -> str:
        """The run's id, stamped on what it writes."""
        return self.run.run_id

    @property
    def now(self) -> datetime:
        """When the run started: the time stamped on what it writes."""
        return self.run.started_at


def link_properties(
    scored: Scored | None, edge: Edge, stored: StoredLink | None = None
) -> dict[str, Any]:
    """The stored properties of an accepted link: kind, score and why (kept ones as stored)."""
    if scored is None and stored is not None and edge.kind != "must":
        # A link kept from an earlier run, re-clustered but not re-scored: as a must-link it
        # would be rewritten at probability 1.0, past every guard's yields_to, and the next
        # run would join what a full run keeps apart (issue 20, seed 7966).
        return {
            "kind": stored.kind,
            "probability": stored.probability,
            "weight": stored.weight,
            "rules": list(stored.rules),
            "evidence": list(stored.evidence),
            "levels": list(stored.levels),
        }
    if scored is None:  # an analyst's must-link
        return {
            "kind": edge.kind,
            "probability": 1.0,
            "weight": 0.0,
            "rules": [],
            "evidence": [],
            "levels": [],
        }
    return {
        "kind": edge.kind,
        "probability": round(scored.probability, PROBABILITY_DIGITS),
        "weight": round(scored.weight, 3),
        "rules": list(scored.rules),
        "evidence": list(scored.evidence),
        "levels": [f"{name}={level}" for name, level in sorted(scored.levels.items())],
    }


def _shared_params(values: Mapping[str, set[str]]) -> dict[str, list[str]]:
    return {RULE_FIELDS[rule]: sorted(v) for rule, v in values.items()} | {
        name: [] for name in RULE_FIELDS.values() if name not in {RULE_FIELDS[r] for r in values}
    }


def write_outcome(graph: Graph, outcome: Outcome) -> dict[str, int]:
    """Write links, identities, assignments, redirects and the run record; return counts.

    The run is recorded as 'writing' first and 'complete' last: a run that dies in between
    is undone by the next (resolve/recovery.py).
    """
    run = {"run_id": outcome.run_id, "now": outcome.now}
    outcome.run.begin(graph, **outcome.run_props)
    with ThreadPoolExecutor(1, thread_name_prefix="c360-golden") as pool:
        # Golden records are Python work and writing links is mostly the graph's: overlap them.
        golden_records = pool.submit(outcome.golden)
        # A link scored anew by another model is rewritten: a stale probability would order
        # the next incremental run's clustering differently from a full run's.
        rescored = {
            pair
            for pair, props in outcome.links.items()
            if pair in outcome.stored
            and outcome.stored[pair].kind != "must"
            and outcome.stored[pair].probability != props["probability"]
        }
        removed = [
            {"a": a, "b": b}
            for a, b in outcome.stored
            if (a, b) not in outcome.links or (a, b) in rescored
        ]
        added = [
            {"a": a, "b": b, **props}
            for (a, b), props in outcome.links.items()
            if (a, b) not in outcome.stored or (a, b) in rescored
        ]
        write_batched(graph, "resolve/delete_link_pairs", "pairs", removed)
        write_batched(
            graph,
            "resolve/create_links",
            "links",
            added,
            model_version=outcome.model_version,
            **run,
        )
        golden = golden_records.result()

    assignment = outcome.assignment
    identities = [{"id": i, "props": golden[i]} for i in sorted(golden)]
    write_batched(graph, "resolve/upsert_identities", "identities", identities, **run)
    unstamped = set(outcome.resolved)
    moved, first = [], []
    for key, identity in sorted(assignment.record_identity.items()):
        previous = outcome.previous.get(key)
        if previous is None and key in unstamped:
            unstamped.discard(key)
            first.append({"key": key, "identity": identity})
        elif previous != identity:
            moved.append({"key": key, "identity": identity, "previous": previous})
    write_batched(graph, "resolve/assign_new_records", "rows", first, run_id=outcome.run_id)
    write_batched(graph, "resolve/assign_records", "rows", moved, run_id=outcome.run_id)
    redirects = [{"from": old, "to": new} for old, new in sorted(assignment.redirects.items())]
    write_batched(graph, "resolve/redirect_identities", "redirects", redirects, **run)
    write_batched(graph, "resolve/retire_identities", "ids", sorted(assignment.retired), **run)
    write_batched(graph, "resolve/stamp_resolved", "keys", sorted(unstamped))
    if outcome.shared or outcome.unshared:
        graph.write(
            "resolve/mark_shared",
            shared=_shared_params(outcome.shared),
            unshared=_shared_params(outcome.unshared),
            now=outcome.now,
        )
    events = [
        {
            "kind": e.kind,
            "identity": e.identity,
            "others": list(e.others),
            "records": e.records,
            "reason": e.reason,
        }
        for e in assignment.events
    ]
    counts = {
        "links_added": len(added),
        "links_removed": len(removed),
        "identities_written": len(identities),
        "records_moved": len(first) + len(moved),
        "redirects": len(redirects),
        "retired": len(assignment.retired),
        "events": len(events),
    }
    # In batches: a million-record run makes ~500k events, far over one Bolt message.
    ensure_sequence(graph)
    write_batched(graph, "resolve/record_events", "events", events, **run)
    outcome.run.finish(graph, **counts)
    return counts


def tombstone_id(value: str, pepper: str) -> str:
    """A keyed hash of an erased record or identity: checkable, but not reversible."""
    return hmac.new(pepper.encode(), value.encode(), hashlib.sha256).hexdigest()[:32]
