"""Service context in the explorer, in headless Chromium: a Vietnamese customer's support
tickets on the profile (last contact, open tickets) and in the timeline with their bodies;
a reader sees the bodies masked. Screenshots: docs/img/explorer-tickets.png and
explorer-service.png.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Explorer, Tabs, screenshot
from tests.helpers import cypher

LATE = "Đơn hàng đặt từ 01/03 mà đến giờ vẫn chưa tới.\nNhờ shop kiểm tra giúp tôi với ạ!"
REFUND = "Tôi đã trả hàng từ tuần trước nhưng chưa thấy hoàn tiền về tài khoản."
SIZE = "Áo size M chật quá, tôi muốn đổi sang size L."
INGEST = (
    "mutation($kind: RecordKind!, $records: [JSON!]!, $resolve: Boolean!) { ingestRecords("
    'source: "cskh", kind: $kind, records: $records, resolve: $resolve) { rejected } }'
)
TICKETS = [
    ("PH-101", "Đang xử lý", "Zalo", "Giao hàng chậm", LATE, "2026-05-05T09:15:00+07:00",
     "2026-05-06T14:00:00+07:00"),
    ("PH-102", "Chờ phản hồi", "Email", "Hoàn tiền", REFUND, "2026-05-01T16:30:00+07:00", None),
    ("PH-103", "Đã giải quyết", "Điện thoại", "Đổi size áo", SIZE, "2026-04-10T10:00:00+07:00",
     "2026-05-10T08:00:00+07:00"),
]  # fmt: skip


@pytest.fixture(scope="module")
def customer(explorer: Explorer) -> str:
    """A Vietnamese customer of the support desk with three tickets; its identity id."""
    admin = explorer.as_role("admin")
    person = {
        "source_id": "KH-T1", "first_name": "Hồng", "last_name": "Nguyễn",
        "email": "hong.nguyen.t1@example.vn", "phone": "+84977111222",
    }  # fmt: skip
    tickets = [
        {"ticket_id": number, "customer_id": "KH-T1", "status": status, "channel": channel,
         "subject": subject, "body": body, "opened_at": opened, "updated_at": updated}
        for number, status, channel, subject, body, opened, updated in TICKETS
    ]  # fmt: skip
    for kind, records, then_resolve in (("CUSTOMERS", [person], False), ("TICKETS", tickets, True)):
        result = admin(INGEST, kind=kind, records=records, resolve=then_resolve)
        assert result["ingestRecords"]["rejected"] == 0, result
    [row] = cypher(
        explorer.graph,
        "MATCH (:Customer {key: $key})-[:RESOLVES_TO]->(i:Identity) RETURN i.id AS id",
        key="cskh:KH-T1",
    )
    return str(row["id"])


def _open(tabs: Tabs, role: str, identity_id: str, tab: str) -> Page:
    page = tabs.open(role, f"/#/identity/{identity_id}/{tab}")
    expect(page.locator(f'#tab-{tab}[aria-selected="true"]')).to_be_visible()
    return page


def test_the_profile_shows_the_last_contact_and_the_open_tickets_with_their_bodies(
    tabs: Tabs, customer: str
) -> None:
    page = _open(tabs, "analyst", customer, "profile")
    service = page.locator('section[aria-label="Service"]')
    # The solved size exchange was updated last (10 May, 01:00 UTC).
    expect(service.locator("#last-contact")).to_contain_text("2026-05-10 01:00 UTC")
    expect(service.locator("#last-contact")).to_contain_text("Đổi size áo")
    expect(service.locator("#open-tickets-title")).to_have_text("Open tickets (2)")
    tickets = service.locator("#open-tickets li.ticket")
    expect(tickets).to_have_count(2)
    first = tickets.first
    expect(first.locator(".ticket-status")).to_have_text("open")
    expect(first.locator(".ticket-subject")).to_have_text("Giao hàng chậm")
    expect(first.locator(".ticket-body")).to_have_text(LATE)
    expect(tickets.nth(1).locator(".ticket-status")).to_have_text("pending")
    screenshot(service, "service")


def test_the_timeline_shows_each_tickets_status_and_body(tabs: Tabs, customer: str) -> None:
    page = _open(tabs, "analyst", customer, "timeline")
    tickets = page.locator("#timeline-list li.entry.ticket")
    expect(tickets).to_have_count(3)
    statuses = tickets.evaluate_all(
        "items => items.map(li => li.querySelector('.ticket-status').textContent)"
    )
    assert statuses == ["open", "pending", "solved"]
    bodies: list[Any] = tickets.evaluate_all(
        "items => items.map(li => li.querySelector('.ticket-body').innerText)"
    )
    assert bodies == [LATE, REFUND, SIZE]  # the body's line break shows as one
    expect(tickets.first).to_contain_text("updated 2026-05-06 07:00 UTC")
    screenshot(page, "tickets")


def test_a_reader_sees_ticket_bodies_masked(tabs: Tabs, customer: str) -> None:
    page = _open(tabs, "reader", customer, "timeline")
    bodies = page.locator("#timeline-list li.entry.ticket .ticket-body")
    expect(bodies).to_have_count(3)
    assert set(bodies.all_inner_texts()) == {"***"}
    page.goto(page.url.replace("/timeline", "/profile"))
    expect(page.locator("#open-tickets li.ticket")).to_have_count(2)
    text = page.locator("main").inner_text()
    for body in (LATE, REFUND, SIZE):
        assert body.splitlines()[0] not in text
    expect(page.locator("#open-tickets .ticket-subject").first).to_have_text("Giao hàng chậm")
