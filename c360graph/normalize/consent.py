"""Marketing consent: the channels a customer may be contacted on and what they said.

A consent event says, for one customer and one marketing channel, `opt_in`, `opt_out` or
`unsubscribed`, with the source that recorded it and when. The current consent of a channel
is the latest event (c360graph.consent.current).

Edge cases, decided:
- Spellings are folded (case, accents, punctuation), so `Đồng ý`, `dong y` and `DONG-Y` are
  one; Vietnamese, English, German and French spellings are known. Anything else is refused
  with the list of accepted values: a consent guessed wrong is a message sent against the
  customer's will, or a customer never asked.
- `unsubscribed` is an opt-out made through an unsubscribe link or reply (STOP); it is kept
  apart because regulators ask how a withdrawal was made, but it honours as an opt-out.
- At one moment, the more restrictive status wins (unsubscribed, then opt_out, then opt_in):
  `precedence` ranks them.
"""

from __future__ import annotations

from c360graph.normalize import InvalidValue
from c360graph.normalize.vocabulary import Vocabulary

CONSENT_CHANNELS = ("email", "sms", "phone", "post", "push", "chat")
CONSENT_STATUSES = ("opt_in", "opt_out", "unsubscribed")

_CHANNEL_SPELLINGS = {
    "email": "email|e mail|mail|newsletter|thu dien tu|thu|courriel",
    "sms": "sms|text|text message|tin nhan|tin nhan sms|mms",
    "phone": "phone|telephone|call|calls|tel|dien thoai|goi dien|telefon|telemarketing",
    "post": "post|postal|direct mail|letter|brief|courrier|buu dien|thu tay",
    "push": "push|push notification|app|app notification|thong bao|notification",
    "chat": "chat|zalo|whatsapp|messenger|viber|telegram|line|wechat|ott",
}
_STATUS_SPELLINGS = {
    "opt_in": "opt in|optin|opted in|in|yes|y|true|1|granted|given|consent|consented|"
    "subscribed|subscribe|allow|allowed|agree|agreed|dong y|co|cho phep|dang ky|"
    "einwilligung|ja|oui",
    "opt_out": "opt out|optout|opted out|out|no|n|false|0|denied|refused|declined|"
    "withdrawn|revoked|tu choi|khong|khong dong y|rut lai|nein|non",
    "unsubscribed": "unsubscribed|unsubscribe|unsub|stop|huy dang ky|huy|abgemeldet|"
    "desabonne|desinscrit",
}


_CHANNELS = Vocabulary(_CHANNEL_SPELLINGS)
_STATUSES = Vocabulary(_STATUS_SPELLINGS)
PRECEDENCE = {"opt_in": 1, "opt_out": 2, "unsubscribed": 3}


def consent_channel(raw: str) -> str:
    """The consent channel of a spelling ('Thư điện tử' -> email); InvalidValue if unknown."""
    found = _CHANNELS.find(raw)
    if found is None:
        raise InvalidValue(
            f"consent channel {raw!r} is not one c360graph knows; use one of "
            f"{', '.join(CONSENT_CHANNELS)} (or map your values onto them)"
        )
    return found


def consent_status(raw: str) -> str:
    """The consent status of a spelling ('Đồng ý' -> opt_in); InvalidValue if unknown."""
    found = _STATUSES.find(raw)
    if found is None:
        raise InvalidValue(
            f"consent status {raw!r} is not one c360graph knows; use opt_in, opt_out or "
            "unsubscribed (or yes/no, đồng ý/từ chối, hủy đăng ký)"
        )
    return found


def precedence(status: str) -> int:
    """How restrictive a status is: at one moment the higher one wins."""
    return PRECEDENCE[status]
