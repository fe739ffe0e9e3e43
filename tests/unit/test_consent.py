"""Consent values and the current choice per channel: spellings, ties, and who is contactable."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from c360graph.analyze.audience import NO_CONTACT, outcome
from c360graph.analyze.consent import NO_CONSENT, ConsentEvent, current, history, status_on
from c360graph.normalize import InvalidValue
from c360graph.normalize.consent import consent_channel, consent_status

AT = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
LATER = datetime(2024, 3, 15, 20, 10, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "status"),
    [("Đồng ý", "opt_in"), ("dong-y", "opt_in"), ("Opt-In", "opt_in"), ("Từ chối", "opt_out"),
     ("no", "opt_out"), ("Hủy đăng ký", "unsubscribed"), ("STOP", "unsubscribed")],
)  # fmt: skip
def test_status_spellings_fold_to_three_statuses(raw: str, status: str) -> None:
    assert consent_status(raw) == status


@pytest.mark.parametrize(
    ("raw", "channel"),
    [("Thư điện tử", "email"), ("E-Mail", "email"), ("Tin nhắn", "sms"), ("Zalo", "chat"),
     ("Điện thoại", "phone"), ("push notification", "push")],
)  # fmt: skip
def test_channel_spellings_fold_to_consent_channels(raw: str, channel: str) -> None:
    assert consent_channel(raw) == channel


def test_an_unknown_value_is_refused_with_the_accepted_ones() -> None:
    with pytest.raises(InvalidValue, match="opt_in, opt_out or unsubscribed"):
        consent_status("maybe")
    with pytest.raises(InvalidValue, match="email, sms, phone, post, push, chat"):
        consent_channel("fax")


def _event(channel: str, status: str, at: datetime, source: str = "crm") -> ConsentEvent:
    return ConsentEvent(channel, status, at, source, f"{source}:KH001")


def test_the_latest_choice_wins_across_sources() -> None:
    events = [_event("email", "opt_out", AT, "crm"), _event("email", "opt_in", LATER, "web")]
    assert current(events)["email"].source == "web"
    assert status_on(events, "email") == "opt_in"
    assert status_on(events, "sms") == NO_CONSENT


def test_at_one_moment_the_more_restrictive_choice_wins_whatever_the_order() -> None:
    events = [_event("email", "opt_in", AT), _event("email", "unsubscribed", AT)]
    assert current(events)["email"].status == "unsubscribed"
    assert current(reversed(events))["email"].status == "unsubscribed"
    assert [e.status for e in history(events)] == ["unsubscribed", "opt_in"]


def test_an_opted_in_identity_without_a_contact_value_is_counted_apart() -> None:
    row = {"id": "id_1", "email": None, "phone": "+84977888999", "events": [
        {"channel": "email", "status": "opt_in", "recorded_at": AT, "source": "crm",
         "record": "crm:KH001", "detail": None}]}  # fmt: skip
    assert outcome(row, "email")[0] == NO_CONTACT
    assert outcome({**row, "email": "hong@example.vn"}, "email")[0] == "contactable"
    assert outcome(row, "sms")[0] == NO_CONSENT
