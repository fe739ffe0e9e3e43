"""The analyses config: the packaged default loads, and mistakes are named with their fix."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from c360graph.analyze.settings import (
    DEFAULT_PATH,
    AnalysesConfigError,
    load_analyses_config,
    parse_analyses_config,
)


@pytest.fixture
def raw() -> dict[str, Any]:
    loaded = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def test_the_packaged_config_loads_with_weights_summing_to_one() -> None:
    config = load_analyses_config()
    assert sum(config.fraud.weights.values()) == pytest.approx(1.0)
    assert config.currency.convert(10, "eur") == 10
    assert config.currency.convert(10, "XXX") is None


def test_values_are_in_the_currency_most_priced_purchases_are_in() -> None:
    currency = load_analyses_config().currency
    assert currency.values_in == "data"
    assert currency.value_currency({"VND": 7, "EUR": 2}) == "VND"
    assert currency.value_currency({"THB": 9, "GBP": 1}) == "GBP"  # THB has no rate: unsummed
    assert currency.value_currency({}) == "EUR"  # nothing priced: the reporting currency


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda r: r["households"]["evidence"].pop("landline"), "give a weight to each of"),
        (lambda r: r["households"].__setitem__("min_confidence", 2), "between 0.0 and 1.0"),
        (lambda r: r["households"].__setitem__("colour", "red"), "unknown key colour"),
        (lambda r: r["fraud"]["weights"].__setitem__("size", 0.9), "must sum to 1"),
        (lambda r: r["fraud"]["link_weights"].__setitem__("email", 1.0), "fraud.link_weights"),
        (lambda r: r["fraud"].__setitem__("max_ring_size", 2), "below min_ring_size"),
        (lambda r: r["currency"]["rates"].__setitem__("EUR", 2.0), "rate 1"),
        (lambda r: r.pop("fraud"), "`fraud:` must be a mapping"),
        (lambda r: r["currency"].__setitem__("values_in", "THB"), "values_in must be `data`"),
        (lambda r: r["currency"].__setitem__("display", "vi"), "unknown key display"),
    ],
)
def test_a_malformed_config_is_rejected_naming_the_key(
    raw: dict[str, Any], edit: Any, message: str
) -> None:
    broken = copy.deepcopy(raw)
    edit(broken)
    with pytest.raises(AnalysesConfigError, match=message):
        parse_analyses_config(broken)


def test_a_file_that_is_not_yaml_says_so(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("households: [unclosed", encoding="utf-8")
    with pytest.raises(AnalysesConfigError, match="not valid YAML"):
        load_analyses_config(path)
