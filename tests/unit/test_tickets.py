"""Support tickets: status spellings, a desk's row prepared as an interaction, and the
reader's mask on ticket bodies."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from c360graph.api.masking import TICKET_BODY, Masker
from c360graph.normalize import InvalidValue
from c360graph.normalize.ticket import OPEN_TICKET_STATUSES, TICKET_STATUSES, ticket_status
from c360graph.sources.activity import prepare_ticket
from c360graph.sources.records import Context, RowRejected


@pytest.mark.parametrize(
    ("raw", "status"),
    [("Mới", "open"), ("Đang xử lý", "open"), ("DANG-XU-LY", "open"), ("new", "open"),
     ("Chờ phản hồi", "pending"), ("On hold", "pending"), ("Đã giải quyết", "solved"),
     ("Resolved", "solved"), ("Đã đóng", "closed"), ("closed", "closed")],
)  # fmt: skip
def test_status_spellings_fold_to_four_statuses(raw: str, status: str) -> None:
    assert ticket_status(raw) == status


def test_an_unknown_status_is_refused_with_the_accepted_ones() -> None:
    with pytest.raises(InvalidValue, match="use open, pending, solved or closed"):
        ticket_status("Lạ lùng")
    assert set(OPEN_TICKET_STATUSES) < set(TICKET_STATUSES)


VN = Context(source="cskh", day_first=True, default_region="VN", locale="vi_VN")


def test_a_ticket_row_becomes_an_interaction_of_type_ticket_with_its_body() -> None:
    record = prepare_ticket(
        {
            "ticket_id": "PH-001", "customer_id": "KH001", "customer_source": "crm",
            "status": "Đang xử lý", "channel": "Zalo", "subject": "Giao hàng chậm",
            "body": "Chào shop,\r\n\r\n\nĐơn hàng  vẫn chưa tới.\n", "opened_at": "05/03/2024 09:15",
            "updated_at": "2024-03-06T14:00:00+07:00",
        },
        VN,
    )  # fmt: skip
    props = record.props
    assert record.key == "cskh:PH-001" and props["interaction_id"] == "PH-001"
    assert (props["type"], props["status"], props["subject"]) == (
        "ticket",
        "open",
        "Giao hàng chậm",
    )
    assert props["text"] == "Chào shop,\n\nĐơn hàng vẫn chưa tới."  # paragraphs kept
    assert props["occurred_at"] == datetime(2024, 3, 5, 9, 15, tzinfo=UTC)
    assert props["updated_at"].astimezone(UTC) == datetime(2024, 3, 6, 7, 0, tzinfo=UTC)
    assert record.refs["customer_key"] == "crm:KH001" and record.refs["channel"] == "chat"
    assert "data_issues" not in props


def test_a_ticket_with_an_unknown_status_is_kept_without_one_and_says_why() -> None:
    record = prepare_ticket({"ticket_id": "PH-9", "customer_id": "KH1", "status": "??x"}, VN)
    assert "status" not in record.props
    assert any("ticket status '??x'" in issue for issue in record.props["data_issues"])
    with pytest.raises(RowRejected, match="missing ticket_id"):
        prepare_ticket({"customer_id": "KH1", "body": "Không có mã phiếu."}, VN)


def test_ticket_bodies_are_shown_to_analysts_only_and_noted_in_the_audit() -> None:
    body = "Gọi lại cho tôi số 0977 888 999, địa chỉ 12 Lý Thường Kiệt."
    reader = Masker.for_grants(every=False, contacts=False)
    agent = Masker.for_grants(every=False, contacts=True)
    agent.contacts.add("id_1")
    analyst = Masker.for_grants(every=True, contacts=False)
    assert reader.view(["id_1"]).ticket_body(body) == "***"
    assert agent.view(["id_1"]).ticket_body(body) == "***"
    assert analyst.view(["id_1"]).ticket_body(body) == body
    assert analyst.views.fields == {TICKET_BODY} and analyst.views.identities == {"id_1"}
    assert reader.view(["id_1"]).ticket_body(None) is None
