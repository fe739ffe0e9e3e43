"""Load (`make test-slow`): GraphQL readers over HTTP while one writer ingests and resolves.

Runs bench/load.py at a small size, as a user would: its own graph server and `c360 serve`
with real API keys, readers alone, the writer alone, then both together. Asserts what must
hold whatever the machine's speed; timings are reported by the benchmark, never asserted.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import c360_env

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def load_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], str, int]:
    """One short load run: its figures, the tail of its output and its exit code."""
    out = tmp_path_factory.mktemp("load") / "load.json"
    env = c360_env()
    command = [
        sys.executable,
        str(ROOT / "bench" / "load.py"),
        *("--people", "2000", "--readers", "4", "--seconds", "20"),
        *("--baseline-seconds", "5", "--warmup", "2", "--heap", "1g", "--json", str(out)),
    ]
    result = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=840, check=False
    )
    tail = (result.stdout + result.stderr)[-4000:]
    assert out.exists(), f"bench/load.py wrote no figures (exit {result.returncode}):\n{tail}"
    return json.loads(out.read_text()), tail, result.returncode


@pytest.mark.timeout(900)
def test_every_request_succeeds_while_a_writer_ingests_and_resolves(
    load_run: tuple[dict[str, Any], str, int],
) -> None:
    figures, tail, _ = load_run
    assert figures["errors"] == 0, figures["errors_by_phase"]
    assert figures["writer"]["failures"] == [], tail
    assert figures["reads"]["all reads"]["under load"]["requests"] > 0
    steps = figures["writer"]["steps"]
    assert all(steps[s]["under load"] > 0 for s in ("c360 ingest", "c360 resolve")), steps


@pytest.mark.timeout(900)
def test_no_request_reader_or_writer_step_hangs(load_run: tuple[dict[str, Any], str, int]) -> None:
    hang = load_run[0]["hang"]
    assert hang["past_timeout"] == 0 and hang["readers_hung"] == 0, hang
    assert hang["writer_steps_hung"] == [], hang


@pytest.mark.timeout(900)
def test_after_the_load_every_record_has_one_identity_and_counts_match_the_inputs(
    load_run: tuple[dict[str, Any], str, int],
) -> None:
    figures, tail, code = load_run
    failed = [check for check in figures["integrity"] if not check["ok"]]
    assert failed == [], failed
    assert figures["passed"] and code == 0, tail
