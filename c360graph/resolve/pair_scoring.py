"""Scoring candidate pairs as they stream out of blocking, on every core of the machine.

A million records make millions of candidate pairs, and scoring them is plain Python: one
core's worth of work per process. Large runs therefore fork workers that inherit the
records, features and block index (nothing is copied up front) and each pair up a share of
the records; only the accepted pairs travel back.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from c360graph.resolve.blocking import BlockIndex
from c360graph.resolve.comparisons import Model
from c360graph.resolve.features import Feat
from c360graph.resolve.records import Candidate, Rec, Scored
from c360graph.resolve.scoring import decide, score

# Below this many records to pair, forking costs more than it saves.
PARALLEL_FROM_RECORDS = 20_000
MAX_WORKERS = 4


@dataclass
class Scores:
    """What scoring a stream of candidates gave."""

    candidates: int = 0  # pairs scored
    blocked: int = 0  # of them, pairs proposed by blocking
    accepted: list[Scored] = field(default_factory=list)
    scored: list[Scored] = field(default_factory=list)  # every pair, when kept
    merged: list[tuple[str, str]] = field(default_factory=list)  # rule pairs blocking found too


@dataclass(frozen=True)
class ScoringJob:
    """Everything needed to score pairs: records, features, model, and the rule proposals."""

    clean: Mapping[str, Rec]
    feats: Mapping[str, Feat]
    model: Model
    threshold: float
    rule_pairs: Mapping[tuple[str, str], Candidate]
    keep_all_scored: bool = False


def score_candidates(job: ScoringJob, candidates: Iterable[Candidate], into: Scores) -> None:
    """Score each candidate into `into`, adding the rule proposal of the same pair, if any."""
    clean, feats, model, threshold = job.clean, job.feats, job.model, job.threshold
    rule_pairs, keep_all = job.rule_pairs, job.keep_all_scored
    for candidate in candidates:
        a, b = candidate.a, candidate.b
        rules, evidence = candidate.rules, candidate.evidence
        if candidate.blocks:
            into.blocked += 1
            known = rule_pairs.get((a, b))
            if known is not None:
                into.merged.append((a, b))
                rules, evidence = known.rules, known.evidence
        scored = score(clean[a], clean[b], feats[a], feats[b], model, rules, evidence)
        into.candidates += 1
        if keep_all:
            into.scored.append(scored)
        if decide(scored, threshold):
            into.accepted.append(scored)


def score_blocked(job: ScoringJob, index: BlockIndex, workers: int | None = None) -> Scores:
    """Score every pair the block index makes; in forked workers when the run is large.

    `workers` None picks one per core for large runs (one for small ones, or when the
    process runs other threads: forking those is unsafe).
    """
    parts = _workers(index) if workers is None else max(1, workers)
    if parts == 1:
        found = Scores()
        score_candidates(job, index.pairs(), found)
        return found
    global _JOB
    _JOB = (job, index)
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(parts - 1) as pool:
            others = pool.map_async(_score_part, [(k, parts) for k in range(1, parts)])
            found = _score_part((0, parts))  # this process takes the first share
            for part in others.get():
                found.candidates += part.candidates
                found.blocked += part.blocked
                found.accepted.extend(part.accepted)
                found.scored.extend(part.scored)
                found.merged.extend(part.merged)
    finally:
        _JOB = None
    return found


# The job a forked worker inherits: set just before the fork, never pickled.
_JOB: tuple[ScoringJob, BlockIndex] | None = None


def _score_part(share: tuple[int, int]) -> Scores:
    assert _JOB is not None, "set by score_blocked before forking"
    job, index = _JOB
    found = Scores()
    score_candidates(job, index.pairs(*share), found)
    return found


def _workers(index: BlockIndex) -> int:
    records = len(index.feats) if index.in_focus is None else len(index.in_focus)
    if records < PARALLEL_FROM_RECORDS or threading.active_count() > 1:
        return 1
    return max(1, min(MAX_WORKERS, os.cpu_count() or 1))
