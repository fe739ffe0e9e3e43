"""`c360 review` as a user runs it: list the near pairs, accept one, reject one."""

from __future__ import annotations

import pytest

from c360graph.db.graph import Graph
from tests.integration.test_cli import c360
from tests.integration.test_review_queue import HONG, HUYEN, near_pairs


@pytest.mark.parametrize(
    "command", [["review"], ["review", "list"], ["review", "accept"], ["review", "reject"]]
)
def test_every_review_command_has_help(command: list[str], cli_env: dict[str, str]) -> None:
    result = c360(cli_env, *command, "--help")
    assert result.returncode == 0 and "Usage:" in result.stdout


def test_list_accept_and_reject_from_the_command_line(
    graph: Graph, cli_env: dict[str, str]
) -> None:
    near_pairs(graph)
    empty = c360(cli_env, "review", "list")
    assert empty.returncode == 0 and "`c360 resolve` fills it" in empty.stdout
    assert c360(cli_env, "resolve").returncode == 0

    listed = c360(cli_env, "review", "list")
    assert listed.returncode == 0, listed.stderr
    for text in ("Nguyễn", "Thị Hồng", "Thi Hong Nguyen", "[crm]", "[shop]", "Đặng", "p=0.8"):
        assert text in listed.stdout, text
    assert "below the threshold" in listed.stdout and "weights: " in listed.stdout
    assert "name=exact" in listed.stdout and "2 of 2 queued pairs" in listed.stdout
    assert c360(cli_env, "review", "list", "--min-probability", "0.99").stdout.startswith(
        "the review queue is empty above that probability"
    )

    accepted = c360(cli_env, "review", "accept", *HONG, "--note", "cùng một người", "--by", "Thảo")
    assert accepted.returncode == 0, accepted.stderr
    assert "the same person (must-link)" in accepted.stdout and "identities" in accepted.stdout
    rejected = c360(cli_env, "review", "reject", *HUYEN, "--note", "hai người khác nhau")
    assert rejected.returncode == 0, rejected.stderr
    assert "different people (cannot-link)" in rejected.stdout
    after = c360(cli_env, "review", "list")
    assert "the review queue is empty" in after.stdout

    # The decisions are labels: the model is checked against them.
    shown = c360(cli_env, "model", "show")
    assert shown.returncode == 0, shown.stderr
    assert "of 1 must-links and 0 of 1 cannot-links" in shown.stdout


def test_deciding_bad_pairs_says_what_is_wrong(graph: Graph, cli_env: dict[str, str]) -> None:
    near_pairs(graph)
    unknown = c360(cli_env, "review", "accept", HONG[0], "crm:KH-404", "--no-resolve")
    assert unknown.returncode == 1 and "source:source_id" in unknown.stderr
    twice = c360(cli_env, "review", "reject", HONG[0], HONG[0], "--no-resolve")
    assert twice.returncode == 1 and "two different records" in twice.stderr
    missing = c360(cli_env, "review", "accept", HONG[0])
    assert missing.returncode == 2 and "RECORD_B" in missing.stderr
