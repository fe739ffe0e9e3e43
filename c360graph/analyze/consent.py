"""An identity's current marketing consent per channel, and who a campaign may contact.

Pure functions over consent events (the :Consent nodes of an identity's records); the API,
`c360 consent` and the audience export all decide with these, so they never disagree.

Edge cases, decided:
- The current consent of a channel is its latest event across all the identity's records
  and sources (by `recorded_at`); at one moment the more restrictive status wins
  (unsubscribed, then opt_out, then opt_in), then the source name, so the answer never
  depends on read order.
- No event for a channel means no consent: the customer is not contacted on it (opt-in, as
  GDPR and Vietnam's Decree 13/2023 require for marketing).
- A merge of two records joins their events: a later opt-out on either record wins.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from c360graph.db.values import utc_moment
from c360graph.normalize.consent import CONSENT_CHANNELS, precedence

NO_CONSENT = "no_consent"  # no event for the channel: treated as not opted in


@dataclass(frozen=True)
class ConsentEvent:
    """One recorded choice: a channel, a status, when, which source and record said it."""

    channel: str
    status: str  # opt_in | opt_out | unsubscribed
    recorded_at: datetime
    source: str
    record: str  # the :Customer key it was recorded for
    detail: str | None = None

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> ConsentEvent:
        """From a row holding a :Consent's properties and its record key (`record`)."""
        at = utc_moment(row["recorded_at"])
        if at is None:
            raise ValueError(f"consent {row.get('key')!r} has no recorded_at")
        return cls(
            channel=str(row["channel"]),
            status=str(row["status"]),
            recorded_at=at,
            source=str(row["source"]),
            record=str(row["record"]),
            detail=row.get("detail"),
        )

    @property
    def contactable(self) -> bool:
        """True when this choice allows marketing on its channel."""
        return self.status == "opt_in"


def _order(event: ConsentEvent) -> tuple[datetime, int, str, str]:
    return (event.recorded_at, precedence(event.status), event.source, event.record)


def current(events: Iterable[ConsentEvent]) -> dict[str, ConsentEvent]:
    """The latest event of each channel that has one (channels in CONSENT_CHANNELS order)."""
    latest: dict[str, ConsentEvent] = {}
    for event in events:
        known = latest.get(event.channel)
        if known is None or _order(event) > _order(known):
            latest[event.channel] = event
    ranked = {c: i for i, c in enumerate(CONSENT_CHANNELS)}
    return dict(sorted(latest.items(), key=lambda item: ranked.get(item[0], len(ranked))))


def status_on(events: Iterable[ConsentEvent], channel: str) -> str:
    """The current status on one channel: opt_in, opt_out, unsubscribed or no_consent."""
    found = current(e for e in events if e.channel == channel).get(channel)
    return NO_CONSENT if found is None else found.status


def history(events: Iterable[ConsentEvent]) -> list[ConsentEvent]:
    """Every event, newest first (ties as `current` breaks them)."""
    return sorted(events, key=_order, reverse=True)
