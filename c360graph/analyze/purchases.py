"""What counts as a purchase: one definition for the API's metrics, segments and exports.

An order is a purchase when it has an order time and its status is not one of the excluded
statuses (analyses.yaml `segments.excluded_statuses`: cancelled, returned, refunded, failed).
Order count, spend, first and last order, RFM scores and lifetime value all count purchases
only, so `metrics` and `segment` never disagree.

Edge cases, decided:
- Statuses compare case-insensitively and trimmed; an order without a status is a purchase
  (most exports only write a status when something went wrong).
- An order without an order time is no purchase: it cannot be placed in time, so it has no
  recency and no tenure. It is counted apart, as excluded orders are.
- A purchase without an amount counts in the order count but not in spend (an unpriced
  purchase); `priced` counts those in spend.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


def _norm(status: str | None) -> str:
    return (status or "").strip().lower()


@dataclass(frozen=True)
class PurchaseRule:
    """The order statuses that are no purchase (lower case)."""

    excluded_statuses: frozenset[str]

    @classmethod
    def of(cls, statuses: Iterable[str]) -> PurchaseRule:
        """The rule excluding these statuses."""
        return cls(frozenset(_norm(s) for s in statuses))

    def is_purchase(self, status: str | None, dated: bool) -> bool:
        """True when an order with this status (and an order time, when `dated`) is a purchase."""
        return dated and _norm(status) not in self.excluded_statuses

    def describe(self) -> str:
        """For docs and help texts: 'orders with an order time, except cancelled, ...'."""
        return "orders with an order time, except " + ", ".join(sorted(self.excluded_statuses))
