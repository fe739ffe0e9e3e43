"""Connected components over accepted links, with cannot-link and maximum-size constraints.

Edges are processed Kruskal-style in one deterministic order, whatever order they arrive in:
must-link edges first, then score descending, then (a, b) ascending, then kind. A union
is refused when it would put both ends of a cannot-link pair in one component ("cannot_link")
or, for edges other than must-links, when the joined component would exceed `max_size`
("max_size"). Because the strongest edges go first, the cap cuts a cluster at its weakest links.

Edge cases, decided:
- a must-link edge beats `max_size`, but a cannot-link beats a must-link: an analyst's
  "these are different people" is the stronger assertion, and the refused must-link is
  reported so the contradiction can be fixed;
- an edge whose ends are already in one component is accepted (it agrees with the clustering);
- edge endpoints missing from `keys` are added as records; cannot-link pairs naming unknown
  records, or one record twice, are ignored;
- an exclusive trait (a date of birth) refuses a union that would put two clashing values in
  one component: the chain of links is cut at its weakest link even when no single link
  joins the two records that clash. A component joined by a must-link is exempt: the
  analyst has vouched for it as one person. A trait may yield to a link scoring at or above
  its `yields_to` (evidence that strong outweighs a soft constraint).
"""

from __future__ import annotations

import math
import operator
from array import array
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from itertools import islice, repeat
from typing import TypeAlias

from c360graph.runtime import gc_policy

EDGE_KINDS = ("must", "rule", "fuzzy")
_KIND_RANK = {kind: rank for rank, kind in enumerate(EDGE_KINDS)}
_get_a = operator.attrgetter("a")
_get_b = operator.attrgetter("b")
_get_score = operator.attrgetter("score")
_get_kind = operator.attrgetter("kind")
_Ends: TypeAlias = "tuple[array[int], array[int]]"  # each edge's (a, b) as integer ids


@dataclass(frozen=True)
class Edge:
    """A link between two record keys: "rule" (deterministic), "fuzzy" (scored) or "must"."""

    a: str
    b: str
    score: float
    kind: str = "fuzzy"


@dataclass(frozen=True)
class ExclusiveTrait:
    """Values one component may not hold two clashing of (record key -> value)."""

    values: Mapping[str, Hashable]
    clash: Callable[[Hashable, Hashable], bool]
    reason: str  # the refusal reason reported for the edge
    yields_to: float | None = None  # a link scoring at least this joins clashing sets


@dataclass
class Clustering:
    """Components (each sorted; sorted by first key), accepted and refused edges, capped ones."""

    components: list[tuple[str, ...]] = field(default_factory=list)
    accepted: list[Edge] = field(default_factory=list)
    # (edge, reason): reason is "cannot_link" or "max_size"
    refused: list[tuple[Edge, str]] = field(default_factory=list)
    oversized: list[tuple[str, ...]] = field(default_factory=list)


def _number(keys: set[str], edges: list[Edge]) -> tuple[list[str], dict[str, int], _Ends]:
    """Keys sorted, key -> integer id in that order, and each edge's two ids (KeyError if any
    edge names a key not in keys)."""
    ordered = sorted(keys)  # id order == key order, so components come out sorted
    index = dict(zip(ordered, range(len(ordered)), strict=True))
    # Machine-int arrays: later passes read them in order without chasing int objects.
    ends_a = array("q", map(index.__getitem__, map(_get_a, edges)))
    return ordered, index, (ends_a, array("q", map(index.__getitem__, map(_get_b, edges))))


