"""The ArcadeDB engine of the local server: ArcadeDB with its Bolt plugin, from `arcadedb-embedded`.

State lives in one folder (`C360_HOME`, default `./.c360`):
  server.json     ports, database, generated password, pid (mode 0600)
  root-password   the same password, read by ArcadeDB at start (mode 0600)
  server.log      the server's console output
  data/           ArcadeDB's root path (databases, config, log)
The Neo4j engine keeps its own files in `C360_HOME/neo4j/` (`neo4j_server.py`).
"""

from __future__ import annotations

from pathlib import Path

from c360graph.db.managed import (
    LocalServerError,
    ManagedServer,
    ServerInfo,
    free_port,
    port_is_free,
)

__all__ = [
    "ROOT_USER",
    "LocalServer",
    "LocalServerError",
    "ServerInfo",
    "free_port",
    "port_is_free",
]

ROOT_USER = "root"
_SERVER_CLASS = "com.arcadedb.server.ArcadeDBServer"


def _arcadedb_dir() -> Path:
    try:
        import arcadedb_embedded
    except ImportError as exc:
        raise LocalServerError(
            "the local graph server needs the 'local' extra: run `make install` "
            "(or `pip install 'c360graph[local]'`), or set NEO4J_URI to use Neo4j"
        ) from exc
    return Path(arcadedb_embedded.__file__).resolve().parent


class LocalServer(ManagedServer):
    """Starts, stops and reports on the ArcadeDB server kept in one home folder."""

    engine = "arcadedb"
    user = ROOT_USER
    marker = _SERVER_CLASS

    def __init__(self, home: Path, database: str = "c360", heap: str = "2g") -> None:
        super().__init__(home, database, heap, root=home)

    @property
    def data_dir(self) -> Path:
        """ArcadeDB's root path."""
        return self.home / "data"

    @property
    def password_file(self) -> Path:
        """Read by ArcadeDB through `arcadedb.server.rootPasswordPath`."""
        return self.home / "root-password"

    def command(self, bolt: int, http: int) -> tuple[list[str], Path]:
        """ArcadeDB's server with the Bolt plugin, on 127.0.0.1 only."""
        pkg = _arcadedb_dir()
        return [
            str(pkg / "jre" / "bin" / "java"),
            f"-Xmx{self.heap}",
            f"-Darcadedb.server.rootPath={self.data_dir}",
            # Read from a 0600 file so the password never shows in `ps`.
            f"-Darcadedb.server.rootPasswordPath={self.password_file}",
            "-Darcadedb.server.httpIncomingHost=127.0.0.1",
            f"-Darcadedb.server.httpIncomingPort={http}",
            "-Darcadedb.server.plugins=Bolt:com.arcadedb.bolt.BoltProtocolPlugin",
            "-Darcadedb.bolt.host=127.0.0.1",
            f"-Darcadedb.bolt.port={bolt}",
            f"-Darcadedb.server.defaultDatabases={self.database}[{ROOT_USER}]",
            "-cp",
            f"{pkg / 'jars'}/*",
            _SERVER_CLASS,
        ], self.data_dir  # ArcadeDB writes ./log relative to its working directory
