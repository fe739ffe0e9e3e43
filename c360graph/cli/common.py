"""Helpers shared by the CLI commands: settings, connecting, failing with a clear message."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

import click

from c360graph.analyze.settings import AnalysesConfig, AnalysesConfigError, load_analyses_config
from c360graph.config import ConfigError, Settings, load_settings
from c360graph.db.graph import Graph, GraphUnavailable, connect
from c360graph.resolve.model.spark_backend import SparkUnavailable
from c360graph.resolve.settings import (
    ResolutionConfig,
    ResolutionConfigError,
    load_resolution_config,
)
from c360graph.stages import Progress
from c360graph.usecases import C360


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


def resolution_config(config: Settings) -> ResolutionConfig:
    """The resolution config the settings name, or a clean exit saying what is wrong."""
    try:
        return load_resolution_config(config.resolve.config)
    except ResolutionConfigError as exc:
        fail(str(exc))


def analyses_config(config: Settings) -> AnalysesConfig:
    """The analyses config, or a clean exit naming what is malformed."""
    try:
        return load_analyses_config(config.analyze.config)
    except AnalysesConfigError as exc:
        fail(str(exc))


@contextmanager
def open_c360(
    config: Settings, progress: Progress | None = None, *, configs: bool = True
) -> Iterator[C360]:
    """The use cases over the configured graph; a bad config or no graph exits cleanly first.

    `configs=False` reads no resolution or analyses config (an ingest needs neither).
    """
    resolution = resolution_config(config) if configs else None
    analyses = analyses_config(config) if configs else None
    with open_graph(config) as graph:
        yield C360(
            graph,
            config,
            resolution_config=resolution,
            analyses_config=analyses,
            progress=progress,
        )


def say_backend(c360: C360) -> None:
    """Say where pairs are scored when not in process; a clean exit if Spark is missing."""
    try:
        backend = c360.backend
    except SparkUnavailable as exc:
        fail(str(exc))
    if backend is not None:
        click.echo(f"blocking and scoring on Spark ({c360.settings.resolve.spark_master})")


class DefaultGroup(click.Group):
    """A group whose first argument is a subcommand's name, or else the default command's.

    `c360 ingest data.csv` runs the default command and `c360 ingest history` the other; so
    does `c360 ingest --help` (the default's help, which names the others). A file named like
    a subcommand is given as a path: `./history`.
    """

    def __init__(self, name: str, default: click.Command, **kwargs: Any) -> None:
        super().__init__(name, help=default.help, **kwargs)
        self.default = default
        self.add_command(default)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Route to the default command unless the first argument names another."""
        if not args or args[0] not in self.commands:
            args = [str(self.default.name), *args]
        return super().parse_args(ctx, args)


class DefaultCommand(click.Command):
    """A DefaultGroup's default command, whose usage reads as the group's: `c360 ingest PATH`."""

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Usage under the group's name (it also answers to its own: `c360 ingest file`)."""
        path = ctx.parent.command_path if ctx.parent else ctx.command_path
        formatter.write_usage(path, " ".join(self.collect_usage_pieces(ctx)))
