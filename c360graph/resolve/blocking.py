"""Blocking: which records are worth comparing, without ever comparing all pairs.

Each blocking rule (config data) names feature keys; records with equal values for all of
them share a block and every pair inside a block becomes a candidate. Blocks larger than
`max_block_size` (per rule, else the blocking default) are skipped and counted in
BlockingStats: "all Smiths" says nothing, and comparing it would be quadratic. Work is the
sum of squared block sizes, capped per block, so it grows near-linearly with the records.

The keys come from the features (features.BLOCK_KEYS: the normalizers' work, in Python);
the blocks and pairs are made in DuckDB, beside the records Splink scores: a table of keys,
a GROUP BY per rule, a self-join within the kept blocks. No pair becomes a Python object
unless a caller asks for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pyarrow as pa

from c360graph.resolve import duck
from c360graph.resolve.duck import count, replace_table
from c360graph.resolve.features import BLOCK_KEYS, Feat
from c360graph.resolve.records import Candidate
from c360graph.resolve.settings import BlockingConfig, BlockingRule, ResolutionConfig

KEYS = "c360_block_keys"  # id, k_<key name> (a list of the record's values) per key used
PAIRS = "c360_blocked_pairs"  # a, b (record keys, a < b), blocks (rule ids, in rule order)
RULES = "c360_block_rules"  # idx, id, cap
MEMBERS = "c360_block_members"  # idx, key, id, n (the block's size): blocks of 2+ records
FOCUS = "c360_focus"  # id


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


def _rules(config: ResolutionConfig | BlockingConfig) -> tuple[BlockingConfig, list[BlockingRule]]:
    blocking = config.blocking if isinstance(config, ResolutionConfig) else config
    return blocking, list(blocking.rules)


def key_table(feats: Iterable[Feat], config: ResolutionConfig | BlockingConfig) -> pa.Table:
    """One row per record (stubs left out: never blocked), a list column per key used."""
    _, rules = _rules(config)
    names = sorted({name for rule in rules for name in rule.keys})
    getters = [BLOCK_KEYS[name] for name in names]
    ids: list[str] = []
    columns: list[list[list[str] | None]] = [[] for _ in names]
    for f in feats:
        if f.stub:
            continue
        ids.append(f.key)
        for column, get in zip(columns, getters, strict=True):
            column.append(list(get(f)) or None)
    text_list = pa.list_(pa.string())
    return pa.table(
        {"id": pa.array(ids, pa.string())}
        | {f"k_{n}": pa.array(c, text_list) for n, c in zip(names, columns, strict=True)}
    )


def _keyed_sql(index: int, rule: BlockingRule) -> str:
    # Key names are checked against BLOCK_KEYS when the config loads: safe as identifiers.
    unnest = ", ".join(f"unnest(k.k_{name}) AS u{j}(v{j})" for j, name in enumerate(rule.keys))
    parts = [f"v{j}" for j in range(len(rule.keys))]
    key = parts[0] if len(parts) == 1 else f"concat_ws(chr(31), {', '.join(parts)})"
    return f"SELECT {index} AS idx, k.id, {key} AS key FROM {KEYS} AS k, {unnest}"


def index_blocks(con: duckdb.DuckDBPyConnection, config: ResolutionConfig | BlockingConfig) -> None:
    """Build every rule's blocks of 2+ records from the registered KEYS table."""
    con.register(RULES, rules_table(config))
    replace_table(con, MEMBERS, members_sql(_rules(config)[1]))


def rules_table(config: ResolutionConfig | BlockingConfig) -> pa.Table:
    """The RULES table: each rule's position, id and block size cap."""
    blocking, rules = _rules(config)
    return pa.table(
        {
            "idx": pa.array(range(len(rules)), pa.int32()),
            "id": [r.id for r in rules],
            "cap": pa.array(
                [r.max_block_size or blocking.max_block_size for r in rules], pa.int64()
            ),
        }
    )


def members_sql(rules: Sequence[BlockingRule]) -> str:
    """SQL: every rule's blocks of 2+ records (idx, key, id, n) from the KEYS table."""
    keyed = " UNION ALL ".join(_keyed_sql(i, r) for i, r in enumerate(rules))
    return (
        f"WITH keyed AS (SELECT DISTINCT idx, key, id FROM ({keyed})), "
        "sized AS (SELECT idx, key, count(*) AS n FROM keyed GROUP BY idx, key HAVING n >= 2) "
        "SELECT keyed.idx, keyed.key, keyed.id, sized.n FROM keyed JOIN sized USING (idx, key)"
    )


