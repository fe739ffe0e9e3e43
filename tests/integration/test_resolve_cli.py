"""The resolution commands as a user runs them."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from c360graph.db.graph import Graph
from tests.integration.test_cli import c360


@pytest.fixture
def small_dataset(tmp_path: Path, graph: Graph, cli_env: dict[str, str]) -> Path:
    out = tmp_path / "sample"
    assert (
        c360(cli_env, "generate", "--customers", "200", "--out", str(out), "--seed", "5").returncode
        == 0
    )
    assert c360(cli_env, "ingest", str(out)).returncode == 0
    return out


@pytest.mark.parametrize(
    "command",
    [
        ["resolve"],
        ["export", "identities"],
        ["link"],
        ["unlink"],
        ["explain"],
        ["erase"],
        ["evaluate"],
    ],
)
def test_every_resolution_command_has_help(command: list[str], cli_env: dict[str, str]) -> None:
    result = c360(cli_env, *command, "--help")
    assert result.returncode == 0 and "Usage:" in result.stdout


def test_resolve_export_evaluate_and_explain_from_the_command_line(
    small_dataset: Path, cli_env: dict[str, str], tmp_path: Path
) -> None:
    resolved = c360(cli_env, "resolve")
    assert resolved.returncode == 0, resolved.stderr
    assert "identities" in resolved.stdout
    out = tmp_path / "identities.csv"
    exported = c360(cli_env, "export", "identities", "--out", str(out))
    assert exported.returncode == 0, exported.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    truth = list(csv.DictReader(io.StringIO((small_dataset / "ground_truth.csv").read_text())))
    assert len(rows) == len(truth)  # one row per source record
    assert set(rows[0]) == {"source", "source_id", "identity_id"}
    evaluated = c360(cli_env, "evaluate", "--truth", str(small_dataset / "ground_truth.csv"))
    assert evaluated.returncode == 0, evaluated.stderr
    assert "precision" in evaluated.stdout.lower() and "recall" in evaluated.stdout.lower()
    # The export quotes formula-like cells ('@handle), so explain two records without one;
    # the rows' order follows identity ids, which differ from run to run.
    plain = [r for r in rows if not r["source_id"].startswith("'")]
    a = f"{plain[0]['source']}:{plain[0]['source_id']}"
    b = f"{plain[1]['source']}:{plain[1]['source_id']}"
    explained = c360(cli_env, "explain", a, b)
    assert explained.returncode == 0, explained.stderr
    assert a in explained.stdout


def test_link_unlink_and_erase_take_effect_and_report(
    small_dataset: Path, cli_env: dict[str, str], tmp_path: Path
) -> None:
    assert c360(cli_env, "resolve").returncode == 0
    out = tmp_path / "ids.csv"
    assert c360(cli_env, "export", "identities", "--out", str(out)).returncode == 0
    crm = [
        r["source_id"] for r in csv.DictReader(io.StringIO(out.read_text())) if r["source"] == "crm"
    ]
    first, second = f"crm:{crm[0]}", f"crm:{crm[1]}"
    linked = c360(cli_env, "link", first, "social:nobody", "--note", "x")
    assert linked.returncode == 1 and "no record" in linked.stderr
    unlinked = c360(cli_env, "unlink", first, second, "--by", "tester")
    assert unlinked.returncode == 0, unlinked.stderr
    assert "different people" in unlinked.stdout
    refused = c360(cli_env, "erase", first)
    assert refused.returncode == 1 and "--yes" in refused.stderr
    erased = c360(cli_env, "erase", first, "--yes")
    assert erased.returncode == 0, erased.stderr
    assert "tombstone" in erased.stdout
    again = c360(cli_env, "explain", first, second)
    assert again.returncode == 1 and "no record" in again.stderr
