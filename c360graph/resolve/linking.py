"""Linking: from records and rule groups to scored candidate pairs (no database).

Deterministic rules and fuzzy blocking both only propose pairs; one trained Fellegi-Sunter
model (model/, run by Splink) scores every proposal, and guards veto. Identifiers shared by
too many people are dropped from the records first, so they can neither propose nor
support a link.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace

import pyarrow as pa

from c360graph.resolve import blocking
from c360graph.resolve.backends import PairBackend
from c360graph.resolve.blocking import BlockingStats
from c360graph.resolve.components import Edge, cluster
from c360graph.resolve.duck import count, replace_table
from c360graph.resolve.features import Feat, features
from c360graph.resolve.guards import DobJudge, decide, pair_guard
from c360graph.resolve.model.columns import records_table
from c360graph.resolve.model.scoring import CHUNK, PairScore, Scorer
from c360graph.resolve.model.training import TrainedModel
from c360graph.resolve.records import Candidate, Rec, Scored
from c360graph.resolve.settings import ResolutionConfig
from c360graph.resolve.shared import (
    RULE_FIELDS,
    SharedLimits,
    is_shared,
    person_name,
    strip_shared,
)
from c360graph.resolve.store import RuleGroup
from c360graph.review.band import BAND_SLACK, in_review_band, nearest


@dataclass
class Population:
    """What a linking pass derives from every record, whatever the pass's focus."""

    feats: dict[str, Feat]
    scorer: Scorer  # its DuckDB database also holds the blocks
    indexed: bool = False  # blocks built (when first needed: explain never needs them)


@dataclass(frozen=True)
class Stripped:
    """Records stripped of shared identifier values, and their features."""

    recs: Mapping[str, Rec]  # the mapping given: a run never changes it between passes
    shared: dict[str, set[str]]  # Rec field -> values stripped
    clean: dict[str, Rec]
    feats: dict[str, Feat]


@dataclass
class LinkCache:
    """Reused across the passes of one run, which differ in focus far more than in records."""

    features: dict[str, tuple[Rec, Feat]] = field(default_factory=dict)  # key -> (rec, feat)
    population: Population | None = None
    # The last pass's records, shared values, and the records stripped of them with their
    # features: a pass that judges every identifier as the last did reuses them whole.
    stripped: Stripped | None = None


@dataclass
class Found:
    """The pairs a linking pass scored, and what it decided about shared identifiers."""

    candidates: int = 0  # pairs scored
    scored: list[Scored] = field(default_factory=list)  # every scored pair, if asked for
    accepted: list[Scored] = field(default_factory=list)
    # Pairs for the review queue: scored from the review floor up to the threshold, or
    # vetoed by a guard at or above it (batch runs only; see c360graph/review).
    review: list[Scored] = field(default_factory=list)
    shared: dict[str, set[str]] = field(default_factory=dict)  # rule -> newly shared values
    unshared: dict[str, set[str]] = field(default_factory=dict)  # rule -> no longer shared
    widened: set[str] = field(default_factory=set)  # records behind a shared-status change
    shared_seen: dict[str, set[str]] = field(default_factory=dict)  # Rec field -> values
    blocking: BlockingStats = field(default_factory=BlockingStats)


def _judge_groups(
    groups: list[RuleGroup],
    verdicts: list[bool],
    found: Found,
    known_shared: Mapping[str, set[str]],
) -> tuple[list[RuleGroup], dict[str, set[str]]]:
    """Split groups into usable ones and shared values per Rec field, by their verdicts.

    Values marked shared by earlier runs stay shared unless this run judges their group anew:
    records outside the run's scope must be stripped the same way as when they were resolved.
    """
    usable: list[RuleGroup] = []
    shared_values = {name: set(known_shared.get(name, ())) for name in RULE_FIELDS.values()}
    for group, shared in zip(groups, verdicts, strict=True):
        if shared:
            shared_values[RULE_FIELDS[group.rule]].add(group.evidence)
        else:
            shared_values[RULE_FIELDS[group.rule]].discard(group.evidence)
            usable.append(group)
        if shared != group.was_shared:
            # The identifier's verdict changed: every pair through it must be re-judged.
            target = found.shared if shared else found.unshared
            target.setdefault(group.rule, set()).add(group.evidence)
            found.widened.update(group.records)
    return usable, shared_values


