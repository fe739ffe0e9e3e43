"""Explain: why two records are the same person, or why not."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import date

from c360graph.db.graph import Graph
from c360graph.resolve import store
from c360graph.resolve.assertions import UnknownRecord
from c360graph.resolve.features import features
from c360graph.resolve.guards import DOB_IDENTITY, NAME_IDENTITY, DobJudge, different_people
from c360graph.resolve.linking import find_links
from c360graph.resolve.model.training import TrainedModel
from c360graph.resolve.records import Rec, Scored
from c360graph.resolve.settings import ResolutionConfig


@dataclass(frozen=True)
class Hop:
    """One accepted link on the chain between two records."""

    a: str
    b: str
    kind: str
    probability: float
    rules: tuple[str, ...]
    evidence: tuple[str, ...]
    levels: tuple[str, ...]

    def text(self) -> str:
        """One line for people."""
        why = ", ".join(f"{r} ({e})" for r, e in zip(self.rules, self.evidence, strict=False))
        if self.kind == "must":
            why = "an analyst asserted they are the same person"
        return f"{self.a} -> {self.b}: p={self.probability:.4f} {why} [{' '.join(self.levels)}]"


@dataclass
class Explanation:
    """Why two records are, or are not, resolved to the same identity."""

    a: str
    b: str
    identity_a: str | None
    identity_b: str | None
    same: bool
    reason: str
    path: list[Hop] = field(default_factory=list)
    direct: Scored | None = None
    threshold: float = 0.0

    def text(self) -> str:
        """A readable explanation, several lines."""
        head = f"{self.a} [{self.identity_a}] and {self.b} [{self.identity_b}]: {self.reason}"
        lines = [head, *("  " + hop.text() for hop in self.path)]
        if self.direct is not None:
            d = self.direct
            levels = " ".join(f"{k}={v}" for k, v in sorted(d.levels.items()))
            lines.append(
                f"  direct comparison: p={d.probability:.4f} "
                f"(threshold {self.threshold}), weight {d.weight:.2f} [{levels}]"
            )
            lines.extend(f"    {step}" for step in waterfall(d))
        return "\n".join(lines)


def waterfall(scored: Scored) -> list[str]:
    """The match weight built up step by step: the prior, then each compared field's weight."""
    prior = scored.weight - sum(scored.partials.values())
    steps = [("prior (two random records)", prior)]
    steps += [
        (f"{name}={scored.levels.get(name, '?')}", w)
        for name, w in scored.partials.items()
        if scored.levels.get(name) != "null"
    ]
    out, total = [], 0.0
    for label, w in steps:
        total += w
        out.append(f"{label:<32} {w:+8.2f}  = {total:+8.2f}")
    return out


def _path(links: list[store.StoredLink], a: str, b: str) -> list[Hop]:
    graph: dict[str, list[store.StoredLink]] = {}
    for link in links:
        graph.setdefault(link.a, []).append(link)
        graph.setdefault(link.b, []).append(link)
    came: dict[str, tuple[str, store.StoredLink] | None] = {a: None}
    queue = deque([a])
    while queue and b not in came:
        node = queue.popleft()
        for link in graph.get(node, []):
            other = link.b if link.a == node else link.a
            if other not in came:
                came[other] = (node, link)
                queue.append(other)
    hops: list[Hop] = []
    step = came.get(b)
    node = b
    while step is not None:
        prev, link = step
        hops.append(
            Hop(prev, node, link.kind, link.probability, link.rules, link.evidence, link.levels)
        )
        node, step = prev, came[prev]
    return list(reversed(hops))


