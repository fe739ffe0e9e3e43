"""The `c360` command: thin wrappers that parse arguments, call the core and print."""

from __future__ import annotations

import sys

import click
from neo4j.exceptions import ServiceUnavailable, SessionExpired

from c360graph.cli.analyze import analyze
from c360graph.cli.audit import audit
from c360graph.cli.common import DefaultGroup, fail
from c360graph.cli.consent import audience_command, consent
from c360graph.cli.db import db
from c360graph.cli.events import events
from c360graph.cli.generate import generate
from c360graph.cli.history import history
from c360graph.cli.ingest import ingest
from c360graph.cli.keys import keys
from c360graph.cli.model import model
from c360graph.cli.resolve import erase, evaluate, explain, export, link, resolve, unlink
from c360graph.cli.review import review
from c360graph.cli.serve import schema, serve
from c360graph.resolve.runlock import ResolutionBusy


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="c360graph")
def cli() -> None:
    """c360graph: load customer data from many systems into one graph and resolve identities.

    The graph is Neo4j when NEO4J_URI is set, else the local server (`c360 db start`).
    """


cli.add_command(db)
cli.add_command(DefaultGroup("ingest", default=ingest, commands=[history]))
cli.add_command(generate)
cli.add_command(keys)
cli.add_command(audit)
cli.add_command(serve)
cli.add_command(analyze)
cli.add_command(schema)
cli.add_command(model)
cli.add_command(consent)
cli.add_command(review)
cli.add_command(events)
export.add_command(audience_command)
for command in (resolve, export, link, unlink, explain, erase, evaluate):
    cli.add_command(command)


def main() -> None:
    """Entry point of the `c360` console script."""
    try:
        sys.exit(cli.main(standalone_mode=True))
    except (ServiceUnavailable, SessionExpired):
        fail(
            "lost the graph server in the middle of the work (stopped or crashed?). Each "
            "batch is its own transaction, so nothing is half-written: start it again "
            "(`c360 db start`; `c360 db status` checks it) and re-run the same command, "
            "which skips what is already done"
        )
    except ResolutionBusy as exc:
        fail(str(exc))