def _people_by_model(
    population: Population, groups: list[RuleGroup], recs: Mapping[str, Rec], threshold: float
) -> list[int]:
    """Per group, how many people its named records are by the model's judgment.

    Two records are one person when the trained model links them on their other evidence
    (the identifier itself is stripped: it is judged shared); people are the connected
    groups of such pairs. Ten records of one person typed ten ways are one.
    """
    members = [sorted(k for k in g.records if k in population.feats) for g in groups]
    pairs = sorted({(a, b) for keys in members for i, a in enumerate(keys) for b in keys[i + 1 :]})
    similar = {(s.a, s.b) for s in population.scorer.score(pairs, threshold)}
    counts = []
    for keys in members:
        edges = [
            Edge(a, b, 1.0) for i, a in enumerate(keys) for b in keys[i + 1 :] if (a, b) in similar
        ]
        people = cluster(keys, edges).components
        counts.append(sum(1 for person in people if any(person_name(recs[k]) for k in person)))
    return counts


def _stripped(
    recs: Mapping[str, Rec], shared_values: dict[str, set[str]], cache: LinkCache | None
) -> tuple[dict[str, Rec], dict[str, Feat]]:
    """The records without their shared values, and their features (reused when unchanged)."""
    last = cache.stripped if cache else None
    if last is not None and last.recs is recs and last.shared == shared_values:
        return last.clean, last.feats
    clean = {key: strip_shared(rec, shared_values) for key, rec in recs.items()}
    feats = _features(clean, cache)
    if cache is not None:
        cache.stripped = Stripped(recs, shared_values, clean, feats)
    return clean, feats


def _rule_candidates(
    groups: Iterable[RuleGroup], focus: set[str]
) -> dict[tuple[str, str], Candidate]:
    pairs: dict[tuple[str, str], Candidate] = {}
    for group in groups:
        records = group.records
        for i, a in enumerate(records):
            for b in records[i + 1 :]:
                if a not in focus and b not in focus:
                    continue
                pair = (a, b) if a < b else (b, a)
                seen = pairs.get(pair)
                # rules and evidence are parallel: the i-th value is what the i-th rule shared
                # (sorted apart, a phone was once shown as a shared email).
                both = {(group.rule, group.evidence)}
                if seen:
                    both.update(zip(seen.rules, seen.evidence, strict=True))
                ordered = sorted(both)
                pairs[pair] = Candidate(
                    pair[0],
                    pair[1],
                    rules=tuple(rule for rule, _ in ordered),
                    evidence=tuple(value for _, value in ordered),
                )
    return pairs


def _features(clean: Mapping[str, Rec], cache: LinkCache | None) -> dict[str, Feat]:
    if cache is None:
        return {key: features(rec) for key, rec in clean.items()}
    feats = {}
    for key, rec in clean.items():
        known = cache.features.get(key)
        if known is None or known[0] != rec:
            known = cache.features[key] = (rec, features(rec))
        feats[key] = known[1]
    return feats


def _population(
    feats: dict[str, Feat],
    recs: Mapping[str, Rec],
    model: TrainedModel,
    cache: LinkCache | None,
) -> Population:
    """The previous pass's population when every record's features are the very same."""
    known = cache.population if cache else None
    if known is not None and known.feats is feats:
        return known
    if (
        known is not None
        and len(known.feats) == len(feats)
        and all(known.feats.get(k) is f for k, f in feats.items())
    ):
        return known
    table = records_table((recs[key], f) for key, f in feats.items())
    population = Population(feats, Scorer(model, table))
    if cache is not None:
        cache.population = population
    return population


def _blocked_pairs(
    population: Population, config: ResolutionConfig, focus: set[str], stats: BlockingStats
) -> None:
    """Fill blocking.PAIRS in the population's database with the pairs touching `focus`."""
    con = population.scorer.con
    if not population.indexed:
        con.register(blocking.KEYS, blocking.key_table(population.feats.values(), config))
        blocking.index_blocks(con, config)
        population.indexed = True
    # Every record in focus: the cheaper walk over all blocks.
    everyone = len(focus) >= len(population.feats) and focus.issuperset(population.feats)
    blocking.pair_blocks(con, None if everyone else sorted(focus), stats)


