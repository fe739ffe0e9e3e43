"""DuckDB helpers shared by blocking, linking and scoring (all in one in-memory database)."""

from __future__ import annotations

import duckdb


def replace_table(con: duckdb.DuckDBPyConnection, name: str, select: str) -> None:
    """(Re)create table `name` from a SELECT (`name` is a module constant, never data)."""
    con.execute(f"DROP TABLE IF EXISTS {name}")
    con.sql(select).to_table(name)


def count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    """Rows in `table`. fetchall: DuckDB 2 keeps a half-read result open otherwise."""
    ((rows,),) = con.execute(f"SELECT count(*) FROM {table}").fetchall()
    return int(rows)
