"""Security as shipped: auth by default, secrets in no log or output, a loopback-only graph.

Real processes throughout: `c360 serve` under uvicorn, `c360 db start` on a fresh home, the
session's graph server (ArcadeDB or Neo4j, as `pytest --engine` says). tests/api/test_protection.py already proves a request without a
valid key gets 401 and tests/integration/test_local_server.py that server.json and
root-password are 0600 and the password is not on the server's command line; this file does
not repeat them.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import os
import re
import shutil
import socket
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import neo4j
import pytest
from neo4j.exceptions import AuthError, ClientError

from c360graph.api.keys import KeyStore, Role
from c360graph.config import load_settings
from c360graph.db.managed import ServerInfo
from tests.helpers import c360_env, engine_server, run_engine, serving
from tests.integration.test_cli import c360

GRAPHQL = {"query": "{ __typename }"}
INGEST = (
    'mutation($records: [JSON!]!) { ingestRecords(source: "sectest", kind: CUSTOMERS, '
    "records: $records) { read created rejected } }"
)
NOTE = 'mutation($text: String!) { addNote(identityId: "id_missing", text: $text) { id } }'
DEV_WARNING = "DEV MODE: requests without an API key act as ADMIN. Never expose this server."
# Per engine: each one's own default passwords, an HTTP request that needs a login, the words
# it logs a refused login with. Neo4j locks a user for 5 s after 3 wrong passwords in a row
# (until a right one), so it is tried with 3 at most.
DEFAULT_PASSWORDS = {
    "arcadedb": ("", "root", "playwithdata", "arcadedb", "password"),
    "neo4j": ("", "neo4j", "password"),
}
REFUSAL_LOGGED = {"arcadedb": "User/Password not valid", "neo4j": "Failed authentication attempt"}
NEO4J_LOCK_SECONDS = 5.5


def _http_needing_login(info: ServerInfo, auth: tuple[str, str] | None = None) -> int:
    """The status of an HTTP request that only a logged-in user may make."""
    base = f"http://127.0.0.1:{info.http_port}"
    if info.engine == "neo4j":
        return httpx.post(
            f"{base}/db/{info.database}/tx/commit", json={"statements": []}, auth=auth
        ).status_code
    return httpx.get(f"{base}/api/v1/databases", auth=auth).status_code


def _after_wrong_passwords(info: ServerInfo) -> None:
    """Wait until the right password logs in again, so later tests can open connections.

    Neo4j locks the user for 5 s after 3 wrong passwords (a right one then resets the count).
    On ArcadeDB, after these tests' wrong logins over Bolt and HTTP, the next `c360` process
    was refused with the right password unless one right login came first.
    """
    if info.engine == "neo4j":
        time.sleep(NEO4J_LOCK_SECONDS)
    deadline = time.monotonic() + 120
    while True:
        try:
            _log_in(info, info.password)
            return
        except (AuthError, ClientError):
            if time.monotonic() > deadline:
                raise
            time.sleep(1)


@dataclass(frozen=True)
class Keys:
    """A keys file with an admin and a reader key, and what a log must never show."""

    path: Path
    admin: str
    reader: str

    def secrets(self) -> dict[str, str]:
        """Each key and each stored hash, by a label for the failure message."""
        stored = json.loads(self.path.read_text(encoding="utf-8"))["keys"]
        return {
            "admin key": self.admin,
            "reader key": self.reader,
            **{f"hash of {entry['name']}": entry["sha256"] for entry in stored},
        }


def _listening(pid: int) -> set[tuple[str, int]]:
    """(address, port) of every TCP socket process `pid` listens on, from /proc."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:  # closed since listed
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and fields[9] in inodes:  # 0A: LISTEN
                found.add(_address(fields[1]))
    return found


def _address(field: str) -> tuple[str, int]:
    """'0100007F:1F90' -> ('127.0.0.1', 8080): /proc keeps each 32-bit word in host order."""
    host, port = field.split(":")
    raw = bytes.fromhex(host)
    words = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
    address = ipaddress.ip_address(words)
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return str(address), int(port, 16)


