"""The review band: which scored pairs staff should look at, and in what order (no database).

Edge cases, decided:
- A pair a guard vetoes at or above the threshold is queued (reason `vetoed`): the model
  would link it, a rule says no, and only a person can say which is right.
- A vetoed pair below the threshold is queued like any other pair in the band
  (`below_threshold`); its guard is kept beside it.
- Nearest the threshold first: a pair's distance is |probability - threshold|, so a veto at
  0.95 (threshold 0.9) and a pair at 0.85 are equally close; ties go by record keys.
- Pairs already settled (in one identity, or asserted either way) are never queued.
- A run keeps only the `max_pairs x BAND_SLACK` band pairs nearest the threshold while it
  scores (`nearest`): at a million records the band holds hundreds of thousands of pairs,
  and only `max_pairs` are queued. The slack leaves room for pairs clustering settles; a run
  where more than that many of the nearest pairs end in one identity queues fewer.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from c360graph.resolve.records import Scored

BELOW_THRESHOLD = "below_threshold"
VETOED = "vetoed"
PROBABILITY_DIGITS = 6
BAND_SLACK = 20  # band pairs kept per queue place while a run scores (see `nearest`)


@dataclass(frozen=True)
class ReviewItem:
    """One pair in the queue: its score, why it is there, and the model's evidence."""

    a: str  # record key, a < b
    b: str
    probability: float
    weight: float
    distance: float  # |probability - threshold|: the queue's order
    reason: str  # BELOW_THRESHOLD | VETOED
    blocked_by: str | None  # the guard that vetoes the link, if any
    fields: tuple[str, ...]  # compared fields, in the model's order
    levels: tuple[str, ...]  # each field's comparison level (same position)
    weights: tuple[float, ...]  # each field's log2 weight (same position)

    @property
    def pair(self) -> tuple[str, str]:
        """The two record keys, ordered."""
        return (self.a, self.b)


def in_review_band(scored: Scored, threshold: float, floor: float) -> bool:
    """True for a pair the run did not accept that scored from the floor up, or was vetoed."""
    if scored.blocked_by is None and scored.probability >= threshold:
        return False  # accepted
    return scored.probability >= floor


def review_item(scored: Scored, threshold: float) -> ReviewItem:
    """The queue item of a pair in the band."""
    probability = round(scored.probability, PROBABILITY_DIGITS)
    names = tuple(scored.partials)
    return ReviewItem(
        a=scored.a,
        b=scored.b,
        probability=probability,
        weight=round(scored.weight, 3),
        distance=round(abs(probability - threshold), PROBABILITY_DIGITS),
        reason=VETOED if scored.probability >= threshold else BELOW_THRESHOLD,
        blocked_by=scored.blocked_by,
        fields=names,
        levels=tuple(scored.levels.get(name, "?") for name in names),
        weights=tuple(round(scored.partials[name], 3) for name in names),
    )


def nearest(band: Iterable[Scored], threshold: float, capacity: int) -> list[Scored]:
    """The `capacity` pairs of the band nearest the threshold (ties by record keys)."""
    return heapq.nsmallest(capacity, band, key=lambda s: (abs(s.probability - threshold), s.a, s.b))


def select(
    band: Iterable[Scored],
    threshold: float,
    cap: int,
    settled: Callable[[tuple[str, str]], bool],
) -> list[ReviewItem]:
    """At most `cap` unsettled pairs of the band, nearest the threshold first."""
    items = {s.pair: review_item(s, threshold) for s in band if not settled(s.pair)}
    return sorted(items.values(), key=lambda item: (item.distance, item.a, item.b))[:cap]
