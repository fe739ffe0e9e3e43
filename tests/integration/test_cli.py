"""The `c360` command as a user runs it: real process, real server, exit codes that mean something."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from c360graph.db.graph import Graph

C360 = [sys.executable, "-m", "c360graph"]


def c360(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run the CLI and capture its output."""
    return subprocess.run(
        [*C360, *args], env=env, capture_output=True, text=True, check=False, timeout=300
    )


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["db"],
        ["db", "start"],
        ["db", "stop"],
        ["db", "status"],
        ["db", "migrate"],
        ["db", "reset"],
        ["ingest"],
        ["generate"],
        ["serve"],
        ["schema"],
        ["events"],
    ],
)
def test_every_command_has_help(command: list[str]) -> None:
    result = subprocess.run(
        [*C360, *command, "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert "Usage:" in result.stdout


def test_generated_dataset_ingests_with_counts_that_add_up(
    graph: Graph, cli_env: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "sample"
    generated = c360(cli_env, "generate", "--customers", "300", "--out", str(out), "--seed", "3")
    assert generated.returncode == 0, generated.stderr
    first = c360(cli_env, "ingest", str(out / "manifest.yaml"))
    assert first.returncode == 0, first.stderr
    assert "COUNTS DO NOT ADD UP" not in first.stdout
    for kind in ("customers", "orders", "interactions", "devices"):
        assert f"/{kind}: read" in first.stdout
    second = c360(cli_env, "ingest", str(out))
    assert second.returncode == 0, second.stderr
    assert "created 0, updated 0" in second.stdout
    assert ", created " not in second.stdout.replace("created 0,", "")
    status = c360(cli_env, "db", "status")
    assert status.returncode == 0 and "customers " in status.stdout


def test_empty_file_exits_2_with_a_reason(cli_env: dict[str, str], tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    result = c360(cli_env, "ingest", str(empty), "--source", "crm")
    assert result.returncode == 2
    assert "is empty" in result.stderr


def test_strict_exits_1_when_rows_are_rejected(
    graph: Graph, cli_env: dict[str, str], tmp_path: Path
) -> None:
    path = tmp_path / "c.csv"
    path.write_text("source_id,email\n1,a@example.com\n,b@example.com\n")
    lenient = c360(cli_env, "ingest", str(path), "--source", "crm")
    assert lenient.returncode == 0
    assert "read 2, created 1, updated 0, unchanged 0, rejected 1" in lenient.stdout
    assert "c.rejects.csv" in lenient.stdout
    strict = c360(cli_env, "ingest", str(path), "--source", "crm", "--strict")
    assert strict.returncode == 1
    assert "--strict" in strict.stderr


def test_single_file_without_source_says_what_to_pass(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    path = tmp_path / "c.csv"
    path.write_text("source_id\n1\n")
    result = c360(cli_env, "ingest", str(path))
    assert result.returncode == 1
    assert "--source is required" in result.stderr


def test_commands_say_how_to_start_a_stopped_server(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    env = {**cli_env, "C360_HOME": str(tmp_path / "nothing-here")}
    result = c360(env, "db", "status")
    assert result.returncode == 3
    assert "c360 db start" in result.stdout
    path = tmp_path / "c.csv"
    path.write_text("source_id\n1\n")
    ingest = c360(env, "ingest", str(path), "--source", "crm")
    assert ingest.returncode == 1
    assert "c360 db start" in ingest.stderr
