"""Field problems and reject reasons in words that count (sources/problems.py), and a run's
record as the graph keeps it and the history reads it back (graph/runs.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from c360graph.api.masking import Masker
from c360graph.api.problems import FieldProblem, field_problem
from c360graph.graph.ingest import IngestReport
from c360graph.graph.runs import IngestRunView, count_problems, run_props
from c360graph.normalize import InvalidValue
from c360graph.normalize.amount import parse_amount
from c360graph.normalize.email import normalize_email
from c360graph.normalize.phone import normalize_phone
from c360graph.sources.customers import prepare_customer
from c360graph.sources.fields import Kind
from c360graph.sources.problems import Issue, problem_of, reason_of
from c360graph.sources.records import Context


def _problem(parse: object, raw: str) -> str:
    try:
        parse(raw)  # type: ignore[operator]
    except InvalidValue as exc:
        return problem_of(str(exc), raw)
    raise AssertionError(f"{raw!r} was accepted")


def test_a_problem_is_the_messages_first_clause_without_the_value() -> None:
    assert _problem(lambda r: normalize_phone(r, "VN"), "0977 abc 999") == "contains letters"
    assert _problem(lambda r: normalize_phone(r, "VN"), "12") == (
        "is too short for country code +84"
    )
    assert _problem(normalize_email, "hong@@example.vn") == "has two '@'"
    assert _problem(lambda r: parse_amount(r, "vi_VN", "VND"), "12,5") == (
        "has … decimal digit(s) but VND has …"
    )
    assert _problem(lambda r: parse_amount(r, None, None), "12.500") == (
        "could be thousands or decimals, and the currency is unknown"
    )
    assert problem_of("missing; recorded as 'unknown'", None) == "missing"
    assert problem_of(
        "time in '2024-01-01 25:00' is out of range; expected", "2024-01-01 25:00"
    ) == ("time in … is out of range")


@given(st.text(alphabet="abcdfghjk", min_size=1, max_size=6), st.integers(100, 99999))
def test_phones_with_letters_have_one_problem_whatever_their_digits(letters: str, n: int) -> None:
    raw = f"0977 {letters} {n}"
    problem = _problem(lambda r: normalize_phone(r, "VN"), raw)
    assert problem == "contains letters"
    assert raw not in problem


@given(st.emails())
def test_an_email_problem_never_quotes_the_address(address: str) -> None:
    raw = address.replace("@", "@@", 1)
    problem = _problem(normalize_email, raw)
    assert raw not in problem and address.split("@")[0] not in problem.split()


def test_a_reject_reason_drops_values_and_keeps_column_names() -> None:
    assert reason_of("source_id 'NULL' stands for a missing id; give the row its real id") == (
        "source_id … stands for a missing id"
    )
    assert reason_of("duplicate key 'crm:KH1': already at line 3 of this file") == (
        "duplicate key …: already at line … of this file"
    )
    assert reason_of("field 'email' is 1200 characters (limit 1000); shorten it") == (
        "field 'email' is … characters (limit …)"
    )
    assert reason_of(
        "erased: this email belongs to a person erased on 2024-06-01 (right to be forgotten) "
        "and is on the suppression list; remove the row"
    ) == (
        "erased: this email belongs to a person erased on … (right to be forgotten) and is on "
        "the suppression list"
    )
    assert reason_of("field 'ten' holds bytes that are not valid UTF-8; re-export") == (
        "field 'ten' holds bytes that are not valid UTF-8"
    )
    assert reason_of("row has 5 fields but the header has 6; check") == (
        "row has … fields but the header has …"
    )


def test_a_kept_records_issues_hold_the_values_they_dropped() -> None:
    record = prepare_customer(
        {"source_id": "KH002", "full_name": "Nguyễn Văn Nam", "phone": "0977 abc 999"},
        Context(source="crm", default_region="VN", locale="vi_VN"),
    )
    [issue] = record.issues
    assert issue == Issue("phone", issue.message, "0977 abc 999")
    assert record.props["data_issues"] == [f"phone: {issue.message}"]
    assert record.props["data_issue_values"] == ["0977 abc 999"]


def test_a_runs_breakdowns_go_to_the_graph_and_come_back_as_they_were() -> None:
    start = datetime(2026, 5, 8, 9, 0, tzinfo=UTC)
    report = IngestReport(
        source="crm",
        kind=Kind.CUSTOMERS,
        run_id="r1",
        file="exports/khach_hang.csv",
        file_sha256="ab" * 32,
        started_at=start,
        finished_at=start + timedelta(seconds=3),
        read=6,
        created=3,
        unchanged=1,
        rejected=2,
        with_issues=2,
        rejections=[
            (4, "source_id 'NULL' stands for a missing id; give it"),
            (6, "source_id 'N/A' stands for a missing id; give it"),
        ],
    )
    phone = Issue("phone", "phone '0977 abc' contains letters; write", "0977 abc")
    other = Issue("phone", "phone '0912 xyz' contains letters; write", "0912 xyz")
    email = Issue("email", "email 'a@@b.vn' has two '@'; expected", "a@@b.vn")
    count_problems(report.problems, [phone, other])  # two bad phones: one record
    count_problems(report.problems, [phone, email])
    props = run_props(report)
    assert props["reject_reasons"] == ["source_id … stands for a missing id"]
    assert props["reject_counts"] == [2]
    assert list(zip(props["problem_fields"], props["problem_counts"], strict=True)) == [
        ("phone", 2), ("email", 1)
    ]  # fmt: skip
    view = IngestRunView.of({"run_id": "r1", "kind": "customers", "file": report.file,
                             "file_sha256": report.file_sha256, "at": start, **props}, "crm")  # fmt: skip
    assert view.status == "finished" and view.adds_up and view.landed == 4
    assert view.as_dict()["reject_reasons"] == [
        {"reason": "source_id … stands for a missing id", "rows": 2}
    ]
    assert view.problems == [("phone", "contains letters", 2), ("email", "has two '@'", 1)]
    begun = IngestRunView.of({"run_id": "r2", "kind": "orders", "at": start}, "pos")
    assert (begun.status, begun.finished_at, begun.reject_reasons) == ("unfinished", None, [])


def test_a_readers_field_problem_hides_a_personal_value_and_the_message_quoting_it() -> None:
    phone = Issue("phone", "phone '0977 abc 999' contains letters; write it", "0977 abc 999")
    birth = Issue("date_of_birth", "date of birth '31/02/1984' is not a real date: x", "31/02/1984")
    amount = Issue("amount", "amount '12,5' has 1 decimal digit(s) but VND has 0; check", "12,5")
    older = Issue("email", "email 'hong@@example.vn' has two '@'; expected one")  # no value kept
    reader = Masker.for_grants(every=False, contacts=False).view(["id_1"])
    analyst = Masker.for_grants(every=True, contacts=False).view(["id_1"])
    assert field_problem(phone, reader) == FieldProblem(
        field="phone", problem="contains letters", value="**********99", message="contains letters"
    )
    assert (field_problem(birth, reader).value, field_problem(birth, reader).message) == (
        "***", "date of birth … is not a real date: x"
    )  # fmt: skip
    assert field_problem(older, reader).value is None
    assert "hong" not in field_problem(older, reader).message
    assert field_problem(amount, reader).message == amount.message  # not personal data
    for issue in (phone, birth, amount, older):
        seen = field_problem(issue, analyst)
        assert (seen.value, seen.message) == (issue.value, issue.message)
