"""Support tickets: the four statuses a ticket moves through, from any desk's spelling.

A ticket is `open` (new or being worked on), `pending` (waiting for the customer or a third
party, or on hold), `solved` (answered; it may reopen) or `closed` (done for good). The first
two are open work: the profile lists them as open tickets.

Edge cases, decided:
- Spellings are folded (case, accents, punctuation), so `Đang xử lý`, `dang xu ly` and
  `DANG-XU-LY` are one; English, Vietnamese and the usual help-desk words (Zendesk's new and
  hold, Freshdesk's resolved, Jira's in progress) are known.
- An unknown status is not guessed: the ticket is kept without one and the row's
  `data_issues` says which values are accepted. Guessed wrong, an open complaint would
  vanish from the profile, or a solved one would stay on it.
"""

from __future__ import annotations

from c360graph.normalize import InvalidValue
from c360graph.normalize.vocabulary import Vocabulary

TICKET_STATUSES = ("open", "pending", "solved", "closed")
OPEN_TICKET_STATUSES = ("open", "pending")
# Interaction types in which the customer and the company spoke directly: what "last contact"
# means. App sessions, campaign emails and social mentions are not contacts.
CONTACT_TYPES = ("ticket", "call", "chat", "complaint", "feedback", "survey")

_SPELLINGS = {
    "open": "new|opened|reopened|re opened|in progress|working|assigned|escalated|active|"
    "todo|to do|moi|mo|dang mo|mo lai|dang xu ly|chua xu ly|tiep nhan|da tiep nhan",
    "pending": "waiting|awaiting|awaiting customer|waiting for customer|on hold|hold|onhold|"
    "paused|deferred|cho|dang cho|cho phan hoi|cho khach hang|cho khach phan hoi|tam hoan|"
    "tam dung",
    "solved": "resolved|done|fixed|answered|completed|complete|da giai quyet|da xu ly|"
    "hoan thanh|da hoan thanh|da tra loi",
    "closed": "close|archived|cancelled|canceled|dong|da dong|huy|da huy|ket thuc",
}
_STATUSES = Vocabulary(_SPELLINGS)


def ticket_status(raw: str) -> str:
    """The ticket status of a spelling ('Đang xử lý' -> open); InvalidValue if unknown."""
    found = _STATUSES.find(raw)
    if found is None:
        raise InvalidValue(
            f"ticket status {raw!r} is not one c360graph knows; use open, pending, solved or "
            "closed (or new, on hold, resolved; mới, đang xử lý, chờ phản hồi, đã giải quyết, "
            "đã đóng); the ticket is kept without a status"
        )
    return found
