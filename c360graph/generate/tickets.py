"""Support tickets of the sample: subjects and bodies (Vietnamese for Vietnamese customers),
statuses and the desk's last update."""

from __future__ import annotations

import random

from c360graph.generate.formats import NOW_TS, format_ts
from c360graph.generate.records import Appearance
from c360graph.generate.writer import Row

DAY = 86400
# (subject, body); a body may name a number of days as {d}. Both lists are equally long: the
# sample draws one index, whatever the customer's language.
TICKETS_EN = (
    ("Where is my order?", "Parcel not arrived after {d} days, tracking shows no update."),
    ("Refund request", "Returned the item {d} days ago and still no refund."),
    ("Cannot log in", "Password reset email never arrives."),
    ("Change of address", "Moved house, please update my delivery address."),
    ("Damaged item", "Item arrived damaged, box crushed. Want a replacement."),
    ("Wrong size", "Ordered M, received L. How do I exchange?"),
    ("Loyalty points missing", "Points from my last store visit are not on my card."),
    ("Unsubscribe", "Please stop sending me marketing emails."),
)
TICKETS_VI = (
    ("Đơn hàng chưa tới", "Đã {d} ngày mà bưu kiện vẫn chưa tới, mã vận đơn không cập nhật gì."),
    ("Yêu cầu hoàn tiền", "Tôi đã trả hàng {d} ngày trước nhưng vẫn chưa nhận được tiền hoàn."),
    ("Không đăng nhập được", "Email đặt lại mật khẩu không bao giờ đến, tôi đã thử nhiều lần."),
    ("Đổi địa chỉ giao hàng", "Tôi mới chuyển nhà, nhờ shop cập nhật địa chỉ giao hàng giúp."),
    ("Hàng bị hư hỏng", "Hàng tới nơi hộp bị móp, sản phẩm bị vỡ. Tôi muốn đổi sản phẩm mới."),
    ("Sai kích cỡ", "Tôi đặt áo size M nhưng nhận được size L. Đổi hàng thế nào ạ?"),
    ("Thiếu điểm thưởng", "Điểm tích lũy lần mua ở cửa hàng vừa rồi chưa được cộng vào thẻ."),
    ("Hủy nhận tin", "Vui lòng ngừng gửi email quảng cáo cho tôi."),
)
# Status by the ticket's age: recent ones are still being worked on, old ones are done.
_BY_AGE = (
    (7, (("open", 0.5), ("pending", 0.3), ("solved", 0.2))),
    (30, (("open", 0.2), ("pending", 0.2), ("solved", 0.5), ("closed", 0.1))),
    (None, (("open", 0.03), ("pending", 0.02), ("solved", 0.3), ("closed", 0.65))),
)


def ticket_text(a: Appearance, index: int) -> tuple[str, str]:
    """The subject and body (with {d} unfilled) of ticket text `index`, in the customer's
    language."""
    texts = TICKETS_VI if a.person.pool.spec.code == "vi_VN" else TICKETS_EN
    return texts[index]


def ticket_row(
    a: Appearance, ticket_id: str, channel: str, opened: int, text: tuple[str, str], style: str
) -> Row:
    """One row of support/tickets.ndjson; its status and last update are drawn from their own
    random stream (seeded by the ticket), so they change none of the other sample data."""
    rng = random.Random(f"ticket:{ticket_id}")
    age_days = (NOW_TS - opened) / DAY
    statuses = next(options for limit, options in _BY_AGE if limit is None or age_days < limit)
    status = rng.choices([s for s, _ in statuses], [w for _, w in statuses])[0]
    updated = opened + rng.randint(3600, max(3600, min(NOW_TS - opened, 10 * DAY)))
    subject, body = text
    return {
        "ticket_id": ticket_id,
        "customer_id": a.source_id,
        "customer_source": a.source.name,
        "channel": channel,
        "status": status,
        "subject": subject,
        "body": body,
        "opened_at": format_ts(opened, style),
        "updated_at": format_ts(min(updated, NOW_TS), style),
    }
