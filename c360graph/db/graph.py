"""The graph connection: a `neo4j` driver that runs named queries in routed transactions."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import neo4j
from neo4j.exceptions import AuthError, Neo4jError, ServiceUnavailable

from c360graph.config import Settings
from c360graph.db.cypher import query
from c360graph.db.engines import local_server
from c360graph.db.values import rows

Params = Mapping[str, Any]
Row = dict[str, Any]

# Neo4j reports "the property `x` does not exist" for every query that names a property, label
# or type the graph does not hold yet (a fresh graph, an optional field); the driver logged each
# as a WARNING to stderr. Deprecations and the rest still come through.
QUIET_NOTIFICATIONS = [neo4j.NotificationDisabledClassification.UNRECOGNIZED]


class GraphUnavailable(RuntimeError):
    """The graph cannot be reached; the message says how to fix that."""


class Graph:
    """Runs named queries: reads in read transactions and writes in write transactions.

    Managed transactions let a Neo4j cluster route reads to followers and writes to the
    leader, and retry transient failures.
    """

    def __init__(self, driver: neo4j.Driver, database: str, description: str) -> None:
        self.driver = driver
        self.database = database
        self.description = description

    def read(self, name: str, **params: Any) -> list[Row]:
        """Run the named read query and return its rows as dicts."""
        text = query(name).text
        with self.driver.session(database=self.database) as session:
            return session.execute_read(lambda tx: rows(tx.run(text, params)))

    def stream(self, name: str, **params: Any) -> Iterator[Row]:
        """Run the named read query and yield its rows one by one (for large exports)."""
        text = query(name).text
        with self.driver.session(
            database=self.database, default_access_mode=neo4j.READ_ACCESS, fetch_size=5000
        ) as session:
            result = session.run(text, params)
            keys = result.keys()
            for record in result:
                yield dict(zip(keys, record, strict=True))

    def write(self, name: str, **params: Any) -> Row:
        """Run the named write query in one transaction; return its update counters."""
        return self.write_all([(name, params)])

    def write_returning(self, name: str, **params: Any) -> list[Row]:
        """Run the named write query in one transaction and return its rows."""
        text = query(name).text
        with self.driver.session(database=self.database) as session:
            return session.execute_write(lambda tx: rows(tx.run(text, params)))

    def write_all(self, steps: Iterable[tuple[str, Params]]) -> Row:
        """Run several named write queries in one transaction; return summed update counters."""
        prepared = [(query(name).text, dict(params)) for name, params in steps]

        def work(tx: neo4j.ManagedTransaction) -> Row:
            totals: Row = {}
            for text, params in prepared:
                counters = tx.run(text, params).consume().counters
                for key, value in vars(counters).items():
                    if isinstance(value, int) and not isinstance(value, bool):
                        totals[key] = totals.get(key, 0) + value
            return totals

        with self.driver.session(database=self.database) as session:
            return session.execute_write(work)

    def run_script(self, name: str) -> int:
        """Run every statement of a multi-statement file, each on its own; return how many."""
        statements = query(name).statements
        with self.driver.session(database=self.database) as session:
            for statement in statements:
                session.run(statement).consume()  # schema statements need auto-commit
        return len(statements)

    def ping(self) -> None:
        """Raise GraphUnavailable unless the database answers a query."""
        try:
            with self.driver.session(database=self.database) as session:
                session.run(query("schema/ping").text).consume()
        except (ServiceUnavailable, OSError) as exc:
            raise GraphUnavailable(f"cannot reach the graph at {self.description}: {exc}") from exc
        except AuthError as exc:
            raise GraphUnavailable(
                f"the graph at {self.description} rejected the credentials; "
                "check NEO4J_USER / NEO4J_PASSWORD"
            ) from exc

    def close(self) -> None:
        """Close the driver and its connections."""
        self.driver.close()

    def __enter__(self) -> Graph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def graph_address(settings: Settings) -> tuple[str, tuple[str, str], str]:
    """URI, credentials and database of the configured graph; GraphUnavailable if not running."""
    if settings.uses_local_server:
        server = local_server(settings.local)
        info = server.info()
        if info is None:
            raise GraphUnavailable(
                f"the local graph server ({server.engine}, {server.home}) is not running: "
                "start it with `c360 db start`, or set NEO4J_URI to use a Neo4j server"
            )
        return info.uri, (info.user, info.password), info.database
    auth = (settings.neo4j.user, settings.neo4j.password or "")
    return settings.neo4j.uri or "", auth, settings.neo4j.database


def connect(settings: Settings) -> Graph:
    """Open the configured graph: Neo4j when NEO4J_URI is set, else the local server."""
    uri, auth, database = graph_address(settings)
    # A stopped local server does not come back by itself: give up sooner than the driver's
    # 30 s default, which suits a cluster electing a new leader.
    retry = 10.0 if settings.uses_local_server else 30.0
    driver = neo4j.GraphDatabase.driver(
        uri,
        auth=auth,
        max_connection_pool_size=50,
        max_transaction_retry_time=retry,
        notifications_disabled_classifications=QUIET_NOTIFICATIONS,
    )
    graph = Graph(driver, database, f"{uri} (database {database})")
    try:
        graph.ping()
    except (GraphUnavailable, Neo4jError):
        graph.close()
        raise
    return graph