def _outward_address() -> str | None:
    """This machine's address on its default route, or None if it only has loopback."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: no packet is sent for UDP connect
        except OSError:
            return None
        address = str(probe.getsockname()[0])
    return None if ipaddress.ip_address(address).is_loopback else address


def _log_in(server: ServerInfo, password: str) -> None:
    """Open a Bolt connection to `server` as root with `password`."""
    with neo4j.GraphDatabase.driver(server.uri, auth=(server.user, password)) as driver:
        driver.verify_connectivity()


def _leaks(text: str, secrets: dict[str, str]) -> list[str]:
    return sorted(label for label, secret in secrets.items() if secret and secret in text)


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> Keys:
    """A fresh keys file holding one admin and one reader key."""
    path = tmp_path_factory.mktemp("security-keys") / "api-keys.json"
    store = KeyStore(path)
    return Keys(
        path, store.create("sec-admin", Role.ADMIN), store.create("sec-reader", Role.READER)
    )


@pytest.fixture(scope="module")
def session_server(server_home: Path) -> ServerInfo:
    """The session's running graph server: ports, pid and password."""
    info = engine_server(server_home, database="c360test").info()
    assert info is not None
    return info


@pytest.fixture(scope="module")
def fresh_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """A home started from nothing by `c360 db start`, and what that command printed."""
    home = tmp_path_factory.mktemp("security-fresh") / "home"
    started = c360(c360_env(home, C360_HEAP="512m"), "db", "start")
    try:
        assert started.returncode == 0, started.stderr
        yield home, started.stdout + started.stderr
    finally:
        engine_server(home).stop()
        shutil.rmtree(home, ignore_errors=True)


# -- auth by default -------------------------------------------------------------------------


