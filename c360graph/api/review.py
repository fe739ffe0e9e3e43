"""The review queue over the API: pairs just under the match threshold, and their decisions.

Listing and deciding need the Review permission (analysts and admins): a decision is an
analyst assertion that changes identities, and the queue shows two people's records side by
side, which is no agent's job (one caller at a time) and no reader's to decide.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry

from c360graph.api.context import Info
from c360graph.api.errors import BadInput
from c360graph.api.explanations import Comparison, Explanation, FieldWeight, RecordRef, explain
from c360graph.api.pagination import Connection, connection, keyset, page_size, unfit_cursor
from c360graph.api.records import Record
from c360graph.api.results import AssertionResult, ResolveResult
from c360graph.review import queue
from c360graph.review.band import VETOED, ReviewItem

KIND = "review_pair"


@strawberry.enum(description="Why a pair is in the review queue.")
class ReviewReason(Enum):
    BELOW_THRESHOLD = "below_threshold"  # scored from the review floor up to the threshold
    VETOED = "vetoed"  # at or above the threshold, but a guard vetoed the link


@strawberry.enum(description="A reviewer's decision on a pair.")
class ReviewDecision(Enum):
    ACCEPT = "accept"  # the same person: a must-link
    REJECT = "reject"  # different people: a cannot-link


@strawberry.type(
    description="Two records a resolution run scored just under the match threshold (or a "
    "guard vetoed), for staff to accept or reject; records masked by the caller's role."
)
class ReviewPair:
    a: Record = strawberry.field(description="The record with the lower key.")
    b: Record = strawberry.field(description="The other record.")
    probability: float = strawberry.field(description="The model's match probability.")
    reason: ReviewReason = strawberry.field(description="Why the pair is queued.")
    run_id: str = strawberry.field(description="The resolution run that queued it.")
    queued_at: datetime | None = strawberry.field(description="When that run queued it.")
    comparison: Comparison = strawberry.field(
        description="The model's comparison as the run scored it: each field's level and "
        "weight (the explanation, without a new scoring)."
    )

    @strawberry.field(
        description="Explain the pair now (as the explain query does): slower, one scoring "
        "per pair; `comparison` already holds the run's evidence."
    )
    async def explanation(self, info: Info) -> Explanation:
        return await explain(info, str(self.a.key), str(self.b.key))


def _comparison(item: ReviewItem, threshold: float) -> Comparison:
    return Comparison(
        probability=item.probability,
        weight=item.weight,
        threshold=threshold,
        levels=[f"{f}={level}" for f, level in sorted(zip(item.fields, item.levels, strict=True))],
        blocked_by=item.blocked_by,
        field_weights=[
            FieldWeight(field=f, level=level, weight=w)
            for f, level, w in zip(item.fields, item.levels, item.weights, strict=True)
        ],
    )


def _after(cursor: str | None) -> tuple[float, str, str] | None:
    distance, a, b = keyset(KIND, cursor, 3)
    if distance is None and a is None and b is None:
        return None
    if isinstance(distance, bool) or not isinstance(distance, int | float):
        raise unfit_cursor(KIND)
    if not isinstance(a, str) or not isinstance(b, str):
        raise unfit_cursor(KIND)
    return float(distance), a, b


async def review_queue_page(
    info: Info, first: int | None, after: str | None, min_probability: float
) -> Connection[ReviewPair]:
    """A page of the queue, nearest the threshold first (the field needs Review)."""
    if not 0.0 <= min_probability <= 1.0:
        raise BadInput("minProbability must be between 0 and 1")
    ctx = info.context
    size = page_size(first, ctx.page_size, ctx.max_page_size)
    start = _after(after)
    rows = await ctx.loaders.read(
        "review/queue_page",
        min_probability=min_probability,
        after_distance=start[0] if start else None,
        after_a=start[1] if start else None,
        after_b=start[2] if start else None,
        limit=size + 1,
    )
    found = [queue.queued_of(row) for row in rows]
    keys = [k for q in found[:size] for k in q.item.pair]
    loaded = dict(zip(keys, await ctx.loaders.record.load_many(keys), strict=True))
    threshold = ctx.app.resolution_config.threshold
    masker = ctx.masker

    def node(q: queue.Queued) -> ReviewPair:
        a, b = loaded[q.item.a], loaded[q.item.b]
        if a is None or b is None:  # erased since the page was read: DETACH DELETE took it
            raise BadInput("a record of the queue was just erased; ask for the page again")
        return ReviewPair(
            a=Record.of(a, masker),
            b=Record.of(b, masker),
            probability=q.item.probability,
            reason=ReviewReason.VETOED if q.item.reason == VETOED else ReviewReason.BELOW_THRESHOLD,
            run_id=q.run_id,
            queued_at=q.at,
            comparison=_comparison(q.item, threshold),
        )

    return connection(found, size, after, KIND, lambda q: (q.item.distance, *q.item.pair), node)


def decision_result(
    a: RecordRef, b: RecordRef, decision: ReviewDecision, by: str, run: ResolveResult | None
) -> AssertionResult:
    """The decision as the assertion it became."""
    return AssertionResult(
        a=a.key, b=b.key, same=decision is ReviewDecision.ACCEPT, by=by, resolution=run
    )
