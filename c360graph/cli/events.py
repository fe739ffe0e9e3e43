"""`c360 events`: the identity change feed (merges, splits, moves, creations, retirements)."""

from __future__ import annotations

import json

import click
from neo4j.exceptions import ServiceUnavailable, SessionExpired

from c360graph.cli.common import fail, open_graph, settings
from c360graph.resolve import event_feed
from c360graph.resolve.event_feed import BadCursor, FeedEvent


def _line(event: FeedEvent) -> str:
    at = f"{event.at:%Y-%m-%d %H:%M:%S}" if hasattr(event.at, "year") else str(event.at)
    others = ",".join(event.others) or "-"
    return "  ".join(
        (event.cursor, at, event.kind, event.identity, others, str(event.records or 0),
         event.reason or "")
    )  # fmt: skip


@click.command()
@click.option("--since", metavar="CURSOR", help="Only events after this cursor (an event's first "
              "column, or `cursor` in --json); default: from the first event.")  # fmt: skip
@click.option("--follow", "-f", is_flag=True, help="Keep running and print new events as "
              "resolution writes them (Ctrl-C stops).")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@click.option("--poll-seconds", default=1.0, show_default=True, type=click.FloatRange(0.05),
              help="With --follow: how often to ask the graph for new events.")  # fmt: skip
def events(since: str | None, follow: bool, as_json: bool, poll_seconds: float) -> None:
    """Print identity events in order: CURSOR, TIME (UTC), KIND, IDENTITY, OTHERS, RECORDS, REASON.

    KIND is merge (OTHERS were absorbed), split (records went to OTHERS), move (records came
    from OTHERS), create or retire. Resume where you stopped with `--since` and the last
    cursor printed: nothing is skipped or repeated.
    """
    graph = open_graph(settings())
    last = since
    try:
        for event in event_feed.follow(graph, since, poll_seconds, forever=follow):
            click.echo(json.dumps(event.as_json()) if as_json else _line(event))
            last = event.cursor
    except BadCursor as exc:
        fail(str(exc))
    except (ServiceUnavailable, SessionExpired):
        resume = f" --since {last}" if last else ""
        fail(
            "lost the graph server (stopped or crashed?): start it again (`c360 db start`; "
            f"`c360 db status` checks it) and resume with `c360 events{resume}`"
        )
    except KeyboardInterrupt:
        pass
    finally:
        graph.close()
