"""Comparison levels: each field's ordered levels, turned from config data into fast tests.

Splink semantics: a field's levels are tried in order and the first that holds is the pair's
level for that field. Every field starts with an implicit `null` level (either record lacks
the field; weight 0) and ends with `else`. Names are compared as token sets, so order,
case, accents and first/last swaps do not matter ("Nguyễn Văn An" == "An Nguyen Van").
Tests read Feat slots directly (no getattr) because they run tens of millions of times.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rapidfuzz.distance import JaroWinkler
from rapidfuzz.fuzz import ratio, token_set_ratio

from c360graph.resolve.features import FIELD_BITS, Feat, NameStats, is_common_name

if TYPE_CHECKING:
    from c360graph.resolve.settings import Guards, LevelSpec, ResolutionConfig

Test = Callable[[Feat, Feat], bool]
Factory = Callable[[float], Test]  # level threshold (0..1) -> test
_jw = JaroWinkler.normalized_similarity
NULL = "null"


def _covered(small: tuple[str, ...], big: tuple[str, ...], cutoff: float) -> bool:
    """Every token of `small` has a Jaro-Winkler partner >= cutoff in `big`."""
    for x in small:
        for y in big:
            if x == y or _jw(x, y, score_cutoff=cutoff):
                break
        else:
            return False
    return True


def _common(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    # Plain loops, not any()/all(): no generator per call on the hot path.
    for v in a:  # noqa: SIM110
        if v in b:
            return True
    return False


def _name_subset(fa: Feat, fb: Feat) -> bool:
    # A middle name or second surname on one side only: "Văn An Nguyễn" vs "An Nguyễn".
    small, big = (fa.canon, fb.canon) if len(fa.canon) <= len(fb.canon) else (fb.canon, fa.canon)
    if len(small) < 2:
        return False
    for t in small:  # noqa: SIM110
        if t not in big:
            return False
    return True


def _single(f: Feat) -> bool:
    # Only one name part known; "Hoàng Hoàng" has one token but two parts.
    return len(f.canon) == 1 and not (f.given and f.last)


def _name_one_token(fa: Feat, fb: Feat) -> bool:
    # One side knows a single name (a newsletter first name), which the other side has.
    return (_single(fa) and fa.canon[0] in fb.canon) or (_single(fb) and fb.canon[0] in fa.canon)


def _given_found(f: Feat, other: Feat, cutoff: float) -> bool:
    """Some first-name token of f is in other's name: equal, nickname or JW >= cutoff."""
    # Spelled as written (Jon ~ John) and as canonical names (Bob ~ Robert).
    for given, name in ((f.given, other.tokens), (f.given_canon, other.canon)):
        for g in given:
            for t in name:
                if g == t or _jw(g, t, score_cutoff=cutoff):
                    return True
    return False


def first_names_differ(fa: Feat, fb: Feat, cutoff: float) -> bool:
    """True when neither record's first name appears anywhere in the other's name.

    The whole other name is searched, so swapped first/last names and family-name-first
    orders do not count as different. Unknown first names: False.
    """
    if not fa.given or not fb.given:
        return False
    return not (_given_found(fa, fb, cutoff) or _given_found(fb, fa, cutoff))


def _name_surname_only(cutoff: float) -> Test:
    # Same family name, different first names: the signature of relatives, not of typos.
    return lambda a, b: bool(a.last) and a.last == b.last and first_names_differ(a, b, cutoff)


def _name_jw(cutoff: float) -> Test:
    def test(fa: Feat, fb: Feat) -> bool:
        a, b = fa.canon, fb.canon
        if len(a) < 2 or len(b) < 2:
            return False
        # The shorter side must be covered; both sides when equally long (keeps it symmetric).
        return (len(a) > len(b) or _covered(a, b, cutoff)) and (
            len(b) > len(a) or _covered(b, a, cutoff)
        )

    return test


def _ratio(get: Callable[[Feat], str], scorer: Callable[..., float]) -> Factory:
    def factory(threshold: float) -> Test:
        cut = threshold * 100  # rapidfuzz's fuzz scores run 0..100
        return lambda a, b: scorer(get(a), get(b), score_cutoff=cut) >= cut

    return factory


def _fixed(test: Test) -> Factory:
    return lambda _threshold: test


def _city_jw(cut: float) -> Test:
    return lambda a, b: _jw(a.city, b.city, score_cutoff=cut) >= cut


def _email_jw(cut: float) -> Test:
    return lambda a, b: any(
        _jw(x, y, score_cutoff=cut) for x in a.email_locals for y in b.email_locals
    )


