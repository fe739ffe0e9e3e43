"""`c360.assertions`: analysts' must-links and cannot-links, and the run that applies them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from c360graph.resolve.assertions import assert_different, assert_same

if TYPE_CHECKING:
    from c360graph.usecases.facade import C360, Resolved


class Assertions:
    """Analyst assertions, reached as `c360.assertions`."""

    def __init__(self, c360: C360) -> None:
        self._c360 = c360

    def same(
        self, a: str, b: str, by: str, note: str | None = None, *, resolve: bool = True
    ) -> Resolved | None:
        """Record that a and b are one person; then (unless not `resolve`) apply it.

        Raises UnknownRecord for a key that names no record, ValueError for a == b.
        """
        assert_same(self._c360.graph, a, b, by, note)
        return self._c360.resolution.run() if resolve else None

    def different(
        self, a: str, b: str, by: str, note: str | None = None, *, resolve: bool = True
    ) -> Resolved | None:
        """Record that a and b are different people; then (unless not `resolve`) apply it."""
        assert_different(self._c360.graph, a, b, by, note)
        return self._c360.resolution.run() if resolve else None
