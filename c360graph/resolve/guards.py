"""Cannot-link guards: vetoes a link's score cannot overrule, judged by the trained model.

A guard does not change a pair's weight: it sets `blocked_by`, and `decide` never accepts
a blocked pair. Dates of birth conflict when the level they fall in weighs against a match
in the trained model (`DobJudge`), so what counts as a typo is learned from the data: a
one-digit slip or a day/month swap falls in a level the model weighs for a match.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler

from c360graph.resolve.features import Feat
from c360graph.resolve.records import Scored
from c360graph.resolve.settings import ResolutionConfig

STUB = "stub_record"
DOB_NAME = "dob_conflict_and_name_mismatch"
DOB_IDENTITY = "dob_conflict_in_identity"
NAME_IDENTITY = "name_conflict_in_identity"
DOB_FIELD = "date_of_birth"
_FIRST_NAME_SIMILARITY = 0.85  # Jon ~ John; a judgment, as in Splink's name levels
_jw = JaroWinkler.normalized_similarity


def _given_found(f: Feat, other: Feat) -> bool:
    """Some first-name token of f is in other's name: equal, nickname or close spelling."""
    for given, name in ((f.given, other.tokens), (f.given_canon, other.canon)):
        for g in given:
            for t in name:
                if g == t or _jw(g, t, score_cutoff=_FIRST_NAME_SIMILARITY):
                    return True
    return False


def first_names_differ(fa: Feat, fb: Feat) -> bool:
    """True when neither record's first name appears anywhere in the other's name.

    The whole other name is searched, so swapped first/last names and family-name-first
    orders do not count as different. A record known only by a full name is judged by the
    other's first name alone; one known only by a surname has no first name to differ; with
    no first name on either side: False.
    """
    if not fa.given and not fb.given:
        return False
    if not fa.given or not fb.given:
        known, other = (fa, fb) if fa.given else (fb, fa)
        if other.last and not set(other.tokens) - set(other.last.split()):
            return False  # known only by a surname: the first name is unknown, not different
        return bool(other.tokens) and not _given_found(known, other)
    return not (_given_found(fa, fb) or _given_found(fb, fa))


class DobJudge:
    """The trained model's date-of-birth levels, in Python, for dates no pair compared.

    Mirrors model/kinds.py's date levels (a test pins the two to the same levels). Two
    dates conflict when the model weighs their level at or below `conflict_weight` (the
    config's `date_conflict_weight`, -5 bits: Splink's own starting weight for values that
    disagree). Where true matches often carry different dates (typed by hand, corrupted),
    the model learns a milder weight and the guard stands aside; where dates are reliable,
    it vetoes.
    """

    def __init__(self, model_settings: dict[str, Any], config: ResolutionConfig) -> None:
        self.conflict_weight = config.guards.date_conflict_weight
        kinds = {
            lv.level: (lv.kind, lv.threshold or 0.0)
            for spec in config.comparisons
            if spec.field == DOB_FIELD
            for lv in spec.levels
        }
        self.levels: list[tuple[str, str, float, float]] = []  # (label, kind, threshold, weight)
        for comparison in model_settings["comparisons"]:
            if comparison["output_column_name"] != DOB_FIELD:
                continue
            for level in comparison["comparison_levels"]:
                if level.get("is_null_level"):
                    continue
                label = str(level["label_for_charts"])
                # A level the config does not declare (a user's own Splink model) never holds.
                kind, threshold = kinds.get(label, ("unknown", 0.0))
                weight = _log2(level["m_probability"] / level["u_probability"])
                self.levels.append((label, kind, threshold, weight))

    def level(self, x: date, y: date) -> str:
        """The model's level for two dates."""
        for label, kind, threshold, _ in self.levels:
            if _holds(kind, threshold, x, y):
                return label
        return "else"

    def confirms(self, x: date | None, y: date | None) -> bool:
        """True when both dates are known and the model weighs them for a match."""
        if x is None or y is None:
            return False
        for _, kind, threshold, weight in self.levels:
            if _holds(kind, threshold, x, y):
                return weight > 0
        return False

    def conflict(self, x: date, y: date) -> bool:
        """True when the model weighs these two dates against a match."""
        for _, kind, threshold, weight in self.levels:
            if _holds(kind, threshold, x, y):
                return weight <= self.conflict_weight
        return False  # no date comparison in the model: nothing to judge by


def _holds(kind: str, threshold: float, x: date, y: date) -> bool:
    if kind == "else":
        return True
    if kind == "exact":
        return x == y
    if kind == "transposed":
        return x.year == y.year and x.month == y.day and x.day == y.month
    if kind == "typo":
        return DamerauLevenshtein.distance(x.isoformat(), y.isoformat()) <= threshold
    if kind == "within_days":
        return abs((x - y).days) <= threshold
    return False


NAME_FIELD = "name"


def name_conflict_yields_to(model_settings: dict[str, Any], threshold: float) -> float:
    """The probability at which a link outweighs a first-name conflict, from the model.

    The link must clear the match threshold with the trained model's weight for names
    that disagree (the name comparison's `else` level) counted against it once more: the
    guard's judgment that the names differ, on top of the score that already holds it.
    Where the model gives disagreeing names no weight against a match, the guard yields to
    every accepted link.
    """
    against = 0.0
    for comparison in model_settings["comparisons"]:
        if comparison["output_column_name"] != NAME_FIELD:
            continue
        for level in comparison["comparison_levels"]:
            if str(level["label_for_charts"]) == "else" and not level.get("is_null_level"):
                against = min(0.0, _log2(level["m_probability"] / level["u_probability"]))
    odds = threshold / (1 - threshold) * 2.0 ** min(-against, 1000.0)
    return 1.0 if math.isinf(odds) else odds / (1 + odds)


def _log2(value: float) -> float:
    return math.log2(value) if value > 0 else -1000.0


def pair_guard(fa: Feat, fb: Feat, judge: DobJudge, dob_name: bool) -> str | None:
    """The code of the cannot-link guard that vetoes the pair, or None."""
    if fa.stub or fb.stub:
        return STUB
    if dob_name and different_people(fa, fb, judge):
        return DOB_NAME
    return None


def different_people(fa: Feat, fb: Feat, judge: DobJudge) -> bool:
    """First names differ and nothing confirms one person: no agreeing date, no national id.

    Parent and child, or siblings, sharing an address, a landline and a surname.
    """
    return (
        first_names_differ(fa, fb)
        and not judge.confirms(fa.dob, fb.dob)
        and not set(fa.national_ids) & set(fb.national_ids)
    )


def decide(scored: Scored, threshold: float) -> bool:
    """True when the pair is not blocked by a guard and its probability reaches threshold."""
    return scored.blocked_by is None and scored.probability >= threshold