def explain(graph: Graph, config: ResolutionConfig, a: str, b: str) -> Explanation:
    """Explain two records: the evidence chain joining them, or what keeps them apart."""
    recs = store.load_records(graph, [a, b])
    for key in (a, b):
        if key not in recs:
            raise UnknownRecord(f"no record {key!r}; keys look like source:source_id (crm:C000123)")
    ids = store.assignments(graph, [a, b])
    groups = [g for rule in config.rules for g in store.rule_groups(graph, rule, [a, b])]
    # Every group touching either record, with its members, as in a run: shared ones are
    # stripped the same way. Term frequencies come from the model, so nothing else is read.
    members = sorted({k for g in groups for k in g.records} | {a, b})
    recs = {**store.load_records(graph, members), **recs}
    stored = store.load_model(graph)
    model = stored[0] if stored else None
    found = None
    if model is not None:
        found = find_links(
            recs,
            groups,
            {a, b},
            config,
            model,
            pairs_only={(min(a, b), max(a, b))},
            known_shared=store.stored_shared(graph),
        )
    direct = found.scored[0] if found and found.scored else None
    result = Explanation(
        a, b, ids.get(a), ids.get(b), False, "", direct=direct, threshold=config.threshold
    )
    if ids.get(a) and ids.get(a) == ids.get(b):
        members = store.members(graph, [ids[a]])[ids[a]]
        result.same = True
        result.path = _path(store.links_among(graph, members), a, b)
        result.reason = f"the same person: linked through {len(result.path)} accepted link(s)"
        return result
    _must, cannot = store.assertions(graph, [a, b])
    shared = _shared_touched(found.shared_seen if found else {}, recs[a], recs[b])
    if (min(a, b), max(a, b)) in cannot:
        result.reason = "different people: an analyst asserted so (cannot-link)"
    elif not ids.get(a) or not ids.get(b) or model is None:
        result.reason = "not resolved yet: run `c360 resolve`"
    elif direct is None:
        result.reason = "never compared: no shared identifier and no common blocking key" + (
            f" (shared identifiers ignored: {', '.join(shared)})" if shared else ""
        )
    elif direct.blocked_by:
        result.reason = f"different people: guard {direct.blocked_by} vetoes the link"
    elif direct.probability < config.threshold:
        result.reason = (
            f"different people: match probability {direct.probability:.4f} is below the "
            f"threshold {config.threshold}"
            + (f"; shared identifiers ignored: {', '.join(shared)}" if shared else "")
        )
    else:
        assert model is not None  # checked above: not resolved yet without one
        result.reason = _refused_while_clustering(graph, config, model, ids[a], ids[b])
    return result


def _shared_touched(shared: dict[str, set[str]], a: Rec, b: Rec) -> list[str]:
    """The identifier values set aside as shared that either of the two records carries."""
    return sorted(
        value
        for field, values in shared.items()
        for value in (*getattr(a, field), *getattr(b, field))
        if value in values
    )


def _refused_while_clustering(
    graph: Graph, config: ResolutionConfig, model: TrainedModel, ia: str, ib: str
) -> str:
    """Why a pair above the threshold sits in two identities: the identity-level guards."""
    members = store.members(graph, [ia, ib])
    side_a, side_b = members.get(ia, []), members.get(ib, [])
    guards = config.guards
    if guards.dob_conflict_in_identity or guards.name_conflict_in_identity:
        recs = store.load_records(graph, [*side_a, *side_b])
        judge = DobJudge(model.settings, config)
    if guards.dob_conflict_in_identity:
        dobs_a, dobs_b = _dobs(recs, side_a), _dobs(recs, side_b)
        for x, y in sorted((x, y) for x in dobs_a for y in dobs_b):
            if judge.conflict(x, y):
                return (
                    f"different people: the pair scores above the threshold, but one identity "
                    f"would hold the dates of birth {x} and {y} (guard {DOB_IDENTITY}), so the "
                    "chain joining them was cut at its weakest link"
                )
    if guards.name_conflict_in_identity:
        feats = {k: features(r) for k, r in recs.items()}
        for ka in sorted(k for k in side_a if k in feats):
            for kb in sorted(k for k in side_b if k in feats):
                if different_people(feats[ka], feats[kb], judge):
                    return (
                        f"different people: the pair scores above the threshold, but one "
                        f"identity would hold {ka} and {kb}, whose first names differ with no "
                        f"date of birth or national id to confirm one person (guard "
                        f"{NAME_IDENTITY}), so the chain joining them was cut at its weakest link"
                    )
    size = len(side_a) + len(side_b)
    if size > config.max_component_size:
        return (
            f"kept apart: the pair scores above the threshold, but joining would make an "
            f"identity of {size} records, above max_component_size {config.max_component_size}"
        )
    return (
        "the pair scores above the threshold, but the link was refused while clustering "
        "(a cannot-link elsewhere in the group)"
    )


def _dobs(recs: dict[str, Rec], keys: list[str]) -> set[date]:
    return {d for k in keys if (r := recs.get(k)) is not None and (d := r.date_of_birth)}
