"""API keys: hashed at rest, roles that rank, changes seen by a running server without a restart."""

from __future__ import annotations

import json
import re
import stat
from pathlib import Path

import pytest

import c360graph.api.keys as keys_module
from c360graph.api.keys import ApiKey, Grant, KeyFileError, KeyStore, Role


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "not-yet" / "api-keys.json"


def test_roles_rank_reader_below_analyst_below_admin() -> None:
    assert Role.ADMIN.at_least(Role.ANALYST) and Role.ADMIN.at_least(Role.READER)
    assert Role.ANALYST.at_least(Role.READER) and Role.ANALYST.at_least(Role.ANALYST)
    assert not Role.READER.at_least(Role.ANALYST)
    assert not Role.ANALYST.at_least(Role.ADMIN)


def test_an_agent_looks_up_and_sees_contact_details_but_ranks_beside_the_others() -> None:
    assert Role.AGENT.grants == {Grant.LOOK_UP, Grant.CALLER_PII}
    assert not Role.AGENT.at_least(Role.READER) and not Role.READER.at_least(Role.AGENT)
    assert Role.ANALYST.at_least(Role.READER) and not Role.ANALYST.at_least(Role.AGENT)
    assert all(role.may(Grant.LOOK_UP) for role in Role)
    assert [role for role in Role if role.may(Grant.AUDIT)] == [Role.ADMIN]


def test_a_created_key_authenticates_with_its_role(path: Path) -> None:
    store = KeyStore(path)
    key = store.create("dashboards", Role.ANALYST)
    assert re.fullmatch(r"c360_[A-Za-z0-9_-]{40}", key)
    found = store.authenticate(key)
    assert found is not None
    assert (found.name, found.role, found.prefix) == ("dashboards", Role.ANALYST, key[:8])
    assert found.created_at.endswith("+00:00")


def test_every_key_is_different(path: Path) -> None:
    store = KeyStore(path)
    assert store.create("a", Role.READER) != store.create("b", Role.READER)


@pytest.mark.parametrize("wrong", ["", "c360_", "not-a-key", "Bearer x"])
def test_a_wrong_key_does_not_authenticate(path: Path, wrong: str) -> None:
    store = KeyStore(path)
    key = store.create("dashboards", Role.READER)
    assert store.authenticate(wrong) is None
    assert store.authenticate(key[:-1] + ("A" if key[-1] != "A" else "B")) is None


def test_a_missing_file_means_no_keys(path: Path) -> None:
    store = KeyStore(path)
    assert store.list() == []
    assert store.authenticate("c360_" + "a" * 40) is None
    assert not store.revoke("anyone")
    assert not path.exists()


def test_a_revoked_key_stops_working(path: Path) -> None:
    store = KeyStore(path)
    revoked = store.create("old", Role.ADMIN)
    kept = store.create("new", Role.READER)
    assert store.revoke("old")
    assert store.authenticate(revoked) is None
    assert store.authenticate(kept) is not None
    assert not store.revoke("old")


def test_keys_created_or_revoked_elsewhere_are_seen_without_a_restart(path: Path) -> None:
    server = KeyStore(path)
    assert server.authenticate("c360_" + "a" * 40) is None  # the server has read the file
    cli = KeyStore(path)
    key = cli.create("late", Role.ANALYST)
    found = server.authenticate(key)
    assert found is not None and found.role is Role.ANALYST
    assert cli.revoke("late")
    assert server.authenticate(key) is None


def test_an_unchanged_file_is_not_read_again(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = KeyStore(path)
    key = store.create("dashboards", Role.READER)
    parses: list[Path] = []
    real_parse = keys_module._parse

    def counting_parse(file: Path, text: str) -> list[keys_module._Record]:
        parses.append(file)
        return real_parse(file, text)

    monkeypatch.setattr(keys_module, "_parse", counting_parse)
    for _ in range(5):
        assert store.authenticate(key) is not None
    assert len(parses) == 1


def test_the_file_is_readable_by_its_owner_only(path: Path) -> None:
    store = KeyStore(path)
    store.create("a", Role.READER)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    path.chmod(0o644)
    store.create("b", Role.READER)  # a rewrite restores the mode
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary files left


def test_the_plaintext_key_is_never_in_the_file(path: Path) -> None:
    store = KeyStore(path)
    key = store.create("dashboards", Role.ADMIN)
    text = path.read_text()
    assert key not in text
    assert key[8:] not in text  # beyond the listed prefix, nothing of the key
    assert json.loads(text)["keys"][0]["prefix"] == key[:8]


def test_a_duplicate_name_is_refused_until_the_old_key_is_revoked(path: Path) -> None:
    store = KeyStore(path)
    first = store.create("dashboards", Role.READER)
    with pytest.raises(ValueError, match="revoke it first"):
        store.create("dashboards", Role.ADMIN)
    assert store.authenticate(first) is not None
    store.revoke("dashboards")
    assert store.create("dashboards", Role.ADMIN) != first


@pytest.mark.parametrize("name", ["", " padded ", "tab\there"])
def test_unusable_names_are_refused(path: Path, name: str) -> None:
    with pytest.raises(ValueError, match="key name"):
        KeyStore(path).create(name, Role.READER)


def test_keys_are_listed_by_name_without_secrets(path: Path) -> None:
    store = KeyStore(path)
    store.create("zeta", Role.ADMIN)
    store.create("alpha", Role.READER)
    listed = store.list()
    assert [key.name for key in listed] == ["alpha", "zeta"]
    assert all(isinstance(key, ApiKey) and key.prefix.startswith("c360_") for key in listed)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("{not json", "not valid JSON"),
        ("[]", '"keys" list'),
        ('{"keys": ["x"]}', "entry 0 is not an object"),
        ('{"keys": [{"name": "a"}]}', "lacks text field"),
        (
            '{"keys": [{"name": "a", "role": "root", "created_at": "", "prefix": "", "sha256": ""}]}',
            "unknown role 'root'",
        ),
    ],
)
def test_a_malformed_file_is_named_with_what_to_do(path: Path, content: str, problem: str) -> None:
    path.parent.mkdir(parents=True)
    path.write_text(content)
    store = KeyStore(path)
    for action in (store.list, lambda: store.authenticate("c360_x")):
        with pytest.raises(KeyFileError, match=re.escape(problem)) as raised:
            action()
        assert str(path) in str(raised.value)
        assert "c360 keys create" in str(raised.value)
