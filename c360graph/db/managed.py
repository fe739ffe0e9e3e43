"""What every managed local graph server shares: state file, free ports, start, readiness, stop.

An engine (ArcadeDB in `local_server.py`, Neo4j in `neo4j_server.py`) says where its files
live, which command runs it and which user logs in; this module runs that command as a
daemon, waits until a real query succeeds, and stops it with SIGTERM. State lives in the
engine's folder under `C360_HOME`:
  server.json   engine, ports, database, generated password, pid (mode 0600)
  server.log    the server's console output
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import time
from contextlib import closing
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import ClassVar

import neo4j
from neo4j.exceptions import (
    AuthError,
    ClientError,
    DatabaseUnavailable,
    ServiceUnavailable,
    SessionExpired,
)

from c360graph.db.cypher import query


class LocalServerError(RuntimeError):
    """The local server could not be started, found or stopped; the message says why."""


@dataclass(frozen=True)
class ServerInfo:
    """Where a local server listens and how to log in."""

    pid: int
    bolt_port: int
    http_port: int
    database: str
    password: str = field(repr=False)  # never in logs or tracebacks
    user: str = "root"
    engine: str = "arcadedb"  # server.json files written before Neo4j was an engine lack it

    @property
    def uri(self) -> str:
        """The Bolt URI of the server."""
        return f"bolt://127.0.0.1:{self.bolt_port}"


def port_is_free(port: int) -> bool:
    """True when nothing listens on 127.0.0.1:port."""
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on right now."""
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ManagedServer:
    """Starts, stops and reports on one engine's server kept in one folder."""

    engine: ClassVar[str]
    user: ClassVar[str]
    # Found in the server's command line, with `data_dir`: proves a pid is still ours.
    marker: ClassVar[str]
    ready_timeout: ClassVar[float] = 90.0

    def __init__(self, home: Path, database: str, heap: str, root: Path) -> None:
        self.home = home.resolve()
        self.database = database
        self.heap = heap
        self.root = root.resolve()
        self.state_file = self.root / "server.json"
        self.log_file = self.root / "server.log"

    # -- what an engine provides ---------------------------------------------------------
    @property
    def data_dir(self) -> Path:
        """The folder holding the engine's data (in its command line)."""
        raise NotImplementedError

    @property
    def password_file(self) -> Path:
        """The 0600 file the server reads its password from."""
        raise NotImplementedError

    def command(self, bolt: int, http: int) -> tuple[list[str], Path]:
        """The server's command line and working directory; LocalServerError if it cannot run."""
        raise NotImplementedError

    # -- state ---------------------------------------------------------------------------
    def _saved(self) -> dict[str, object]:
        if not self.state_file.exists():
            return {}
        loaded = json.loads(self.state_file.read_text(encoding="utf-8"))
        return loaded if isinstance(loaded, dict) else {}

    def _save(self, info: ServerInfo) -> None:
        _write_private(self.state_file, json.dumps(asdict(info), indent=2))

    def _password(self) -> str:
        # The password is fixed when the engine first creates its data folder.
        saved = self._saved().get("password")
        return saved if isinstance(saved, str) and saved else secrets.token_urlsafe(24)

    def info(self) -> ServerInfo | None:
        """The running server's details, or None when it is not running."""
        saved = self._saved()
        if not saved:
            return None
        info = ServerInfo(**saved)  # type: ignore[arg-type]
        return info if self._is_our_process(info.pid) else None

    def _is_our_process(self, pid: int) -> bool:
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
        except OSError:
            return False
        # Guards against a recycled pid now owned by another program.
        return self.marker in cmdline and str(self.data_dir) in cmdline and _running(pid)

    # -- start ---------------------------------------------------------------------------
    def start(
        self,
        bolt_port: int | None = None,
        http_port: int | None = None,
        timeout: float | None = None,
    ) -> ServerInfo:
        """Start the server (or return the running one) and wait until it answers queries."""
        running = self.info()
        if running:
            return running
        saved = self._saved()
        bolt = self._choose_port(bolt_port, saved.get("bolt_port"), "--bolt-port")
        http = self._choose_port(http_port, saved.get("http_port"), "--http-port", avoid=bolt)
        password = self._password()
        self.root.mkdir(parents=True, exist_ok=True)
        _write_private(self.password_file, password)
        command, cwd = self.command(bolt, http)
        cwd.mkdir(parents=True, exist_ok=True)
        # `sh -c '... &'` daemonizes: the server is re-parented to init and outlives the CLI,
        # and no child process object lingers here.
        launched = subprocess.run(
            [
                "/bin/sh",
                "-c",
                '"$@" >>"$C360_SERVER_LOG" 2>&1 </dev/null & echo $!',
                "c360",
                *command,
            ],
            cwd=cwd,
            env={**os.environ, "C360_SERVER_LOG": str(self.log_file)},
            capture_output=True,
            text=True,
            check=True,
            start_new_session=True,
        )
        pid = int(launched.stdout.strip())
        info = ServerInfo(pid, bolt, http, self.database, password, self.user, self.engine)
        self._save(info)
        self._wait_until_ready(info, self.ready_timeout if timeout is None else timeout)
        return info

    def _choose_port(
        self, wanted: int | None, previous: object, flag: str, avoid: int | None = None
    ) -> int:
        if wanted is not None:
            if not port_is_free(wanted):
                raise LocalServerError(
                    f"port {wanted} is already in use on 127.0.0.1; pick another with {flag} "
                    "or stop the program using it (`ss -ltnp` shows which)"
                )
            return wanted
        # Reuse last time's port so bookmarks and notebooks keep working.
        if isinstance(previous, int) and previous != avoid and port_is_free(previous):
            return previous
        port = free_port()
        while port == avoid:
            port = free_port()
        return port

    def _wait_until_ready(self, info: ServerInfo, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        last_error = "no answer yet"
        driver = neo4j.GraphDatabase.driver(info.uri, auth=(info.user, info.password))
        try:
            while time.monotonic() < deadline:
                # Not _is_our_process: while the launcher execs java, cmdline reads empty.
                if not _running(info.pid):
                    raise LocalServerError(
                        "the graph server stopped while starting.\n"
                        f"Last lines of {self.log_file}:\n{self.log_tail()}"
                    )
                # The Bolt port opens before the database is usable: only a query proves it.
                try:
                    with driver.session(database=info.database) as session:
                        session.run(query("schema/ping").text).consume()
                    return
                except (ServiceUnavailable, SessionExpired, DatabaseUnavailable, OSError) as exc:
                    last_error = str(exc)
                except ClientError as exc:
                    # ArcadeDB creates the default database a moment after Bolt answers.
                    if exc.code != "Neo.ClientError.Database.DatabaseNotFound":
                        raise
                    last_error = "database not created yet"
                except AuthError as exc:
                    self.stop()
                    raise LocalServerError(
                        f"the server in {self.data_dir} rejected the saved password; its data "
                        f"folder was created with another one. Restore {self.state_file} or "
                        f"move {self.data_dir} aside to start afresh."
                    ) from exc
                time.sleep(0.2)
        finally:
            driver.close()
        self.stop()
        raise LocalServerError(
            f"the graph server did not answer within {timeout:.0f}s ({last_error}).\n"
            f"Last lines of {self.log_file}:\n{self.log_tail()}"
        )

    # -- stop ----------------------------------------------------------------------------
    def stop(self, timeout: float = 60.0) -> bool:
        """Stop the server cleanly (SIGTERM, then SIGKILL after timeout); False if not running."""
        saved = self._saved()
        pid = saved.get("pid")
        if not isinstance(pid, int) or not self._is_our_process(pid):
            return False
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self._is_our_process(pid):
            time.sleep(0.1)
        if self._is_our_process(pid):
            os.kill(pid, signal.SIGKILL)
            while self._is_our_process(pid):
                time.sleep(0.05)
        return True

    def kill(self) -> None:
        """Kill the server with SIGKILL, as a crash would (for fault tests)."""
        info = self.info()
        if info:
            os.kill(info.pid, signal.SIGKILL)
            while self._is_our_process(info.pid):
                time.sleep(0.05)

    def log_tail(self, lines: int = 15) -> str:
        """The last lines of the server's console log."""
        if not self.log_file.exists():
            return "(no log yet)"
        return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])


def _running(pid: int) -> bool:
    """True while the process exists and is not dying (a killed one is Z/X until freed)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    fields = stat.rsplit(")", 1)[-1].split()  # "pid (comm) S ...": comm may hold spaces
    return bool(fields) and fields[0] not in ("Z", "X")


def _write_private(path: Path, text: str) -> None:
    """Write a file only its owner can read (it holds the password)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    tmp.replace(path)
