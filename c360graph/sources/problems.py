"""What was wrong with a row or a field, in words that count: the same problem in two rows
reads the same, whatever the values were.

A kept record's field problem is an `Issue`: the field, the message saying what is wrong and
what to do (the record's `data_issues` entry), and the raw value that was dropped. Its
`problem` is the message's first clause without the value (`is not a phone number`), so
problems are counted by field and problem across a run. A rejected row's reason is grouped
the same way by `reason_of`, which drops the values from the reason's first clause.

Edge cases, decided:
- A message that does not quote its value (`missing; recorded as 'unknown'`) is its own
  problem, cut at its first `;` as any other.
- The value is removed wherever the message quotes it first; the word naming the field
  before it (`phone '0977 abc' is ...`) goes with it, longer lead-ins stay with `…` in the
  value's place (`time in … is out of range`).
- Then, in problems and reasons alike, every other quoted text and every number, date or
  time becomes `…` (`day … is out of range`), except a quoted name right after `field` or
  `column` (`field 'email' is … characters`: it names a column), one quoted character
  (`has two '@'`), and a `+country code`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_GAP = "…"
_SPACES = re.compile(r"\s+")
# Quoted text of two characters or more, unless it follows `field` or `column` (a column's
# name); a number, date or time (not one inside a word like UTF-8, nor a +country code).
_VALUE = re.compile(
    r"""(?<!field )(?<!column )(?:'[^'\s][^']*[^'\s]'|"[^"\s][^"]*[^"\s]")"""
    r"|(?<![\w.+-])\d(?:[\d.,:/\-T+Z]*[\dZ])?"
)


@dataclass(frozen=True)
class Issue:
    """A field problem of a kept record: the value was dropped, the rest of the row landed."""

    field: str
    message: str  # what is wrong and what to do, values and all
    value: str | None = None  # the raw value dropped, when there was one
    # The message's first clause without the value, what counts alike across rows: made from
    # the message unless given (as a run's history kept it).
    problem: str = ""

    def __post_init__(self) -> None:
        if not self.problem:
            object.__setattr__(self, "problem", problem_of(self.message, self.value))

    def __str__(self) -> str:
        """As the record's `data_issues` entry: `field: message`."""
        return f"{self.field}: {self.message}"


def problem_of(message: str, value: str | None) -> str:
    """`is not a phone number` from `phone '0977 abc' is not a phone number; write ...`."""
    clause = _first_clause(message)
    if value:
        for shown in (repr(value), f"'{value}'", f'"{value}"', value):
            before, found, after = clause.partition(shown)
            if found:
                lead = before.strip()
                clause = after if len(lead.split()) <= 1 else f"{lead} {_GAP}{after}"
                break
    return _without_values(clause).strip(" :,") or "invalid value"


def reason_of(reason: str) -> str:
    """A reject reason without its values: `source_id … stands for a missing id`."""
    return _without_values(_first_clause(reason))


def _without_values(text: str) -> str:
    return _SPACES.sub(" ", _VALUE.sub(_GAP, text)).strip()


def _first_clause(text: str) -> str:
    return text.split(";", 1)[0].strip()
