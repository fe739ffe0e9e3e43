"""`c360 serve`: the GraphQL API under uvicorn; `c360 schema`: print its SDL."""

from __future__ import annotations

import os
import socket
import tempfile

import click

from c360graph.cli.common import fail, settings

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Worker processes (about one per core).",
)
@click.option(
    "--dev",
    is_flag=True,
    help="Requests without an API key act as admin. Local use only, never in production.",
)
@click.option(
    "--log-level",
    default="warning",
    show_default=True,
    type=click.Choice(["critical", "error", "warning", "info", "debug"]),
)
def serve(host: str, port: int, workers: int, dev: bool, log_level: str) -> None:
    """Serve the GraphQL API at /graphql (GraphiQL in a browser), /healthz, /readyz, /metrics.

    Callers send `Authorization: Bearer <key>`; create keys with `c360 keys create`.
    """
    import uvicorn

    from c360graph.runtime.connection_handout import APP, run_workers
    from c360graph.runtime.frame_stack_workaround import with_frame_room

    config = settings()
    if not dev and not config.api_keys_file.exists():
        click.secho(
            f"note: no API keys yet ({config.api_keys_file}); every request will be refused. "
            "Create one: c360 keys create NAME --role analyst",
            fg="yellow",
            err=True,
        )
    if dev and host not in LOOPBACK:
        fail(
            f"--dev lets requests without a key act as admin, so it only serves on 127.0.0.1, "
            f"not {host}. Create keys (`c360 keys create NAME --role admin`) and drop --dev"
        )
    if dev:
        click.secho(
            "DEV MODE: requests without an API key act as ADMIN. Never expose this server.",
            fg="red",
            bold=True,
            err=True,
        )
        os.environ["C360_API_DEV"] = "1"
    if workers > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # /metrics sums all workers through files in this folder.
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="c360-metrics-")
    _check_port_free(host, port)
    click.echo(f"c360graph API on http://{host}:{port}/graphql (GraphiQL in a browser)", err=True)
    try:
        if workers > 1:
            # The parent accepts and hands connections to the workers in turn (even split).
            run_workers(host, port, workers, log_level)
            return
        with_frame_room(
            lambda: uvicorn.run(
                APP, factory=True, host=host, port=port, log_level=log_level, access_log=False
            )
        )
    except OSError as exc:
        fail(f"cannot serve on {host}:{port}: {exc}; pick another --port")


def _check_port_free(host: str, port: int) -> None:
    """Fail before announcing anything when the port is taken (uvicorn would only log it)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        fail(f"cannot serve on {host}: {exc}; pass --host 127.0.0.1 or a name this host has")
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        # As uvicorn binds: a port in TIME_WAIT from a server just stopped is free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            fail(
                f"port {port} on {host} is taken ({exc.strerror}): another server (an earlier "
                f"`c360 serve`?) listens there; stop it, or pick another --port"
            )


@click.command()
def schema() -> None:
    """Print the GraphQL schema (SDL): `c360 schema > schema.graphql` refreshes the copy."""
    from c360graph.api.schema import schema_sdl

    click.echo(schema_sdl(), nl=False)
