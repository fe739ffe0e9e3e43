"""DuckDB helpers shared by blocking, linking and scoring (all in one in-memory database)."""

from __future__ import annotations

import tempfile

import duckdb

# DuckDB's default memory limit is 80% of the machine's RAM, and it keeps what it used until
# the connection closes: a run's peak grew with the machine, not the data (a third of the
# Python process's peak at 100k records was DuckDB's). Past the limit most operators spill to
# disk, but not all: at a million records, blocking's pair table ran out of memory under 1GB
# (bench/resolve.py --records 1000000, c9721f0), so the cap is 4GB.
MEMORY_LIMIT = "4GB"


def connect() -> duckdb.DuckDBPyConnection:
    """An in-memory database for one run's blocking, training or scoring, its memory capped."""
    return duckdb.connect(
        config={"memory_limit": MEMORY_LIMIT, "temp_directory": tempfile.gettempdir()}
    )


def replace_table(con: duckdb.DuckDBPyConnection, name: str, select: str) -> None:
    """(Re)create table `name` from a SELECT (`name` is a module constant, never data)."""
    con.execute(f"DROP TABLE IF EXISTS {name}")
    con.sql(select).to_table(name)


def count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    """Rows in `table`. fetchall: DuckDB 2 keeps a half-read result open otherwise."""
    ((rows,),) = con.execute(f"SELECT count(*) FROM {table}").fetchall()
    return int(rows)
