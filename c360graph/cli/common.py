"""Helpers shared by the CLI commands: settings, connecting, failing with a clear message."""

from __future__ import annotations

from typing import NoReturn

import click

from c360graph.config import ConfigError, Settings, load_settings
from c360graph.db.graph import Graph, GraphUnavailable, connect


def fail(message: str, code: int = 1) -> NoReturn:
    """Print an error (what went wrong and what to do) to stderr and exit with `code`."""
    click.secho(f"error: {message}", fg="red", err=True)
    raise SystemExit(code)


def settings() -> Settings:
    """The settings, or a clean exit naming the malformed one."""
    try:
        return load_settings()
    except ConfigError as exc:
        fail(str(exc))


def open_graph(config: Settings) -> Graph:
    """Connect to the configured graph, or exit with what to do."""
    try:
        return connect(config)
    except GraphUnavailable as exc:
        fail(str(exc))
