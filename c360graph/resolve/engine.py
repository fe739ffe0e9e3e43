"""A resolution run: records in the graph become stable, explainable identities.

Full runs recompute every link; incremental runs recompute the links of changed records, of
the identities they touch and of the records those link to, and re-cluster just those, keeping
stored links elsewhere. Both end in the same partition of records
(tests/integration/test_resolve_incremental.py proves it against a full run on a fresh graph).
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import cast

from c360graph.db.graph import Graph
from c360graph.resolve import store
from c360graph.resolve.backends import PairBackend
from c360graph.resolve.components import Edge, ExclusiveTrait, cluster
from c360graph.resolve.features import Feat, features
from c360graph.resolve.golden import SurvivorshipPolicy, flatten_golden, golden_record
from c360graph.resolve.guards import (
    DOB_IDENTITY,
    NAME_IDENTITY,
    DobJudge,
    different_people,
    name_conflict_yields_to,
)
from c360graph.resolve.identities import assign_identities, new_identity_id
from c360graph.resolve.linking import LinkCache, find_links
from c360graph.resolve.model.training import TrainedModel
from c360graph.resolve.modelling import current_model
from c360graph.resolve.records import Rec, Scored
from c360graph.resolve.recovery import undo_unfinished_runs
from c360graph.resolve.runlock import resolution_lock
from c360graph.resolve.settings import ResolutionConfig, ReviewSpec
from c360graph.resolve.writeback import (
    PROBABILITY_DIGITS,
    LinkKey,
    Outcome,
    link_properties,
    write_outcome,
)
from c360graph.review import queue as review_queue
from c360graph.run import Run
from c360graph.run import fingerprint as text_fingerprint
from c360graph.runtime.gc_policy import bulk_allocation
from c360graph.stages import Progress


@dataclass
class ResolveReport:
    """What a resolution run did."""

    run_id: str
    mode: str  # full | incremental | nothing-to-do
    records: int = 0
    scope: int = 0  # records whose identity was recomputed (re-clustered)
    relinked: int = 0  # records whose candidate pairs were found and scored anew
    changed: int = 0  # records new or changed since the last run
    candidates: int = 0
    accepted: int = 0
    refused: dict[str, int] = field(default_factory=dict)  # reason -> links refused
    oversized: int = 0  # components cut at the size cap
    shared_identifiers: int = 0
    identities: int = 0  # identities in scope after the run
    review_queued: int = 0  # pairs this run put in the review queue
    events: dict[str, int] = field(default_factory=dict)  # merge/split/create/retire counts
    writes: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)  # per stage

    def summary(self) -> str:
        """One paragraph for people."""
        total = sum(self.seconds.values())
        events = ", ".join(f"{v} {k}" for k, v in sorted(self.events.items())) or "no changes"
        refused = ", ".join(f"{v} by {k}" for k, v in sorted(self.refused.items())) or "none"
        return (
            f"{self.mode} resolution of {self.records:,} records ({self.changed:,} new or changed) "
            f"in {total:.1f}s: {self.relinked:,} re-linked, {self.scope:,} re-clustered into "
            f"{self.identities:,} identities; "
            f"{self.candidates:,} candidate pairs, {self.accepted:,} links accepted, "
            f"refused: {refused}; {self.shared_identifiers} shared identifiers ignored; "
            f"identity events: {events}"
        )


def resolve(
    graph: Graph,
    config: ResolutionConfig,
    *,
    full: bool = False,
    focus: Iterable[str] = (),
    progress: Progress | None = None,
    wait_seconds: float = 600.0,
    retrain: bool = False,
    backend: PairBackend | None = None,
) -> ResolveReport:
    """Resolve new and changed records (or all with `full`) into identities, and write them.

    The stored model scores; it is trained first when there is none, when `retrain`, when
    the config's comparisons or training changed, or when the records have more than
    doubled since it was trained. A new model makes the run full.
    One run at a time: waits up to `wait_seconds` for a running one (ResolutionBusy after).
    `backend` (resolve/backends.py): where candidate pairs are blocked and scored; None is
    the in-process DuckDB.
    """
    run_id = str(uuid.uuid4())  # the lock's owner, so made before the run
    with bulk_allocation(), resolution_lock(graph, run_id, wait_seconds, progress) as renew:
        run = Run("resolution", progress=progress, run_id=run_id, on_stage=renew)
        report = ResolveReport(run_id, "full" if full else "incremental", seconds=run.seconds)
        return _resolve(graph, config, report, full, focus, run, retrain, backend)


def _resolve(
    graph: Graph,
    config: ResolutionConfig,
    report: ResolveReport,
    full: bool,
    focus: Iterable[str],
    run: Run,
    retrain: bool = False,
    backend: PairBackend | None = None,
) -> ResolveReport:
    undone = undo_unfinished_runs(graph)
    last = graph.read("resolve/last_run")
    export = store.export_all(graph)
    recs = export.recs
    report.records = len(recs)
    run.done("export", f"{len(recs):,} records")
    trainer = backend.training_engine() if backend is not None else None
    model, trained = current_model(graph, config, recs, retrain, trainer)
    if trained:
        run.done("train", "; ".join(model.steps))
    # Links decided by another config or model are stale: the run is full.
    run.config_hash = f"{fingerprint(config)}:{model.model_id}"
    config_changed = bool(last) and last[0]["config_hash"] != run.config_hash
    if undone:
        full, report.mode = True, f"full (undid the interrupted run {', '.join(undone)})"
    elif trained:
        full, report.mode = True, "full (a new model was trained)"
    elif config_changed:
        full, report.mode = True, "full (the resolution config or model changed)"

    # Golden records are rewritten for changed data or membership only (or a new config, or
    # after undoing a run that may have rewritten some of them).
    rewrite_all = config_changed or bool(undone)
    changed = export.dirty | (set(recs) if rewrite_all else set())
    scope_seed = (set(recs) if full else changed | set(focus)) & set(recs)
    report.changed = len(changed & set(recs))
    if not scope_seed:
        report.mode = "nothing-to-do"
        run.done("plan", "no new or changed records")
        return report

    cache = LinkCache()  # a widened pass recomputes only what stripping changed
    known_shared = store.stored_shared(graph)
    # Every record re-clustered is re-linked: only accepted links are stored, so a pair a
    # guard refused inside the scope (or to a record outside it) is judged again only by
    # re-linking its records. Ends when the scope is closed over the pairs of its own records:
    # then it is a union of whole components of the candidate graph, clustered as a full run
    # clusters them. A changed shared-identifier verdict pulls its records in too.
    while True:
        groups = _rule_groups(graph, config, None if scope_seed >= set(recs) else scope_seed)
        found = find_links(
            recs,
            groups,
            scope_seed,
            config,
            model,
            cache,
            known_shared=known_shared,
            keep_all_scored=False,
            backend=backend,
        )
        if not found.widened <= scope_seed:
            scope_seed |= found.widened
            continue
        scope, previous, must, cannot = _scope(graph, found.accepted, scope_seed, export)
        if scope <= scope_seed:
            break
        scope_seed |= scope
    report.candidates = found.candidates
    report.relinked = len(scope_seed)
    report.shared_identifiers = sum(len(v) for v in found.shared.values())
    run.done("link", f"{len(groups):,} identifier groups, {found.candidates:,} pairs scored")

    everywhere = len(scope) == len(recs)
    stored = {(link.a, link.b): link for link in store.links_among(graph, scope, everywhere)}
    edges, by_pair = _edges(found.accepted, stored, scope_seed, must)
    clustering = cluster(
        scope,
        edges,
        cannot,
        config.max_component_size,
        _identity_traits(config, model, recs, scope, cache),
    )
    for _edge, reason in clustering.refused:
        report.refused[reason] = report.refused.get(reason, 0) + 1
    report.oversized = len(clustering.oversized)
    assignment = assign_identities(clustering.components, previous, new_identity_id)
    report.scope, report.identities = len(scope), len(assignment.identities)
    report.accepted = len(clustering.accepted)
    for event in assignment.events:
        report.events[event.kind] = report.events.get(event.kind, 0) + 1
    run.done("cluster", f"{len(scope):,} records, {len(assignment.identities):,} identities")

    # An identity a record left needs a new golden record (record_count, sources, values)
    # even when none of the records it keeps changed.
    left = {old for key, old in previous.items() if assignment.record_identity.get(key) != old}

    def golden() -> dict[str, dict[str, object]]:
        return {
            identity: _golden_props(config, [recs[k] for k in members])
            for identity, members in assignment.identities.items()
            if identity in left or _needs_golden(identity, members, previous, changed)
        }

    links = {
        (e.a, e.b): link_properties(by_pair.get((e.a, e.b)), e, stored.get((e.a, e.b)))
        for e in clustering.accepted
    }
    outcome = Outcome(
        run=run,
        model_version=config.model_version,
        links=links,
        stored={pair: stored[pair] for pair in stored},
        assignment=assignment,
        previous=previous,
        golden=golden,
        resolved=sorted(scope_seed),
        shared=found.shared,
        unshared=found.unshared,
        run_props={
            "mode": report.mode,
            "model_version": config.model_version,
            "records": report.records,
            "scope": report.scope,
            "relinked": report.relinked,
            "candidates": report.candidates,
            "accepted": report.accepted,
        },
    )
    report.writes = write_outcome(graph, outcome)
    run.done("write", ", ".join(f"{k} {v}" for k, v in report.writes.items() if v))
    report.review_queued = review_queue.refresh(
        graph,
        config,
        run.run_id,
        found.review,
        scope_seed,
        scope,
        lambda key: assignment.record_identity.get(key) or export.identity.get(key),
        everywhere,
    )
    run.done("review", f"{report.review_queued:,} pairs queued for review")
    return report


def _rule_groups(
    graph: Graph, config: ResolutionConfig, keys: set[str] | None
) -> list[store.RuleGroup]:
    """Every rule's groups around `keys`; None reads each rule's whole-graph form (full runs)."""
    ordered = None if keys is None else sorted(keys)
    return [group for rule in config.rules for group in store.rule_groups(graph, rule, ordered)]


def _scope(
    graph: Graph, accepted: list[Scored], seed: set[str], export: store.Export
) -> tuple[set[str], dict[str, str], set[LinkKey], set[LinkKey]]:
    """Close the seed over accepted partners, must-link partners and their identities.

    Returns the scope, each scope record's previous identity, and the analyst assertions
    (must-link, cannot-link pairs) within it.
    """
    scope = set(seed)
    for scored in accepted:
        scope.update(scored.pair)
    pending = set(scope)
    must: set[LinkKey] = set()
    cannot: set[LinkKey] = set()
    while pending:  # usually one round; must-links can reach into other identities
        identities = {export.identity[k] for k in pending if k in export.identity}
        members = export.members(identities)
        grown = {k for keys in members.values() for k in keys} - scope
        found_must, found_cannot = store.assertions(graph, sorted(pending))
        must |= found_must
        cannot |= found_cannot
        grown |= {k for pair in found_must for k in pair if k in export.recs} - scope
        scope |= grown
        pending = grown
    previous = {k: export.identity[k] for k in scope if k in export.identity}
    inside = {pair for pair in must if pair[0] in scope and pair[1] in scope}
    return scope, previous, inside, {p for p in cannot if p[0] in scope and p[1] in scope}


def _edges(
    accepted: list[Scored],
    stored: dict[LinkKey, store.StoredLink],
    recomputed: set[str],
    must: set[LinkKey],
) -> tuple[list[Edge], dict[LinkKey, Scored]]:
    """New links of recomputed records, stored links elsewhere, and analysts' must-links."""
    by_pair = {s.pair: s for s in accepted}
    edges = [
        Edge(s.a, s.b, round(s.probability, PROBABILITY_DIGITS), "rule" if s.rules else "fuzzy")
        for s in accepted
    ]
    for (a, b), link in stored.items():
        if link.kind != "must" and a not in recomputed and b not in recomputed:
            # Kept as stored: write-back keeps its stored score and evidence (no Scored).
            edges.append(Edge(a, b, link.probability, link.kind))
    edges.extend(Edge(a, b, 1.0, "must") for a, b in sorted(must))
    return edges, by_pair


