"""The analyses config (households, fraud, segments), loaded from YAML and checked.

The packaged default is analyses.yaml next to this module; copy it, tune it, and point
`analyze.config` (or C360_ANALYSES_CONFIG) at the copy. Problems are AnalysesConfigError
naming the key and what to write instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import yaml

DEFAULT_PATH = Path(__file__).parent / "analyses.yaml"


class AnalysesConfigError(ValueError):
    """The analyses config is malformed; the message names the key and the fix."""


@dataclass(frozen=True)
class HouseholdSettings:
    """Which shared facts make two identities one household, and how sure that is."""

    # Evidence kind -> weight in 0..1; a pair's confidence is their noisy-OR.
    evidence: Mapping[str, float]
    min_confidence: float
    landline_types: tuple[str, ...]  # phone line types that count as a household landline
    home_device_types: tuple[str, ...]  # device types a household shares (phones are personal)
    max_identities_per_identifier: int  # above: a building, a shop or a ring, not a home
    max_size: int  # a group growing past this is cut at its weakest links, and reported


@dataclass(frozen=True)
class FraudSettings:
    """What links accounts into a ring, and how a ring is scored."""

    # Identifier kind -> how much a link through it counts towards a ring's density.
    link_weights: Mapping[str, float]
    ignored_device_types: tuple[str, ...]  # shared by strangers by design: never ring links
    max_identities_per_identifier: int  # above: a hub (shop phone, placeholder), reported apart
    min_ring_size: int
    max_ring_size: int
    weights: Mapping[str, float]  # size, density, velocity, orders; they sum to 1
    size_saturation: int  # a ring this big or bigger scores 1 on size
    velocity_window_days: float  # accounts opened within this span of each other are a burst
    large_order_amount: float  # reporting currency: an order this large soon after opening
    large_order_within_days: float
    min_score: float  # rings scoring lower are not stored


@dataclass(frozen=True)
class CurrencySettings:
    """Amounts in many currencies, compared and summed in one reporting currency."""

    reporting: str
    rates: Mapping[str, float]  # currency -> units of the reporting currency per unit
    # What values (spend, lifetime value) are stored in: "data", the currency most purchases
    # are in, or one ISO 4217 code. Thresholds stay in the reporting currency.
    values_in: str = "data"

    def convert(self, amount: float, currency: str | None) -> float | None:
        """`amount` in the reporting currency; None when the currency has no rate."""
        rate = self.rates.get((currency or self.reporting).upper())
        return None if rate is None else amount * rate

    def value_currency(self, purchases: Mapping[str, int]) -> str:
        """The currency values are stored in: `values_in`, or with "data" the priced currency
        most purchases are in (ties: by code); the reporting currency when none is."""
        if self.values_in != "data":
            return self.values_in
        priced = [(n, c) for c, n in purchases.items() if c in self.rates]
        return min(priced, key=lambda p: (-p[0], p[1]))[1] if priced else self.reporting


EVIDENCE_KINDS = ("address_and_surname", "landline", "address", "home_device")
RING_IDENTIFIER_KINDS = ("device", "phone", "address", "loyalty_id", "national_id")
RING_WEIGHTS = ("size", "density", "velocity", "orders")


@dataclass(frozen=True)
class AnalysesConfig:
    """All analyses settings."""

    currency: CurrencySettings
    households: HouseholdSettings
    fraud: FraudSettings
    segments: Mapping[str, Any]  # parsed by c360graph.analyze.segments


def _section(raw: Mapping[str, Any], name: str) -> dict[str, Any]:
    body = raw.get(name)
    if not isinstance(body, Mapping):
        raise AnalysesConfigError(f"analyses config: `{name}:` must be a mapping of settings")
    return dict(body)


def _number(section: str, body: Mapping[str, Any], key: str, low: float, high: float) -> float:
    value = body.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise AnalysesConfigError(f"analyses config: {section}.{key} must be a number")
    if not low <= value <= high:
        raise AnalysesConfigError(
            f"analyses config: {section}.{key} must be between {low} and {high}, got {value}"
        )
    return float(value)


def _whole(section: str, body: Mapping[str, Any], key: str, low: int = 1) -> int:
    value = body.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise AnalysesConfigError(
            f"analyses config: {section}.{key} must be a whole number of at least {low}"
        )
    return value


def _names(
    section: str, body: Mapping[str, Any], key: str, allowed: tuple[str, ...] = ()
) -> tuple[str, ...]:
    value = body.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise AnalysesConfigError(f"analyses config: {section}.{key} must be a list of names")
    unknown = [v for v in value if allowed and v not in allowed]
    if unknown:
        raise AnalysesConfigError(
            f"analyses config: {section}.{key} has unknown {', '.join(unknown)}; "
            f"known: {', '.join(allowed)}"
        )
    return tuple(value)


def _weights(
    section: str, body: Mapping[str, Any], key: str, names: tuple[str, ...]
) -> dict[str, float]:
    value = body.get(key)
    if not isinstance(value, Mapping) or set(value) != set(names):
        raise AnalysesConfigError(
            f"analyses config: {section}.{key} must give a weight to each of {', '.join(names)}"
        )
    return {name: _number(f"{section}.{key}", value, name, 0.0, 1.0) for name in names}


def _currency(body: Mapping[str, Any]) -> CurrencySettings:
    reporting = body.get("reporting")
    rates = body.get("rates")
    if not isinstance(reporting, str) or not isinstance(rates, Mapping):
        raise AnalysesConfigError(
            "analyses config: currency needs `reporting: EUR` and `rates: {EUR: 1, GBP: 1.17}`"
        )
    checked = {
        str(code).upper(): _number("currency.rates", rates, code, 1e-12, 1e12) for code in rates
    }
    if checked.get(reporting.upper()) != 1.0:
        raise AnalysesConfigError(
            f"analyses config: currency.rates must give the reporting currency {reporting} rate 1"
        )
    values_in = body.get("values_in", "data")
    if not isinstance(values_in, str) or (values_in != "data" and values_in.upper() not in checked):
        raise AnalysesConfigError(
            "analyses config: currency.values_in must be `data` (the currency most purchases "
            f"are in) or a currency listed in currency.rates, got {values_in!r}"
        )
    extra = sorted(set(body) - {"reporting", "rates", "values_in"})
    if extra:
        raise AnalysesConfigError(
            f"analyses config: unknown key {', '.join(extra)} under `currency:`; known: "
            "reporting, rates, values_in"
        )
    return CurrencySettings(
        reporting=reporting.upper(),
        rates=checked,
        values_in=values_in if values_in == "data" else values_in.upper(),
    )


def _households(body: Mapping[str, Any]) -> HouseholdSettings:
    s = "households"
    return HouseholdSettings(
        evidence=_weights(s, body, "evidence", EVIDENCE_KINDS),
        min_confidence=_number(s, body, "min_confidence", 0.0, 1.0),
        landline_types=_names(s, body, "landline_types"),
        home_device_types=_names(s, body, "home_device_types"),
        max_identities_per_identifier=_whole(s, body, "max_identities_per_identifier", 2),
        max_size=_whole(s, body, "max_size", 2),
    )


def _link_weights(body: Mapping[str, Any]) -> dict[str, float]:
    value = body.get("link_weights")
    if not isinstance(value, Mapping) or not value or set(value) - set(RING_IDENTIFIER_KINDS):
        raise AnalysesConfigError(
            "analyses config: fraud.link_weights must map some of "
            f"{', '.join(RING_IDENTIFIER_KINDS)} to a weight in 0..1"
        )
    return {kind: _number("fraud.link_weights", value, kind, 0.0, 1.0) for kind in value}


def _fraud(body: Mapping[str, Any]) -> FraudSettings:
    s = "fraud"
    weights = _weights(s, body, "weights", RING_WEIGHTS)
    if abs(sum(weights.values()) - 1.0) > 1e-6:
        raise AnalysesConfigError(
            f"analyses config: fraud.weights must sum to 1, they sum to {sum(weights.values()):g}"
        )
    settings = FraudSettings(
        link_weights=_link_weights(body),
        ignored_device_types=_names(s, body, "ignored_device_types"),
        max_identities_per_identifier=_whole(s, body, "max_identities_per_identifier", 2),
        min_ring_size=_whole(s, body, "min_ring_size", 2),
        max_ring_size=_whole(s, body, "max_ring_size", 2),
        weights=weights,
        size_saturation=_whole(s, body, "size_saturation", 2),
        velocity_window_days=_number(s, body, "velocity_window_days", 0.0, 3650.0),
        large_order_amount=_number(s, body, "large_order_amount", 0.0, 1e12),
        large_order_within_days=_number(s, body, "large_order_within_days", 0.0, 3650.0),
        min_score=_number(s, body, "min_score", 0.0, 1.0),
    )
    if settings.max_ring_size < settings.min_ring_size:
        raise AnalysesConfigError("analyses config: fraud.max_ring_size is below min_ring_size")
    return settings


def parse_analyses_config(raw: Mapping[str, Any]) -> AnalysesConfig:
    """Check a loaded YAML mapping and build the config; AnalysesConfigError when malformed."""
    households, fraud = _section(raw, "households"), _section(raw, "fraud")
    currency = _currency(_section(raw, "currency"))
    for name, body, known in (
        ("households", households, HouseholdSettings),
        ("fraud", fraud, FraudSettings),
    ):
        extra = set(body) - {f.name for f in fields(known)}
        if extra:
            raise AnalysesConfigError(
                f"analyses config: unknown key {', '.join(sorted(extra))} under `{name}:`"
            )
    return AnalysesConfig(
        currency=currency,
        households=_households(households),
        fraud=_fraud(fraud),
        segments=_section(raw, "segments"),
    )


def load_analyses_config(path: Path | None = None) -> AnalysesConfig:
    """Load the config at `path` (None: the packaged default); AnalysesConfigError if bad."""
    path = path or DEFAULT_PATH
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise AnalysesConfigError(f"cannot read the analyses config {path}: {exc}") from exc
    except yaml.YAMLError as exc:
        raise AnalysesConfigError(f"the analyses config {path} is not valid YAML: {exc}") from exc
    if not isinstance(raw, Mapping):
        raise AnalysesConfigError(
            f"the analyses config {path} must be a mapping with sections currency:, "
            "households:, fraud: and segments:"
        )
    return parse_analyses_config(raw)
