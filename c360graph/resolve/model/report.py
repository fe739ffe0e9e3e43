"""A trained model for people: its match weights as a table and as an SVG chart."""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

from c360graph.resolve.model.training import TrainedModel


@dataclass(frozen=True)
class LevelWeight:
    """One level's parameters: how often matches (m) and non-matches (u) fall in it."""

    comparison: str
    level: str
    m: float
    u: float

    @property
    def weight(self) -> float:
        """log2(m / u): positive is evidence for a match, negative against."""
        return math.log2(self.m / self.u) if self.m > 0 and self.u > 0 else -math.inf


def level_weights(model: TrainedModel) -> list[LevelWeight]:
    """Every non-null level of every comparison, in the model's order."""
    return [
        LevelWeight(
            c["output_column_name"],
            str(lv["label_for_charts"]),
            float(lv["m_probability"]),
            float(lv["u_probability"]),
        )
        for c in model.settings["comparisons"]
        for lv in c["comparison_levels"]
        if not lv.get("is_null_level")
    ]


def prior_weight(model: TrainedModel) -> float:
    """log2 odds that two random records match."""
    p = float(model.settings["probability_two_random_records_match"])
    return math.log2(p / (1 - p))


def weights_table(model: TrainedModel) -> str:
    """The model as aligned text: the prior, then each comparison's levels."""
    p = float(model.settings["probability_two_random_records_match"])
    lines = [
        f"prior: two random records match with probability {p:.3g} "
        f"(weight {prior_weight(model):+.2f})",
        f"{'comparison':<14} {'level':<20} {'m':>9} {'u':>11} {'weight':>8}",
    ]
    for w in level_weights(model):
        lines.append(f"{w.comparison:<14} {w.level:<20} {w.m:>9.4g} {w.u:>11.4g} {w.weight:>+8.2f}")
    return "\n".join(lines)


_ROW, _LABEL, _HALF = 18, 230, 220  # pixels: row height, label column, half the bar area


def weights_chart(model: TrainedModel) -> str:
    """An SVG bar chart of every level's weight (Splink's match weights chart, drawn here
    so that it needs no JavaScript or network to open)."""
    rows = [("prior", "two random records", prior_weight(model))]
    rows += [(w.comparison, w.level, w.weight) for w in level_weights(model)]
    scale = _HALF / max(1.0, *(min(abs(v), 40.0) for _, _, v in rows))
    height = _ROW * (len(rows) + 2)
    width = _LABEL + 2 * _HALF + 60
    middle = _LABEL + _HALF
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        'font-family="sans-serif" font-size="12">',
        f'<text x="8" y="14" font-weight="bold">match weights (log2 m/u), model '
        f"{escape(model.model_id)}</text>",
        f'<line x1="{middle}" y1="{_ROW}" x2="{middle}" y2="{height - 4}" stroke="#888"/>',
    ]
    for i, (comparison, level, value) in enumerate(rows):
        y = _ROW * (i + 1) + 4
        shown = max(-40.0, min(40.0, value))
        length = abs(shown) * scale
        x = middle if shown >= 0 else middle - length
        colour = "#2b8a3e" if shown >= 0 else "#c92a2a"
        parts += [
            f'<text x="8" y="{y + 12}">{escape(comparison)}: {escape(level)}</text>',
            f'<rect x="{x:.1f}" y="{y + 2}" width="{length:.1f}" height="{_ROW - 6}" '
            f'fill="{colour}"/>',
            f'<text x="{middle + _HALF + 8}" y="{y + 12}">{value:+.2f}</text>',
        ]
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