def _identity_traits(
    config: ResolutionConfig,
    model: TrainedModel,
    recs: dict[str, Rec],
    scope: set[str],
    cache: LinkCache,
) -> list[ExclusiveTrait]:
    """What no identity may hold two clashing of: dates of birth, different people's names."""
    judge = DobJudge(model.settings, config)
    traits = []
    if config.guards.dob_conflict_in_identity:
        dobs = {k: recs[k].date_of_birth for k in scope if k in recs and recs[k].date_of_birth}
        traits.append(
            ExclusiveTrait(
                dobs, lambda x, y: judge.conflict(cast(date, x), cast(date, y)), DOB_IDENTITY
            )
        )
    if config.guards.name_conflict_in_identity:
        feats = {}
        for k in scope:
            cached = cache.features.get(k)
            if cached is not None:
                feats[k] = cached[1]
            elif k in recs:
                feats[k] = features(recs[k])
        traits.append(
            ExclusiveTrait(
                {k: f for k, f in feats.items() if f.given or f.tokens},
                lambda x, y: different_people(cast(Feat, x), cast(Feat, y), judge),
                NAME_IDENTITY,
                _yields_to(config, model),
            )
        )
    return traits


def _yields_to(config: ResolutionConfig, model: TrainedModel) -> float:
    configured = config.guards.name_conflict_yields_to
    if configured is not None:
        return configured
    if model.records < config.training.min_records:
        return 1.0  # Splink's starting values: nothing learned can outweigh the guard
    return name_conflict_yields_to(model.settings, config.threshold)


def _needs_golden(
    identity: str, members: tuple[str, ...], previous: dict[str, str], changed: set[str]
) -> bool:
    return any(previous.get(k) != identity or k in changed for k in members)


def _golden_props(config: ResolutionConfig, recs: list[Rec]) -> dict[str, object]:
    props = flatten_golden(golden_record(recs, _policy(config)))
    props["record_count"] = len(recs)
    props["sources"] = sorted({r.source for r in recs})
    return props


def _policy(config: ResolutionConfig) -> SurvivorshipPolicy:
    return SurvivorshipPolicy(
        source_priority=config.survivorship.source_priority,
        attributes=dict(config.survivorship.attributes),
    )


def fingerprint(config: ResolutionConfig) -> str:
    """A hash of the config's content (not its file name): a change forces a full run.

    The review section is left out: it decides which pairs are queued, never a link.
    """
    return text_fingerprint(repr(dataclasses.replace(config, source="", review=ReviewSpec())))
