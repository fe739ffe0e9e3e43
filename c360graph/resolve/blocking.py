"""Blocking: which records are worth comparing, without ever comparing all pairs.

Each blocking rule (config data) names feature keys; records with equal values for all of
them share a block and every pair inside a block becomes a candidate. Blocks larger than
`max_block_size` (per rule, else the blocking default) are skipped and counted in
BlockingStats: "all Smiths" says nothing, and comparing it would be quadratic. Work is the
sum of squared block sizes, capped per block, so it grows near-linearly with the records.

Internally records are integer positions and each rule's index is a dict of key ->
positions. A single-key rule indexes the Feat's own strings (no copies); a combined key is
a hash of its parts (a collision only adds candidates). Singleton blocks are dropped as
soon as the index is built, and each record's pairs are gathered from its own blocks, so
memory holds the index and one record's neighbours, never the set of all pairs.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import product

from c360graph.resolve.features import BLOCK_KEYS, Feat
from c360graph.resolve.records import Candidate
from c360graph.resolve.settings import BlockingConfig, BlockingRule, ResolutionConfig

_Key = str | int  # a single-key rule uses the feature's own string; combined keys a hash
_Keys = Callable[[Feat], Sequence[_Key]]


@dataclass
class BlockingStats:
    """What a blocking pass did: blocks kept and skipped per rule, and candidates emitted."""

    blocks: dict[str, int] = field(default_factory=dict)  # rule id -> blocks of 2+ records
    skipped_blocks: dict[str, int] = field(default_factory=dict)  # rule id -> oversized blocks
    skipped_records: int = 0  # record slots in skipped blocks (a record may count per rule)
    candidates: int = 0
    # Members of blocks that the focus records pushed over their cap: a full run would not
    # pair them through that block any more, so an incremental run must re-resolve them.
    crossed_cap: set[str] = field(default_factory=set)

    @property
    def skipped(self) -> int:
        """Oversized blocks skipped, over all rules."""
        return sum(self.skipped_blocks.values())


def _key_function(rule: BlockingRule) -> _Keys:
    getters = [BLOCK_KEYS[name] for name in rule.keys]
    if len(getters) == 1:
        return getters[0]  # the strings already live in the Feat: no copies in the index

    def keys(f: Feat) -> list[int]:
        parts = [g(f) for g in getters]
        if not all(parts):
            return []  # a record lacking any key of the rule is not in its blocks
        return [hash(combo) for combo in product(*parts)]

    return keys


def _index(
    feats: Sequence[Feat], keys: _Keys, limit: int, rule: str, stats: BlockingStats
) -> tuple[dict[_Key, list[int]], list[list[int]]]:
    """A rule's blocks of 2..limit records, and its oversized blocks (skipped, kept aside)."""
    index: dict[_Key, list[int]] = {}
    for i, f in enumerate(feats):
        if f.stub:
            continue
        for k in keys(f):
            block = index.get(k)
            if block is None:
                index[k] = [i]
            elif block[-1] != i:  # two values of one record with the same key
                block.append(i)
    oversized = []
    for k in list(index):
        size = len(index[k])
        if size < 2:
            del index[k]
        elif size > limit:
            oversized.append(index.pop(k))
            stats.skipped_blocks[rule] = stats.skipped_blocks.get(rule, 0) + 1
            stats.skipped_records += size
    stats.blocks[rule] = len(index)
    return index, oversized


@dataclass
class BlockIndex:
    """Every blocking rule's index over the records, ready to pair them."""

    feats: Sequence[Feat]
    rules: list[tuple[str, _Keys]]  # (rule id, its key function)
    indexes: list[dict[_Key, list[int]]]
    oversized: list[tuple[int, list[list[int]]]]  # per rule: (its limit, its skipped blocks)
    in_focus: set[int] | None = None  # positions of focus records; None: every record

    def focused(self, focus: set[str] | None, stats: BlockingStats) -> BlockIndex:
        """The same index pairing only records in `focus` (None: all) with any record.

        Adds to `stats.crossed_cap` the members of skipped blocks that only the focus records
        pushed over their limit: a full run would not pair them through that block any more,
        so an incremental run must re-resolve them.
        """
        if focus is None:
            return replace(self, in_focus=None)
        in_focus = {i for i, f in enumerate(self.feats) if f.key in focus}
        for limit, blocks in self.oversized:
            for block in blocks:
                if len(block) - sum(i in in_focus for i in block) <= limit:
                    stats.crossed_cap.update(self.feats[i].key for i in block)
        return replace(self, in_focus=in_focus)

    def pairs(self, part: int = 0, parts: int = 1) -> Iterator[Candidate]:
        """Yield each blocked pair once (a < b) with the ids of every rule that paired it.

        With `parts` > 1, only the pairs reached from every `parts`-th record starting at
        `part`: the parts of one index together yield each pair exactly once.
        """
        feats, in_focus = self.feats, self.in_focus
        starts: Sequence[int] = range(len(feats)) if in_focus is None else sorted(in_focus)
        for i in starts[part::parts]:
            fi = feats[i]
            if fi.stub:
                continue
            found: dict[int, list[str]] = {}
            for (rid, keys), index in zip(self.rules, self.indexes, strict=True):
                for k in keys(fi):
                    block = index.get(k)
                    if block is None:
                        continue
                    # Without focus each pair is reached from its lower position only; with
                    # focus, from its lower position when both are in focus, else from the focus.
                    others = block[bisect_right(block, i) :] if in_focus is None else block
                    for j in others:
                        if j == i or (in_focus is not None and j < i and j in in_focus):
                            continue
                        ids = found.setdefault(j, [])
                        if not ids or ids[-1] != rid:
                            ids.append(rid)
            for j in sorted(found):
                a, b = fi.key, feats[j].key
                if a > b:
                    a, b = b, a
                yield Candidate(a=a, b=b, blocks=tuple(found[j]))


def block_index(
    feats: Sequence[Feat],
    config: ResolutionConfig | BlockingConfig,
    focus: set[str] | None = None,
    stats: BlockingStats | None = None,
) -> BlockIndex:
    """Index the records by every blocking rule's keys, dropping singleton and oversized blocks.

    With `focus`, pairs will touch a focus record (incremental runs; see BlockIndex.focused).
    `stats`, when given, gets the blocks kept and skipped per rule.
    """
    blocking = config.blocking if isinstance(config, ResolutionConfig) else config
    stats = stats if stats is not None else BlockingStats()
    rules = [(rule.id, _key_function(rule)) for rule in blocking.rules]
    indexes, oversized = [], []
    for rule, (_, keys) in zip(blocking.rules, rules, strict=True):
        limit = rule.max_block_size or blocking.max_block_size
        index, skipped = _index(feats, keys, limit, rule.id, stats)
        indexes.append(index)
        oversized.append((limit, skipped))
    return BlockIndex(feats, rules, indexes, oversized).focused(focus, stats)


def candidates(
    feats: Sequence[Feat],
    config: ResolutionConfig | BlockingConfig,
    focus: set[str] | None = None,
    stats: BlockingStats | None = None,
) -> Iterator[Candidate]:
    """Yield each blocked pair once (a < b) with the ids of every rule that paired it.

    With `focus`, only pairs with at least one record key in focus are yielded (incremental
    runs). `stats`, when given, is filled in as the index is built and pairs are emitted.
    """
    stats = stats if stats is not None else BlockingStats()
    for candidate in block_index(feats, config, focus, stats).pairs():
        stats.candidates += 1
        yield candidate