# field -> level kind -> test factory. Which kinds a config may use per field comes from here.
_FIELDS: dict[str, dict[str, Factory]] = {
    "name": {
        "exact": _fixed(lambda a, b: len(a.tokens) > 1 and a.tokens == b.tokens),
        "nickname": _fixed(lambda a, b: len(a.canon) > 1 and a.canon == b.canon),
        "subset": _fixed(_name_subset),
        "jaro_winkler": _name_jw,
        "one_token": _fixed(_name_one_token),
        "surname_only": _name_surname_only,
        "token_sort": _ratio(lambda f: f.canon_sorted, ratio),
    },
    "date_of_birth": {
        "exact": _fixed(lambda a, b: a.dob == b.dob),
        "transposed": _fixed(
            lambda a, b: (
                a.dob_year == b.dob_year and a.dob_day == b.dob_month and a.dob_month == b.dob_day
            )
        ),
        "year_month": _fixed(lambda a, b: a.dob_year == b.dob_year and a.dob_month == b.dob_month),
        "year": _fixed(lambda a, b: a.dob_year == b.dob_year),
    },
    "address_line": {
        "exact": _fixed(lambda a, b: a.address == b.address),
        "token_set": _ratio(lambda f: f.address, token_set_ratio),
    },
    "postcode": {
        "exact": _fixed(lambda a, b: a.postcode == b.postcode),
        "area": _fixed(lambda a, b: a.postcode_area == b.postcode_area),
    },
    "city": {"exact": _fixed(lambda a, b: a.city == b.city), "jaro_winkler": _city_jw},
    "email": {
        "exact": _fixed(lambda a, b: _common(a.emails, b.emails)),
        "local_key": _fixed(lambda a, b: _common(a.email_locals, b.email_locals)),
        "local_jaro_winkler": _email_jw,
    },
    "phone": {
        "exact": _fixed(lambda a, b: _common(a.phones, b.phones)),
        "last7": _fixed(lambda a, b: _common(a.phone7, b.phone7)),
    },
    "device": {"exact": _fixed(lambda a, b: _common(a.devices, b.devices))},
    "loyalty_id": {"exact": _fixed(lambda a, b: _common(a.loyalty_ids, b.loyalty_ids))},
    "national_id": {"exact": _fixed(lambda a, b: _common(a.national_ids, b.national_ids))},
}

LEVEL_KINDS: dict[str, tuple[str, ...]] = {f: (*kinds, "else") for f, kinds in _FIELDS.items()}
THRESHOLD_KINDS = frozenset(
    {"jaro_winkler", "token_sort", "token_set", "local_jaro_winkler", "surname_only"}
)
# Name levels that can be limited to rare names (max_frequency, max_expected).
FREQUENCY_KINDS = frozenset({"exact", "nickname", "subset", "jaro_winkler"})


@dataclass(frozen=True, slots=True)
class Level:
    """A compiled level: its name, log2(m/u) weight and test."""

    name: str
    weight: float
    test: Test


@dataclass(frozen=True, slots=True)
class Comparison:
    """A compiled comparison: the field, its presence bit (features.FIELD_BITS), its levels."""

    field: str
    bit: int
    levels: tuple[Level, ...]
    skip: int = 0  # FIELD_BITS of null_if_compared: when both records have one, this is null
    steps: tuple[tuple[Test, str, float], ...] = ()  # (test, name, weight): the hot loop

    def __post_init__(self) -> None:
        steps = tuple((lv.test, lv.name, lv.weight) for lv in self.levels)
        object.__setattr__(self, "steps", steps)


@dataclass(frozen=True)
class Model:
    """A Fellegi-Sunter model ready to score: prior weight, comparisons, threshold, guards."""

    version: str
    prior_weight: float
    threshold: float
    comparisons: tuple[Comparison, ...]
    guards: Guards


def _rare(test: Test, spec: LevelSpec, stats: NameStats | None) -> Test:
    if stats is None:
        return lambda fa, fb: False  # frequencies unknown: never call a name rare

    def common(f: Feat) -> bool:
        return is_common_name(f, stats, spec.max_frequency, spec.max_expected)

    def rare(fa: Feat, fb: Feat) -> bool:
        if not test(fa, fb):
            return False
        # The shorter name is the one both carry (a subset); equally long: both must be rare.
        if len(fa.canon) != len(fb.canon):
            return not common(fa if len(fa.canon) < len(fb.canon) else fb)
        return not (common(fa) or common(fb))

    return rare


def _compile(spec: LevelSpec, field: str, stats: NameStats | None) -> Level:
    if spec.kind == "else":
        test: Test = lambda fa, fb: True  # noqa: E731
    else:
        test = _FIELDS[field][spec.kind](spec.threshold or 0.0)
        if spec.max_frequency is not None:
            test = _rare(test, spec, stats)
    return Level(spec.level, math.log2(spec.m / spec.u), test)


def build_model(config: ResolutionConfig, names: NameStats | None = None) -> Model:
    """Compile a config's levels into tests and log2(m/u) weights.

    `names` (features.name_frequencies over the whole population, not just the records in
    focus) lets rare-name levels (max_frequency) tell rare names from common ones; without
    it those levels never hold.
    """
    comparisons = tuple(
        Comparison(
            spec.field,
            FIELD_BITS[spec.field],
            tuple(_compile(lv, spec.field, names) for lv in spec.levels),
            sum(FIELD_BITS[f] for f in spec.null_if_compared),
        )
        for spec in config.comparisons
    )
    return Model(
        version=config.model_version,
        prior_weight=math.log2(config.prior / (1 - config.prior)),
        threshold=config.threshold,
        comparisons=comparisons,
        guards=config.guards,
    )


def compare(fa: Feat, fb: Feat, model: Model) -> dict[str, str]:
    """Return each field's level name for the pair: the first level that holds, or null."""
    out: dict[str, str] = {}
    both = fa.present & fb.present
    for comp in model.comparisons:
        if not both & comp.bit or both & comp.skip:
            out[comp.field] = NULL
            continue
        for test, name, _ in comp.steps:
            if test(fa, fb):
                out[comp.field] = name
                break
    return out
