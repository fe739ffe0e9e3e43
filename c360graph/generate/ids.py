"""Record identifiers that look like each source system's own: unique per source, deterministic."""

from __future__ import annotations

import random
import re

from c360graph.generate.noise import fold_ascii

_MASK40 = (1 << 40) - 1
_MASK48 = (1 << 48) - 1
_NOT_ALNUM = re.compile(r"[^a-z0-9]")


def _scramble(n: int, mask: int, multiplier: int) -> int:
    # An odd multiplier is a bijection modulo a power of two: unique ids that do not look serial.
    return (n * multiplier + 0x5DEECE66D) & mask


def loyalty_card(member_id: str) -> str:
    """The 12-digit card number printed on a loyalty member's card ("L-0000017" -> "6338...")."""
    n = int(member_id.removeprefix("L-"))
    # 7919 is coprime with 10**8, so distinct members get distinct card numbers.
    return f"6338{(n * 7919 + 1234) % 10**8:08d}"


class IdAllocator:
    """Hands out per-source record ids in the style of that source (CRM "C000123", ...)."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._counters: dict[str, int] = {}
        self._handles: set[str] = set()

    def _next(self, style: str) -> int:
        # Gaps mimic deleted or merged records.
        step = 1 if self._rng.random() < 0.9 else self._rng.randint(2, 5)
        n = self._counters.get(style, 0) + step
        self._counters[style] = n
        return n

    def new(self, style: str, first: str = "", last: str = "", year: int = 0) -> str:
        """Return a fresh id of the given style; "handle" ids derive from the name given."""
        if style == "handle":
            return self._handle(first, last, year)
        n = self._next(style)
        if style == "crm":
            return f"C{n:06d}"
        if style == "numeric":
            return str(100000 + n)
        if style == "loyalty":
            return f"L-{n:07d}"
        if style == "ticketing":
            return str(360000000 + n)
        if style == "uuid":
            return f"usr_{_scramble(n, _MASK48, 0x9E3779B97F4A7C15):012x}"
        if style == "hex":
            return f"{_scramble(n, _MASK40, 0xD1B54A32D192ED03):010x}"
        if style == "order":
            return f"{n:08d}"
        raise ValueError(f"unknown id style {style!r}: use one of the styles in sources.py")

    def _handle(self, first: str, last: str, year: int) -> str:
        rng = self._rng
        f = _NOT_ALNUM.sub("", fold_ascii(first).lower()) or "user"
        lst = _NOT_ALNUM.sub("", fold_ascii(last).lower())
        base = rng.choice(
            (f"{f}{lst}", f"{f}_{lst}", f"{f[:1]}{lst}", f"{f}{year % 100:02d}", f"the{f}{lst[:1]}")
        )[:15]
        handle = f"@{base}"
        while handle in self._handles:
            handle = f"@{base}{rng.randint(1, 9999)}"
        self._handles.add(handle)
        return handle
