"""Which evidence glues strangers together: accepted links between two true persons, by levels.

A link's signature is its comparison levels (null fields left out) and the rules that
proposed it, as `c360 explain` shows them. Per signature the table gives every accepted
link, those joining records of two different persons in the ground truth, and the share of
wrong ones: where precision is lost, and to what evidence the model gave too much weight.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from c360graph.db.graph import Graph
from c360graph.resolve import store
from c360graph.resolve.records import Rec

NULL = "null"
EXAMPLES = 2  # wrong links shown under each signature


@dataclass(frozen=True)
class Signature:
    """One combination of levels (and proposing rules) among accepted links."""

    text: str
    links: int
    wrong: int
    examples: tuple[tuple[str, str, float], ...] = ()  # a few wrong links: a, b, probability


def signature(levels: tuple[str, ...], rules: tuple[str, ...]) -> str:
    """`address=else email=local_key name=exact` (+ `rules: same_email` when a rule proposed it)."""
    kept = sorted(lv for lv in levels if not lv.endswith(f"={NULL}"))
    text = " ".join(kept) or "(no field compared)"
    return f"{text}  rules: {','.join(sorted(rules))}" if rules else text


def wrong_links(graph: Graph, truth: dict[str, str], examples: int = 0) -> list[Signature]:
    """Signatures of the stored accepted links, most wrong links first, each with up to
    `examples` of its wrong links."""
    links: Counter[str] = Counter()
    wrong: Counter[str] = Counter()
    shown: defaultdict[str, list[tuple[str, str, float]]] = defaultdict(list)
    for link in graph.stream("resolve/all_links"):
        a, b = link["a"], link["b"]
        text = signature(tuple(link["levels"] or ()), tuple(link["rules"] or ()))
        links[text] += 1
        # A record missing from the truth is its own person, as the pairwise evaluation has it.
        if truth.get(a, a) != truth.get(b, b):
            wrong[text] += 1
            if len(shown[text]) < examples:
                shown[text].append((a, b, float(link["probability"] or 0.0)))
    return [Signature(t, links[t], n, tuple(shown[t])) for t, n in wrong.most_common()]


def table(
    found: list[Signature], top: int, describe: Callable[[str], str] | None = None
) -> list[str]:
    """Text lines: the `top` signatures with the most wrong links, and under each its
    examples, each record as `describe` shows it."""
    total = sum(s.wrong for s in found)
    lines = [f"wrong links (two true persons) by evidence: {total:,} in all; top {top}"]
    lines.append(f"  {'wrong':>7} {'links':>8} {'wrong%':>7}  levels")
    for s in found[:top]:
        lines.append(f"  {s.wrong:>7,} {s.links:>8,} {100 * s.wrong / s.links:>6.1f}%  {s.text}")
        for a, b, probability in s.examples:
            show = describe or str
            lines.append(f"           p={probability:.4f}  {show(a)}  ~  {show(b)}")
    return lines


def describe_records(graph: Graph) -> Callable[[str], str]:
    """Show a record key as its compared fields, for reading the examples."""
    recs: dict[str, Rec] = {r.key: r for r in store.load_all_records(graph)}

    def show(key: str) -> str:
        r = recs.get(key)
        if r is None:
            return key
        name = r.full_name or " ".join(x for x in (r.first_name, r.last_name) if x)
        fields = [name, str(r.date_of_birth or ""), r.gender or "", ",".join(r.emails)]
        fields += [
            ",".join(r.phones),
            " ".join(x for x in (r.address_line1, r.postcode, r.city) if x),
        ]
        return f"{key} [{' | '.join(fields)}]"

    return show


def report(graph: Graph, truth: dict[str, str], top: int) -> list[str]:
    """The table of `table`, with examples, for a graph holding a full run's links."""
    found = wrong_links(graph, truth, EXAMPLES)
    return table(found, top, describe_records(graph))
