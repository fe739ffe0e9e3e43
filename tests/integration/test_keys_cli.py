"""`c360 keys` as a user runs it: real process, a keys file of its own, exit codes that mean something."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest

from c360graph.api.keys import KeyStore, Role
from tests.helpers import c360_env
from tests.integration.test_cli import c360


@pytest.fixture
def keys_file(tmp_path: Path) -> Path:
    return tmp_path / "secrets" / "api-keys.json"


@pytest.fixture
def keys_env(tmp_path: Path, keys_file: Path) -> dict[str, str]:
    """Like `cli_env`, but with no graph server (keys do not need one) and a keys file of its own."""
    return c360_env(tmp_path / "home", C360_API_KEYS_FILE=str(keys_file))


@pytest.mark.parametrize(
    "command", [["keys"], ["keys", "create"], ["keys", "list"], ["keys", "revoke"]]
)
def test_every_keys_command_has_help(command: list[str], keys_env: dict[str, str]) -> None:
    result = c360(keys_env, *command, "-h")
    assert result.returncode == 0 and "Usage:" in result.stdout


def test_a_created_key_is_printed_once_and_authenticates_with_its_role(
    keys_env: dict[str, str], keys_file: Path
) -> None:
    created = c360(keys_env, "keys", "create", "dashboards", "--role", "analyst")
    assert created.returncode == 0, created.stderr
    key = created.stdout.strip()  # the key alone on stdout, for KEY=$(c360 keys create ...)
    assert re.fullmatch(r"c360_[A-Za-z0-9_-]{40}", key)
    assert "Authorization: Bearer <key>" in created.stderr
    assert key not in created.stderr
    assert stat.S_IMODE(keys_file.stat().st_mode) == 0o600
    assert key not in keys_file.read_text()
    found = KeyStore(keys_file).authenticate(key)
    assert found is not None and found.role is Role.ANALYST


def test_the_default_role_is_reader(keys_env: dict[str, str], keys_file: Path) -> None:
    created = c360(keys_env, "keys", "create", "viewer")
    assert created.returncode == 0, created.stderr
    found = KeyStore(keys_file).authenticate(created.stdout.strip())
    assert found is not None and found.role is Role.READER


def test_the_keys_file_defaults_to_the_c360_home(keys_env: dict[str, str], tmp_path: Path) -> None:
    del keys_env["C360_API_KEYS_FILE"]
    created = c360(keys_env, "keys", "create", "viewer")
    assert created.returncode == 0, created.stderr
    assert KeyStore(tmp_path / "home" / "api-keys.json").authenticate(created.stdout.strip())


def test_list_shows_name_role_and_prefix_but_no_secret(keys_env: dict[str, str]) -> None:
    empty = c360(keys_env, "keys", "list")
    assert empty.returncode == 0, empty.stderr
    assert "no API keys yet: c360 keys create NAME --role analyst" in empty.stdout
    key = c360(keys_env, "keys", "create", "zeta", "--role", "admin").stdout.strip()
    c360(keys_env, "keys", "create", "alpha")
    listed = c360(keys_env, "keys", "list")
    assert listed.returncode == 0, listed.stderr
    header, *rows = listed.stdout.splitlines()
    assert header.split() == ["NAME", "ROLE", "CREATED", "PREFIX"]
    assert [row.split()[:2] for row in rows] == [["alpha", "reader"], ["zeta", "admin"]]
    assert f"{key[:8]}..." in rows[1]
    assert key not in listed.stdout


def test_a_revoked_key_stops_working(keys_env: dict[str, str], keys_file: Path) -> None:
    key = c360(keys_env, "keys", "create", "old").stdout.strip()
    server = KeyStore(keys_file)
    assert server.authenticate(key) is not None
    revoked = c360(keys_env, "keys", "revoke", "old")
    assert revoked.returncode == 0, revoked.stderr
    assert server.authenticate(key) is None  # the same store, as a running server would hold


def test_revoking_an_unknown_key_fails_and_says_how_to_see_the_names(
    keys_env: dict[str, str],
) -> None:
    result = c360(keys_env, "keys", "revoke", "nobody")
    assert result.returncode == 1
    assert 'no API key named "nobody"' in result.stderr and "c360 keys list" in result.stderr


def test_a_duplicate_name_fails_and_says_to_revoke_first(keys_env: dict[str, str]) -> None:
    assert c360(keys_env, "keys", "create", "dashboards").returncode == 0
    again = c360(keys_env, "keys", "create", "dashboards", "--role", "admin")
    assert again.returncode == 1
    assert "c360 keys revoke dashboards" in again.stderr
    assert again.stdout == ""


def test_an_unknown_role_is_refused(keys_env: dict[str, str], keys_file: Path) -> None:
    result = c360(keys_env, "keys", "create", "x", "--role", "root")
    assert result.returncode == 2 and "reader" in result.stderr
    assert not keys_file.exists()


def test_a_malformed_keys_file_is_named_without_a_traceback(
    keys_env: dict[str, str], keys_file: Path
) -> None:
    keys_file.parent.mkdir()
    keys_file.write_text("{oops")
    for command in (["list"], ["create", "x"], ["revoke", "x"]):
        result = c360(keys_env, "keys", *command)
        assert result.returncode == 1
        assert str(keys_file) in result.stderr and "Traceback" not in result.stderr
    assert keys_file.read_text() == "{oops"
