"""Prepared records: one source row, validated and normalized into plain graph-ready data.

Preparation is a pure function of the row and a context: no database, no I/O. A row that
cannot be used raises RowRejected with a reason a person can act on; a bad value in one
field only drops that value and notes the problem in `issues`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from c360graph.graph.schema import IdentifierKind
from c360graph.normalize import InvalidValue
from c360graph.normalize.dates import parse_datetime
from c360graph.normalize.text import clean_text
from c360graph.sources.problems import Issue
from c360graph.sources.readers import bad_encoding

MAX_FIELD = 1_000
MAX_TEXT = 100_000
MAX_KEY = 200
_MULTI_SPLIT = re.compile(r"\s*[|;]\s*")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
# A UTF-16 surrogate that is not an undecodable byte (those are U+DC80-U+DCFF): a JSON
# escape like \ud83d without its pair. No database driver can encode it.
_LONE_SURROGATE = re.compile("[\ud800-\udc7f\udd00-\udfff]")
# Ids that exports write for "no value": they would merge every such row into one record.
_PLACEHOLDER_IDS = frozenset(
    {"null", "none", "nil", "nan", "na", "n/a", "#n/a", "undefined", "\\n", "(null)"}
)


class RowRejected(ValueError):
    """The row cannot be ingested; the message is the reject file's `_error`."""


@dataclass(frozen=True)
class Context:
    """What preparing a row needs to know besides the row."""

    source: str
    day_first: bool = True
    default_region: str = "GB"
    id_pepper: str = ""
    # The source's locale (vi_VN): how its amounts are written and its names ordered.
    locale: str | None = None
    currency: str | None = None  # the currency of amounts that name none
    name_order: str | None = None  # family_first or given_first; None: from the locale


@dataclass
class Link:
    """A record's link to an identifier node: the node's key value and the raw source text."""

    value: str
    raw: str


@dataclass
class Record:
    """One prepared row: its key, node properties, identifier nodes and links, and issues.

    `identifiers` maps an identifier kind (graph/schema.py: EMAIL, PHONE, ...) to the node
    property maps to merge; `links` maps the same kinds to this record's links; `refs` holds
    the customer a non-customer row belongs to, its channel and other link targets.
    """

    key: str
    props: dict[str, Any]
    identifiers: dict[IdentifierKind, list[dict[str, Any]]] = field(default_factory=dict)
    links: dict[IdentifierKind, list[Link]] = field(default_factory=dict)
    refs: dict[str, Any] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)

    def seal(self) -> Record:
        """Drop empty properties and stamp `row_hash`, the content hash re-ingest compares.

        Field problems go in `data_issues` (`field: message`) with, item for item, the raw
        value each dropped in `data_issue_values` ("" when there was none).
        """
        if self.issues:
            self.props["data_issues"] = [str(issue) for issue in self.issues]
            self.props["data_issue_values"] = [issue.value or "" for issue in self.issues]
        self.props = {k: v for k, v in self.props.items() if v is not None and v != []}
        content = [
            self.props,
            {kind.name: sorted(link.value for link in links) for kind, links in self.links.items()},
            self.refs,
        ]
        digest = hashlib.sha1(json.dumps(content, sort_keys=True, default=str).encode("utf-8"))
        self.props["row_hash"] = digest.hexdigest()
        return self


class Fields:
    """Typed access to a mapped row's values, collecting per-field problems as issues."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values
        self.issues: list[Issue] = []
        for name, value in values.items():
            _check_size_and_encoding(name, value)

    def text(
        self, name: str, limit: int = MAX_FIELD, clean: Callable[[str], str | None] = clean_text
    ) -> str | None:
        """The field as cleaned text (by `clean`), or None when absent or blank."""
        value = self.values.get(name)
        if value is None:
            return None
        if isinstance(value, list):
            value = " ".join(str(v) for v in value if v is not None)
        cleaned = clean(str(value))
        if cleaned is not None and len(cleaned) > limit:
            raise RowRejected(_too_long(name, len(cleaned), limit))
        return cleaned

    def many(self, name: str) -> list[str]:
        """The field's values: a list, or one string split on '|' or ';'."""
        value = self.values.get(name)
        if value is None:
            return []
        items = value if isinstance(value, list) else _MULTI_SPLIT.split(str(value))
        cleaned = (clean_text(str(item)) for item in items if item is not None)
        return list(dict.fromkeys(item for item in cleaned if item))

    def key(self, name: str) -> str:
        """A required identifier field; RowRejected when missing, a placeholder or unusable."""
        raw = self.values.get(name)
        if isinstance(raw, bool | float | list):
            shown = json.dumps(raw, ensure_ascii=False, default=str)[:60]
            raise RowRejected(f"{name} is {shown}, not an id; write ids as text or whole numbers")
        if isinstance(raw, str) and _CONTROL.search(raw.strip()):
            raise RowRejected(
                f"{name} {raw!r} holds control characters; correct the id in the source system"
            )
        value = self.text(name, limit=MAX_KEY)
        if not value:
            raise RowRejected(
                f"missing {name}: every row needs one; map the id column onto {name!r} "
                "(--mapping) or rename it"
            )
        if value.casefold() in _PLACEHOLDER_IDS:
            raise RowRejected(
                f"{name} {value!r} stands for a missing id; give the row its real id, or leave "
                "it out of the file"
            )
        return value

    def parsed(self, name: str, parse: Callable[[str], Any]) -> Any:
        """The field through a normalizer; a bad value becomes an issue and None."""
        raw = self.text(name)
        return None if raw is None else self.parsed_value(name, raw, parse)

    def parsed_value(self, name: str, raw: str, parse: Callable[[str], Any]) -> Any:
        """One raw value through a normalizer; a bad value becomes an issue and None."""
        try:
            return parse(raw)
        except InvalidValue as exc:
            self.issues.append(Issue(name, str(exc), raw))
            return None

    def moment(self, name: str, day_first: bool) -> datetime | None:
        """The field as a timezone-aware datetime, or None (with an issue when unparsable)."""
        moment: datetime | None = self.parsed(
            name, lambda raw: parse_datetime(raw, day_first=day_first)
        )
        return moment


def _check_size_and_encoding(name: str, value: Any) -> None:
    values = value if isinstance(value, list) else [value]
    for item in values:
        if isinstance(item, str):
            if bad_encoding(item):
                raise RowRejected(
                    f"field {name!r} holds bytes that are not valid UTF-8; re-export the file "
                    "as UTF-8 (the row is kept here byte for byte)"
                )
            if _LONE_SURROGATE.search(item):
                raise RowRejected(
                    f"field {name!r} holds half of a UTF-16 surrogate pair (a JSON escape like "
                    "\\ud83d without its partner); fix the export to write whole characters"
                )
            if len(item) > MAX_TEXT:
                raise RowRejected(_too_long(name, len(item), MAX_TEXT))
        elif isinstance(item, dict):
            raise RowRejected(f"field {name!r} holds a nested object; expected text or a list")


def _too_long(name: str, length: int, limit: int) -> str:
    return (
        f"field {name!r} is {length} characters (limit {limit}); shorten the value in the "
        "source, or stop mapping that column"
    )


def slug(value: str) -> str:
    """Lower-case letters, digits and underscores: a stable code for free-text categories."""
    return re.sub(r"[^a-z0-9]+", "_", value.lower()).strip("_") or "unknown"
