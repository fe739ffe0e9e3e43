"""Which evidence glues strangers together: accepted links between two true persons, by levels.

A link's signature is its comparison levels (null fields left out) and the rules that
proposed it, as `c360 explain` shows them. Per signature the table gives every accepted
link, those joining records of two different persons in the ground truth, and the share of
wrong ones: where precision is lost, and to what evidence the model gave too much weight.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from c360graph.db.graph import Graph

NULL = "null"


@dataclass(frozen=True)
class Signature:
    """One combination of levels (and proposing rules) among accepted links."""

    text: str
    links: int
    wrong: int


def signature(levels: tuple[str, ...], rules: tuple[str, ...]) -> str:
    """`address=else email=local_key name=exact` (+ `rules: same_email` when a rule proposed it)."""
    kept = sorted(lv for lv in levels if not lv.endswith(f"={NULL}"))
    text = " ".join(kept) or "(no field compared)"
    return f"{text}  rules: {','.join(sorted(rules))}" if rules else text


def wrong_links(graph: Graph, truth: dict[str, str]) -> list[Signature]:
    """Signatures of the stored accepted links, most wrong links first."""
    links: Counter[str] = Counter()
    wrong: Counter[str] = Counter()
    for link in graph.stream("resolve/all_links"):
        a, b = link["a"], link["b"]
        text = signature(tuple(link["levels"] or ()), tuple(link["rules"] or ()))
        links[text] += 1
        # A record missing from the truth is its own person, as the pairwise evaluation has it.
        if truth.get(a, a) != truth.get(b, b):
            wrong[text] += 1
    return [Signature(t, links[t], n) for t, n in wrong.most_common()]


def table(found: list[Signature], top: int) -> list[str]:
    """Text lines: the `top` signatures with the most wrong links."""
    total = sum(s.wrong for s in found)
    lines = [f"wrong links (two true persons) by evidence: {total:,} in all; top {top}"]
    lines.append(f"  {'wrong':>7} {'links':>8} {'wrong%':>7}  levels")
    for s in found[:top]:
        lines.append(f"  {s.wrong:>7,} {s.links:>8,} {100 * s.wrong / s.links:>6.1f}%  {s.text}")
    return lines
