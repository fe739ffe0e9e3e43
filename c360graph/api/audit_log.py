"""The audit log of unmasked personal data: one JSON line per request that showed some.

An entry says who (the API key's name and role), when, through which operation and root
fields, whose data (identity ids, record keys; ring ids or `shared_identifiers` for fraud
review) and which kinds of it (email, phone, address, date_of_birth). Never the values.

Where, decided: append-only JSON Lines files under `<C360_HOME>/audit` (`C360_AUDIT_DIR`,
`api.audit_dir`), one per UTC day and host, `pii-views-2026-12-07.<host>.jsonl`, not nodes
in the graph:
- volume: an analyst's every read shows personal data, so the log takes a line per request
  (500 a second at the API's goal). As graph nodes, each read would become a write, taking
  the single writer from ingest and resolution on ArcadeDB and swelling the customer graph,
  its page cache and its backups; a line appended to a file costs microseconds;
- independence: the log must outlive what happens to the data it audits (erasure,
  `schema/clear_all`, restoring a backup of the graph), and keeps being written while an
  operator rebuilds the graph;
- tools: JSON Lines is what log shippers read (Vector, Fluent Bit, Filebeat) to take the log
  to a SIEM; a day per file makes retention a file deletion (`c360 audit prune`).
Several hosts may share one directory (each writes its own files; `read` merges them).

Writing never blocks a request: `append` puts the entry on a queue; one thread per process
writes what has queued as one `write` to a file opened `O_APPEND` (Linux does not interleave
two processes' writes to a regular file, so the workers of one host share a day file), then
fsyncs at most once per FSYNC_SECONDS. What is queued is written within milliseconds; a
process killed with SIGKILL loses what it had not written yet, a power cut what was not yet
fsynced (at most FSYNC_SECONDS). Files and directory are readable by their owner only.
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

FSYNC_SECONDS = 1.0
log = logging.getLogger("c360graph.api")
_FILE = re.compile(r"^pii-views-(\d{4}-\d{2}-\d{2})\.[^/]+\.jsonl$")


@dataclass(frozen=True)
class PiiView:
    """One request that showed unmasked personal data: who, when, whose and which kinds."""

    id: str
    at: datetime  # UTC
    key: str  # the API key's name
    role: str
    operation: str | None  # the GraphQL operation's name, if it had one
    root_fields: tuple[str, ...]  # the root fields asked (identitiesByPhone, ...)
    fields: tuple[str, ...]  # the kinds shown unmasked: email, phone, address, date_of_birth
    identities: tuple[str, ...]
    records: tuple[str, ...]
    other: tuple[str, ...] = ()  # ring:<id>, shared_identifiers, explanation

    def line(self) -> bytes:
        """The entry as one JSON line."""
        body = {
            "id": self.id,
            "at": self.at.isoformat(),
            "key": self.key,
            "role": self.role,
            "operation": self.operation,
            "root_fields": list(self.root_fields),
            "fields": list(self.fields),
            "identities": list(self.identities),
            "records": list(self.records),
            "other": list(self.other),
        }
        return orjson.dumps(body) + b"\n"

    @classmethod
    def of(cls, body: dict[str, Any]) -> PiiView:
        """An entry from its JSON object; KeyError or ValueError when it is not one."""
        at = datetime.fromisoformat(body["at"])
        return cls(
            id=str(body["id"]),
            at=at if at.tzinfo else at.replace(tzinfo=UTC),
            key=str(body["key"]),
            role=str(body["role"]),
            operation=body.get("operation"),
            root_fields=tuple(body.get("root_fields") or ()),
            fields=tuple(body.get("fields") or ()),
            identities=tuple(body.get("identities") or ()),
            records=tuple(body.get("records") or ()),
            other=tuple(body.get("other") or ()),
        )


def new_id() -> str:
    """A unique, time-ordered entry id (nanoseconds, then random bits)."""
    return f"{time.time_ns():x}{os.urandom(4).hex()}"


_STOP = object()


class AuditLog:
    """The PII audit log in one directory: appended to by a writer thread, read by anyone."""

    def __init__(self, directory: Path, host: str | None = None) -> None:
        """A log in `directory` (created on the first write), writing as `host`."""
        self.directory = directory
        self.host = re.sub(r"[^A-Za-z0-9_.-]", "_", host or socket.gethostname()) or "host"
        self._queue: queue.Queue[object] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._open: tuple[date, int] | None = None  # the day file being appended to
        self._synced = time.monotonic()
        self.failures = 0  # batches that could not be written (each logged as an error)

    # -- writing ---------------------------------------------------------------------------

    def append(self, entry: PiiView) -> None:
        """Queue an entry for writing; returns at once."""
        if self._thread is None:
            with self._lock:
                if self._thread is None:
                    self._thread = threading.Thread(
                        target=self._run, name="c360-audit-writer", daemon=True
                    )
                    self._thread.start()
        self._queue.put(entry)

    def flush(self) -> None:
        """Wait until everything appended so far is written."""
        if self._thread is not None:
            self._queue.join()

    def close(self) -> None:
        """Write what is queued, fsync, and stop the writer thread."""
        if self._thread is not None:
            self._queue.put(_STOP)
            self._thread.join()
            self._thread = None

    def _run(self) -> None:
        while True:
            batch = [self._queue.get()]
            while True:  # whatever queued meanwhile goes in the same write
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            stop = any(item is _STOP for item in batch)
            entries = [item for item in batch if isinstance(item, PiiView)]
            try:
                self._write(entries, force=stop)
            except OSError as exc:
                self.failures += 1
                log.error(
                    "could not write %d PII audit log entries to %s (%s): fix the folder's "
                    "space or permissions; later entries are tried again",
                    len(entries),
                    self.directory,
                    exc.strerror or exc,
                )
                self._close_file()
            finally:
                for _ in batch:
                    self._queue.task_done()
            if stop:
                self._close_file()
                return

    def _write(self, entries: list[PiiView], force: bool = False) -> None:
        by_day: dict[date, list[bytes]] = {}
        for entry in entries:
            by_day.setdefault(entry.at.astimezone(UTC).date(), []).append(entry.line())
        for day, lines in sorted(by_day.items()):
            fd = self._fd(day)
            data = b"".join(lines)
            while data:  # a regular file takes it whole unless the disk is full
                data = data[os.write(fd, data) :]
        now = time.monotonic()
        if self._open is not None and (force or now - self._synced >= FSYNC_SECONDS):
            os.fsync(self._open[1])
            self._synced = now

    def _fd(self, day: date) -> int:
        if self._open is not None and self._open[0] == day:
            return self._open[1]
        self._close_file()
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = self.directory / f"pii-views-{day.isoformat()}.{self.host}.jsonl"
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        self._open = (day, fd)
        return fd

    def _close_file(self) -> None:
        if self._open is not None:
            with contextlib.suppress(OSError):
                os.fsync(self._open[1])
            os.close(self._open[1])
            self._open = None

    # -- reading and retention -------------------------------------------------------------

    def files(self) -> Iterator[tuple[date, Path]]:
        """Every day file of every host, with its day."""
        if not self.directory.is_dir():
            return
        for path in sorted(self.directory.iterdir()):
            found = _FILE.match(path.name)
            if found:
                yield date.fromisoformat(found.group(1)), path

    def read(
        self,
        since: datetime | None = None,
        until: datetime | None = None,
        key: str | None = None,
        identity: str | None = None,
        before: tuple[datetime, str] | None = None,
        limit: int | None = None,
    ) -> list[PiiView]:
        """Entries from `since` (inclusive) to `until` (exclusive), newest first, of one key
        and/or one identity; only those after `before` (at, id) in that order, at most
        `limit`. Only the day files in the range are read; a torn last line is skipped."""
        since, until = utc(since), utc(until)
        after = (utc(before[0]), before[1]) if before else None
        found: list[PiiView] = []
        for day, path in self.files():
            if (since and day < since.date()) or (until and day > until.date()):
                continue
            for raw in path.read_bytes().splitlines():
                try:
                    entry = PiiView.of(orjson.loads(raw))
                except (ValueError, KeyError, TypeError):
                    continue
                if (
                    (since is None or entry.at >= since)
                    and (until is None or entry.at < until)
                    and (key is None or entry.key == key)
                    and (identity is None or identity in entry.identities)
                    and (after is None or (entry.at, entry.id) < after)
                ):
                    found.append(entry)
        found.sort(key=lambda e: (e.at, e.id), reverse=True)
        return found if limit is None else found[:limit]

    def prune(self, keep_days: int, today: date | None = None) -> list[Path]:
        """Delete the day files older than `keep_days` days; the paths deleted."""
        oldest = (today or datetime.now(UTC).date()) - timedelta(days=keep_days)
        deleted = []
        for day, path in self.files():
            if day < oldest:
                path.unlink(missing_ok=True)
                deleted.append(path)
        return deleted


def utc(moment: datetime | None) -> datetime | None:
    """The moment in UTC (a naive one is taken as UTC); OverflowError at the ends of time."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
