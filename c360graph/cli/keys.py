"""`c360 keys`: create, list and revoke the API keys of the GraphQL server."""

from __future__ import annotations

import click

from c360graph.api.keys import KeyFileError, KeyStore, Role
from c360graph.cli.common import fail, settings


def _store() -> KeyStore:
    return KeyStore(settings().api_keys_file)


@click.group()
def keys() -> None:
    """Manage API keys (kept hashed in C360_API_KEYS_FILE, default <C360_HOME>/api-keys.json).

    Changes take effect on a running server without a restart.
    """


@keys.command()
@click.argument("name")
@click.option(
    "--role",
    type=click.Choice([role.value for role in Role]),
    default=Role.READER.value,
    show_default=True,
    help="What the key may do: reader < analyst < admin (each includes the ones below); "
    "agent: one caller at a time, their email and phone unmasked (docs/api.md).",
)
def create(name: str, role: str) -> None:
    """Create key NAME and print it, this once (only its hash is kept)."""
    store = _store()
    try:
        key = store.create(name, Role(role))
    except (KeyFileError, ValueError) as exc:
        fail(str(exc))
    except OSError as exc:
        fail(
            f"cannot write {store.path}: {exc.strerror}; fix its permissions or set "
            "C360_API_KEYS_FILE to a writable place"
        )
    # The key alone on stdout (so `KEY=$(c360 keys create ...)` works); the rest on stderr.
    click.echo(
        f'API key "{name}" ({role}) created in {store.path}. Copy it now; '
        "it cannot be shown again:",
        err=True,
    )
    click.echo(key)
    click.echo("Send it with each request as the header: Authorization: Bearer <key>", err=True)


@keys.command("list")
def list_keys() -> None:
    """List the keys: name, role, when created, first characters."""
    try:
        found = _store().list()
    except KeyFileError as exc:
        fail(str(exc))
    if not found:
        click.echo("no API keys yet: c360 keys create NAME --role analyst")
        return
    rows = [("NAME", "ROLE", "CREATED", "PREFIX")] + [
        (key.name, key.role.value, key.created_at, f"{key.prefix}...") for key in found
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(4)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=True)]
        click.echo("  ".join(cells).rstrip())


@keys.command()
@click.argument("name")
def revoke(name: str) -> None:
    """Delete key NAME; a running server refuses it from then on."""
    store = _store()
    try:
        revoked = store.revoke(name)
    except KeyFileError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot write {store.path}: {exc.strerror}; fix its permissions and try again")
    if not revoked:
        fail(f'no API key named "{name}"; see the names with: c360 keys list')
    click.echo(f'API key "{name}" revoked; a running server refuses it from its next request')
