"""`c360.notes`: staff notes and attributes on a profile, with their author and time."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from c360graph.db.values import plain
from c360graph.resolve.assertions import UnknownRecord

if TYPE_CHECKING:
    from c360graph.usecases.facade import C360

MAX_TEXT = 10_000
MAX_NAME = 100


class Notes:
    """Staff annotations, reached as `c360.notes`. Nothing follows them: they change no
    identity and no score."""

    def __init__(self, c360: C360) -> None:
        self._c360 = c360

    def add(self, identity_id: str, text: str, author: str) -> dict[str, Any]:
        """Add a note to an identity (an old id redirects); the note's properties.

        UnknownRecord when there is no such identity; ValueError for an empty or too long text.
        """
        return self._annotate("api/add_note", "note", identity_id, author, text=_text("text", text))

    def set_attribute(self, identity_id: str, name: str, value: str, author: str) -> dict[str, Any]:
        """Set a staff attribute (its earlier values stay as history); its properties."""
        name, value = _text("name", name, MAX_NAME), _text("value", value)
        return self._annotate(
            "api/set_attribute", "attribute", identity_id, author, attribute=name, value=value
        )

    def _annotate(
        self, query: str, column: str, identity_id: str, author: str, **params: Any
    ) -> dict[str, Any]:
        graph = self._c360.graph
        current = graph.read("resolve/current_identity", id=identity_id)
        if not current:
            raise UnknownRecord(f"no identity {identity_id!r}; find one with searchIdentities")
        rows = graph.write_returning(
            query,
            identity=current[0]["id"],
            id=str(uuid.uuid4()),
            author=author,
            now=datetime.now(UTC),
            **params,
        )
        made: dict[str, Any] = plain(rows[0][column])
        return made


def _text(name: str, value: str, limit: int = MAX_TEXT) -> str:
    value = value.strip()
    if not value:
        raise ValueError(f"{name} must not be empty")
    if len(value) > limit:
        raise ValueError(f"{name} is longer than {limit:,} characters")
    return value
