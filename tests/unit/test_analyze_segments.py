"""Customer metrics and segments on hand-made activity: scores, names, bands, LTV, churn."""

from __future__ import annotations

import copy
import math
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from c360graph.analyze.segments import (
    NO_ORDERS,
    Activity,
    Population,
    SegmentSettings,
    band_index,
    churn_ceiling,
    cut_points,
    discounted_days,
    measure_population,
    parse_segment_settings,
    preferred_channel,
    score,
)
from c360graph.analyze.settings import AnalysesConfigError, load_analyses_config

AS_OF = datetime(2026, 6, 30, tzinfo=UTC)
RAW: dict[str, Any] = dict(load_analyses_config().segments)


def _settings(**changes: Any) -> SegmentSettings:
    raw = copy.deepcopy(RAW)
    for dotted, value in changes.items():
        *path, last = dotted.split("__")
        target = raw
        for part in path:
            target = target[part]
        target[last] = value
    return parse_segment_settings(raw)


SETTINGS = _settings()


def _activity(
    identity: str,
    orders: int = 1,
    spend: float = 50.0,
    first_days_ago: float = 100.0,
    last_days_ago: float = 100.0,
    days: int | None = None,
    priced: int | None = None,
    channel: str | None = "web",
) -> Activity:
    first = AS_OF - timedelta(days=first_days_ago) if orders else None
    last = AS_OF - timedelta(days=last_days_ago) if orders else None
    return Activity(
        identity=identity,
        order_count=orders,
        priced_count=orders if priced is None else priced,
        spend=spend,
        first_order_at=first,
        last_order_at=last,
        purchase_days=(orders if days is None else days),
        preferred_channel=channel,
    )


def _population(**fields: Any) -> Population:
    base: dict[str, Any] = {
        "as_of": AS_OF,
        "identities": 100,
        "recency_cuts": (30.0, 90.0, 180.0, 365.0),
        "frequency_cuts": (1.0, 2.0, 3.0, 5.0),
        "monetary_cuts": (40.0, 80.0, 150.0, 300.0),
        "median_gap_days": 60.0,
        "repeat_rate": 0.5,
    }
    return Population(**{**base, **fields})


# -- scores and cut points -------------------------------------------------------------------


def test_cut_points_are_the_quintile_values_of_the_population_without_interpolation() -> None:
    assert cut_points([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]) == (2, 4, 6, 8)
    assert cut_points([7]) == (7, 7, 7, 7)
    assert cut_points([]) == ()


def test_a_value_equal_to_a_cut_point_takes_the_lower_band() -> None:
    cuts = (1.0, 1.0, 2.0, 4.0)
    assert [band_index(v, cuts) for v in (0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 9.0)] == [
        0,
        0,
        2,
        2,
        3,
        3,
        4,
    ]


def test_recent_frequent_big_spender_scores_555_and_is_a_champion() -> None:
    result = score(
        _activity("a", orders=9, spend=900, first_days_ago=400, last_days_ago=3),
        _population(),
        AS_OF,
        SETTINGS,
    )
    assert (result.recency_score, result.frequency_score, result.monetary_score) == (5, 5, 5)
    assert result.rfm == "555"
    assert result.segment == "champions"


def test_long_gone_one_off_small_buyer_scores_111_and_is_lost() -> None:
    result = score(
        _activity("b", orders=1, spend=10, first_days_ago=700, last_days_ago=700),
        _population(),
        AS_OF,
        SETTINGS,
    )
    assert result.rfm == "111"
    assert result.segment == "lost"


def test_former_best_customer_gone_quiet_cannot_be_lost() -> None:
    result = score(
        _activity("c", orders=8, spend=1000, first_days_ago=900, last_days_ago=400),
        _population(),
        AS_OF,
        SETTINGS,
    )
    assert result.rfm == "155"
    assert result.segment == "cannot_lose"


def test_identity_without_purchases_is_no_orders_with_no_scores_but_a_channel() -> None:
    result = score(
        _activity("d", orders=0, spend=0, channel="email"), _population(), AS_OF, SETTINGS
    )
    assert result.segment == NO_ORDERS
    assert result.rfm is None and result.recency_score is None and result.churn_risk is None
    assert (result.order_count, result.total_spend, result.lifetime_value) == (0, 0.0, 0.0)
    assert result.preferred_channel == "email"


def test_the_segment_map_is_data_a_catch_all_map_names_everyone_alike() -> None:
    settings = _settings(
        rfm_segments=[{"segment": "everyone", "r": [1, 5], "f": [1, 5], "m": [1, 5]}]
    )
    activities = [
        _activity("a", orders=9, spend=900, last_days_ago=3),
        _activity("b", last_days_ago=700),
    ]
    assert {score(a, _population(), AS_OF, settings).segment for a in activities} == {"everyone"}


