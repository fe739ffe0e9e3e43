"""A segments refresh: reads identities' activity from the graph, scores it, writes it back.

Full refreshes measure the population (RFM cut points, purchase rhythms) and score every
active identity; incremental ones rescore only identities touched since the last run,
against the stored population. The scoring itself is c360graph.analyze.segments (pure).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from dataclasses import replace as dc_replace
from datetime import UTC, date, datetime
from typing import Any

from c360graph.analyze.segments import (
    Activity,
    Population,
    SegmentSettings,
    measure_population,
    parse_segment_settings,
    preferred_channel,
    score,
)
from c360graph.analyze.settings import AnalysesConfig, CurrencySettings
from c360graph.db.graph import Graph
from c360graph.db.values import utc_moment
from c360graph.normalize.amount import round_to_minor
from c360graph.run import Run, fingerprint
from c360graph.stages import Progress

CHUNK = 5000  # identities per read and per write transaction


@dataclass
class SegmentReport:
    """What a segments refresh did."""

    run_id: str
    at: datetime  # when the run started: the next incremental run rescores changes since
    as_of: datetime  # the moment recency, churn and tenure are measured at
    mode: str = "full"  # full | incremental
    reason: str = ""  # why this mode
    identities: int = 0  # active identities scored
    with_orders: int = 0  # of which with at least one purchase
    cleared: int = 0  # identities no longer active whose segment properties were removed
    orders: int = 0  # orders read
    purchases: int = 0  # orders counted as purchases
    excluded_orders: int = 0  # left out for their status (cancelled, returned, ...)
    unpriced_orders: int = 0  # purchases left out of sums: unknown currency or no amount
    undated_orders: int = 0  # left out: no order time, or after as_of
    interactions: int = 0  # interactions read (up to as_of)
    priced_by_currency: Counter[str] = field(default_factory=Counter)  # summed purchases
    value_currency: str = ""  # what values are stored in (currency.values_in)
    segments: Counter[str] = field(default_factory=Counter)  # segment -> identities scored
    seconds: dict[str, float] = field(default_factory=dict)  # per stage

    def summary(self) -> str:
        """One paragraph for people."""
        total = sum(self.seconds.values())
        top = ", ".join(f"{n:,} {s}" for s, n in self.segments.most_common()) or "none"
        return (
            f"{self.mode} segments refresh ({self.reason}) as of {self.as_of:%Y-%m-%d %H:%M} UTC "
            f"in {total:.1f}s: {self.identities:,} identities scored ({self.with_orders:,} with "
            f"purchases), {self.cleared:,} no longer active cleared; {self.orders:,} orders "
            f"read, {self.purchases:,} purchases, {self.excluded_orders:,} left out for their "
            f"status, {self.unpriced_orders:,} not summed (unknown currency or no amount), "
            f"{self.undated_orders:,} undated or after as_of; {self.interactions:,} "
            f"interactions; segments: {top}"
        )


def config_hash(config: AnalysesConfig) -> str:
    """A hash of what the scores depend on (segments settings and currency rates)."""
    content = {
        "segments": config.segments,
        "currency": {
            "reporting": config.currency.reporting,
            "rates": dict(config.currency.rates),
            "values_in": config.currency.values_in,
        },
    }
    return fingerprint(json.dumps(content, sort_keys=True, default=str))


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def default_as_of(graph: Graph, now: datetime) -> datetime:
    """The newest order or interaction time not after `now`; `now` when there is none."""
    rows = graph.read("analyses/segment_as_of", now=now)
    found = [utc_moment(rows[0][k]) for k in ("newest_order", "newest_interaction")] if rows else []
    moments = [m for m in found if m is not None]
    return max(moments) if moments else now


class _Identity:
    """One identity's purchases while its orders are read (one chunk at a time)."""

    __slots__ = ("count", "days", "first", "last", "orders", "priced", "spend")

    def __init__(self) -> None:
        self.count = self.priced = 0
        self.spend = 0.0
        self.first: datetime | None = None
        self.last: datetime | None = None
        self.days: set[date] = set()
        self.orders: Counter[str] = Counter()  # orders per channel, any status


