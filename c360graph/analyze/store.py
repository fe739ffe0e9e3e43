"""Writes households and fraud rings to the graph, keeping their ids stable across runs."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from c360graph.analyze.fraud import Ring
from c360graph.analyze.households import REASONS, Household
from c360graph.db.graph import Graph
from c360graph.resolve.identities import assign_identities, new_identity_id

BATCH = 2_000
# Identifier kind -> the key of write_ring_evidence's $evidence map
_EVIDENCE_KEYS = {
    "device": "devices",
    "phone": "phones",
    "address": "addresses",
    "loyalty_id": "loyalty_ids",
    "national_id": "national_ids",
}


@dataclass(frozen=True)
class StableIds:
    """Ids given to groups: how many kept an earlier id and how many are new."""

    ids: list[str]  # in the order of the groups given
    kept: int
    new: int


def stable_group_ids(
    groups: Sequence[tuple[str, ...]], previous: dict[str, str], prefix: str
) -> StableIds:
    """An id per group of identities, keeping the id most of its members had before."""
    if not groups:
        return StableIds([], 0, 0)

    def fresh() -> str:
        return prefix + new_identity_id().removeprefix("id_")

    assignment = assign_identities(groups, previous, fresh)
    earlier = set(previous.values())
    ids = [assignment.record_identity[group[0]] for group in groups]
    kept = sum(1 for i in ids if i in earlier)
    return StableIds(ids, kept, len(ids) - kept)


def current_groups(graph: Graph, query: str, column: str) -> dict[str, str]:
    """Identity id -> its household or ring id, as the last run left them."""
    return {row["identity"]: row[column] for row in graph.stream(query)}


def _batches(rows: list[dict[str, Any]], size: int = BATCH) -> Iterable[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def write_households(
    graph: Graph,
    households: Sequence[Household],
    ids: Sequence[str],
    run_id: str,
    now: Any,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Write households with their members, then drop the memberships this run did not make."""
    rows = [
        {
            "id": hid,
            "props": {
                "confidence": h.confidence,
                "reason": h.reason,
                "evidence": list(h.evidence),
                "size": len(h.members),
            },
            "members": [
                {
                    "id": m,
                    "confidence": h.member_confidence[m],
                    "reason": "; ".join(REASONS[e] for e in h.member_evidence[m]),
                }
                for m in h.members
            ],
        }
        for h, hid in zip(households, ids, strict=True)
    ]
    done = 0
    for batch in _batches(rows):
        graph.write("analyses/write_households", households=batch, run_id=run_id, now=now)
        done += len(batch)
        if progress:
            progress(done)
    graph.write("analyses/drop_stale_households", run_id=run_id)


def write_rings(
    graph: Graph, rings: Sequence[Ring], ids: Sequence[str], run_id: str, now: Any
) -> None:
    """Write rings with their members and evidence, then drop what this run did not confirm."""
    rows = [
        {
            "id": rid,
            "props": {
                "score": r.score,
                "size": len(r.members),
                "density": r.parts["density"],
                "velocity": r.parts["velocity"],
                "orders": r.parts["orders"],
                "reason": r.reason,
                "opened_within_days": r.opened_within_days,
                "large_orders": r.large_orders,
                "evidence_kinds": sorted({e.kind for e in r.evidence}),
            },
            "members": list(r.members),
        }
        for r, rid in zip(rings, ids, strict=True)
    ]
    for batch in _batches(rows):
        graph.write("analyses/write_rings", rings=batch, run_id=run_id, now=now)
    evidence: list[tuple[str, dict[str, Any]]] = [
        (_EVIDENCE_KEYS[e.kind], {"ring": rid, "value": e.value, "identities": len(e.identities)})
        for r, rid in zip(rings, ids, strict=True)
        for e in r.evidence
    ]
    for start in range(0, len(evidence), BATCH):
        grouped: dict[str, list[dict[str, Any]]] = {key: [] for key in _EVIDENCE_KEYS.values()}
        for key, row in evidence[start : start + BATCH]:
            grouped[key].append(row)
        graph.write("analyses/write_ring_evidence", evidence=grouped, run_id=run_id)
    graph.write("analyses/drop_stale_rings", run_id=run_id)