def test_population_cut_points_and_rhythm_come_from_identities_with_purchases_only() -> None:
    activities = [
        _activity("one-off", orders=1, spend=10, last_days_ago=10),
        _activity("twice", orders=2, spend=30, first_days_ago=50, last_days_ago=10),  # gap 40
        _activity("thrice", orders=3, spend=90, first_days_ago=70, last_days_ago=10),  # gap 30
        _activity("nothing", orders=0, spend=0),
    ]
    population = measure_population(activities, AS_OF, SETTINGS)
    assert population.identities == 3
    assert population.frequency_cuts == (1.0, 2.0, 2.0, 3.0)  # ranks 1, 2, 2, 3 of 3
    assert population.monetary_cuts == (10.0, 30.0, 30.0, 90.0)
    assert population.median_gap_days == pytest.approx(30.0)  # lower median of 30 and 40
    assert population.repeat_rate == pytest.approx(2 / 3)


def test_without_repeat_buyers_the_rhythm_is_the_configured_default() -> None:
    population = measure_population([_activity("a"), _activity("b")], AS_OF, SETTINGS)
    assert population.median_gap_days == SETTINGS.default_gap_days
    assert population.repeat_rate == 0.0


def test_stored_population_scores_exactly_like_the_measured_one() -> None:
    activities = [
        _activity(
            str(n), orders=1 + n % 6, spend=17.3 * n, first_days_ago=400, last_days_ago=n * 7.1
        )
        for n in range(40)
    ]
    population = measure_population(activities, AS_OF, SETTINGS)
    stored = Population.from_json(population.to_json())
    assert stored == population
    assert [score(a, stored, AS_OF, SETTINGS) for a in activities] == [
        score(a, population, AS_OF, SETTINGS) for a in activities
    ]


# -- bands -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("orders", "band"),
    [
        (1, "one_off"),
        (2, "occasional"),
        (3, "occasional"),
        (4, "regular"),
        (8, "frequent"),
        (30, "frequent"),
    ],
)
def test_frequency_band_follows_the_purchase_count(orders: int, band: str) -> None:
    result = score(
        _activity("a", orders=orders, spend=orders * 50.0, first_days_ago=300, last_days_ago=10),
        _population(),
        AS_OF,
        SETTINGS,
    )
    assert result.frequency_band == band


@pytest.mark.parametrize(
    ("aov", "band"),
    [(5.0, "low"), (25.0, "mid"), (74.99, "mid"), (75.0, "high"), (250.0, "premium")],
)
def test_value_band_follows_the_average_order_value(aov: float, band: str) -> None:
    result = score(
        _activity("a", orders=2, spend=2 * aov, first_days_ago=60, last_days_ago=10),
        _population(),
        AS_OF,
        SETTINGS,
    )
    assert result.average_order_value == pytest.approx(aov)
    assert result.value_band == band


def test_average_order_value_leaves_out_purchases_in_an_unknown_currency() -> None:
    result = score(_activity("a", orders=3, priced=2, spend=100.0), _population(), AS_OF, SETTINGS)
    assert result.order_count == 3
    assert result.average_order_value == 50.0


def test_no_priced_purchase_gives_no_value_band() -> None:
    result = score(_activity("a", orders=2, priced=0, spend=0.0), _population(), AS_OF, SETTINGS)
    assert result.average_order_value is None and result.value_band is None


@pytest.mark.parametrize(
    ("first", "last", "days", "band"),
    [
        (500, 400, 3, "lost"),  # nothing for over lost_after_days
        (500, 200, 3, "lapsing"),
        (60, 10, 2, "new"),  # first purchase within new_within_days
        (500, 10, 3, "loyal"),  # a year of tenure and three purchase days
        (500, 10, 2, "active"),  # long tenure but too few purchase days for loyal
        (200, 10, 3, "active"),  # not new, not a year yet
    ],
)
def test_loyalty_band_from_tenure_and_recency(
    first: float, last: float, days: int, band: str
) -> None:
    activity = _activity(
        "a", orders=days, spend=days * 40.0, first_days_ago=first, last_days_ago=last
    )
    assert score(activity, _population(), AS_OF, SETTINGS).loyalty_band == band


# -- churn and lifetime value ----------------------------------------------------------------


# Every other buyer bought within the last 4 days: any longer silence has recency score 1, so
# the rhythm alone decides churn (no ceiling from the recency quintile).
RECENT_CROWD = (1.0, 2.0, 3.0, 4.0)