def _processing_order(edges: list[Edge], kinds: list[str], ends: _Ends, n: int) -> list[int]:
    """Edge positions: must-links first, then score descending, then (a, b), then kind."""
    scores = list(map(_get_score, edges))
    if any(map(math.isnan, scores)):
        raise ValueError("an edge has a NaN score; drop it or give it a number before clustering")
    distinct = sorted(set(scores), reverse=True)
    score_rank = dict(zip(distinct, range(len(distinct)), strict=True))
    # One integer sort key per edge, (not must, score rank, a, b, kind) in mixed radix, built
    # by C-level maps: a Python tuple per edge is several times slower at 2M edges. Distinct
    # edges never tie, so the lists come out the same for any input order.
    key = map(operator.ne, kinds, repeat("must"))
    key = map(
        operator.add, map(operator.mul, key, repeat(len(distinct))), map(score_rank.get, scores)
    )
    key = map(operator.add, map(operator.mul, key, repeat(n)), ends[0])
    key = map(operator.add, map(operator.mul, key, repeat(n)), ends[1])
    key = map(operator.mul, key, repeat(len(EDGE_KINDS)))
    sort_key = list(map(operator.add, key, map(_KIND_RANK.__getitem__, kinds)))
    return sorted(range(len(edges)), key=sort_key.__getitem__)


def cluster(
    keys: Iterable[str],
    edges: Iterable[Edge],
    cannot_link: Iterable[tuple[str, str]] = (),
    max_size: int | None = None,
    exclusive: ExclusiveTrait | Iterable[ExclusiveTrait] | None = None,
) -> Clustering:
    """Cluster records into components of accepted edges, honouring cannot-link and max_size."""
    if max_size is not None and max_size < 1:
        raise ValueError(f"max_size must be at least 1 (got {max_size}); use None for no cap")
    traits = (
        ()
        if exclusive is None
        else (exclusive,)
        if isinstance(exclusive, ExclusiveTrait)
        else tuple(exclusive)
    )
    with gc_policy.paused():
        return _cluster(keys, list(edges), cannot_link, max_size, traits)


def _cluster(
    key_iterable: Iterable[str],
    edge_list: list[Edge],
    cannot_link: Iterable[tuple[str, str]],
    max_size: int | None,
    exclusive: tuple[ExclusiveTrait, ...],
) -> Clustering:
    kinds = list(map(_get_kind, edge_list))
    unknown = set(kinds).difference(_KIND_RANK)
    if unknown:
        kind = sorted(unknown)[0]
        raise ValueError(f"edge kind {kind!r} is unknown; use one of {', '.join(EDGE_KINDS)}")
    keys = set(key_iterable)
    try:
        ordered, index, ends = _number(keys, edge_list)
    except KeyError:  # some edge names a record missing from keys: take it in as a record
        keys.update(map(_get_a, edge_list), map(_get_b, edge_list))
        ordered, index, ends = _number(keys, edge_list)
    order = _processing_order(edge_list, kinds, ends, len(ordered))
    musts = kinds.count("must")  # they sort first
    # Laid out in processing order so the union loop reads memory sequentially.
    edges_in_order = list(map(edge_list.__getitem__, order))
    a_in_order = list(map(ends[0].__getitem__, order))
    b_in_order = list(map(ends[1].__getitem__, order))

    forest = _Forest(len(ordered))
    for trait in exclusive:
        forest.add_trait(
            _Trait(
                {index[k]: {v} for k, v in trait.values.items() if k in index},
                trait.clash,
                trait.reason,
                math.inf if trait.yields_to is None else trait.yields_to,
            )
        )
    for x, y in cannot_link:
        if x != y and x in index and y in index:
            forest.add_cannot_link(index[x], index[y])
    accepted: list[Edge] = []
    refused: list[tuple[Edge, str]] = []
    in_order = zip(edges_in_order, a_in_order, b_in_order, strict=True)
    # Must-links: no size cap and no trait clash (an analyst said these are one person).
    forest.link(islice(in_order, musts), None, accepted, refused, traits=False)
    forest.link(in_order, max_size, accepted, refused)

    roots = forest.roots()
    groups: dict[int, list[int]] = {}
    for i, root in enumerate(roots):  # ascending ids: groups ordered by their smallest key
        group = groups.get(root)
        if group is None:
            groups[root] = [i]
        else:
            group.append(i)
    components = [tuple(map(ordered.__getitem__, group)) for group in groups.values()]
    position = {root: p for p, root in enumerate(groups)}
    over = {roots[r] for r in forest.capped}
    if max_size is not None:
        over.update(r for r, group in groups.items() if len(group) > max_size)
    oversized = [components[position[r]] for r in sorted(over, key=position.__getitem__)]
    return Clustering(components, accepted, refused, oversized)


