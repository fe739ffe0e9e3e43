"""Our DuckDB SQL in Spark SQL: sqlglot's transpiler, plus the functions it does not map.

Level conditions (model/kinds.py) and blocking statements (resolve/blocking.py) are written
once, in DuckDB's dialect, the local engine's. Splink's Spark backend parses what it is given
as Spark SQL, so a model trained on DuckDB is rendered for Spark here, by sqlglot (which Splink
itself uses for its dialects) and a few rewrites of what sqlglot 30 leaves wrong or as it was.

Differences, decided (tests/unit/test_spark_sql.py pins each; tests/slow/test_resolve_spark.py
checks the rendered levels give the same truth values on both engines):

- `len(list)` becomes `LENGTH(list)`, a string function in Spark: rewritten to `size`.
- `list_intersect` and `list_has_all` have no Spark name sqlglot knows: `array_intersect`,
  and "every value of b is in a" as `size(array_except(b, a)) = 0`.
- `list_bool_and(list_transform(xs, lambda x: p))`: `forall(xs, x -> p)`.
- `list_has_any(a, b)`: sqlglot writes Postgres's `a && b`; Spark's name is `arrays_overlap`.
- `jaro_winkler_similarity` becomes `JAROWINKLER_SIMILARITY`, which Spark lacks: Splink's
  similarity jar registers `jaro_winkler` (Apache Commons Text; equal to DuckDB's on the
  strings compared in the tests).
- `damerau_levenshtein` keeps its name: the jar registers one. DuckDB's is the unrestricted
  distance, the jar's the same for one edit (our thresholds), and may differ from two up.
- Blocking: `list(x ORDER BY y)` loses its ORDER BY (sqlglot writes `COLLECT_LIST(x)`), and
  `hash()` is a signed 32-bit murmur3 in Spark, an unsigned 64-bit hash in DuckDB; the Spark
  path uses neither (resolve/model/spark_backend.py).
"""

from __future__ import annotations

import copy
from typing import Any

import sqlglot
from sqlglot import exp

ELSE = "ELSE"  # Splink's else level: not SQL, kept as it is


def _anonymous(node: exp.Expression, name: str) -> bool:
    return isinstance(node, exp.Anonymous) and node.name.lower() == name


def _rewrite(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.Length):  # DuckDB's len() of a list
        return exp.Anonymous(this="size", expressions=[node.this])
    if isinstance(node, exp.JarowinklerSimilarity):
        return exp.Anonymous(this="jaro_winkler", expressions=[node.this, node.expression])
    if isinstance(node, exp.ArrayOverlaps):  # DuckDB's list_has_any; sqlglot writes &&
        return exp.Anonymous(this="arrays_overlap", expressions=[node.this, node.expression])
    if _anonymous(node, "list_intersect"):
        return exp.Anonymous(this="array_intersect", expressions=list(node.expressions))
    if _anonymous(node, "list_has_all"):
        whole, part = node.expressions
        rest = exp.Anonymous(this="array_except", expressions=[part, whole])
        return exp.EQ(
            this=exp.Anonymous(this="size", expressions=[rest]), expression=exp.Literal.number(0)
        )
    if _anonymous(node, "list_bool_and"):
        (inner,) = node.expressions
        if not isinstance(inner, exp.Transform):
            raise ValueError(f"list_bool_and over {inner.sql('duckdb')}: no Spark form known")
        return exp.Anonymous(this="forall", expressions=[inner.this, inner.expression])
    return node


def to_spark(sql: str) -> str:
    """One DuckDB SQL condition or statement as Spark SQL (Splink's ELSE stays ELSE)."""
    if sql.strip().upper() == ELSE:
        return sql
    tree = sqlglot.parse_one(sql, read="duckdb")
    # A rewrite's new node is not visited again: repeat until nothing is left to rewrite.
    while True:
        rewritten = tree.transform(_rewrite)
        if rewritten == tree:
            return rewritten.sql(dialect="spark")
        tree = rewritten


def spark_settings(model_settings: dict[str, Any]) -> dict[str, Any]:
    """A Splink settings dictionary (levels in DuckDB SQL) with every level in Spark SQL.

    Everything else (m, u, term-frequency columns, the prior) is left as it is: the same
    model, read by another engine.
    """
    out = copy.deepcopy(model_settings)
    for comparison in out["comparisons"]:
        for level in comparison["comparison_levels"]:
            level["sql_condition"] = to_spark(level["sql_condition"])
    out.pop("sql_dialect", None)
    return out


def duckdb_sql_of(trained: dict[str, Any], untrained: dict[str, Any]) -> dict[str, Any]:
    """A model trained on Spark with each level's SQL taken back from `untrained` (DuckDB's).

    Levels are matched by position; a model whose comparisons or levels do not line up with
    `untrained` is refused, never half-translated.
    """
    out = copy.deepcopy(trained)
    pairs = list(zip(out["comparisons"], untrained["comparisons"], strict=True))
    for theirs, ours in pairs:
        if theirs["output_column_name"] != ours["output_column_name"]:
            raise ValueError(
                f"comparison {theirs['output_column_name']!r} is not {ours['output_column_name']!r}"
            )
        for level, own in zip(theirs["comparison_levels"], ours["comparison_levels"], strict=True):
            level["sql_condition"] = own["sql_condition"]
    if "sql_dialect" in out:
        out["sql_dialect"] = "duckdb"
    return out