def test_churn_risk_is_time_since_last_purchase_against_the_own_rhythm() -> None:
    # Three purchase days over 60 days: a 30-day rhythm; silent for 30 days -> 1 - e^-1.
    activity = _activity("a", orders=3, spend=90, first_days_ago=90, last_days_ago=30)
    result = score(activity, _population(recency_cuts=RECENT_CROWD), AS_OF, SETTINGS)
    assert result.churn_risk == pytest.approx(1 - math.exp(-1), abs=1e-4)
    assert result.churn_band == "medium"


def test_one_time_buyers_are_measured_against_the_population_median_rhythm() -> None:
    result = score(
        _activity("a", last_days_ago=120),
        _population(median_gap_days=60.0, recency_cuts=RECENT_CROWD),
        AS_OF,
        SETTINGS,
    )
    assert result.churn_risk == pytest.approx(1 - math.exp(-2), abs=1e-4)
    assert result.churn_band == "high"


def test_the_same_silence_is_riskier_for_a_fast_buyer_than_a_slow_one() -> None:
    fast = _activity("fast", orders=10, spend=500, first_days_ago=200, last_days_ago=40)  # ~18 days
    slow = _activity("slow", orders=2, spend=100, first_days_ago=400, last_days_ago=40)  # 360 days
    crowd = _population(recency_cuts=RECENT_CROWD)
    risks = {a.identity: score(a, crowd, AS_OF, SETTINGS).churn_risk for a in (fast, slow)}
    assert risks["fast"] is not None and risks["slow"] is not None
    assert risks["fast"] > 0.8 > 0.2 > risks["slow"]


def test_a_rhythm_faster_than_min_gap_days_is_taken_as_min_gap_days() -> None:
    # Two purchase days one day apart would make a 1-day rhythm; the floor is 14 days.
    activity = _activity("a", orders=2, spend=100, first_days_ago=15, last_days_ago=14)
    crowd = _population(recency_cuts=RECENT_CROWD)
    assert score(activity, crowd, AS_OF, SETTINGS).churn_risk == pytest.approx(
        1 - math.exp(-1), abs=1e-4
    )


@pytest.mark.parametrize(("last_days_ago", "ceiling"), [(10, 0.2), (60, 0.4), (120, 0.6)])
def test_churn_risk_never_exceeds_the_top_of_its_recency_quintile(
    last_days_ago: float, ceiling: float
) -> None:
    # Ten purchases in a burst (a 14-day floor rhythm) then silence: the rhythm alone would
    # call it gone, but it bought more recently than most buyers.
    burst = _activity(
        "a", orders=10, spend=900, first_days_ago=last_days_ago + 9, last_days_ago=last_days_ago
    )
    result = score(burst, _population(), AS_OF, SETTINGS)
    assert result.churn_risk == ceiling
    assert churn_ceiling(result.recency_score or 0) == ceiling


def test_a_champion_is_never_at_high_or_medium_churn_risk() -> None:
    champion = _activity("a", orders=12, spend=2000, first_days_ago=200, last_days_ago=25)
    result = score(champion, _population(), AS_OF, SETTINGS)
    assert result.segment == "champions"
    assert result.churn_risk is not None and result.churn_risk <= 0.4
    assert result.churn_band == "low"


def test_lifetime_value_is_historic_plus_rate_times_horizon_times_p_active_times_value() -> None:
    settings = _settings(lifetime_value={"horizon_days": 365, "annual_discount_rate": 0})
    # Two purchase days 30 days apart, the last today: rate 1/30 a day, P(active) 1.
    activity = _activity("a", orders=2, spend=120, first_days_ago=30, last_days_ago=0)
    result = score(activity, _population(), AS_OF, settings)
    assert result.historic_value == 120.0
    assert result.expected_value == pytest.approx(60 * 365 / 30, abs=0.01)
    assert result.lifetime_value == pytest.approx(120 + 60 * 365 / 30, abs=0.01)


def test_expected_value_shrinks_with_silence_and_with_discounting() -> None:
    def expected(last_days_ago: float, rate: float) -> float:
        settings = _settings(lifetime_value={"horizon_days": 365, "annual_discount_rate": rate})
        activity = _activity(
            "a", orders=2, spend=120, first_days_ago=30 + last_days_ago, last_days_ago=last_days_ago
        )
        crowd = _population(recency_cuts=RECENT_CROWD)  # no recency ceiling on P(active)
        return score(activity, crowd, AS_OF, settings).expected_value

    assert expected(0, 0.0) > expected(30, 0.0) > expected(90, 0.0) > 0
    assert expected(0, 0.1) < expected(0, 0.0)
    assert expected(30, 0.0) == pytest.approx(expected(0, 0.0) * math.exp(-1), abs=0.02)


