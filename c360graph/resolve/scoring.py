"""Fellegi-Sunter scoring of a candidate pair, and the cannot-link guards that can veto it.

The weight of a pair is log2 of the prior odds plus, per compared field, log2(m/u) of the
level the pair falls in; the match probability is 2^w / (1 + 2^w). Guards do not change the
weight: they set `blocked_by`, and `decide` never accepts a blocked pair.
"""

from __future__ import annotations

import math
from datetime import date

from c360graph.resolve.comparisons import NULL, Model, first_names_differ
from c360graph.resolve.features import Feat
from c360graph.resolve.records import Rec, Scored

STUB = "stub_record"
DOB_NAME = "dob_conflict_and_name_mismatch"
NATIONAL_ID = "national_id_conflict"
DOB_IDENTITY = "dob_conflict_in_identity"
_MAX_WEIGHT = 1000.0  # 2.0 ** 1024 overflows a float


def probability(weight: float) -> float:
    """Match probability of a total log2 weight: 2^w / (1 + 2^w)."""
    w = max(-_MAX_WEIGHT, min(_MAX_WEIGHT, weight))
    return 1.0 / (1.0 + math.pow(2.0, -w))


def _dob_conflict(fa: Feat, fb: Feat) -> bool:
    if fa.dob is None or fb.dob is None or fa.dob == fb.dob:
        return False
    transposed = (
        fa.dob_year == fb.dob_year and fa.dob_day == fb.dob_month and fa.dob_month == fb.dob_day
    )
    return not transposed


def dobs_far_apart(x: date, y: date, min_differing_parts: int) -> bool:
    """True when two dates of birth differ in at least that many of year, month and day.

    A day/month swap never counts: it is the commonest way one date is written two ways.
    """
    if x == y or (x.year == y.year and x.day == y.month and x.month == y.day):
        return False
    differing = (x.year != y.year) + (x.month != y.month) + (x.day != y.day)
    return differing >= min_differing_parts


def guard(fa: Feat, fb: Feat, model: Model) -> str | None:
    """Return the code of the cannot-link guard that vetoes the pair, or None."""
    if fa.stub or fb.stub:
        return STUB
    g = model.guards
    if (
        g.national_id_conflict
        and fa.national_ids
        and fb.national_ids
        and not any(n in fb.national_ids for n in fa.national_ids)
    ):
        return NATIONAL_ID
    rule = g.dob_conflict_and_name_mismatch
    if (
        rule.enabled
        and _dob_conflict(fa, fb)
        and first_names_differ(fa, fb, rule.first_name_similarity)
    ):
        return DOB_NAME
    return None


def score(
    a: Rec,
    b: Rec,
    fa: Feat,
    fb: Feat,
    model: Model,
    rules: tuple[str, ...] = (),
    evidence: tuple[str, ...] = (),
) -> Scored:
    """Score one pair (keys ordered a < b in the result); stubs and guarded pairs are blocked."""
    if a.key > b.key:
        a, b, fa, fb = b, a, fb, fa
    blocked = guard(fa, fb, model)
    weight = model.prior_weight
    levels: dict[str, str] = {}
    if not (fa.stub or fb.stub):
        # comparisons.compare's loop, adding weights; inline because it is the hot path.
        both = fa.present & fb.present
        for comp in model.comparisons:
            if not both & comp.bit or both & comp.skip:
                levels[comp.field] = NULL
                continue
            for test, name, w in comp.steps:
                if test(fa, fb):
                    levels[comp.field] = name
                    weight += w
                    break
    return Scored(
        a=a.key,
        b=b.key,
        weight=weight,
        probability=probability(weight),
        levels=levels,
        rules=rules,
        evidence=evidence,
        blocked_by=blocked,
    )


def decide(scored: Scored, threshold: float) -> bool:
    """True when the pair is not blocked by a guard and its probability reaches threshold."""
    return scored.blocked_by is None and scored.probability >= threshold
