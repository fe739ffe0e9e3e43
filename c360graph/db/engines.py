"""Which engine runs the local server: `C360_ENGINE=neo4j|arcadedb` (config: `local.engine`).

Unset, the choice is made so that every command after `make demo` finds the same graph:
  1. a server already running in `C360_HOME` (Neo4j's, else ArcadeDB's) is the one used;
  2. else Neo4j, when `make neo4j` has built it and Java is on the PATH (production runs Neo4j,
     and its Browser is what the data scientists use);
  3. else ArcadeDB, which needs no JDK or Maven.
"""

from __future__ import annotations

from c360graph.config import LocalSettings
from c360graph.db.local_server import LocalServer
from c360graph.db.managed import ManagedServer
from c360graph.db.neo4j_server import Neo4jServer, dist_is_built, find_java


def server_for(local: LocalSettings, engine: str) -> ManagedServer:
    """The local server of one engine, in the configured home."""
    if engine == "neo4j":
        return Neo4jServer(local.home, local.database, local.heap, local.neo4j_dist)
    return LocalServer(local.home, local.database, local.heap)


def neo4j_available(local: LocalSettings) -> bool:
    """True when the Neo4j engine is built and a `java` is on the PATH."""
    return dist_is_built(local.neo4j_dist) and find_java() is not None


def choose_engine(local: LocalSettings) -> str:
    """The configured engine, else the running one, else Neo4j when available, else ArcadeDB."""
    if local.engine:
        return local.engine
    for engine in ("neo4j", "arcadedb"):
        if server_for(local, engine).info() is not None:
            return engine
    return "neo4j" if neo4j_available(local) else "arcadedb"


def local_server(local: LocalSettings) -> ManagedServer:
    """The local server that commands use (see the module docstring for the choice)."""
    return server_for(local, choose_engine(local))


def fallback_note(local: LocalSettings, engine: str) -> str | None:
    """One line saying why ArcadeDB runs when no engine was asked for, else None."""
    if local.engine or engine != "arcadedb" or neo4j_available(local):
        return None
    return (
        "note: using ArcadeDB; for Neo4j (what production runs, with Neo4j Browser) "
        "run `make neo4j` (needs JDK 17+ and Maven)"
    )
