"""`c360 db`: start, stop, inspect and migrate the graph database."""

from __future__ import annotations

import click

from c360graph.cli.common import fail, open_graph, settings
from c360graph.db.engines import choose_engine, fallback_note, server_for
from c360graph.db.managed import LocalServerError, ManagedServer, ServerInfo
from c360graph.db.neo4j_server import Neo4jServer
from c360graph.graph.migrate import migrate as run_migrations


@click.group()
def db() -> None:
    """Manage the graph database (the local server, or migrations on Neo4j)."""


def _server() -> ManagedServer:
    config = settings()
    return server_for(config.local, choose_engine(config.local))


def _where_to_look(server: ManagedServer, info: ServerInfo) -> str:
    if isinstance(server, Neo4jServer):
        return (
            f"  Neo4j Browser: {server.browser_url(info.bolt_port, info.http_port)}\n"
            f"  (user {info.user}, password in {server.state_file}; GDS and APOC installed)"
        )
    # The arcadedb-embedded build has no Studio; its HTTP API answers at /api/v1.
    return f"  ArcadeDB HTTP API: http://127.0.0.1:{info.http_port}/api/v1 (user {info.user})"


@db.command()
@click.option("--bolt-port", type=int, help="Bolt port (default: last one used, else a free one).")
@click.option("--http-port", type=int, help="HTTP API port (default: last one used, else free).")
def start(bolt_port: int | None, http_port: int | None) -> None:
    """Start the local graph server (if not running) and create the schema."""
    config = settings()
    if not config.uses_local_server:
        fail(f"NEO4J_URI is set ({config.neo4j.uri}); the local server is only used without it")
    server = _server()
    note = fallback_note(config.local, server.engine)
    if note:
        click.echo(note)
    was_running = server.info() is not None
    try:
        info = server.start(bolt_port=bolt_port, http_port=http_port)
    except LocalServerError as exc:
        fail(str(exc))
    with open_graph(config) as graph:
        run_migrations(graph)
    verb = "already running" if was_running else "started"
    click.echo(
        f"graph server ({server.engine}) {verb}: {info.uri} "
        f"(database {info.database}, pid {info.pid})"
    )
    click.echo(f"  data and logs in {server.root}; credentials in {server.state_file}")
    click.echo(_where_to_look(server, info))


@db.command()
def stop() -> None:
    """Stop the local graph server cleanly."""
    server = _server()
    if server.stop():
        click.echo(f"graph server ({server.engine}) in {server.root} stopped")
    else:
        click.echo(f"graph server ({server.engine}) in {server.root} was not running")


@db.command()
def status() -> None:
    """Say where the graph is, whether it answers, and how much it holds."""
    config = settings()
    if config.uses_local_server:
        server = _server()
        info = server.info()
        if info is None:
            click.echo(
                f"local graph server ({server.engine}, {server.root}): stopped. "
                "Start it: c360 db start"
            )
            raise SystemExit(3)
        click.echo(
            f"local graph server ({server.engine}): running, pid {info.pid}, {info.uri}, "
            f"database {info.database}"
        )
        if isinstance(server, Neo4jServer):
            click.echo(f"  Neo4j Browser: {server.browser_url(info.bolt_port, info.http_port)}")
    else:
        click.echo(f"Neo4j: {config.neo4j.uri} (database {config.neo4j.database})")
    with open_graph(config) as graph:
        counts = graph.read("schema/counts")[0]
        constraints = graph.read("schema/show_constraints")
    click.echo("  " + ", ".join(f"{name} {value}" for name, value in counts.items()))
    click.echo(
        f"  schema: {len(constraints)} uniqueness constraints (c360 db migrate adds missing)"
    )


@db.command()
def migrate() -> None:
    """Create constraints and indexes (idempotent; `db start` runs it too)."""
    with open_graph(settings()) as graph:
        statements = run_migrations(graph)
    click.echo(f"schema up to date ({statements} statements applied, all idempotent)")


@db.command()
@click.option("--yes", is_flag=True, help="Confirm: delete every node and relationship.")
def reset(yes: bool) -> None:
    """Delete all data in the graph (constraints and indexes stay)."""
    if not yes:
        fail("this deletes every node in the graph; run again with --yes to confirm")
    with open_graph(settings()) as graph:
        graph.write("schema/clear_all")
    click.echo("graph emptied")
