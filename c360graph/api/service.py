"""The query service: runs the API's named Cypher on the async driver and counts round trips.

Resolvers never hold Cypher; they ask loaders, and loaders ask this service. Every call is
one round trip to the graph (one auto-commit read), counted per request and in the
process-wide metrics, so a test can prove a deep query costs a bounded number of them.

The driver is opened on first use and dropped when the graph is unreachable, so the API
keeps answering (503) while the graph is down and reconnects by itself when it is back,
even if a restarted local server came back on another port.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import neo4j
from neo4j.exceptions import AuthError, ServiceUnavailable, SessionExpired, TransientError

from c360graph.api.errors import GraphDown
from c360graph.api.metrics import DB_ROUND_TRIPS, DB_SECONDS
from c360graph.config import Settings
from c360graph.db.cypher import query
from c360graph.db.graph import QUIET_NOTIFICATIONS, GraphUnavailable, graph_address

Row = dict[str, Any]
log = logging.getLogger("c360graph.api")


class RoundTrips:
    """How many graph round trips one request made."""

    def __init__(self) -> None:
        self.count = 0


class QueryService:
    """Runs named read queries in managed transactions on an async driver."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._driver: neo4j.AsyncDriver | None = None
        self._database = ""
        self._down_since: float | None = None  # logged once per outage, not per request

    def _open(self) -> neo4j.AsyncDriver:
        if self._driver is not None:
            return self._driver
        try:
            uri, auth, database = graph_address(self.settings)
        except GraphUnavailable as exc:
            self._went_down(exc)
            raise GraphDown() from exc  # the detail names server paths: logged, not answered
        self._driver = neo4j.AsyncGraphDatabase.driver(
            uri,
            auth=auth,
            max_connection_pool_size=100,
            connection_acquisition_timeout=5.0,
            connection_timeout=3.0,
            max_transaction_retry_time=2.0,
            notifications_disabled_classifications=QUIET_NOTIFICATIONS,
        )
        self._database = database
        return self._driver

    async def read(self, name: str, counter: RoundTrips | None = None, **params: Any) -> list[Row]:
        """Rows of the named read query; GraphDown when the graph cannot be reached."""
        text = query(name).text
        started = time.perf_counter()
        try:
            driver = self._open()
            # An auto-commit read is one network round trip where a managed transaction
            # takes two (BEGIN+RUN, then COMMIT); a READ session still routes to followers
            # in a cluster. A transient failure is retried once, as a managed one would be.
            for attempt in (1, 2):
                try:
                    async with driver.session(
                        database=self._database, default_access_mode=neo4j.READ_ACCESS
                    ) as session:
                        result = await session.run(text, params)
                        keys = result.keys()
                        rows = [dict(zip(keys, v, strict=True)) for v in await result.values()]
                    self._came_back()
                    return rows
                except TransientError:
                    if attempt == 2:
                        raise
            raise AssertionError("unreachable: the second attempt returns or raises")
        except (ServiceUnavailable, SessionExpired, OSError, AuthError) as exc:
            self._went_down(exc)
            await self.close()  # reconnect next time, re-reading where the graph is
            raise GraphDown() from exc
        finally:
            DB_ROUND_TRIPS.labels(query=name).inc()
            DB_SECONDS.labels(query=name).observe(time.perf_counter() - started)
            if counter is not None:
                counter.count += 1

    def _went_down(self, exc: Exception) -> None:
        if self._down_since is None:
            self._down_since = time.monotonic()
            log.warning("the graph is unreachable; answering 503 until it is back: %s", exc)

    def _came_back(self) -> None:
        if self._down_since is not None:
            log.warning(
                "the graph is reachable again after %.0fs", time.monotonic() - self._down_since
            )
            self._down_since = None

    async def ping(self) -> None:
        """Raise GraphDown unless the graph answers."""
        await self.read("schema/ping")

    async def close(self) -> None:
        """Close the driver, if open."""
        driver, self._driver = self._driver, None
        if driver is not None:
            await driver.close()
