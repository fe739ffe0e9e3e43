"""The Neo4j engine of the local server: Neo4j 5.26 Community with APOC, GDS and Browser.

`make neo4j` builds it from Maven Central into `tools/neo4j-server/target/neo4j/` (or set
`C360_NEO4J_DIST`); it then runs offline on the machine's JDK 17+, through the small launcher
`tools/neo4j-server/src/main/java/c360graph/neo4j/LocalNeo4j.java`. Its files live apart from
ArcadeDB's, in `C360_HOME/neo4j/`:
  server.json   ports, database, generated password, pid (mode 0600)
  password      the same password, read by the launcher when it creates the store (mode 0600)
  server.log    the launcher's console output
  data/ logs/   Neo4j's store and its own logs (debug.log, query.log)
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from c360graph.db.managed import LocalServerError, ManagedServer

NEO4J_USER = "neo4j"
_LAUNCHER = "c360graph.neo4j.LocalNeo4j"
# The checkout's build folder; an installed wheel has none, so it needs C360_NEO4J_DIST.
DEFAULT_DIST = Path(__file__).resolve().parents[2] / "tools" / "neo4j-server" / "target" / "neo4j"
# Neo4j's own launcher passes these: Netty and the page cache reach into the JDK's internals.
_JVM_FLAGS = [
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-XX:+ExitOnOutOfMemoryError",
]


def dist_is_built(dist: Path | None = None) -> bool:
    """True when `make neo4j` has built the Neo4j engine (into `dist`, or the default folder)."""
    return ((dist or DEFAULT_DIST) / ".built").exists()


def find_java() -> str | None:
    """The `java` of $JAVA_HOME, else the one on the PATH, else None."""
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").exists():
        return str(Path(java_home) / "bin" / "java")
    return shutil.which("java")


def java_major(java: str) -> int:
    """The major version of a `java` binary (17 for 17.0.15; 8 for 1.8.0)."""
    shown = subprocess.run([java, "-version"], capture_output=True, text=True, check=False)
    found = re.search(r'version "(\d+)(?:\.(\d+))?', shown.stderr + shown.stdout)
    if not found:
        return 0
    major = int(found.group(1))
    return int(found.group(2) or 0) if major == 1 else major


class Neo4jServer(ManagedServer):
    """Starts, stops and reports on the local Neo4j kept in `<home>/neo4j`."""

    engine = "neo4j"
    user = NEO4J_USER
    marker = _LAUNCHER
    ready_timeout = 180.0  # a fresh store starts twice (password first); 2 shared cores

    def __init__(
        self, home: Path, database: str = "c360", heap: str = "2g", dist: Path | None = None
    ) -> None:
        super().__init__(home, database, heap, root=home / "neo4j")
        self.dist = (dist or DEFAULT_DIST).resolve()

    @property
    def data_dir(self) -> Path:
        """Neo4j's home: data/, logs/, import/."""
        return self.root

    @property
    def password_file(self) -> Path:
        """Read by the launcher when it creates the store."""
        return self.root / "password"

    def command(self, bolt: int, http: int) -> tuple[list[str], Path]:
        """The launcher on the built classpath; LocalServerError without Java or the build."""
        if not dist_is_built(self.dist):
            raise LocalServerError(
                f"the Neo4j engine is not built ({self.dist} is missing): run `make neo4j` "
                "(needs JDK 17+ and Maven), or use ArcadeDB: C360_ENGINE=arcadedb"
            )
        java = find_java()
        if java is None:
            raise LocalServerError(
                "the Neo4j engine needs Java 17+, and no `java` is on the PATH: install "
                "openjdk-17-jre-headless or set JAVA_HOME, or use ArcadeDB: C360_ENGINE=arcadedb"
            )
        if (major := java_major(java)) < 17:
            raise LocalServerError(
                f"the Neo4j engine needs Java 17+, and {java} is Java {major}: set JAVA_HOME "
                "to a JDK 17 or 21, or use ArcadeDB: C360_ENGINE=arcadedb"
            )
        return [
            java,
            f"-Xmx{self.heap}",
            *_JVM_FLAGS,
            "-cp",
            f"{self.dist / 'c360-neo4j-server.jar'}:{self.dist / 'lib'}/*",
            _LAUNCHER,
            str(self.root),
            str(self.dist / "neo4j.conf"),
            str(self.dist / "plugins"),
            self.database,
            f"127.0.0.1:{bolt}",
            f"127.0.0.1:{http}",
            str(self.password_file),
        ], self.root

    def browser_url(self, bolt: int, http: int) -> str:
        """Neo4j Browser's address, set to connect to this server's Bolt port as neo4j."""
        return (
            f"http://127.0.0.1:{http}/browser/?dbms=neo4j://{NEO4J_USER}@127.0.0.1:{bolt}"
            f"&db={self.database}"
        )
