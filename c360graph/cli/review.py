"""`c360 review list|accept|reject`: the pairs just under the match threshold, decided by staff."""

from __future__ import annotations

import getpass

import click

from c360graph.cli.common import fail, open_c360, say_backend, settings
from c360graph.cli.resolve import echo_resolved
from c360graph.resolve.assertions import UnknownRecord
from c360graph.resolve.records import Rec
from c360graph.review.band import ReviewItem

TOP_WEIGHTS = 3  # the fields that moved the score most, shown beside each pair


@click.group()
def review() -> None:
    """The review queue: pairs each resolution run scored just under the match threshold (or
    a guard vetoed), for staff to accept (must-link) or reject (cannot-link).

    Decisions are analyst assertions: the next run honours them, and the model is checked
    against them (`c360 model show`). docs/resolution.md, "Review queue".
    """


@review.command("list")
@click.option(
    "--limit", default=20, show_default=True, type=click.IntRange(1, 1000), help="Pairs to show."
)
@click.option(
    "--min-probability",
    default=0.0,
    show_default=True,
    type=click.FloatRange(0.0, 1.0),
    help="Only pairs scoring at least this.",
)
def list_command(limit: int, min_probability: float) -> None:
    """The queued pairs, nearest the threshold first: both records, score, why, top weights."""
    with open_c360(settings()) as c360:
        items = c360.review.page(limit, min_probability)
        total = c360.review.size()
        recs = c360.review.records([k for q in items for k in q.item.pair])
    if not items:
        click.echo(
            "the review queue is empty"
            + (" above that probability" if total else "; `c360 resolve` fills it")
        )
        return
    for q in items:
        click.echo(_pair_lines(q.item, recs))
    click.echo(f"{len(items)} of {total} queued pairs; decide with `c360 review accept|reject A B`")


def _pair_lines(item: ReviewItem, recs: dict[str, Rec]) -> str:
    why = "below the threshold" if item.blocked_by is None else f"vetoed by {item.blocked_by}"
    lines = [f"p={item.probability:.4f}  {why}"]
    for key in item.pair:
        rec = recs.get(key)
        lines.append(f"  {key:<24} {_name(rec)}")
    top = sorted(zip(item.fields, item.levels, item.weights, strict=True), key=lambda f: -abs(f[2]))
    shown = [f"{name}={level} {weight:+.2f}" for name, level, weight in top if level != "null"]
    lines.append("  weights: " + ", ".join(shown[:TOP_WEIGHTS]))
    return "\n".join(lines)


def _name(rec: Rec | None) -> str:
    if rec is None:
        return "(erased)"
    name = rec.full_name or " ".join(p for p in (rec.first_name, rec.last_name) if p)
    return f"{name or '(no name)'}  [{rec.source}]"


def _decide(
    accept: bool, a: str, b: str, by: str | None, note: str | None, no_resolve: bool
) -> None:
    with open_c360(settings(), progress=click.echo) as c360:
        if not no_resolve:
            say_backend(c360)
        try:
            done = c360.review.decide(
                a, b, accept, by or getpass.getuser(), note, resolve=not no_resolve
            )
        except (UnknownRecord, ValueError) as exc:
            fail(str(exc))
    verdict = "the same person (must-link)" if accept else "different people (cannot-link)"
    click.echo(
        f"recorded: {a} and {b} are {verdict}"
        + ("" if done.was_queued else "; the pair was not in the review queue")
    )
    echo_resolved(done.resolved)


_a = click.argument("record_a")
_b = click.argument("record_b")
_by = click.option("--by", help="Who decides (default: your user name).")
_note = click.option("--note", help="Why, for the audit trail.")
_no_resolve = click.option(
    "--no-resolve", is_flag=True, help="Only record it; resolve later (for many decisions)."
)


@review.command()
@_a
@_b
@_by
@_note
@_no_resolve
def accept(
    record_a: str, record_b: str, by: str | None, note: str | None, no_resolve: bool
) -> None:
    """Accept a pair (SOURCE:ID SOURCE:ID): the same person, a must-link every run honours."""
    _decide(True, record_a, record_b, by, note, no_resolve)


@review.command()
@_a
@_b
@_by
@_note
@_no_resolve
def reject(
    record_a: str, record_b: str, by: str | None, note: str | None, no_resolve: bool
) -> None:
    """Reject a pair (SOURCE:ID SOURCE:ID): different people, a cannot-link every run honours."""
    _decide(False, record_a, record_b, by, note, no_resolve)