def _add_order(
    acc: _Identity,
    row: dict[str, Any],
    as_of: datetime,
    settings: SegmentSettings,
    currency: CurrencySettings,
    report: SegmentReport,
) -> None:
    report.orders += 1
    at = utc_moment(row["ordered_at"])
    if at is None or at > as_of:
        report.undated_orders += 1
        return
    if row["channel"]:
        acc.orders[row["channel"]] += 1
    if not settings.purchases.is_purchase(row["status"], dated=True):
        report.excluded_orders += 1
        return
    report.purchases += 1
    acc.count += 1
    acc.first = at if acc.first is None else min(acc.first, at)
    acc.last = at if acc.last is None else max(acc.last, at)
    acc.days.add(at.date())  # at is UTC: purchase days are UTC calendar days
    amount = row["amount"]
    converted = None if amount is None else currency.convert(float(amount), row["currency"])
    if converted is None:
        report.unpriced_orders += 1
    else:
        acc.spend += converted
        acc.priced += 1
        report.priced_by_currency[(row["currency"] or currency.reporting).upper()] += 1


def read_activities(
    graph: Graph,
    ids: Sequence[str],
    as_of: datetime,
    settings: SegmentSettings,
    currency: CurrencySettings,
    report: SegmentReport,
) -> Iterator[Activity]:
    """The activity of each given identity up to `as_of`, read CHUNK identities at a time."""
    for chunk in _chunks(ids):
        accs = {identity: _Identity() for identity in chunk}
        for row in graph.read("analyses/segment_orders", ids=list(chunk)):
            _add_order(accs[row["id"]], row, as_of, settings, currency, report)
        interactions: dict[str, Counter[str]] = {}
        for row in graph.read("analyses/segment_interactions", ids=list(chunk), as_of=as_of):
            report.interactions += row["n"]
            if row["channel"]:
                interactions.setdefault(row["id"], Counter())[row["channel"]] += row["n"]
        for identity, acc in accs.items():
            yield Activity(
                identity=identity,
                order_count=acc.count,
                priced_count=acc.priced,
                spend=acc.spend,
                first_order_at=acc.first,
                last_order_at=acc.last,
                purchase_days=len(acc.days),
                preferred_channel=preferred_channel(acc.orders, interactions.get(identity, {})),
            )


def in_value_currency(
    activities: Sequence[Activity],
    settings: SegmentSettings,
    currency: CurrencySettings,
    value_currency: str,
) -> tuple[list[Activity], SegmentSettings]:
    """Activities (read in the reporting currency) with spend in `value_currency`, and the
    settings with their value bands (written in the reporting currency) in it too."""
    per_unit = currency.rates[value_currency]  # reporting units per unit of value_currency
    if per_unit == 1.0:
        return list(activities), settings
    bands = tuple((name, lowest / per_unit) for name, lowest in settings.value_bands)
    return [dc_replace(a, spend=a.spend / per_unit) for a in activities], dc_replace(
        settings, value_bands=bands
    )


def _plan(
    graph: Graph,
    config: AnalysesConfig,
    settings: SegmentSettings,
    report: SegmentReport,
    full: bool,
) -> tuple[Population, datetime] | None:
    """The stored population and the start of the last run to refresh from; None: go full."""
    if full:
        report.reason = "asked"
        return None
    last = graph.read("analyses/segment_last_run")
    since = utc_moment(last[0]["at"]) if last else None
    if not last or not last[0]["cut_points"] or since is None:
        report.reason = "no earlier segments run"
        return None
    if last[0]["config_hash"] != config_hash(config):
        report.reason = "the segments or currency config changed"
        return None
    population = Population.from_json(last[0]["cut_points"])
    drift = abs((report.as_of - population.as_of).total_seconds()) / 86400
    if drift > settings.full_refresh_after_days:
        report.reason = f"as_of moved {drift:.1f} days since the last full refresh"
        return None
    if population.identities == 0:
        report.reason = "the stored population has no purchases to score against"
        return None
    report.mode, report.reason = "incremental", "identities touched since the last run"
    return population, since