def test_discounted_days_is_the_integral_of_continuous_discounting() -> None:
    delta = math.log(1.1) / 365
    assert discounted_days(365, 0.0) == 365
    assert discounted_days(365, 0.1) == pytest.approx((1 - math.exp(-delta * 365)) / delta)


def test_one_time_buyers_expect_the_population_repeat_rate_at_the_median_rhythm() -> None:
    settings = _settings(lifetime_value={"horizon_days": 365, "annual_discount_rate": 0})
    result = score(
        _activity("a", orders=1, spend=80, last_days_ago=0),
        _population(median_gap_days=73.0, repeat_rate=0.4),
        AS_OF,
        settings,
    )
    assert result.expected_value == pytest.approx(80 * 0.4 / 73 * 365, abs=0.01)


def test_a_purchase_day_with_several_orders_is_worth_all_of_them() -> None:
    settings = _settings(lifetime_value={"horizon_days": 365, "annual_discount_rate": 0})
    # Four orders of 30 on two days 30 days apart: each purchase day is worth 60.
    activity = _activity("a", orders=4, spend=120, first_days_ago=30, last_days_ago=0, days=2)
    assert score(activity, _population(), AS_OF, settings).expected_value == pytest.approx(
        60 * 365 / 30, abs=0.01
    )


# -- preferred channel -------------------------------------------------------------------------


def test_preferred_channel_is_the_most_orders_then_interactions_then_name() -> None:
    assert preferred_channel({"web": 3, "store": 1}, {"store": 9}) == "web"
    assert preferred_channel({"web": 2, "store": 2}, {"store": 1}) == "store"
    assert preferred_channel({}, {"email": 2, "chat": 2}) == "chat"
    assert preferred_channel({}, {}) is None


# -- settings ---------------------------------------------------------------------------------


def test_the_packaged_config_parses() -> None:
    assert SETTINGS.excluded_statuses >= {"cancelled", "returned"}
    assert SETTINGS.rfm_segments[0].segment == "champions"


def _error(raw: dict[str, Any]) -> str:
    with pytest.raises(AnalysesConfigError) as caught:
        parse_segment_settings(raw)
    return str(caught.value)


def test_a_segment_map_leaving_scores_unnamed_is_refused_with_the_fix() -> None:
    raw = copy.deepcopy(RAW)
    raw["rfm_segments"] = [r for r in raw["rfm_segments"] if r["segment"] != "lost"]
    message = _error(raw)
    assert (
        "segments.rfm_segments" in message and "R=1 F=1 M=1" in message and "catch-all" in message
    )


def test_a_bad_score_range_names_the_entry_and_the_expected_form() -> None:
    raw = copy.deepcopy(RAW)
    raw["rfm_segments"][0]["r"] = [4, 6]
    assert "segments.rfm_segments[0] needs `r: [low, high]`" in _error(raw)


def test_no_orders_is_reserved_for_identities_without_purchases() -> None:
    raw = copy.deepcopy(RAW)
    raw["rfm_segments"][0]["segment"] = "no_orders"
    assert "rfm_segments[0]" in _error(raw)


def test_an_unknown_key_is_refused_with_the_known_ones() -> None:
    raw = {**copy.deepcopy(RAW), "horizon": 3}
    message = _error(raw)
    assert "unknown key horizon under `segments:`" in message and "lifetime_value" in message


def test_bands_must_rise_from_their_floor() -> None:
    raw = copy.deepcopy(RAW)
    raw["value_bands"] = {"low": 0, "high": 75, "mid": 25}
    assert "segments.value_bands must map band names to rising lower bounds" in _error(raw)
    raw["value_bands"] = {"low": 10, "high": 75}
    assert "the first 0" in _error(raw)


def test_a_churn_band_above_one_names_its_key() -> None:
    raw = copy.deepcopy(RAW)
    raw["churn"]["bands"] = {"low": 0, "high": 1.5}
    assert "segments.churn.bands.high must be between 0 and 1" in _error(raw)


def test_lapsing_must_come_before_lost() -> None:
    raw = copy.deepcopy(RAW)
    raw["loyalty"]["lapsing_after_days"] = 400
    assert "segments.loyalty.lost_after_days must exceed" in _error(raw)


def test_a_missing_number_names_its_key_and_range() -> None:
    raw = copy.deepcopy(RAW)
    del raw["lifetime_value"]["horizon_days"]
    assert "segments.lifetime_value.horizon_days must be a number between 0 and 36500" in _error(
        raw
    )


def test_excluded_statuses_must_be_a_list_of_names() -> None:
    raw = {**copy.deepcopy(RAW), "excluded_statuses": "cancelled"}
    assert "segments.excluded_statuses must be a list" in _error(raw)
