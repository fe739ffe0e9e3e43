"""The ingest history through the real `c360 ingest` and `c360 ingest history`, on a Vietnamese
retailer's exports written for the test: a CRM CSV with NFD headers holding a row that is
rejected and one kept with a bad phone, a POS CSV with dong amounts (`1.250.000`), and a
web shop's nested NDJSON.

Every run is kept with its file and hash, and its counts add up: read = landed + rejected,
the reasons sum to the rejected, the problem records to the records kept with problems.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from neo4j.exceptions import ServiceUnavailable

from c360graph.config import IngestSettings
from c360graph.db.graph import Graph
from c360graph.graph.ingest import ingest_rows, rows_from_dicts
from c360graph.sources.fields import Kind
from c360graph.sources.readers import RawRow
from tests.helpers import content, cypher
from tests.integration.test_cli import c360
from tests.integration.test_vietnamese_sources import CRM_ROWS, write_crm, write_pos

BAD_PHONE = "0977 abc 999"
CRM = [
    CRM_ROWS[0],  # KH001, clean
    ["KH002", "Nguyễn Văn Nam", "nam.nguyen@example.vn", BAD_PHONE, "12 Lý Thường Kiệt", "Hà Nội"],
    ["KH009", "", "", "", "", ""],  # an id and nothing else: rejected
    ["NULL", "Lê Văn Tám", "tam.le@example.vn", "", "", ""],  # a placeholder id: rejected
    CRM_ROWS[2],  # KH003, clean
]
POS_AMOUNTS = ["450.000", "1.250.000", "12,5", "ba trăm"]  # the last two: amount dropped
WEB = [
    {
        "ma_don": "W1",
        "khach_hang": {"id": "KH001", "ten": "Nguyễn Thị Hồng"},
        "tong_tien": "1.250.000 ₫",
        "ngay": "01/03/2024",
    },
    {"ma_don": "W2", "khach_hang": {"id": "KH003"}, "tong_tien": "89.000 ₫", "ngay": "31/02/2024"},
    {"khach_hang": {"id": "KH002"}, "tong_tien": "99.000 ₫", "ngay": "02/03/2024"},  # no order id
]
WEB_MAPPING = (
    "columns: {ma_don: order_id, khach_hang.id: customer_id, tong_tien: amount, ngay: ordered_at}\n"
    "kind: orders\nlocale: vi_VN\n"
)


def write_web(folder: Path) -> tuple[Path, Path]:
    """The web shop's NDJSON (customer nested under khach_hang) and its mapping."""
    path = folder / "don_hang.ndjson"
    path.write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in WEB) + "\n", "utf-8")
    mapping = folder / "web.yaml"
    mapping.write_text(WEB_MAPPING, encoding="utf-8")
    return path, mapping


def ingest_vietnamese(env: dict[str, str], folder: Path, prefix: str = "") -> dict[str, Path]:
    """The three exports ingested through the CLI, CRM first, as sources crm, pos and web
    (each name after `prefix`); the files by source."""
    crm, crm_mapping = write_crm(folder, CRM)
    pos, pos_mapping = write_pos(folder, POS_AMOUNTS, "locale: vi_VN\ncurrency: VND\n")
    web, web_mapping = write_web(folder)
    files = {
        f"{prefix}crm": (crm, crm_mapping),
        f"{prefix}pos": (pos, pos_mapping),
        f"{prefix}web": (web, web_mapping),
    }
    for source, (path, mapping) in files.items():
        result = c360(env, "ingest", str(path), "--source", source, "--mapping", str(mapping))
        assert result.returncode == 0, result.stderr
    return {source: path for source, (path, _) in files.items()}