def find_links(
    recs: Mapping[str, Rec],
    groups: Iterable[RuleGroup],
    focus: set[str],
    config: ResolutionConfig,
    model: TrainedModel,
    cache: LinkCache | None = None,
    pairs_only: set[tuple[str, str]] | None = None,
    known_shared: Mapping[str, set[str]] | None = None,
    keep_all_scored: bool = True,
    backend: PairBackend | None = None,
) -> Found:
    """Score every candidate pair touching `focus`; accepted pairs pass threshold and guards.

    `known_shared` holds the identifier values earlier runs marked shared (Rec field ->
    values). With `pairs_only`, score exactly those pairs (explain), with no blocking.
    Without `keep_all_scored`, only accepted pairs are kept (`candidates` counts them all).
    With a `backend` (Spark), that pass's blocking and scoring run there, not in DuckDB.
    """
    found = Found()
    limits = SharedLimits(
        config.shared_identifiers.max_records, config.shared_identifiers.max_distinct_names
    )
    groups = list(groups)
    verdicts = [is_shared(g.records, g.placeholder, recs, limits) for g in groups]
    # Names alone called these shared: the model has the last word (a person typed many ways).
    named = [
        i
        for i, (g, shared) in enumerate(zip(groups, verdicts, strict=True))
        if shared and not g.placeholder and len(g.records) <= MODEL_JUDGED_MAX_RECORDS
    ]
    if named:
        first = _judge_groups(groups, verdicts, Found(), known_shared or {})[1]
        clean, feats = _stripped(recs, first, cache)
        people = _people_by_model(
            _population(feats, clean, model, cache),
            [groups[i] for i in named],
            recs,
            config.threshold,
        )
        for i, count in zip(named, people, strict=True):
            verdicts[i] = count > limits.max_distinct_names
    usable, shared_values = _judge_groups(groups, verdicts, found, known_shared or {})
    found.shared_seen = shared_values
    clean, feats = _stripped(recs, shared_values, cache)
    rule_pairs = _rule_candidates(usable, focus)
    judge = DobJudge(model.settings, config)
    if backend is not None and pairs_only is None and not keep_all_scored:
        candidates, scores = backend.accepted_scores(
            clean, feats, rule_pairs, focus, model, config, found.blocking
        )
        found.candidates += candidates
        _judge_accepted(scores, feats, rule_pairs, judge, config, found)
        found.accepted.sort(key=lambda s: s.pair)
        found.widened.update(found.blocking.crossed_cap)
        return found
    population = _population(feats, clean, model, cache)
    if pairs_only is not None:
        wanted = [rule_pairs.get(p, Candidate(*p)) for p in pairs_only]
        _score(population, wanted, judge, config, found, keep_all_scored)
    else:
        _blocked_pairs(population, config, focus, found.blocking)
        if keep_all_scored:
            _score(
                population, _blocked_then_rules(population, rule_pairs), judge, config, found, True
            )
        else:
            _score_accepted(population, rule_pairs, judge, config, found)
    found.accepted.sort(key=lambda s: s.pair)
    found.scored.sort(key=lambda s: s.pair)
    found.widened.update(found.blocking.crossed_cap)
    return found


def _blocked_then_rules(
    population: Population, rule_pairs: dict[tuple[str, str], Candidate]
) -> Iterator[Candidate]:
    """Blocked pairs (with the rule proposal of the same pair merged in), then rule-only ones."""
    merged: set[tuple[str, str]] = set()
    for candidate in blocking.blocked_pairs(population.scorer.con):
        known = rule_pairs.get((candidate.a, candidate.b))
        if known is not None:
            merged.add((candidate.a, candidate.b))
            candidate = replace(candidate, rules=known.rules, evidence=known.evidence)
        yield candidate
    yield from (c for pair, c in rule_pairs.items() if pair not in merged)


_RULE_PAIRS = "c360_rule_pairs"
# Identifiers names call shared are re-judged by the model up to this many records (a work
# limit: every pair among them is scored).
MODEL_JUDGED_MAX_RECORDS = 200
_ALL_PAIRS = "c360_candidate_pairs"


