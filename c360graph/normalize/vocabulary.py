"""A closed set of values and the spellings sources write them in, matched folded."""

from __future__ import annotations

from c360graph.normalize.name import fold


class Vocabulary:
    """Value -> its spellings ("a|b|c"); a value's own name (underscores as spaces) counts.

    Spellings are folded (case, accents, punctuation), so `Đồng ý`, `dong y` and `DONG-Y`
    are one.
    """

    def __init__(self, spellings: dict[str, str]) -> None:
        self._values = {
            spelling: value
            for value, words in spellings.items()
            for spelling in (value.replace("_", " "), *words.split("|"))
        }

    def find(self, raw: str) -> str | None:
        """The value `raw` spells, or None."""
        return self._values.get(fold(raw))
