"""The resolution config: model, blocking, guards and survivorship, loaded from YAML and checked.

The packaged default is resolution.yaml next to this module; users copy it and tune it. Every
problem is reported as ResolutionConfigError naming the key and what to write instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from c360graph.resolve.features import BLOCK_KEYS
from c360graph.resolve.model.kinds import LEVEL_KINDS, RULE_COLUMNS, THRESHOLD_KINDS

DEFAULT_PATH = Path(__file__).parent / "resolution.yaml"
STRATEGIES = ("source_priority", "most_frequent", "most_recent")


class ResolutionConfigError(ValueError):
    """The resolution config is malformed; the message names the key and the fix."""


@dataclass(frozen=True)
class LevelSpec:
    """One comparison level: its name, the test it applies; m and u come from training."""

    level: str
    kind: str
    threshold: float | None = None
    term_frequency: bool = False  # weigh agreement by how rare the agreed value is


@dataclass(frozen=True)
class ComparisonSpec:
    """A compared field and its levels, tried in order (the null level is implicit)."""

    field: str
    levels: tuple[LevelSpec, ...]


@dataclass(frozen=True)
class TrainingSpec:
    """How the model is estimated from the records being resolved (no labels needed).

    The prior comes from `prior_rules` (pairs agreeing on all their columns are taken as
    matches, found with `prior_recall`); u from `u_max_pairs` random pairs; m by
    expectation-maximisation over the pairs each of `em_rules` blocks, in order, until
    every comparison has been estimated.
    """

    seed: int = 42
    u_max_pairs: int = 2_000_000
    prior_rules: tuple[tuple[str, ...], ...] = (("name_key", "dob"),)
    prior_recall: float = 0.8
    em_rules: tuple[tuple[str, ...], ...] = (("dob",), ("name_key",))
    min_share: float = 0.001  # a field enters the model when this share of records has it
    min_records: int = 100  # fewer: too little to learn from, Splink's starting parameters
    min_labels: int = 50  # analysts' must-links needed before m is estimated from them too


@dataclass(frozen=True)
class BlockingRule:
    """Records with equal values of all `keys` are compared."""

    id: str
    keys: tuple[str, ...]
    max_block_size: int | None = None  # this rule's own limit; None: the blocking default


@dataclass(frozen=True)
class BlockingConfig:
    """Blocking rules and the block size above which a block is skipped."""

    rules: tuple[BlockingRule, ...]
    max_block_size: int


@dataclass(frozen=True)
class Guards:
    """Cannot-link rules that veto a link whatever its score.

    Both judge dates of birth by the trained model's own date levels: two dates conflict
    when the level they fall in weighs against a match (a one-digit typo or a day/month
    swap falls in a level the model learned to weigh for one).
    """

    # The pair's dates conflict and its names weigh against a match too: parent and child.
    dob_conflict_and_name_mismatch: bool = True
    # No identity holds two conflicting dates of birth (checked while clustering).
    dob_conflict_in_identity: bool = True
    # No identity holds two records the first guard would call different people, unless a
    # link at or above name_conflict_yields_to joins them (checked while clustering); None
    # (`model` in the YAML): the probability the trained model gives it
    # (guards.name_conflict_yields_to).
    name_conflict_in_identity: bool = True
    name_conflict_yields_to: float | None = 0.9999
    # Two dates conflict when the model weighs their level at or below this (log2).
    date_conflict_weight: float = -5.0


@dataclass(frozen=True)
class SharedIdentifiers:
    """When an identifier value is too widely used to link on."""

    max_records: int = 1000
    max_distinct_names: int = 3


@dataclass(frozen=True)
class Survivorship:
    """Which source's value an identity shows, per attribute."""

    source_priority: tuple[str, ...]
    attributes: Mapping[str, str]


@dataclass(frozen=True)
class ReviewSpec:
    """Which pairs a run keeps for staff to review (c360graph/review): those scoring from
    `floor` up to the threshold, and those a guard vetoed at or above it, at most
    `max_pairs` per run, the ones nearest the threshold first."""

    floor: float = 0.5  # even odds: below it the model thinks them more likely apart
    max_pairs: int = 500