# Per rule: blocks kept, blocks skipped, record slots in skipped blocks.
STATS_SQL = (
    "SELECT r.id, count(*) FILTER (WHERE b.n <= r.cap), count(*) FILTER (WHERE b.n > r.cap), "
    "coalesce(sum(b.n) FILTER (WHERE b.n > r.cap), 0) "
    f"FROM (SELECT DISTINCT idx, key, n FROM {MEMBERS}) AS b JOIN {RULES} AS r USING (idx) "
    "GROUP BY r.id, r.idx ORDER BY r.idx"
)


def fill_stats(rows: Iterable[Sequence[Any]], stats: BlockingStats) -> None:
    """Fill `stats` from the rows of STATS_SQL."""
    stats.blocks, stats.skipped_blocks, stats.skipped_records = {}, {}, 0
    for rule, kept, skipped, slots in rows:
        stats.blocks[rule] = kept
        if skipped:
            stats.skipped_blocks[rule] = skipped
        stats.skipped_records += slots


_KEPT = f"(SELECT m.* FROM {MEMBERS} AS m JOIN {RULES} AS r USING (idx) WHERE m.n <= r.cap)"


def found_sql(focused: bool) -> str:
    """SQL: (a, b, idx) of each pair a kept block makes; `focused`: touching FOCUS only."""
    if not focused:
        return (
            f"SELECT l.id AS a, r.id AS b, l.idx FROM {_KEPT} AS l JOIN {_KEPT} AS r "
            "ON l.idx = r.idx AND l.key = r.key AND l.id < r.id"
        )
    return (
        "SELECT least(f.id, o.id) AS a, greatest(f.id, o.id) AS b, f.idx "
        f"FROM {_KEPT} AS f SEMI JOIN {FOCUS} AS x ON f.id = x.id "
        f"JOIN {_KEPT} AS o ON f.idx = o.idx AND f.key = o.key AND f.id <> o.id"
    )


# Members of skipped blocks that the FOCUS records alone pushed over their cap.
CROSSED_SQL = (
    f"WITH skipped AS (SELECT m.idx, m.key, m.id, m.n, r.cap FROM {MEMBERS} AS m "
    f"JOIN {RULES} AS r USING (idx) WHERE m.n > r.cap), "
    "crossing AS (SELECT idx, key FROM skipped GROUP BY idx, key, cap "
    f"HAVING count(*) FILTER (WHERE id NOT IN (SELECT id FROM {FOCUS})) <= cap) "
    "SELECT DISTINCT s.id FROM skipped AS s SEMI JOIN crossing USING (idx, key)"
)


def pair_blocks(
    con: duckdb.DuckDBPyConnection, focus: Sequence[str] | None, stats: BlockingStats
) -> int:
    """Fill the PAIRS table from the indexed blocks; returns the number of pairs.

    With `focus`, only pairs touching a focus record, and `stats.crossed_cap` gets the
    members of skipped blocks that only the focus records pushed over their limit.
    """
    fill_stats(con.execute(STATS_SQL).fetchall(), stats)
    if focus is not None:
        con.register(FOCUS, pa.table({"id": pa.array(list(focus), pa.string())}))
        stats.crossed_cap.update(row[0] for row in con.execute(CROSSED_SQL).fetchall())
    found = found_sql(focus is not None)
    replace_table(
        con,
        PAIRS,
        "SELECT p.a, p.b, list(r.id ORDER BY r.idx) AS blocks "
        f"FROM (SELECT DISTINCT a, b, idx FROM ({found})) AS p JOIN {RULES} AS r USING (idx) "
        "GROUP BY p.a, p.b",
    )
    stats.candidates = count(con, PAIRS)
    return stats.candidates


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
    con = duck.connect()
    try:
        con.register(KEYS, key_table(feats, config))
        index_blocks(con, config)
        pair_blocks(con, None if focus is None else sorted(focus), stats)
        pairs = blocked_pairs(con)
    finally:
        con.close()
    yield from pairs


def blocked_pairs(con: duckdb.DuckDBPyConnection) -> list[Candidate]:
    """The PAIRS table as candidates, ordered by pair, each with its blocking rule ids."""
    rows = con.execute(f"SELECT a, b, blocks FROM {PAIRS} ORDER BY a, b").fetchall()
    return [Candidate(a=a, b=b, blocks=tuple(blocks)) for a, b, blocks in rows]
