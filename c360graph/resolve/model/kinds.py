"""Level kinds: the one SQL condition each comparison level kind means.

Over the columns of model/columns.py: `x_l` and `x_r` are the left and right record's
column x. SQL is DuckDB's (the local engine); lists use DuckDB's list functions and
lambdas. resolution.yaml picks kinds per field; model/levels.py renders them as Splink
settings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from c360graph.resolve.model.columns import SCHEMA

# Columns a training rule may join on; a list column joins on any value in common.
LIST_COLUMNS = tuple(f.name for f in SCHEMA if str(f.type).startswith("list"))
RULE_COLUMNS = tuple(f.name for f in SCHEMA if f.name not in ("unique_id", "source"))


def both(*columns: str) -> str:
    """SQL: both records have every one of these columns."""
    return " AND ".join(f"{c}_l IS NOT NULL AND {c}_r IS NOT NULL" for c in columns)


def _any_common(column: str) -> str:
    return f"len(list_intersect({column}_l, {column}_r)) > 0"


def _any_close(column: str, threshold: float) -> str:
    # Some value on the left has a Jaro-Winkler partner on the right at the threshold.
    return (
        f"list_max(list_transform({column}_l, lambda x: list_max(list_transform({column}_r, "
        f"lambda y: jaro_winkler_similarity(x, y))))) >= {threshold}"
    )


def _any_typo(column: str, edits: int) -> str:
    # Some value on the left is at most `edits` typing errors from one on the right.
    return (
        f"list_min(list_transform({column}_l, lambda x: list_min(list_transform({column}_r, "
        f"lambda y: damerau_levenshtein(x, y))))) <= {edits}"
    )


def _cover(small: str, big: str, threshold: float) -> str:
    # Every token of `small` is in `big`, or has a Jaro-Winkler partner at the threshold or
    # above among the tokens of `big` that `small` does not hold itself: a token already
    # matched exactly cannot stand in for another ("Hồng Hoàng" is not close to "Huy Hoàng"
    # because "hong" is close to "hoang").
    rest = f"list_filter({big}, lambda y: NOT list_contains({small}, y))"
    return (
        f"list_bool_and(list_transform({small}, lambda x: list_contains({big}, x) OR "
        f"list_max(list_transform({rest}, lambda y: jaro_winkler_similarity(x, y))) "
        f">= {threshold}))"
    )


def _name_fuzzy(t: float) -> str:
    small_l = "len(name_canon_l) <= len(name_canon_r)"
    return (
        f"CASE WHEN {small_l} THEN {_cover('name_canon_l', 'name_canon_r', t)} "
        f"ELSE {_cover('name_canon_r', 'name_canon_l', t)} END"
    )


@dataclass(frozen=True)
class Kind:
    """One level kind: its SQL condition (given the level's threshold) and TF column."""

    sql: Callable[[float], str]
    tf_column: str | None = None  # term-frequency adjusted on this column when asked


def _fixed(sql: str, tf_column: str | None = None) -> Kind:
    return Kind(lambda _t: sql, tf_column)


_DOB_TRANSPOSED = (
    "year(dob_l) = year(dob_r) AND month(dob_l) = day(dob_r) AND day(dob_l) = month(dob_r)"
)

# field -> (columns whose absence makes the field null, level kinds)
FIELDS: dict[str, tuple[tuple[str, ...], dict[str, Kind]]] = {
    "name": (
        ("name_canon",),
        {
            "exact": _fixed("name_key_l = name_key_r", "name_key"),
            "subset": _fixed(
                "list_has_all(name_canon_l, name_canon_r) "
                "OR list_has_all(name_canon_r, name_canon_l)",
                "name_key",
            ),
            # One side is a single name (a surname or a first name alone) found in the
            # other: far weaker than a missing middle name, which `subset` means.
            "single_token": Kind(
                lambda t: f"(len(name_canon_l) = 1 OR len(name_canon_r) = 1) AND {_name_fuzzy(t)}"
            ),
            "fuzzy": Kind(_name_fuzzy),
            "same_first_name": _fixed("first_name_l = first_name_r", "first_name"),
            "same_surname": _fixed("surname_l = surname_r", "surname"),
            "shares_token": _fixed(_any_common("name_canon")),
        },
    ),
    "date_of_birth": (
        ("dob",),
        {
            "exact": _fixed("dob_text_l = dob_text_r", "dob_text"),
            "transposed": _fixed(_DOB_TRANSPOSED),
            "typo": Kind(lambda t: f"damerau_levenshtein(dob_text_l, dob_text_r) <= {int(t)}"),
            "within_days": Kind(lambda t: f"abs(date_diff('day', dob_l, dob_r)) <= {int(t)}"),
        },
    ),
    # One comparison for the whole address: line, postcode and city are one fact, and
    # counting it three times merges households. A level holds only where both records
    # have the part it compares, most specific part first.
    "address": (
        ("address", "postcode", "city"),
        {
            "line_and_postcode": _fixed("address_l = address_r AND postcode_l = postcode_r"),
            "line": _fixed("address_l = address_r", "address"),
            "line_fuzzy": Kind(lambda t: f"jaro_winkler_similarity(address_l, address_r) >= {t}"),
            "postcode": _fixed("postcode_l = postcode_r", "postcode"),
            "postcode_typo": Kind(
                lambda t: f"damerau_levenshtein(postcode_l, postcode_r) <= {int(t)}"
            ),
            "postcode_area": _fixed("postcode_area_l = postcode_area_r"),
            "city": _fixed("city_l = city_r", "city"),
            "city_fuzzy": Kind(lambda t: f"jaro_winkler_similarity(city_l, city_r) >= {t}"),
        },
    ),
    "gender": (("gender",), {"exact": _fixed("gender_l = gender_r")}),
    "email": (
        ("emails",),
        {
            "exact": _fixed(_any_common("emails")),
            "local_key": _fixed(_any_common("email_locals")),
            # A typo in the address or in the mailbox name (Splink's EmailComparison).
            "fuzzy": Kind(lambda t: _any_close("emails", t)),
            "local_fuzzy": Kind(lambda t: _any_close("email_locals", t)),
            "typo": Kind(lambda t: _any_typo("emails", int(t))),
        },
    ),
    "phone": (
        ("phones",),
        {"exact": _fixed(_any_common("phones")), "last7": _fixed(_any_common("phone7"))},
    ),
    "device": (("devices",), {"exact": _fixed(_any_common("devices"))}),
    "loyalty_id": (("loyalty_ids",), {"exact": _fixed(_any_common("loyalty_ids"))}),
    "national_id": (("national_ids",), {"exact": _fixed(_any_common("national_ids"))}),
}

_SHARED_LOCALS = "list_intersect(email_locals_l, email_locals_r)"


def _rests_spell_names(side: str, other: str) -> str:
    # Every shared mailbox name, less this record's own name (features.mailbox_rest), leaves
    # nothing, an initial of either name, or a token of the other record's name:
    # "carias" for "Arias" beside "Chloe Arias", "dangducquang" for "Quang Đặng" beside
    # "Đức Quang Đặng".
    initials = "list_transform(list_concat(name_tokens_l, name_tokens_r), lambda t: left(t, 1))"
    allowed = f"list_concat([''], name_tokens_{other}, {initials})"
    return (
        f"list_bool_and(list_transform({_SHARED_LOCALS}, lambda x: list_has_any("
        f"email_local_rests_{side}, list_transform({allowed}, lambda a: x || ':' || a))))"
    )


# Per field: when the two records have it but agreeing on it only repeats another field,
# the null level (weight 0) holds too. Strangers both called Robert Gomez own
# robert.gomez@ at two providers far more often than random pairs share a mailbox name,
# so counting it beside the name double-counts the name.
REPEATS_ANOTHER_FIELD: dict[str, str] = {
    "email": (
        f"len(list_intersect(emails_l, emails_r)) = 0 AND len({_SHARED_LOCALS}) > 0 "
        # Outside the lambdas too: Splink reads the columns a level uses from outside them.
        f"AND {both('name_tokens', 'email_local_rests')} "
        f"AND {_rests_spell_names('l', 'r')} AND {_rests_spell_names('r', 'l')}"
    ),
}

LEVEL_KINDS: dict[str, tuple[str, ...]] = {f: (*k, "else") for f, (_, k) in FIELDS.items()}
THRESHOLD_KINDS = frozenset(
    {
        "fuzzy",
        "single_token",
        "local_fuzzy",
        "typo",
        "within_days",
        "line_fuzzy",
        "postcode_typo",
        "city_fuzzy",
    }
)
