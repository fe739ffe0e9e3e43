"""The ingest history over the real API (`c360 serve`), after the real `c360 ingest` of a
Vietnamese retailer's exports: runs per source with their counts, rejects by reason and field
problems; pages that follow the API's cursors; analysts see the values, readers do not.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from gql.transport.exceptions import TransportQueryError

from c360graph.db.graph import Graph
from tests.api.conftest import Run, error_codes
from tests.integration.test_ingest_history import BAD_PHONE, ingest_vietnamese

RUN = """
  id source kind file fileName fileSha256 startedAt finishedAt status error
  read landed created updated unchanged rejected suppressed withIssues addsUp
  rejectReasons { reason rows }
  problems { field problem records }
"""
RUNS = f"""
query($source: String, $first: Int, $after: String) {{
  ingestRuns(source: $source, first: $first, after: $after) {{
    edges {{ cursor node {{ {RUN} }} }}
    pageInfo {{ hasNextPage hasPreviousPage endCursor }}
  }}
}}"""
PROBLEMS = """
query($id: ID!, $first: Int, $after: String) {
  ingestRun(id: $id) {
    id withIssues
    problemRecords(first: $first, after: $after) {
      edges { node { line record customer problems { field problem value message }
                     customerRecord { key fullName } } }
      pageInfo { hasNextPage endCursor }
    }
  }
}"""
RECORD = """
query($id: String!) {
  record(source: "crm", sourceId: $id) { key dataIssues fieldProblems { field problem value message } }
}"""


@pytest.fixture(scope="module")
def files(
    session_graph: Graph, cli_env_session: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    """The Vietnamese exports ingested by the CLI into a freshly emptied graph."""
    session_graph.write("schema/clear_all")
    return ingest_vietnamese(cli_env_session, tmp_path_factory.mktemp("vn-history"))


def _all_runs(run: Run, source: str | None = None, first: int = 1) -> list[dict[str, Any]]:
    """Every run, page by page, following endCursor."""
    found: list[dict[str, Any]] = []
    after = None
    while True:
        page = run(RUNS, source=source, first=first, after=after)["ingestRuns"]
        found += [edge["node"] for edge in page["edges"]]
        assert page["pageInfo"]["hasPreviousPage"] is (after is not None)
        if not page["pageInfo"]["hasNextPage"]:
            return found
        after = page["pageInfo"]["endCursor"]


def test_runs_come_newest_first_page_by_page_and_their_counts_add_up(
    files: dict[str, Path], analyst: Run
) -> None:
    every = _all_runs(analyst)
    assert [e["node"] for e in analyst(RUNS, first=10)["ingestRuns"]["edges"]] == every
    runs = [r for r in every if r["source"] in files]  # the API's own ingest test adds one
    assert [(r["source"], r["kind"]) for r in runs] == [
        ("web", "orders"), ("pos", "orders"), ("crm", "customers")
    ]  # fmt: skip
    for run in runs:
        assert run["read"] == run["landed"] + run["rejected"], run
        assert run["landed"] == run["created"] + run["updated"] + run["unchanged"]
        assert sum(r["rows"] for r in run["rejectReasons"]) == run["rejected"]
        assert run["addsUp"] is True and run["status"] == "finished" and run["error"] is None
        assert run["fileName"] == files[run["source"]].name
        assert run["startedAt"] <= run["finishedAt"]
    web, pos, crm = runs
    assert (crm["read"], crm["landed"], crm["rejected"], crm["withIssues"]) == (5, 3, 2, 1)
    assert crm["problems"] == [{"field": "phone", "problem": "contains letters", "records": 1}]
    assert {r["reason"] for r in crm["rejectReasons"]} >= {"source_id … stands for a missing id"}
    assert (pos["read"], pos["landed"], pos["withIssues"]) == (4, 4, 2)
    assert (web["read"], web["rejected"]) == (3, 1)
    only = _all_runs(analyst, source="pos")
    assert [r["id"] for r in only] == [pos["id"]]
    assert analyst(RUNS, source="nobody")["ingestRuns"]["edges"] == []


def test_a_runs_records_with_problems_name_line_record_field_problem_and_value(
    files: dict[str, Path], analyst: Run
) -> None:
    crm = _all_runs(analyst, source="crm")[0]
    run = analyst(PROBLEMS, id=crm["id"])["ingestRun"]
    [edge] = run["problemRecords"]["edges"]
    found = edge["node"]
    assert (found["line"], found["record"], found["customer"]) == (3, "crm:KH002", "crm:KH002")
    assert found["customerRecord"] == {"key": "crm:KH002", "fullName": "Nguyễn Văn Nam"}
    [problem] = found["problems"]
    assert (problem["field"], problem["problem"], problem["value"]) == (
        "phone", "contains letters", BAD_PHONE
    )  # fmt: skip
    assert BAD_PHONE in problem["message"]
    # Orders point at their customer; page by page in file order.
    web = _all_runs(analyst, source="web")[0]
    lines, after = [], None
    while True:
        page = analyst(PROBLEMS, id=web["id"], first=1, after=after)["ingestRun"]
        lines += [
            (e["node"]["line"], e["node"]["customer"]) for e in page["problemRecords"]["edges"]
        ]
        if not page["problemRecords"]["pageInfo"]["hasNextPage"]:
            break
        after = page["problemRecords"]["pageInfo"]["endCursor"]
    assert lines == [(1, "web:KH001"), (2, "web:KH003")]
    assert analyst(PROBLEMS, id="no-such-run")["ingestRun"] is None


def test_sources_list_their_runs_and_newest_run(files: dict[str, Path], analyst: Run) -> None:
    sources = analyst(
        "{ ingestSources { name runs firstSeen lastRun { id read rejected withIssues } } }"
    )["ingestSources"]
    sources = [s for s in sources if s["name"] in files]
    assert [s["name"] for s in sources] == ["crm", "pos", "web"]
    newest = {r["source"]: r for r in _all_runs(analyst, first=5)}
    for source in sources:
        assert source["runs"] == 1 and source["firstSeen"]
        last = newest[source["name"]]
        assert source["lastRun"] == {k: last[k] for k in ("id", "read", "rejected", "withIssues")}


def test_readers_may_not_read_the_history_and_see_a_records_problem_masked(
    files: dict[str, Path], reader: Run, analyst: Run
) -> None:
    for query in (RUNS, "{ ingestSources { name } }", '{ ingestRun(id: "x") { id } }'):
        with pytest.raises(TransportQueryError) as refused:
            reader(query)
        assert error_codes(refused) == ["FORBIDDEN"]
    seen = analyst(RECORD, id="KH002")["record"]
    masked = reader(RECORD, id="KH002")["record"]
    assert seen["fieldProblems"][0]["value"] == BAD_PHONE
    assert seen["dataIssues"][0].startswith(f"phone: phone '{BAD_PHONE}' contains letters")
    [problem] = masked["fieldProblems"]
    assert problem == {
        "field": "phone",
        "problem": "contains letters",
        "value": "**********99",
        "message": "contains letters",
    }
    assert masked["dataIssues"] == ["phone: contains letters"]
    assert BAD_PHONE not in str(masked)


def test_a_cursor_from_another_list_or_a_bad_page_size_is_bad_user_input(
    files: dict[str, Path], analyst: Run
) -> None:
    page = analyst("{ ingestRuns(first: 1) { pageInfo { endCursor } } }")
    cursor = page["ingestRuns"]["pageInfo"]["endCursor"]
    crm = _all_runs(analyst, source="crm")[0]
    for query, variables in (
        (RUNS, {"first": -1}),
        (RUNS, {"after": "bm90LWEtY3Vyc29y"}),
        (PROBLEMS, {"id": crm["id"], "after": cursor}),  # a run cursor on the problems list
    ):
        with pytest.raises(TransportQueryError) as bad:
            analyst(query, **variables)
        assert error_codes(bad) == ["BAD_USER_INPUT"], variables


def test_records_ingested_through_the_api_are_a_run_too(files: dict[str, Path], admin: Run) -> None:
    ingested = admin(
        'mutation($records: [JSON!]!) { ingestRecords(source: "zalo", kind: CUSTOMERS, '
        "records: $records) { runId read rejected withIssues } }",
        records=[
            {"source_id": "Z1", "full_name": "Phạm Quốc Bảo", "phone": "+84 912 000 111"},
            {"source_id": "Z2", "full_name": "Đỗ Văn Hải", "phone": "09x"},
            {"full_name": "no id"},
        ],
    )["ingestRecords"]
    [run] = [e["node"] for e in admin(RUNS, source="zalo")["ingestRuns"]["edges"]]
    assert run["id"] == ingested["runId"]
    assert (run["file"], run["fileSha256"], run["read"], run["landed"], run["rejected"]) == (
        None, None, 3, 2, 1
    )  # fmt: skip
    assert run["withIssues"] == ingested["withIssues"] == 1
    [edge] = admin(PROBLEMS, id=run["id"])["ingestRun"]["problemRecords"]["edges"]
    assert (edge["node"]["line"], edge["node"]["record"]) == (2, "zalo:Z2")
