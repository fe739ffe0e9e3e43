"""The model checked against analysts' assertions: labelled pairs it should agree with."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from c360graph.resolve.model.scoring import Scorer


@dataclass(frozen=True)
class LabelCheck:
    """How the model scores analysts' must-links and cannot-links, against the threshold."""

    must: int = 0
    must_above: int = 0  # must-links the model would link on its own
    cannot: int = 0
    cannot_above: int = 0  # cannot-links the model would link but for the assertion

    def text(self) -> str:
        """One line for people."""
        if not self.must and not self.cannot:
            return "analysts' assertions: none yet (`c360 link` / `c360 unlink` add labels)"
        return (
            f"analysts' assertions: {self.must_above:,} of {self.must:,} must-links and "
            f"{self.cannot_above:,} of {self.cannot:,} cannot-links score at or above the "
            "threshold"
        )


def check(
    scorer: Scorer,
    must: Iterable[tuple[str, str]],
    cannot: Iterable[tuple[str, str]],
    threshold: float,
) -> LabelCheck:
    """Score every asserted pair whose records the scorer holds."""
    must, cannot = set(must), set(cannot)
    above = {(s.a, s.b) for s in scorer.score(sorted(must | cannot)) if s.probability >= threshold}
    return LabelCheck(len(must), len(above & must), len(cannot), len(above & cannot))
