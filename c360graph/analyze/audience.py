"""A campaign audience: the identities of a segment that may be contacted on one channel.

Consent decides (c360graph.analyze.consent): only identities whose current consent on the
channel is opt_in are in it. Everyone else considered is counted by why not, so the figures
add up: considered = contactable + opted_out + unsubscribed + no_consent + no_contact.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from c360graph.analyze.consent import NO_CONSENT, ConsentEvent, current
from c360graph.db.graph import Graph
from c360graph.normalize import InvalidValue
from c360graph.normalize.consent import CONSENT_CHANNELS, consent_channel

PAGE = 2000  # identities read per query
NO_CONTACT = "no_contact"  # opted in, but no value to reach them with on the channel
COLUMNS = ("identity_id", "segment", "full_name", "channel", "contact", "consent_source",
           "consent_recorded_at")  # fmt: skip


@dataclass
class AudienceReport:
    """Who was considered for a channel and segment, and why each was left out."""

    channel: str
    segment: str | None
    considered: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)  # contactable, opt_out, ...

    @property
    def contactable(self) -> int:
        """Identities in the audience."""
        return self.outcomes["contactable"]

    @property
    def adds_up(self) -> bool:
        """True when every identity considered has exactly one outcome."""
        return self.considered == sum(self.outcomes.values())

    def summary(self) -> str:
        """One line for people."""
        left = ", ".join(
            f"{self.outcomes[o]:,} {o}" for o in ("opt_out", "unsubscribed", NO_CONSENT, NO_CONTACT)
        )
        of = f"segment {self.segment}" if self.segment else "all active identities"
        return (
            f"{self.channel} audience of {of}: {self.considered:,} considered, "
            f"{self.contactable:,} may be contacted; left out: {left}"
        )


def check_channel(raw: str) -> str:
    """A consent channel from user input; ValueError naming the accepted ones."""
    try:
        return consent_channel(raw)
    except InvalidValue as exc:
        raise ValueError(str(exc)) from exc


def contact_value(row: dict[str, Any], channel: str) -> str | None:
    """The golden value a channel reaches the identity with (None: the channel needs none)."""
    if channel == "email":
        return row.get("email")
    if channel in ("sms", "phone", "chat"):
        return row.get("phone")
    if channel == "post":
        parts = [row.get("address_line1"), row.get("postcode"), row.get("city")]
        return ", ".join(str(p) for p in parts if p) or None
    return row.get("id")  # push: the app reaches the identity itself


def outcome(row: dict[str, Any], channel: str) -> tuple[str, ConsentEvent | None]:
    """Why an identity is in the audience or not, and its current consent on the channel."""
    events = [ConsentEvent.of(e) for e in row["events"]]
    latest = current(events).get(channel)
    if latest is None:
        return NO_CONSENT, None
    if not latest.contactable:
        return latest.status, latest
    if contact_value(row, channel) is None:
        return NO_CONTACT, latest
    return "contactable", latest


def audience(
    graph: Graph, channel: str, segment: str | None, report: AudienceReport
) -> Iterator[dict[str, Any]]:
    """The audience's rows (COLUMNS), by identity id; `report` counts every one considered."""
    if channel not in CONSENT_CHANNELS:
        raise ValueError(f"channel {channel!r}: use one of {', '.join(CONSENT_CHANNELS)}")
    after: str | None = None
    while True:
        rows = graph.read(
            "analyses/audience", segment=segment, channel=channel, after_id=after, limit=PAGE
        )
        for row in rows:
            report.considered += 1
            why, latest = outcome(row, channel)
            report.outcomes[why] += 1
            if why == "contactable" and latest is not None:
                yield {
                    "identity_id": row["id"],
                    "segment": row["segment"],
                    "full_name": row["full_name"],
                    "channel": channel,
                    "contact": contact_value(row, channel),
                    "consent_source": latest.source,
                    "consent_recorded_at": latest.recorded_at.isoformat(),
                }
        if len(rows) < PAGE:
            return
        after = rows[-1]["id"]


def export_audience(
    graph: Graph, channel: str, segment: str | None, out: IO[str]
) -> AudienceReport:
    """Write the audience as CSV (COLUMNS) to `out`; the report says who was left out, why."""
    report = AudienceReport(channel=channel, segment=segment)
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    for row in audience(graph, channel, segment, report):
        writer.writerow(row)
    return report