def _score_accepted(
    population: Population,
    rule_pairs: dict[tuple[str, str], Candidate],
    judge: DobJudge,
    config: ResolutionConfig,
    found: Found,
) -> None:
    """Score blocked and rule pairs inside DuckDB; only pairs over the review floor come back.

    Pairs with a stub record (in no table: never scored, never linked) count as candidates.
    """
    con, feats, threshold = population.scorer.con, population.feats, config.threshold
    con.register(
        _RULE_PAIRS,
        pa.table(
            {
                "a": pa.array([a for a, _ in rule_pairs], pa.string()),
                "b": pa.array([b for _, b in rule_pairs], pa.string()),
            }
        ),
    )
    replace_table(
        con, _ALL_PAIRS, f"SELECT a, b FROM {blocking.PAIRS} UNION SELECT a, b FROM {_RULE_PAIRS}"
    )
    found.candidates += count(con, _ALL_PAIRS)
    con.execute(
        f"DELETE FROM {_ALL_PAIRS} WHERE a NOT IN (SELECT id FROM {blocking.KEYS}) "
        f"OR b NOT IN (SELECT id FROM {blocking.KEYS})"
    )
    _judge_accepted(
        population.scorer.score_table(_ALL_PAIRS, min(threshold, config.review.floor)),
        feats,
        rule_pairs,
        judge,
        config,
        found,
    )


def _judge_accepted(
    scores: Iterable[PairScore],
    feats: Mapping[str, Feat],
    rule_pairs: Mapping[tuple[str, str], Candidate],
    judge: DobJudge,
    config: ResolutionConfig,
    found: Found,
) -> None:
    """Guards on pairs scored at or above the review floor; the ones they let pass at or above
    the threshold are accepted, the rest go to the review band."""
    dob_name, threshold = config.guards.dob_conflict_and_name_mismatch, config.threshold
    keep = config.review.max_pairs * BAND_SLACK  # the band, trimmed as it grows (review.band)
    for score in scores:
        guard = pair_guard(feats[score.a], feats[score.b], judge, dob_name)
        candidate = rule_pairs.get((score.a, score.b)) or Candidate(score.a, score.b)
        scored = _scored(score, candidate, guard)
        if decide(scored, threshold):
            found.accepted.append(scored)
        elif in_review_band(scored, threshold, config.review.floor):
            found.review.append(scored)
            if len(found.review) >= 2 * keep:
                found.review = nearest(found.review, threshold, keep)


def _score(
    population: Population,
    candidates: Iterable[Candidate],
    judge: DobJudge,
    config: ResolutionConfig,
    found: Found,
    keep_all: bool,
) -> None:
    """Score candidates in batches of CHUNK; stub pairs are kept unscored and blocked."""
    feats, threshold = population.feats, config.threshold
    dob_name = config.guards.dob_conflict_and_name_mismatch
    batch: dict[tuple[str, str], Candidate] = {}

    def keep(scored: Scored) -> None:
        found.candidates += 1
        if keep_all:
            found.scored.append(scored)
        if decide(scored, threshold):
            found.accepted.append(scored)

    def flush() -> None:
        pairs = [p for p in batch if not (feats[p[0]].stub or feats[p[1]].stub)]
        for score in population.scorer.score(pairs):
            guard = pair_guard(feats[score.a], feats[score.b], judge, dob_name)
            keep(_scored(score, batch.pop((score.a, score.b)), guard))
        for c in batch.values():  # stubs: never scored, never linked
            guard = pair_guard(feats[c.a], feats[c.b], judge, dob_name)
            keep(Scored(c.a, c.b, -1000.0, 0.0, {}, c.rules, c.evidence, guard))
        batch.clear()

    for candidate in candidates:
        batch[(candidate.a, candidate.b)] = candidate
        if len(batch) >= CHUNK:
            flush()
    flush()


def _scored(score: PairScore, candidate: Candidate, blocked_by: str | None) -> Scored:
    return Scored(
        a=score.a,
        b=score.b,
        weight=score.weight,
        probability=score.probability,
        levels=score.levels,
        rules=candidate.rules,
        evidence=candidate.evidence,
        blocked_by=blocked_by,
        partials=score.partials,
    )