@dataclass
class _Trait:
    held: dict[int, set[Hashable]]  # root -> exclusive values its set holds
    clash: Callable[[Hashable, Hashable], bool]
    reason: str
    yields_to: float

    def refuses(self, rx: int, ry: int, score: float) -> bool:
        held = self.held
        if score >= self.yields_to or rx not in held or ry not in held:
            return False
        clash = self.clash
        return any(clash(x, y) for x in held[rx] for y in held[ry])


class _Forest:
    """Union-find: union by size, iterative path compression, per-root cannot-link partners."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.size = [1] * n
        self.partners: dict[int, set[int]] = {}  # root -> records its set must never join
        self.capped: list[int] = []  # roots of sets a max_size refusal stopped from growing
        self.traits: list[_Trait] = []
        self.vouched: set[int] = set()  # roots of sets joined by a must-link: no clash check

    def add_trait(self, trait: _Trait) -> None:
        """Give records exclusive values: no union may join two that clash."""
        self.traits.append(trait)

    def add_cannot_link(self, x: int, y: int) -> None:
        self.partners.setdefault(x, set()).add(y)
        self.partners.setdefault(y, set()).add(x)

    def find(self, x: int) -> int:
        parent = self.parent
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def link(
        self,
        batch: Iterable[tuple[Edge, int, int]],
        max_size: int | None,
        accepted: list[Edge],
        refused: list[tuple[Edge, str]],
        traits: bool = True,
    ) -> None:
        """Union each (edge, x, y) in order, appending the edge to accepted or refused."""
        parent, size, partners, find = self.parent, self.size, self.partners, self.find
        held, vouched = self.traits, self.vouched
        for edge, x, y in batch:
            # Most ids are roots or children of roots: skip the call to find() for them.
            rx = parent[x]
            if parent[rx] != rx:
                rx = find(rx)
            ry = parent[y]
            if parent[ry] != ry:
                ry = find(ry)
            if rx == ry:
                accepted.append(edge)
                continue
            if size[rx] < size[ry]:
                rx, ry = ry, rx
            if rx in partners and ry in partners and self._conflict(rx, ry):
                refused.append((edge, "cannot_link"))
                continue
            if traits and held and rx not in vouched and ry not in vouched:
                clash = next((t for t in held if t.refuses(rx, ry, edge.score)), None)
                if clash is not None:
                    refused.append((edge, clash.reason))
                    continue
            if max_size is not None and size[rx] + size[ry] > max_size:
                refused.append((edge, "max_size"))
                # The larger side (both when equal) is the cluster that reached the cap.
                self.capped.extend((rx, ry) if size[rx] == size[ry] else (rx,))
                continue
            parent[ry] = rx
            size[rx] += size[ry]
            if ry in partners:
                self._merge_partners(rx, ry)
            for trait in held:
                if ry in trait.held:
                    trait.held.setdefault(rx, set()).update(trait.held.pop(ry))
            if not traits or ry in vouched:
                vouched.add(rx)
            accepted.append(edge)

    def _conflict(self, rx: int, ry: int) -> bool:
        # Some member of one set has a partner in the other: scan the smaller partner set.
        px, py = self.partners[rx], self.partners[ry]
        if len(px) <= len(py):
            return any(self.find(p) == ry for p in px)
        return any(self.find(p) == rx for p in py)

    def _merge_partners(self, rx: int, ry: int) -> None:
        # Small into large, so each partner id is copied O(log n) times overall.
        py = self.partners.pop(ry)
        px = self.partners.get(rx)
        if px is None:
            self.partners[rx] = py
        elif len(px) >= len(py):
            px.update(py)
        else:
            py.update(px)
            self.partners[rx] = py

    def roots(self) -> list[int]:
        """Each id's root, by pointer jumping: a few C-level passes instead of n find() calls."""
        roots = self.parent
        while True:
            jumped = list(map(roots.__getitem__, roots))
            if jumped == roots:
                return roots
            roots = jumped
