"""Customer metrics and segments: RFM scores, named segments, bands, lifetime value, churn.

Pure functions over plain per-identity activity summaries; no graph. The method is in
docs/analyses.md; every threshold and the segment map are data in analyses.yaml.
"""

from __future__ import annotations

import itertools
import json
import math
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

from c360graph.analyze.purchases import PurchaseRule
from c360graph.analyze.settings import AnalysesConfigError

NO_ORDERS = "no_orders"
SCORES = 5  # scores run 1..5; the cut points are the 20/40/60/80% quantiles
_DAY = 86400.0
_S = "segments"


@dataclass(frozen=True)
class SegmentRule:
    """One entry of the segment map: a name for the scores inside these inclusive ranges."""

    segment: str
    r: tuple[int, int]
    f: tuple[int, int]
    m: tuple[int, int]

    def holds(self, r: int, f: int, m: int) -> bool:
        """True when the three scores are all inside this rule's ranges."""
        return (
            self.r[0] <= r <= self.r[1]
            and self.f[0] <= f <= self.f[1]
            and self.m[0] <= m <= self.m[1]
        )


@dataclass(frozen=True)
class SegmentSettings:
    """What counts as a purchase, the segment map, band thresholds, LTV and churn settings."""

    excluded_statuses: frozenset[str]  # order statuses that are not purchases
    rfm_segments: tuple[SegmentRule, ...]  # first match names the identity
    frequency_bands: tuple[tuple[str, float], ...]  # (band, lowest order count), ascending
    value_bands: tuple[tuple[str, float], ...]  # (band, lowest average order value)
    churn_bands: tuple[tuple[str, float], ...]  # (band, lowest churn risk)
    new_within_days: float  # loyalty: first purchase this recent -> new
    loyal_after_days: float  # loyalty: tenure this long ...
    loyal_min_purchases: int  # ... and this many purchase days -> loyal
    lapsing_after_days: float  # loyalty: no purchase for this long -> lapsing
    lost_after_days: float  # ... for this long -> lost
    horizon_days: float  # lifetime value: how far ahead expected purchases are counted
    annual_discount_rate: float
    min_gap_days: float  # churn: a purchase rhythm is never taken as faster than this
    default_gap_days: float  # churn: the rhythm when no identity has two purchase days
    full_refresh_after_days: float  # incremental runs turn full when as_of moved further

    @cached_property
    def purchases(self) -> PurchaseRule:
        """What counts as a purchase (c360graph.analyze.purchases), shared with the API."""
        return PurchaseRule.of(self.excluded_statuses)


@dataclass(frozen=True, slots=True)
class Activity:
    """One identity's purchases and interactions up to as_of, amounts in the reporting currency."""

    identity: str
    order_count: int  # purchases: dated orders not excluded by status
    priced_count: int  # purchases with a known currency (the ones in `spend`)
    spend: float
    first_order_at: datetime | None
    last_order_at: datetime | None
    purchase_days: int  # distinct UTC calendar days with a purchase
    preferred_channel: str | None


