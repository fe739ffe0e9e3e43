"""The resolution config: the packaged default loads, and every mistake names its key and fix."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from c360graph.resolve.features import BLOCK_KEYS
from c360graph.resolve.model.kinds import LEVEL_KINDS
from c360graph.resolve.model.levels import settings
from c360graph.resolve.settings import (
    DEFAULT_PATH,
    ResolutionConfigError,
    load_resolution_config,
    parse_resolution_config,
)

DEFAULT: dict[str, Any] = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))


def test_the_packaged_default_loads_with_every_section() -> None:
    config = load_resolution_config()
    assert config.model_version and 0 < config.threshold < 1
    assert config.training.prior_rules and config.training.em_rules
    assert config.rules == (
        "same_email", "same_phone", "same_device", "same_loyalty_id", "same_national_id",
    )  # fmt: skip
    assert (
        config.shared_identifiers.max_records,
        config.shared_identifiers.max_distinct_names,
    ) == (1000, 3)
    assert config.max_component_size == 40
    assert config.survivorship.source_priority == (
        "crm", "webshop", "app", "pos", "support", "newsletter", "social",
    )  # fmt: skip
    assert dict(config.survivorship.attributes) == {
        "first_name": "source_priority", "last_name": "source_priority",
        "date_of_birth": "most_frequent", "gender": "most_frequent",
        "email": "most_recent", "phone": "most_recent", "address": "most_recent",
    }  # fmt: skip
    assert config.guards.dob_conflict_and_name_mismatch
    assert config.guards.dob_conflict_in_identity
    assert config.guards.name_conflict_in_identity
    assert config.guards.name_conflict_yields_to == 0.9999
    assert {c.field for c in config.comparisons} == set(LEVEL_KINDS)
    assert all(k in BLOCK_KEYS for rule in config.blocking.rules for k in rule.keys)


def test_none_and_an_explicit_path_load_the_same_config(tmp_path: Path) -> None:
    copy_ = tmp_path / "mine.yaml"
    copy_.write_text(DEFAULT_PATH.read_text(encoding="utf-8"), encoding="utf-8")
    assert load_resolution_config(copy_).comparisons == load_resolution_config().comparisons


def test_the_default_holds_no_m_or_u_the_model_learns_them() -> None:
    levels = [lv for items in DEFAULT["comparisons"].values() for lv in items]
    assert levels and not any({"m", "u"} & set(lv) for lv in levels)
    assert "prior" not in DEFAULT
    rendered = settings(load_resolution_config())
    for comparison in rendered["comparisons"]:
        levels = comparison["comparison_levels"]
        assert levels[0]["is_null_level"] and levels[-1]["sql_condition"] == "ELSE"
        assert not any("m_probability" in lv or "u_probability" in lv for lv in levels)


def test_a_field_the_data_lacks_is_left_out_of_the_model() -> None:
    config = load_resolution_config()
    rendered = settings(config, {"name": True, "email": True})
    assert [c["output_column_name"] for c in rendered["comparisons"]] == ["name", "email"]


def test_the_config_is_frozen() -> None:
    config = load_resolution_config()
    with pytest.raises(AttributeError):
        config.threshold = 0.5  # type: ignore[misc]
    with pytest.raises(TypeError):
        config.survivorship.attributes["email"] = "source_priority"  # type: ignore[index]


def _break(change: Any) -> dict[str, Any]:
    doc = copy.deepcopy(DEFAULT)
    change(doc)
    return doc


BAD = [
    ("unknown top-level key", lambda d: d.update(treshold=0.9), ["treshold", "top level"]),
    ("threshold above 1", lambda d: d.update(threshold=1.5), ["threshold", "between 0 and 1"]),
    ("prior recall of zero", lambda d: d["training"].update(prior_recall=0), ["training.prior_recall"]),
    ("training rule on an unknown column", lambda d: d["training"]["em_rules"].append(["zip"]),
     ["training.em_rules", "zip", "postcode"]),
    ("unknown training key", lambda d: d["training"].update(epochs=3), ["training", "epochs"]),
    ("rules not a list", lambda d: d.update(rules="same_email"), ["rules", "list of names"]),
    ("unknown blocking key", lambda d: d["blocking"]["rules"].append({"id": "x", "keys": ["zip"]}),
     ["blocking.rules[10].keys", "zip", "postcode"]),
    ("duplicate blocking rule id", lambda d: d["blocking"]["rules"].append(dict(d["blocking"]["rules"][0])),
     ["blocking rule ids", "twice"]),
    ("block size of zero", lambda d: d["blocking"].update(max_block_size=0), ["max_block_size"]),
    ("rule block size not a number", lambda d: d["blocking"]["rules"][0].update(max_block_size="big"),
     ["blocking.rules[0].max_block_size", "whole number"]),
    ("unknown compared field", lambda d: d["comparisons"].update(shoe_size=[]), ["comparisons.shoe_size", "known field"]),
    ("level kind the field lacks", lambda d: d["comparisons"]["phone"].insert(0, {"level": "soundex"}),
     ["comparisons.phone[0].kind", "soundex", "last7"]),
    ("missing else level", lambda d: d["comparisons"]["device"].pop(), ["comparisons.device", "else"]),
    ("an m written by hand", lambda d: d["comparisons"]["device"][0].update(m=0.9),
     ["comparisons.device[0]", "unknown keys ['m']"]),
    ("threshold missing on a fuzzy level", lambda d: d["comparisons"]["address"][2].pop("threshold"),
     ["comparisons.address[2].threshold"]),
    ("threshold on an exact level", lambda d: d["comparisons"]["device"][0].update(threshold=0.5),
     ["comparisons.device[0].threshold", "remove it"]),
    ("term frequency not a flag", lambda d: d["comparisons"]["name"][0].update(term_frequency="yes"),
     ["comparisons.name[0].term_frequency", "true or false"]),
    ("guard flag not a boolean", lambda d: d["guards"]["cannot_link"]["dob_conflict_in_identity"].update(enabled="yes"),
     ["dob_conflict_in_identity.enabled", "true or false"]),
    ("unknown guard", lambda d: d["guards"]["cannot_link"].update(same_shoe={}), ["guards.cannot_link", "same_shoe"]),
    ("name guard yields to no probability",
     lambda d: d["guards"]["cannot_link"]["name_conflict_in_identity"].update(yields_to=2),
     ["name_conflict_in_identity.yields_to", "at most 1"]),
    ("unknown survivorship strategy", lambda d: d["survivorship"]["attributes"].update(email="newest"),
     ["survivorship.attributes.email", "newest", "most_recent"]),
    ("shared identifiers limit not whole", lambda d: d["shared_identifiers"].update(max_records=2.5),
     ["shared_identifiers.max_records", "whole number"]),
    ("review floor at the threshold", lambda d: d["review"].update(floor=0.9),
     ["review.floor", "not below the threshold 0.9", "e.g. 0.5"]),
    ("review floor not a probability", lambda d: d["review"].update(floor="half"),
     ["review.floor", "between 0 and 1"]),
    ("review cap of zero", lambda d: d["review"].update(max_pairs=0), ["review.max_pairs", "whole number"]),
    ("unknown review key", lambda d: d["review"].update(ceiling=0.95), ["review", "ceiling"]),
]  # fmt: skip


@pytest.mark.parametrize(("case", "change", "words"), BAD, ids=[b[0] for b in BAD])
def test_a_bad_config_names_the_key_and_the_fix(case: str, change: Any, words: list[str]) -> None:
    with pytest.raises(ResolutionConfigError) as error:
        parse_resolution_config(_break(change), "mine.yaml")
    message = str(error.value)
    assert message.startswith("mine.yaml: ")
    for word in words:
        assert word in message, (case, message)


def test_an_unreadable_or_non_mapping_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ResolutionConfigError, match="cannot read"):
        load_resolution_config(tmp_path / "missing.yaml")
    bad = tmp_path / "list.yaml"
    bad.write_text("- 1\n- 2\n", encoding="utf-8")
    with pytest.raises(ResolutionConfigError, match="must be a mapping"):
        load_resolution_config(bad)
    assert issubclass(ResolutionConfigError, ValueError)