def history(env: dict[str, str], *args: str) -> Any:
    """`c360 ingest history ARGS --json`, parsed."""
    result = c360(env, "ingest", "history", *args, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def assert_adds_up(run: dict[str, Any]) -> None:
    """read = landed + rejected; the reasons sum to the rejected rows."""
    assert run["landed"] == run["created"] + run["updated"] + run["unchanged"]
    assert run["read"] == run["landed"] + run["rejected"], run
    assert sum(r["rows"] for r in run["reject_reasons"]) == run["rejected"], run
    assert run["adds_up"] is True


def test_every_run_is_kept_with_its_file_counts_rejects_by_reason_and_problems_by_field(
    graph: Graph, cli_env: dict[str, str], tmp_path: Path
) -> None:
    files = ingest_vietnamese(cli_env, tmp_path)
    runs = history(cli_env)
    assert [(r["source"], r["kind"]) for r in runs] == [
        ("web", "orders"), ("pos", "orders"), ("crm", "customers")
    ]  # fmt: skip
    for run in runs:
        assert_adds_up(run)
        path = files[run["source"]]
        assert run["file"] == str(path)
        assert run["file_sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert run["started_at"] <= run["finished_at"]
    web, pos, crm = runs
    assert (crm["read"], crm["landed"], crm["rejected"], crm["with_issues"]) == (5, 3, 2, 1)
    assert {r["reason"]: r["rows"] for r in crm["reject_reasons"]} == {
        "the row has an id and nothing else (no name, email, phone, address or other field), "
        "so it cannot stand for a person": 1,
        "source_id … stands for a missing id": 1,
    }
    assert crm["problems"] == [{"field": "phone", "problem": "contains letters", "records": 1}]
    assert (pos["read"], pos["landed"], pos["rejected"], pos["with_issues"]) == (4, 4, 0, 2)
    assert {(p["field"], p["problem"]) for p in pos["problems"]} == {
        ("amount", "has … decimal digit(s) but VND has …"),
        ("amount", "is not a number"),
    }
    assert (web["read"], web["landed"], web["rejected"], web["with_issues"]) == (3, 2, 1, 2)
    assert web["reject_reasons"] == [{"reason": "missing order_id: every row needs one", "rows": 1}]
    assert web["problems"] == [  # the export has no channel column; W2's date does not exist
        {"field": "channel", "problem": "missing", "records": 2},
        {
            "field": "ordered_at",
            "problem": "is not a real date: day … is out of range: February … has … days",
            "records": 1,
        },
    ]
    # The amounts that were fine landed as dong.
    amounts = cypher(graph, "MATCH (o:Order) RETURN o.key AS key, o.amount AS amount")
    assert {r["key"]: r["amount"] for r in amounts}["web:W1"] == 1250000.0

    table = c360(cli_env, "ingest", "history").stdout.splitlines()
    assert table[0].split()[:4] == ["STARTED", "(UTC)", "SOURCE", "KIND"]
    assert [line.split()[2] for line in table[1:]] == ["web", "pos", "crm"]
    assert "khach_hang.csv" in table[3] and crm["run_id"] in table[3]
    only = c360(cli_env, "ingest", "history", "--source", "crm").stdout.splitlines()
    assert len(only) == 2 and crm["run_id"] in only[1]


def test_one_run_names_each_record_kept_with_a_problem_by_line_field_problem_and_value(
    graph: Graph, cli_env: dict[str, str], tmp_path: Path
) -> None:
    ingest_vietnamese(cli_env, tmp_path)
    crm = history(cli_env, "--source", "crm")[0]
    detail = history(cli_env, "--run", crm["run_id"])
    assert detail["problem_records"] == [
        {
            "line": 3,  # the header is line 1, KH001 line 2
            "record": "crm:KH002",
            "customer": "crm:KH002",
            "problems": [
                {
                    "field": "phone",
                    "problem": "contains letters",
                    "value": BAD_PHONE,
                    "message": detail["problem_records"][0]["problems"][0]["message"],
                }
            ],
        }
    ]
    assert BAD_PHONE in detail["problem_records"][0]["problems"][0]["message"]
    # The record itself landed, without the phone, and says why.
    [kept] = cypher(
        graph,
        "MATCH (c:Customer {key: 'crm:KH002'}) RETURN c.data_issues AS issues, "
        "c.data_issue_values AS values, COUNT { (c)-[:HAS_PHONE]->() } AS phones",
    )
    assert kept["phones"] == 0 and kept["values"] == [BAD_PHONE]
    assert kept["issues"][0].startswith(f"phone: phone '{BAD_PHONE}' contains letters")
    text = c360(cli_env, "ingest", "history", "--run", crm["run_id"]).stdout
    assert "read 5 = landed 3 (created 3, updated 0, unchanged 0) + rejected 2" in text
    assert "1 x source_id … stands for a missing id" in text
    assert "1 x phone: contains letters" in text
    assert f"line 3  crm:KH002  phone: phone '{BAD_PHONE}' contains letters" in text
    web = history(cli_env, "--source", "web")[0]
    first, second = history(cli_env, "--run", web["run_id"])["problem_records"]
    assert (first["line"], first["record"], first["customer"]) == (1, "web:W1", "web:KH001")
    assert (second["line"], second["record"], second["customer"]) == (2, "web:W2", "web:KH003")
    assert [(p["field"], p["value"]) for p in second["problems"]] == [
        ("channel", None), ("ordered_at", "31/02/2024")
    ]  # fmt: skip
    missing = c360(cli_env, "ingest", "history", "--run", "no-such-run")
    assert missing.returncode == 1 and "no ingest run no-such-run" in missing.stderr


def test_a_reingest_is_a_run_of_its_own_that_finds_the_problems_of_unchanged_records(
    graph: Graph, cli_env: dict[str, str], tmp_path: Path
) -> None:
    files = ingest_vietnamese(cli_env, tmp_path)
    before = content(graph)
    mapping = tmp_path / "crm.yaml"
    again = c360(cli_env, "ingest", str(files["crm"]), "--source", "crm", "--mapping", str(mapping))
    assert again.returncode == 0, again.stderr
    assert content(graph) == before  # the records are untouched
    second, first = history(cli_env, "--source", "crm")
    assert_adds_up(second)
    assert (second["created"], second["unchanged"], second["rejected"]) == (0, 3, 2)
    assert second["problems"] == first["problems"]
    assert second["file_sha256"] == first["file_sha256"]
    records = history(cli_env, "--run", second["run_id"])["problem_records"]
    assert [r["record"] for r in records] == ["crm:KH002"]


def test_erasing_a_record_erases_its_problems_and_keeps_the_runs_counts(
    graph: Graph, cli_env: dict[str, str], tmp_path: Path
) -> None:
    ingest_vietnamese(cli_env, tmp_path)
    erased = c360(cli_env, "erase", "crm:KH002", "--yes")
    assert erased.returncode == 0, erased.stderr
    crm = history(cli_env, "--source", "crm")[0]
    assert crm["with_issues"] == 1  # history, without personal data
    assert history(cli_env, "--run", crm["run_id"])["problem_records"] == []
    found = cypher(
        graph,
        "MATCH ()-[p:FOUND_PROBLEMS]->() WHERE $value IN p.raw_values RETURN count(p) AS n",
        value=BAD_PHONE,
    )
    assert found == [{"n": 0}]


def test_without_runs_the_history_says_how_to_make_one(
    graph: Graph, cli_env: dict[str, str]
) -> None:
    result = c360(cli_env, "ingest", "history")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "no ingest runs yet: c360 ingest FILE --source NAME"
    assert history(cli_env) == []


def test_a_file_named_like_the_subcommand_is_ingested_as_a_path(
    graph: Graph, cli_env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "history").write_text("source_id,email\nKH1,a@example.vn\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = c360(cli_env, "ingest", "./history", "--source", "crm")
    assert result.returncode == 0, result.stderr
    assert "crm/customers: read 1, created 1" in result.stdout


def _rows_then(error: Exception) -> Iterator[RawRow]:
    """Two batches' worth of rows (batch size 2), then `error`, as a reader failing mid-file."""
    yield from rows_from_dicts(
        [{"source_id": f"KH{n}", "full_name": "Trần Minh Anh"} for n in range(1, 5)]
    )
    raise error


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (ValueError("the export was cut off"), "failed"),
        (ServiceUnavailable("the graph went away"), "unfinished"),
    ],
)
def test_a_run_that_fails_says_why_and_one_the_graph_lost_stays_unfinished(
    graph: Graph, cli_env: dict[str, str], error: Exception, status: str
) -> None:
    with pytest.raises(type(error)):
        ingest_rows(
            graph, _rows_then(error), "crm", Kind.CUSTOMERS, settings=IngestSettings(batch_size=2)
        )
    [run] = history(cli_env)
    assert run["status"] == status
    if status == "failed":
        assert run["error"] == "ValueError: the export was cut off"
        # The counts so far: a batch still being written when it failed is not among them.
        assert run["read"] == 4 and run["created"] in (2, 4)
    else:
        assert run["finished_at"] is None and run["error"] is None
    assert cypher(graph, "MATCH (c:Customer) RETURN count(c) AS n") == [{"n": 4}]