@dataclass(frozen=True)
class Population:
    """Cut points and rhythms measured over all identities with purchases, kept for refreshes."""

    as_of: datetime
    identities: int  # identities with at least one purchase
    recency_cuts: tuple[float, ...]  # days since the last purchase
    frequency_cuts: tuple[float, ...]  # purchases
    monetary_cuts: tuple[float, ...]  # spend
    median_gap_days: float  # median purchase rhythm of identities with two or more purchase days
    repeat_rate: float  # share of identities with purchases that bought on two or more days
    value_currency: str = ""  # what spend and values are in (monetary cuts too); "": unknown

    def to_json(self) -> str:
        """The population as a JSON string (stored on the :AnalysisRun)."""
        return json.dumps({**self.__dict__, "as_of": self.as_of.isoformat()}, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Population:
        """Read back what `to_json` wrote; ValueError or KeyError when it is not that."""
        raw = json.loads(text)
        return cls(
            as_of=datetime.fromisoformat(raw["as_of"]),
            identities=int(raw["identities"]),
            recency_cuts=tuple(float(v) for v in raw["recency_cuts"]),
            frequency_cuts=tuple(float(v) for v in raw["frequency_cuts"]),
            monetary_cuts=tuple(float(v) for v in raw["monetary_cuts"]),
            median_gap_days=float(raw["median_gap_days"]),
            repeat_rate=float(raw["repeat_rate"]),
            value_currency=str(raw.get("value_currency") or ""),
        )


@dataclass(frozen=True)
class SegmentResult:
    """The metrics of one identity; field names are the :Identity property names."""

    identity: str
    segment: str
    rfm: str | None
    recency_score: int | None
    frequency_score: int | None
    monetary_score: int | None
    frequency_band: str | None
    value_band: str | None
    loyalty_band: str | None
    order_count: int
    total_spend: float
    average_order_value: float | None
    first_order_at: datetime | None
    last_order_at: datetime | None
    historic_value: float
    expected_value: float
    lifetime_value: float
    churn_risk: float | None
    churn_band: str | None
    preferred_channel: str | None

    def properties(self) -> dict[str, Any]:
        """The properties to set on the :Identity (None removes a property)."""
        props = dict(self.__dict__)
        del props["identity"]
        return props


def _days(later: datetime, earlier: datetime) -> float:
    return max(0.0, (later - earlier).total_seconds() / _DAY)


def cut_points(values: Sequence[float]) -> tuple[float, ...]:
    """The 20/40/60/80% quantiles: the sorted values at ranks ceil(q*n), not interpolated."""
    ordered = sorted(values)
    if not ordered:
        return ()
    return tuple(ordered[math.ceil(q * len(ordered) / SCORES) - 1] for q in range(1, SCORES))


def band_index(value: float, cuts: Sequence[float]) -> int:
    """0..4: how many cut points lie strictly below `value` (ties go to the lower band)."""
    return bisect_left(cuts, value)


def purchase_gap_days(activity: Activity) -> float | None:
    """Mean days between purchase days, or None with fewer than two purchase days."""
    if activity.purchase_days < 2 or not activity.first_order_at or not activity.last_order_at:
        return None
    return _days(activity.last_order_at, activity.first_order_at) / (activity.purchase_days - 1)


def _median(values: list[float]) -> float | None:
    ordered = sorted(values)
    return ordered[(len(ordered) - 1) // 2] if ordered else None  # lower median: a real value


def measure_population(
    activities: Iterable[Activity],
    as_of: datetime,
    settings: SegmentSettings,
    value_currency: str = "",
) -> Population:
    """Cut points, median purchase rhythm and repeat rate over the identities with purchases."""
    recency, frequency, monetary, gaps = [], [], [], []
    for a in activities:
        if a.order_count == 0 or a.last_order_at is None:
            continue
        recency.append(_days(as_of, a.last_order_at))
        frequency.append(float(a.order_count))
        monetary.append(a.spend)
        gap = purchase_gap_days(a)
        if gap is not None:
            gaps.append(gap)
    median_gap = _median(gaps)
    return Population(
        as_of=as_of,
        identities=len(recency),
        recency_cuts=cut_points(recency),
        frequency_cuts=cut_points(frequency),
        monetary_cuts=cut_points(monetary),
        median_gap_days=settings.default_gap_days if median_gap is None else median_gap,
        repeat_rate=len(gaps) / len(recency) if recency else 0.0,
        value_currency=value_currency,
    )


def band(value: float, bands: Sequence[tuple[str, float]]) -> str:
    """The last band whose lower bound `value` reaches (bands ascending from the floor)."""
    name = bands[0][0]
    for candidate, lowest in bands:
        if value >= lowest:
            name = candidate
    return name


def segment_name(r: int, f: int, m: int, rules: Sequence[SegmentRule]) -> str:
    """The first rule's segment holding these scores; the map is checked to name them all."""
    for rule in rules:
        if rule.holds(r, f, m):
            return rule.segment
    raise ValueError(f"no segment for R={r} F={f} M={m}; the segment map must name every score")


def _loyalty(recency: float, tenure: float, purchase_days: int, s: SegmentSettings) -> str:
    if recency > s.lost_after_days:
        return "lost"
    if recency > s.lapsing_after_days:
        return "lapsing"
    if tenure <= s.new_within_days:
        return "new"
    if tenure >= s.loyal_after_days and purchase_days >= s.loyal_min_purchases:
        return "loyal"
    return "active"


def churn_ceiling(recency_score: int) -> float:
    """The highest churn risk a recency score allows: the top of its quintile (R 5: 0.2,
    R 4: 0.4, ... R 1: 1.0), so churn risk and segment read the same recency alike."""
    return (SCORES - recency_score + 1) / SCORES


def discounted_days(horizon_days: float, annual_rate: float) -> float:
    """The integral of continuous discounting over the horizon: days weighted by e^(-delta t)."""
    delta = math.log1p(annual_rate) / 365.0
    return horizon_days if delta == 0 else (1.0 - math.exp(-delta * horizon_days)) / delta


def _no_orders(a: Activity) -> SegmentResult:
    # No purchase: nothing to score; values are zero and only the channel is known.
    return SegmentResult(
        identity=a.identity, segment=NO_ORDERS, rfm=None, recency_score=None,
        frequency_score=None, monetary_score=None, frequency_band=None, value_band=None,
        loyalty_band=None, order_count=0, total_spend=0.0, average_order_value=None,
        first_order_at=None, last_order_at=None, historic_value=0.0, expected_value=0.0,
        lifetime_value=0.0, churn_risk=None, churn_band=None,
        preferred_channel=a.preferred_channel,
    )  # fmt: skip


def score(
    activity: Activity, population: Population, as_of: datetime, settings: SegmentSettings
) -> SegmentResult:
    """Scores, segment, bands, lifetime value and churn risk of one identity at `as_of`."""
    a = activity
    if a.order_count == 0 or a.first_order_at is None or a.last_order_at is None:
        return _no_orders(a)
    recency = _days(as_of, a.last_order_at)
    r = SCORES - band_index(recency, population.recency_cuts)
    f = 1 + band_index(float(a.order_count), population.frequency_cuts)
    m = 1 + band_index(a.spend, population.monetary_cuts)
    aov = a.spend / a.priced_count if a.priced_count else None
    # Churn: time since the last purchase against the identity's own rhythm (or the typical one).
    own_gap = purchase_gap_days(a)
    gap = max(settings.min_gap_days, population.median_gap_days if own_gap is None else own_gap)
    # ... never above the top of its recency quintile: an identity that bought more recently
    # than 60% of buyers (R 4, as every champion) is not called more likely gone than 40%.
    churn = min(1.0 - math.exp(-recency / gap), churn_ceiling(r))
    alive = 1.0 - churn
    # Lifetime value: historic spend plus expected purchase days over the horizon, each worth
    # the identity's average purchase day, if still active, discounted.
    rate = 1.0 / gap if own_gap is not None else population.repeat_rate / gap
    per_day = max(0.0, aov or 0.0) * a.order_count / max(1, a.purchase_days)
    expected = (
        per_day
        * rate
        * alive
        * discounted_days(settings.horizon_days, settings.annual_discount_rate)
    )
    historic, expected = round(a.spend, 2), round(expected, 2)
    churn = round(churn, 4)
    return SegmentResult(
        identity=a.identity,
        segment=segment_name(r, f, m, settings.rfm_segments),
        rfm=f"{r}{f}{m}",
        recency_score=r,
        frequency_score=f,
        monetary_score=m,
        frequency_band=band(a.order_count, settings.frequency_bands),
        value_band=None if aov is None else band(aov, settings.value_bands),
        loyalty_band=_loyalty(recency, _days(as_of, a.first_order_at), a.purchase_days, settings),
        order_count=a.order_count,
        total_spend=historic,
        average_order_value=None if aov is None else round(aov, 2),
        first_order_at=a.first_order_at,
        last_order_at=a.last_order_at,
        historic_value=historic,
        expected_value=expected,
        lifetime_value=round(historic + expected, 2),
        churn_risk=churn,
        churn_band=band(churn, settings.churn_bands),
        preferred_channel=a.preferred_channel,
    )


def preferred_channel(orders: Mapping[str, int], interactions: Mapping[str, int]) -> str | None:
    """The channel with the most orders, then the most interactions, then the first by name."""
    channels = set(orders) | set(interactions)
    if not channels:
        return None
    return min(channels, key=lambda c: (-orders.get(c, 0), -interactions.get(c, 0), c))


# -- settings -----------------------------------------------------------------------------
_TOP_KEYS = {
    "excluded_statuses", "rfm_segments", "frequency_bands", "value_bands", "loyalty",
    "lifetime_value", "churn", "full_refresh_after_days",
}  # fmt: skip
_LOYALTY_KEYS = (
    "new_within_days", "loyal_after_days", "loyal_min_purchases", "lapsing_after_days",
    "lost_after_days",
)  # fmt: skip


def _fail(key: str, problem: str) -> AnalysesConfigError:
    return AnalysesConfigError(f"analyses config: {_S}.{key} {problem}")


def _mapping(
    body: Mapping[str, Any], key: str, known: Sequence[str] | None = None, at: str = ""
) -> dict[str, Any]:
    value = body.get(key)
    if not isinstance(value, Mapping):
        raise _fail(at + key, "must be a mapping; see the packaged analyses.yaml for its shape")
    extra = sorted(set(value) - set(known)) if known is not None else []
    if extra:
        raise _fail(
            at + key, f"has unknown key {', '.join(extra)}; known: {', '.join(known or ())}"
        )
    return dict(value)


def _number(body: Mapping[str, Any], key: str, low: float, high: float, at: str = "") -> float:
    value = body.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _fail(at + key, f"must be a number between {low:g} and {high:g}")
    if not low <= value <= high:
        raise _fail(at + key, f"must be between {low:g} and {high:g}, got {value}")
    return float(value)


def _bands(
    body: Mapping[str, Any], key: str, floor: float, high: float, at: str = ""
) -> tuple[tuple[str, float], ...]:
    raw = _mapping(body, key, at=at)
    bands = tuple((str(name), _number(raw, name, floor, high, f"{at}{key}.")) for name in raw)
    bounds = [lowest for _, lowest in bands]
    if not bands or bounds[0] != floor or any(b <= a for a, b in itertools.pairwise(bounds)):
        raise _fail(
            at + key,
            f"must map band names to rising lower bounds, the first {floor:g}, "
            f"e.g. {{low: {floor:g}, high: {floor + 1:g}}}",
        )
    return bands


def _score_range(entry: Mapping[str, Any], letter: str, where: str) -> tuple[int, int]:
    value = entry.get(letter)
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        or not 1 <= value[0] <= value[1] <= SCORES
    ):
        raise _fail(where, f"needs `{letter}: [low, high]` with 1 <= low <= high <= {SCORES}")
    return int(value[0]), int(value[1])


def _rules(body: Mapping[str, Any]) -> tuple[SegmentRule, ...]:
    raw = body.get("rfm_segments")
    if not isinstance(raw, list) or not raw:
        raise _fail("rfm_segments", "must be a list of {segment, r, f, m} entries")
    rules = []
    for number, entry in enumerate(raw):
        where = f"rfm_segments[{number}]"
        if not isinstance(entry, Mapping) or set(entry) != {"segment", "r", "f", "m"}:
            raise _fail(where, "must be {segment: NAME, r: [low, high], f: [...], m: [...]}")
        name = entry["segment"]
        if not isinstance(name, str) or not name or name == NO_ORDERS:
            raise _fail(where, f"needs a segment name (not {NO_ORDERS!r}, kept for no purchases)")
        rules.append(SegmentRule(name, *(_score_range(entry, c, where) for c in "rfm")))
    scores = range(1, SCORES + 1)
    unnamed = [
        f"R={r} F={f} M={m}"
        for r in scores
        for f in scores
        for m in scores
        if not any(rule.holds(r, f, m) for rule in rules)
    ]
    if unnamed:
        raise _fail(
            "rfm_segments",
            f"leave {len(unnamed)} score combinations unnamed ({', '.join(unnamed[:3])}, ...); "
            "add entries for them or a catch-all last entry {segment: ..., r: [1, 5], "
            "f: [1, 5], m: [1, 5]}",
        )
    return tuple(rules)


def parse_segment_settings(raw: Mapping[str, Any]) -> SegmentSettings:
    """Check the `segments:` section and build the settings; AnalysesConfigError when malformed."""
    extra = sorted(set(raw) - _TOP_KEYS)
    if extra:
        raise AnalysesConfigError(
            f"analyses config: unknown key {', '.join(extra)} under `{_S}:`; "
            f"known: {', '.join(sorted(_TOP_KEYS))}"
        )
    statuses = raw.get("excluded_statuses")
    if not isinstance(statuses, list) or not all(isinstance(s, str) for s in statuses):
        raise _fail("excluded_statuses", "must be a list of order statuses, e.g. [cancelled]")
    loyalty = _mapping(raw, "loyalty", _LOYALTY_KEYS)
    ltv = _mapping(raw, "lifetime_value", ("horizon_days", "annual_discount_rate"))
    churn = _mapping(raw, "churn", ("min_gap_days", "default_gap_days", "bands"))
    purchases = loyalty.get("loyal_min_purchases")
    if isinstance(purchases, bool) or not isinstance(purchases, int) or purchases < 1:
        raise _fail("loyalty.loyal_min_purchases", "must be a whole number of at least 1")
    days = {
        k: _number(loyalty, k, 0.0, 36500.0, "loyalty.")
        for k in _LOYALTY_KEYS
        if k != "loyal_min_purchases"
    }
    if days["lapsing_after_days"] >= days["lost_after_days"]:
        raise _fail("loyalty.lost_after_days", "must exceed loyalty.lapsing_after_days")
    return SegmentSettings(
        excluded_statuses=frozenset(s.lower() for s in statuses),
        rfm_segments=_rules(raw),
        frequency_bands=_bands(raw, "frequency_bands", 1.0, 1e9),
        value_bands=_bands(raw, "value_bands", 0.0, 1e12),
        churn_bands=_bands(churn, "bands", 0.0, 1.0, "churn."),
        new_within_days=days["new_within_days"],
        loyal_after_days=days["loyal_after_days"],
        loyal_min_purchases=purchases,
        lapsing_after_days=days["lapsing_after_days"],
        lost_after_days=days["lost_after_days"],
        horizon_days=_number(ltv, "horizon_days", 0.0, 36500.0, "lifetime_value."),
        annual_discount_rate=_number(ltv, "annual_discount_rate", 0.0, 10.0, "lifetime_value."),
        min_gap_days=_number(churn, "min_gap_days", 0.01, 3650.0, "churn."),
        default_gap_days=_number(churn, "default_gap_days", 0.01, 3650.0, "churn."),
        full_refresh_after_days=_number(raw, "full_refresh_after_days", 0.0, 36500.0),
    )