def test_serve_without_keys_or_dev_says_so_and_refuses_every_graphql_request(
    server_home: Path, tmp_path: Path
) -> None:
    """No keys file and no --dev: the server starts, says every request will be refused, and
    answers 401 with or without a key, on 127.0.0.1 only."""
    missing = tmp_path / "no-keys.json"
    env = c360_env(server_home, C360_API_KEYS_FILE=str(missing))
    with serving(env, tmp_path / "api.log") as served:
        refused = [
            httpx.post(f"{served.url}/graphql", json=GRAPHQL, headers=headers)
            for headers in ({}, {"Authorization": "Bearer c360_made-up"}, {"X-API-Key": "x"})
        ]
        assert httpx.get(f"{served.url}/healthz").status_code == 200
        bound = _listening(served.pid)
    assert [r.status_code for r in refused] == [401, 401, 401]
    assert all(r.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED" for r in refused)
    assert refused[0].headers["WWW-Authenticate"] == "Bearer"
    output = served.log.read_text()
    assert f"no API keys yet ({missing}); every request will be refused" in output
    assert "c360 keys create NAME --role analyst" in output
    assert "DEV MODE" not in output
    assert bound == {("127.0.0.1", served.port)}
    assert not missing.exists()  # serving creates no keys behind the operator's back


def test_dev_mode_warns_loudly_and_lets_keyless_requests_act_as_admin_but_not_wrong_keys(
    server_home: Path, keys: Keys, tmp_path: Path
) -> None:
    """`--dev` prints the warning before serving; a keyless mutation gets past auth as admin."""
    env = c360_env(server_home, C360_API_KEYS_FILE=str(keys.path))
    with serving(env, tmp_path / "dev.log", "--dev") as served:
        keyless = httpx.post(
            f"{served.url}/graphql", json={"query": NOTE, "variables": {"text": "hi"}}
        )
        wrong = httpx.post(
            f"{served.url}/graphql", json=GRAPHQL, headers={"Authorization": "Bearer c360_no"}
        )
    output = served.log.read_text()
    assert DEV_WARNING in output
    assert output.index(DEV_WARNING) < output.index("c360graph API on http://")
    # Admin: past auth and the role check, stopped only because the identity does not exist.
    assert keyless.status_code == 200
    assert [e["extensions"]["code"] for e in keyless.json()["errors"]] == ["NOT_FOUND"]
    assert wrong.status_code == 401  # a wrong key is still refused, even in dev mode


def test_serve_help_says_dev_is_for_local_use_and_binds_loopback_by_default() -> None:
    """The help names the risk of --dev and the default host is 127.0.0.1."""
    result = c360(c360_env(Path("/nonexistent")), "serve", "--help")
    assert result.returncode == 0, result.stderr
    text = " ".join(result.stdout.split())
    assert "act as admin. Local use only, never in production." in text
    assert "--host TEXT Interface to bind. [default: 127.0.0.1]" in text


# -- secrets never logged ------------------------------------------------------------------


def test_the_api_log_holds_no_key_key_hash_or_graph_password(
    server_home: Path, session_server: ServerInfo, keys: Keys, tmp_path: Path
) -> None:
    """Good and bad keys in both headers, GET and POST, a mutation with values, at debug
    level: the server's whole output shows none of the keys, hashes or the graph password."""
    wrong = "c360_" + "W" * 40
    note = "note-value-7f3a9c"
    email = "leak-check-7f3a9c@example.com"
    env = c360_env(server_home, C360_API_KEYS_FILE=str(keys.path))
    with serving(env, tmp_path / "api.log", "--log-level", "debug") as served:
        url = f"{served.url}/graphql"
        answers = {
            "bearer": httpx.post(
                url, json=GRAPHQL, headers={"Authorization": f"Bearer {keys.admin}"}
            ),
            "x-api-key": httpx.post(url, json=GRAPHQL, headers={"X-API-Key": keys.reader}),
            "get": httpx.get(
                url, params=GRAPHQL, headers={"Authorization": f"Bearer {keys.reader}"}
            ),
            "wrong bearer": httpx.post(
                url, json=GRAPHQL, headers={"Authorization": f"Bearer {wrong}"}
            ),
            "wrong x-api-key": httpx.post(url, json=GRAPHQL, headers={"X-API-Key": wrong}),
            "reader mutation": httpx.post(
                url,
                json={"query": NOTE, "variables": {"text": note}},
                headers={"X-API-Key": keys.reader},
            ),
            "note": httpx.post(
                url,
                json={"query": NOTE, "variables": {"text": note}},
                headers={"Authorization": f"Bearer {keys.admin}"},
            ),
            "ingest": httpx.post(
                url,
                json={
                    "query": INGEST,
                    "variables": {"records": [{"source_id": "S1", "email": email}]},
                },
                headers={"Authorization": f"Bearer {keys.admin}"},
                timeout=60,
            ),
            "ready": httpx.get(f"{served.url}/readyz"),
            "metrics": httpx.get(f"{served.url}/metrics"),
        }
    statuses = {name: answer.status_code for name, answer in answers.items()}
    assert statuses == {
        **dict.fromkeys(answers, 200),
        "wrong bearer": 401,
        "wrong x-api-key": 401,
    }
    ingested = answers["ingest"].json()["data"]["ingestRecords"]
    assert (ingested["read"], ingested["rejected"]) == (1, 0)
    log = served.log.read_text()
    assert "Application startup complete" in log  # the output was captured
    secrets = {**keys.secrets(), "wrong key": wrong, "graph password": session_server.password}
    assert _leaks(log, secrets) == []
    assert _leaks(log, {"note": note, "email": email}) == []  # nor the values sent
    for answer in answers.values():
        assert _leaks(answer.text, secrets) == []  # no answer echoes a key either


def test_cli_output_shows_no_password_key_or_key_hash(
    server_home: Path, session_server: ServerInfo, keys: Keys
) -> None:
    """db status, start (running), migrate, keys list and create, serve --help: no secret."""
    env = c360_env(server_home, C360_API_KEYS_FILE=str(keys.path))
    commands = [
        ["db", "status"],
        ["db", "start"],
        ["db", "migrate"],
        ["keys", "list"],
        ["serve", "--help"],
        ["--help"],
    ]
    secrets = {**keys.secrets(), "graph password": session_server.password}
    for command in commands:
        result = c360(env, *command)
        assert result.returncode == 0, (command, result.stderr)
        assert _leaks(result.stdout + result.stderr, secrets) == [], command
    created = c360(env, "keys", "create", "sec-once", "--role", "reader")
    assert created.returncode == 0, created.stderr
    new_key = created.stdout.strip()  # printed once, alone on stdout, by design
    assert re.fullmatch(r"c360_[A-Za-z0-9_-]{40}", new_key)
    everything = {**keys.secrets(), "graph password": session_server.password, "new": new_key}
    assert _leaks(created.stderr, everything) == []
    assert (
        _leaks(created.stdout, keys.secrets() | {"graph password": session_server.password}) == []
    )
    assert hashlib.sha256(new_key.encode()).hexdigest() not in created.stdout + created.stderr


def test_db_start_on_a_fresh_home_shows_no_password(fresh_home: tuple[Path, str]) -> None:
    """The first `c360 db start` says where the credentials are, not what they are."""
    home, output = fresh_home
    server = engine_server(home)
    password = server.password_file.read_text(encoding="utf-8")
    assert f"graph server ({run_engine()}) started: bolt://127.0.0.1:" in output
    assert f"credentials in {server.state_file}" in output
    assert password not in output


def test_graph_server_logs_hold_no_password_even_after_failed_logins(
    server_home: Path, session_server: ServerInfo
) -> None:
    """Wrong passwords over Bolt and HTTP are refused and logged without either password."""
    tried = "Wrong-Password-9b1e"
    try:
        with pytest.raises(AuthError):
            _log_in(session_server, tried)
        assert _http_needing_login(session_server, (session_server.user, tried)) in (401, 403)
    finally:
        _after_wrong_passwords(session_server)
    time.sleep(0.5)  # ArcadeDB's log handler flushes on its own thread
    text = "\n".join(
        path.read_text(errors="replace") for path in server_home.rglob("*.log") if path.is_file()
    )
    assert REFUSAL_LOGGED[session_server.engine] in text  # the refusal is logged...
    assert _leaks(text, {"password": session_server.password, "tried": tried}) == []  # ...bare


def test_secret_holding_objects_keep_secrets_out_of_their_repr() -> None:
    """Settings (Neo4j password, id pepper) and ServerInfo print without their secrets, so a
    log line or traceback showing them cannot leak one."""
    password, pepper = "s3cret-neo4j-password-1234", "s3cret-pepper-5678"
    settings = load_settings(
        {"NEO4J_URI": "neo4j://db:7687", "NEO4J_PASSWORD": password, "C360_ID_PEPPER": pepper},
        config_file=Path("/dev/null"),
    )
    info = ServerInfo(pid=1, bolt_port=2, http_port=3, database="c360", password=password)
    assert (settings.neo4j.password, settings.ingest.id_pepper, info.password) == (
        password,
        pepper,
        password,
    )
    shown = {"settings": repr(settings), "neo4j": str(settings.neo4j), "info": repr(info)}
    assert {
        name: _leaks(text, {"pw": password, "pepper": pepper}) for name, text in shown.items()
    } == {name: [] for name in shown}
    assert "neo4j://db:7687" in shown["settings"] and "bolt_port=2" in shown["info"]


# -- the local graph server --------------------------------------------------------------------


def test_the_graph_server_listens_on_127_0_0_1_only(session_server: ServerInfo) -> None:
    """Every listening socket of the graph server is on 127.0.0.1: Bolt and HTTP, no more."""
    assert _listening(session_server.pid) == {
        ("127.0.0.1", session_server.bolt_port),
        ("127.0.0.1", session_server.http_port),
    }
    outward = _outward_address()
    if outward is None:
        return  # only loopback here: nothing else to try
    for port in (session_server.bolt_port, session_server.http_port):
        with pytest.raises((ConnectionRefusedError, TimeoutError)):
            socket.create_connection((outward, port), timeout=5).close()


def test_the_graph_refuses_bolt_and_http_without_the_generated_password(
    session_server: ServerInfo,
) -> None:
    """No default password of the engine works; HTTP without credentials gets 401."""
    try:
        for password in DEFAULT_PASSWORDS[session_server.engine]:
            with pytest.raises(AuthError):
                _log_in(session_server, password)
        assert _http_needing_login(session_server) == 401
        if session_server.engine == "arcadedb":
            http = f"http://127.0.0.1:{session_server.http_port}/api/v1"
            command = f"{http}/command/{session_server.database}"
            assert httpx.post(command, json={}).status_code == 401
    finally:
        _after_wrong_passwords(session_server)


def test_the_password_is_generated_long_random_and_different_per_home(
    session_server: ServerInfo, fresh_home: tuple[Path, str]
) -> None:
    """32 url-safe random characters, unlike another home's, kept only in 0600 files."""
    home, _ = fresh_home
    fresh = json.loads(engine_server(home).state_file.read_text(encoding="utf-8"))["password"]
    for password in (session_server.password, fresh):
        assert re.fullmatch(r"[A-Za-z0-9_-]{32}", password)  # secrets.token_urlsafe(24)
        assert len(set(password)) >= 12  # not a repeated or patterned string
    assert fresh != session_server.password
    server = engine_server(home)
    assert server.password_file.read_text(encoding="utf-8") == fresh
    holding = sorted(
        path.relative_to(home).as_posix()
        for path in home.rglob("*")
        if path.is_file() and fresh.encode() in path.read_bytes()
    )
    # not in logs, config or data files
    assert holding == sorted(
        path.relative_to(home).as_posix() for path in (server.password_file, server.state_file)
    )
    for name in holding:
        assert stat.S_IMODE((home / name).stat().st_mode) == 0o600


def test_dev_mode_refuses_to_serve_beyond_loopback(cli_env: dict[str, str]) -> None:
    result = c360(cli_env, "serve", "--dev", "--host", "0.0.0.0", "--port", "1")
    assert result.returncode == 1
    assert "only serves on 127.0.0.1" in result.stderr and "c360 keys create" in result.stderr