@dataclass(frozen=True)
class ResolutionConfig:
    """The whole resolution config (see resolution.yaml for what each part means)."""

    model_version: str
    threshold: float
    training: TrainingSpec
    rules: tuple[str, ...]
    shared_identifiers: SharedIdentifiers
    blocking: BlockingConfig
    comparisons: tuple[ComparisonSpec, ...]
    guards: Guards
    max_component_size: int
    survivorship: Survivorship
    source: str = "<default>"  # the file it came from, for messages
    review: ReviewSpec = ReviewSpec()


def load_resolution_config(path: Path | None = None) -> ResolutionConfig:
    """Load and validate a resolution config; None loads the packaged default."""
    file = path or DEFAULT_PATH
    try:
        data: Any = yaml.safe_load(file.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ResolutionConfigError(f"cannot read resolution config {file}: {exc}") from exc
    return parse_resolution_config(data, str(file))


def parse_resolution_config(data: Any, source: str = "<dict>") -> ResolutionConfig:
    """Validate an already-parsed config mapping; ResolutionConfigError names the bad key."""
    r = _Reader(source)
    doc = r.mapping(data, "the file")
    known = {
        "model_version", "threshold", "training", "rules", "shared_identifiers", "blocking",
        "comparisons", "guards", "max_component_size", "survivorship", "review",
    }  # fmt: skip
    r.no_unknown(doc, known, "top level")
    shared = r.mapping(doc.get("shared_identifiers", {}), "shared_identifiers")
    r.no_unknown(shared, {"max_records", "max_distinct_names"}, "shared_identifiers")
    threshold = r.probability(doc.get("threshold"), "threshold")
    return ResolutionConfig(
        model_version=r.text(doc.get("model_version"), "model_version"),
        threshold=threshold,
        training=_training(r, doc.get("training", {})),
        rules=r.names(doc.get("rules", []), "rules"),
        shared_identifiers=SharedIdentifiers(
            max_records=r.count(shared.get("max_records", 1000), "shared_identifiers.max_records"),
            max_distinct_names=r.count(
                shared.get("max_distinct_names", 3), "shared_identifiers.max_distinct_names"
            ),
        ),
        blocking=_blocking(r, doc.get("blocking")),
        comparisons=_comparisons(r, doc.get("comparisons")),
        guards=_guards(r, doc.get("guards", {})),
        max_component_size=r.count(doc.get("max_component_size", 40), "max_component_size"),
        survivorship=_survivorship(r, doc.get("survivorship")),
        source=source,
        review=_review(r, doc.get("review", {}), threshold),
    )


class _Reader:
    """Typed reads of YAML values that fail with the key path and a fix."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, key: str, problem: str, fix: str) -> ResolutionConfigError:
        return ResolutionConfigError(f"{self.source}: {key} {problem}; {fix}")

    def mapping(self, value: Any, key: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(
                key, f"must be a mapping, got {type(value).__name__}", "see the default"
            )
        return value

    def no_unknown(self, value: dict[str, Any], known: set[str], key: str) -> None:
        unknown = sorted(set(value) - known)
        if unknown:
            raise self.fail(key, f"has unknown keys {unknown}", f"use only {sorted(known)}")

    def text(self, value: Any, key: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, f"must be a non-empty string, got {value!r}", "e.g. fs-1")
        return value.strip()

    def probability(self, value: Any, key: str) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 1:
            raise self.fail(key, f"must be a number between 0 and 1, got {value!r}", "e.g. 0.9")
        return float(value)

    def fraction(self, value: Any, key: str) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
            raise self.fail(
                key, f"must be a number above 0 and at most 1, got {value!r}", "e.g. 0.9"
            )
        return float(value)

    def positive(self, value: Any, key: str) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise self.fail(key, f"must be a number above 0, got {value!r}", "e.g. 0.05")
        return float(value)

    def count(self, value: Any, key: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise self.fail(key, f"must be a whole number of at least 1, got {value!r}", "e.g. 40")
        return value

    def flag(self, value: Any, key: str) -> bool:
        if not isinstance(value, bool):
            raise self.fail(key, f"must be true or false, got {value!r}", "write true or false")
        return value

    def names(self, value: Any, key: str) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.fail(key, f"must be a list of names, got {value!r}", "e.g. [a, b]")
        if len(set(value)) != len(value):
            raise self.fail(key, f"lists a name twice: {value}", "remove the repeat")
        return tuple(value)


def _blocking(r: _Reader, value: Any) -> BlockingConfig:
    doc = r.mapping(value, "blocking")
    r.no_unknown(doc, {"rules", "max_block_size"}, "blocking")
    items = doc.get("rules")
    if not isinstance(items, list) or not items:
        raise r.fail(
            "blocking.rules", "must be a non-empty list", "add e.g. {id: dob, keys: [dob]}"
        )
    rules: list[BlockingRule] = []
    for i, item in enumerate(items):
        where = f"blocking.rules[{i}]"
        rule = r.mapping(item, where)
        r.no_unknown(rule, {"id", "keys", "max_block_size"}, where)
        keys = r.names(rule.get("keys"), f"{where}.keys")
        bad = [k for k in keys if k not in BLOCK_KEYS]
        if not keys or bad:
            raise r.fail(f"{where}.keys", f"has unknown keys {bad}", f"use {sorted(BLOCK_KEYS)}")
        limit = rule.get("max_block_size")
        limit = None if limit is None else r.count(limit, f"{where}.max_block_size")
        rules.append(BlockingRule(r.text(rule.get("id"), f"{where}.id"), keys, limit))
    r.names([rule.id for rule in rules], "blocking rule ids")
    return BlockingConfig(tuple(rules), r.count(doc.get("max_block_size", 200), "max_block_size"))


def _level(r: _Reader, field: str, item: Any, where: str) -> LevelSpec:
    doc = r.mapping(item, where)
    r.no_unknown(doc, {"level", "kind", "threshold", "term_frequency"}, where)
    name = r.text(doc.get("level"), f"{where}.level")
    kind = r.text(doc.get("kind", name), f"{where}.kind")
    if kind not in LEVEL_KINDS[field]:
        raise r.fail(f"{where}.kind", f"is {kind!r}", f"{field} levels are {LEVEL_KINDS[field]}")
    threshold = None
    if kind in THRESHOLD_KINDS:
        threshold = r.positive(doc.get("threshold"), f"{where}.threshold")
    elif "threshold" in doc:
        raise r.fail(f"{where}.threshold", f"is not used by kind {kind!r}", "remove it")
    if kind == "else" and name != "else":
        raise r.fail(f"{where}.level", "of kind else must be named else", "write level: else")
    tf = r.flag(doc.get("term_frequency", False), f"{where}.term_frequency")
    return LevelSpec(name, kind, threshold, tf)


def _comparisons(r: _Reader, value: Any) -> tuple[ComparisonSpec, ...]:
    doc = r.mapping(value, "comparisons")
    specs: list[ComparisonSpec] = []
    for field, items in doc.items():
        where = f"comparisons.{field}"
        if field not in LEVEL_KINDS:
            raise r.fail(where, "is not a known field", f"use {list(LEVEL_KINDS)}")
        if not isinstance(items, list) or not items:
            raise r.fail(where, "must be a list of levels", "see the default")
        levels = tuple(_level(r, field, it, f"{where}[{i}]") for i, it in enumerate(items))
        r.names([lv.level for lv in levels], f"{where} level names")
        if levels[-1].kind != "else" or any(lv.kind == "else" for lv in levels[:-1]):
            raise r.fail(where, "must end with one else level", "add level: else")
        specs.append(ComparisonSpec(field, levels))
    if not specs:
        raise r.fail("comparisons", "is empty", "compare at least one field")
    return tuple(specs)


def _column_rules(r: _Reader, value: Any, key: str) -> tuple[tuple[str, ...], ...]:
    if not isinstance(value, list) or not value:
        raise r.fail(key, "must be a list of column lists", "e.g. [[name_key, dob], [dob]]")
    rules = tuple(r.names(item, f"{key}[{i}]") for i, item in enumerate(value))
    bad = sorted({c for rule in rules for c in rule} - set(RULE_COLUMNS))
    if bad or not all(rules):
        raise r.fail(key, f"names unknown columns {bad}", f"use {sorted(RULE_COLUMNS)}")
    return rules


def _training(r: _Reader, value: Any) -> TrainingSpec:
    doc = r.mapping(value, "training")
    known = {
        "seed", "u_max_pairs", "prior_rules", "prior_recall", "em_rules", "min_share",
        "min_records", "min_labels",
    }  # fmt: skip
    r.no_unknown(doc, known, "training")
    d = TrainingSpec()
    return TrainingSpec(
        seed=r.count(doc.get("seed", d.seed), "training.seed"),
        u_max_pairs=r.count(doc.get("u_max_pairs", d.u_max_pairs), "training.u_max_pairs"),
        prior_rules=_column_rules(
            r, doc.get("prior_rules", [list(x) for x in d.prior_rules]), "training.prior_rules"
        ),
        prior_recall=r.fraction(doc.get("prior_recall", d.prior_recall), "training.prior_recall"),
        em_rules=_column_rules(
            r, doc.get("em_rules", [list(x) for x in d.em_rules]), "training.em_rules"
        ),
        min_share=r.fraction(doc.get("min_share", d.min_share), "training.min_share"),
        min_records=r.count(doc.get("min_records", d.min_records), "training.min_records"),
        min_labels=r.count(doc.get("min_labels", d.min_labels), "training.min_labels"),
    )


def _review(r: _Reader, value: Any, threshold: float) -> ReviewSpec:
    doc = r.mapping(value, "review")
    r.no_unknown(doc, {"floor", "max_pairs"}, "review")
    d = ReviewSpec()
    # A config that lowers the threshold to 0.5 or below without a review section still loads:
    # the default floor then halves the threshold.
    default_floor = d.floor if d.floor < threshold else threshold / 2
    floor = r.probability(doc.get("floor", default_floor), "review.floor")
    if floor >= threshold:
        raise r.fail(
            "review.floor",
            f"is {floor}, not below the threshold {threshold}",
            f"set it below {threshold} (e.g. 0.5): the queue holds pairs just under it",
        )
    return ReviewSpec(floor, r.count(doc.get("max_pairs", d.max_pairs), "review.max_pairs"))


_NAME_IDENTITY = "name_conflict_in_identity"
_FROM_MODEL = "model"  # a guard threshold the trained model gives


def _guards(r: _Reader, value: Any) -> Guards:
    doc = r.mapping(value, "guards")
    r.no_unknown(doc, {"cannot_link", "date_conflict_weight"}, "guards")
    links = r.mapping(doc.get("cannot_link", {}), "guards.cannot_link")
    names = ("dob_conflict_and_name_mismatch", "dob_conflict_in_identity", _NAME_IDENTITY)
    r.no_unknown(links, set(names), "guards.cannot_link")
    enabled = {}
    for name in names:
        where = f"guards.cannot_link.{name}"
        guard = r.mapping(links.get(name, {}), where)
        r.no_unknown(
            guard, {"enabled", "yields_to"} if name == _NAME_IDENTITY else {"enabled"}, where
        )
        enabled[name] = r.flag(guard.get("enabled", True), f"{where}.enabled")
    where = f"guards.cannot_link.{_NAME_IDENTITY}.yields_to"
    name_guard = r.mapping(links.get(_NAME_IDENTITY, {}), where)
    yields_to = name_guard.get("yields_to", Guards().name_conflict_yields_to)
    if yields_to != _FROM_MODEL and (
        isinstance(yields_to, bool)
        or not isinstance(yields_to, int | float)
        or not 0 < yields_to <= 1
    ):
        raise r.fail(
            where, f"is {yields_to!r}", f"use {_FROM_MODEL} or a probability above 0, at most 1"
        )
    weight = doc.get("date_conflict_weight", Guards().date_conflict_weight)
    if isinstance(weight, bool) or not isinstance(weight, int | float) or weight >= 0:
        raise r.fail("guards.date_conflict_weight", f"is {weight!r}", "use a negative number")
    return Guards(
        **enabled,
        name_conflict_yields_to=None if yields_to == _FROM_MODEL else float(yields_to),
        date_conflict_weight=float(weight),
    )


def _survivorship(r: _Reader, value: Any) -> Survivorship:
    doc = r.mapping(value, "survivorship")
    r.no_unknown(doc, {"source_priority", "attributes"}, "survivorship")
    priority = r.names(doc.get("source_priority"), "survivorship.source_priority")
    attributes = r.mapping(doc.get("attributes"), "survivorship.attributes")
    for attribute, strategy in attributes.items():
        if strategy not in STRATEGIES:
            raise r.fail(
                f"survivorship.attributes.{attribute}",
                f"is {strategy!r}",
                f"use one of {STRATEGIES}",
            )
    return Survivorship(priority, MappingProxyType(dict(attributes)))