def _write(
    graph: Graph,
    activities: Sequence[Activity],
    population: Population,
    settings: SegmentSettings,
    config: AnalysesConfig,
    report: SegmentReport,
) -> None:
    money = ("total_spend", "average_order_value", "historic_value", "expected_value")
    common = {
        "value_currency": population.value_currency,
        "segments_at": report.at,
        "segments_as_of": report.as_of,
    }
    for chunk in _chunks(activities):
        rows = []
        for activity in chunk:
            result = score(activity, population, report.as_of, settings)
            report.segments[result.segment] += 1
            report.with_orders += result.order_count > 0
            props = result.properties()
            for name in money:  # each rounded to the value currency's minor units
                if props[name] is not None:
                    props[name] = round_to_minor(props[name], population.value_currency)
            props["lifetime_value"] = round_to_minor(
                props["historic_value"] + props["expected_value"], population.value_currency
            )
            rows.append({"id": result.identity, "props": {**props, **common}})
        graph.write("analyses/segment_write", rows=rows)
        report.identities += len(rows)


def _clear(graph: Graph, ids: Sequence[str], report: SegmentReport) -> None:
    for chunk in _chunks(ids):
        graph.write("analyses/segment_clear", ids=list(chunk))
    report.cleared += len(ids)


def refresh_segments(
    graph: Graph,
    config: AnalysesConfig,
    *,
    full: bool = False,
    as_of: datetime | None = None,
    progress: Progress | None = None,
) -> SegmentReport:
    """Score active identities (all, or those touched since the last run) and write them."""
    settings = parse_segment_settings(config.segments)
    now = datetime.now(UTC)
    if as_of is not None and as_of.tzinfo is None:
        as_of = as_of.replace(tzinfo=UTC)  # a naive time is read as UTC, like graph times
    run = Run("analysis", config_hash(config), progress, started_at=now)
    report = SegmentReport(run_id=run.run_id, at=now, as_of=now, seconds=run.seconds)
    report.as_of = as_of or default_as_of(graph, now)
    plan = _plan(graph, config, settings, report, full)
    population = plan[0] if plan else None
    if plan is None:
        ids = [row["id"] for row in graph.stream("analyses/segment_active_identities")]
        stale = [row["id"] for row in graph.stream("analyses/segment_stale")]
    else:
        touched = list(graph.stream("analyses/segment_touched", since=plan[1]))
        ids = sorted({row["id"] for row in touched if row["status"] == "active"})
        stale = sorted({row["id"] for row in touched if row["status"] != "active"})
    run.done("plan", f"{report.mode} ({report.reason}), {len(ids):,} identities to score")
    run.begin(
        graph, analysis="segments", as_of=report.as_of, mode=report.mode, reason=report.reason
    )

    currency = config.currency
    activities = list(read_activities(graph, ids, report.as_of, settings, currency, report))
    value_currency = (
        population.value_currency
        if population is not None and population.value_currency
        else currency.value_currency(report.priced_by_currency)
    )
    activities, settings = in_value_currency(activities, settings, currency, value_currency)
    report.value_currency = value_currency
    if population is None:
        population = measure_population(activities, report.as_of, settings, value_currency)
    run.done("read", f"{report.orders:,} orders, {report.interactions:,} interactions")

    _write(graph, activities, population, settings, config, report)
    _clear(graph, stale, report)
    run.finish(
        graph,
        identities=report.identities,
        with_orders=report.with_orders,
        cleared=report.cleared,
        orders=report.orders,
        purchases=report.purchases,
        excluded_orders=report.excluded_orders,
        unpriced_orders=report.unpriced_orders,
        undated_orders=report.undated_orders,
        interactions=report.interactions,
        segment_counts=json.dumps(dict(report.segments), sort_keys=True),
        cut_points=population.to_json(),
    )
    run.done("write", f"{report.identities:,} scored, {report.cleared:,} cleared")
    return report
