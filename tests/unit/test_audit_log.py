"""The PII audit log: appended without blocking, one line per entry even from several
processes at once, read back newest first with filters and cursors, pruned by day."""

from __future__ import annotations

import multiprocessing
import stat
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from c360graph.api.audit_log import AuditLog, PiiView, new_id
from c360graph.api.keys import Grant, Role
from c360graph.api.masking import Masker


def entry(at: datetime, key: str = "agent-lan", identities: tuple[str, ...] = ("id_1",)) -> PiiView:
    return PiiView(
        id=new_id(),
        at=at,
        key=key,
        role="agent",
        operation="VerifyCaller",
        root_fields=("identitiesByPhone",),
        fields=("email", "phone"),
        identities=identities,
        records=("crm:KH001",),
    )


def test_appended_entries_read_back_newest_first_and_filtered(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit", host="api-1")
    now = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)
    written = [
        entry(now - timedelta(days=1), "agent-lan"),
        entry(now, "agent-lan", ("id_2",)),
        entry(now + timedelta(minutes=5), "analyst-minh", ("id_1", "id_3")),
    ]
    for item in written:
        log.append(item)
    log.flush()
    assert log.read() == written[::-1]
    assert log.read(key="agent-lan") == [written[1], written[0]]
    assert log.read(identity="id_1") == [written[2], written[0]]
    assert log.read(since=now) == [written[2], written[1]]
    assert log.read(until=now) == [written[0]]
    first = log.read(limit=1)
    assert first == [written[2]]
    assert log.read(before=(first[0].at, first[0].id), limit=1) == [written[1]]
    log.close()
    files = sorted(p.name for p in (tmp_path / "audit").iterdir())
    assert files == ["pii-views-2026-12-06.api-1.jsonl", "pii-views-2026-12-07.api-1.jsonl"]
    for name in files:
        assert stat.S_IMODE((tmp_path / "audit" / name).stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "audit").stat().st_mode) == 0o700


def test_no_value_of_personal_data_is_written(tmp_path: Path) -> None:
    log = AuditLog(tmp_path, host="h")
    masker = Masker.for_grants(every=True, contacts=False)
    view = masker.view(["id_9"], ["crm:KH009"])
    assert view.email("lan.tran@example.vn") == "lan.tran@example.vn"
    assert view.phone("+84977888999") == "+84977888999"
    views = masker.views
    log.append(
        PiiView(
            id=new_id(),
            at=datetime.now(UTC),
            key="k",
            role="analyst",
            operation=None,
            root_fields=("identity",),
            fields=tuple(sorted(views.fields)),
            identities=tuple(views.identities),
            records=tuple(views.records),
        )
    )
    log.close()
    text = "".join(p.read_text() for p in tmp_path.iterdir())
    assert '"fields":["email","phone"]' in text and "id_9" in text and "crm:KH009" in text
    assert "lan.tran" not in text and "977888999" not in text


def _write_many(directory: str, worker: int) -> None:
    log = AuditLog(Path(directory), host="shared")
    for n in range(300):
        log.append(entry(datetime.now(UTC), f"key-{worker}", (f"id_{worker}_{n}" * 20,)))
    log.close()


def test_processes_appending_to_one_day_file_never_tear_a_line(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_write_many, args=(str(tmp_path), w)) for w in range(4)]
    for process in workers:
        process.start()
    for process in workers:
        process.join(60)
        assert process.exitcode == 0
    read = AuditLog(tmp_path).read()
    assert len(read) == 1200
    assert {e.key for e in read} == {f"key-{w}" for w in range(4)}


def test_a_torn_line_is_skipped_and_the_rest_still_read(tmp_path: Path) -> None:
    log = AuditLog(tmp_path, host="h")
    kept = entry(datetime(2026, 12, 7, tzinfo=UTC))
    log.append(kept)
    log.close()
    [path] = tmp_path.iterdir()
    with path.open("ab") as handle:
        handle.write(b'{"id": "x", "at": "2026-12-07T10')
    assert log.read() == [kept]


def test_prune_deletes_the_days_past_retention_only(tmp_path: Path) -> None:
    log = AuditLog(tmp_path, host="h")
    for days in (0, 30, 31, 400):
        log.append(entry(datetime(2026, 12, 7, 12, tzinfo=UTC) - timedelta(days=days)))
    log.close()
    deleted = log.prune(30, today=date(2026, 12, 7))
    assert sorted(p.name[10:20] for p in deleted) == ["2025-11-02", "2026-11-06"]
    assert [d.isoformat() for d, _ in log.files()] == ["2026-11-07", "2026-12-07"]


def test_masking_by_role_shows_an_agent_only_its_callers_contact_details() -> None:
    agent = Masker.for_grants(
        every=Role.AGENT.may(Grant.PII), contacts=Role.AGENT.may(Grant.CALLER_PII)
    )
    agent.contacts.add("id_caller")
    caller, stranger = agent.view(["id_caller"], ["crm:KH1"]), agent.view(["id_other"])
    assert caller.email("lan@example.vn") == "lan@example.vn"
    assert caller.phone("+84977888999") == "+84977888999"
    assert caller.street("12 Lê Lợi") == "***"
    assert caller.birth_date("1990-04-30") == "1990-**-**"
    assert stranger.email("minh@example.vn") == "m***@example.vn"
    assert stranger.phone("+84912345678") == "+84*******78"
    views = agent.views
    assert (views.fields, views.identities, views.records) == (
        {"email", "phone"},
        {"id_caller"},
        {"crm:KH1"},
    )
    reader = Masker.for_grants(every=False, contacts=False)
    assert reader.view(["id_caller"]).email("lan@example.vn") == "l***@example.vn"
    assert not reader.views


def test_a_log_that_cannot_be_written_says_so_and_the_request_never_waits_for_it(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the audit folder should be")
    log = AuditLog(blocked, host="h")
    log.append(entry(datetime(2026, 12, 7, tzinfo=UTC)))  # returns at once all the same
    log.close()
    assert log.failures == 1
    assert "could not write 1 PII audit log entries" in caplog.text
