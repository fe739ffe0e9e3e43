"""API keys: roles, and a JSON file of hashed keys that the server re-reads when it changes.

A key is shown in plaintext once, when created; the file keeps only its SHA-256 hash, its name,
role, creation time and first characters (to recognise it in a list).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

KEY_PREFIX = "c360_"
PREFIX_LENGTH = 8  # characters of the key kept in the file, to recognise it in lists
FILE_VERSION = 1

# (mtime, size, inode) of the file when last read: an atomic replace changes the inode, so a
# rewrite within the filesystem's mtime granularity is still noticed.
_Signature = tuple[int, int, int]


class Grant(StrEnum):
    """One thing a role may do; the permission classes of the schema check these."""

    LOOK_UP = "look_up"  # one identity or record at a time, by id, record, email or phone
    BROWSE = "browse"  # lists, name search, households, links, explanations, segments
    CALLER_PII = "caller_pii"  # the email and phone of the identities it looked up
    PII = "pii"  # every personal value unmasked
    ANALYSE = "analyse"  # fraud review and campaign audiences
    REVIEW = "review"  # the review queue: list near pairs, accept or reject them
    WRITE = "write"  # every mutation
    AUDIT = "audit"  # the log of who saw unmasked personal data


class Role(StrEnum):
    """What a key may do: reader < analyst < admin, each with all the lower ones may; and
    agent, for service desks: one caller at a time, their email and phone unmasked."""

    READER = "reader"
    AGENT = "agent"
    ANALYST = "analyst"
    ADMIN = "admin"

    @property
    def grants(self) -> frozenset[Grant]:
        """What this role may do."""
        return _GRANTS[self]

    def may(self, grant: Grant) -> bool:
        """True when this role has `grant`."""
        return grant in _GRANTS[self]

    def at_least(self, other: Role) -> bool:
        """True when this role may do everything `other` may (an agent is not a reader)."""
        return _GRANTS[self] >= _GRANTS[other]


_READER = frozenset({Grant.LOOK_UP, Grant.BROWSE})
_ANALYST = _READER | {Grant.PII, Grant.ANALYSE, Grant.REVIEW}
_GRANTS: dict[Role, frozenset[Grant]] = {
    Role.READER: _READER,
    Role.AGENT: frozenset({Grant.LOOK_UP, Grant.CALLER_PII}),
    Role.ANALYST: _ANALYST,
    Role.ADMIN: _ANALYST | {Grant.WRITE, Grant.AUDIT},
}


@dataclass(frozen=True)
class ApiKey:
    """One key as listed and as authenticated: never its plaintext or hash."""

    name: str
    role: Role
    created_at: str  # ISO 8601, UTC
    prefix: str  # the key's first characters


@dataclass(frozen=True)
class _Record:
    key: ApiKey
    sha256: str


class KeyFileError(ValueError):
    """The keys file cannot be read as keys; the message names the file and the fix."""


def _hash(key: str) -> str:
    # Keys carry 240 random bits, so a fast unsalted hash is enough: nothing to brute-force or
    # look up in a table. (Passwords would need a slow, salted one.)
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _parse(path: Path, text: str) -> list[_Record]:
    """The records of a keys file's text; KeyFileError naming the file when malformed."""

    def bad(problem: str) -> KeyFileError:
        return KeyFileError(
            f"API keys file {path} is malformed ({problem}); fix it by hand, or move it away "
            "and create the keys again with: c360 keys create NAME --role ROLE"
        )

    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise bad(f"not valid JSON: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("keys"), list):
        raise bad('expected an object with a "keys" list')
    records: list[_Record] = []
    for index, entry in enumerate(data["keys"]):
        if not isinstance(entry, dict):
            raise bad(f"entry {index} is not an object")
        fields = ("name", "role", "created_at", "prefix", "sha256")
        missing = [name for name in fields if not isinstance(entry.get(name), str)]
        if missing:
            raise bad(f"entry {index} lacks text field(s) {', '.join(missing)}")
        if entry["role"] not in {role.value for role in Role}:
            raise bad(f"entry {index} has unknown role {entry['role']!r}")
        key = ApiKey(entry["name"], Role(entry["role"]), entry["created_at"], entry["prefix"])
        records.append(_Record(key, entry["sha256"]))
    return records


class KeyStore:
    """API keys kept hashed in one JSON file (mode 0600), shared by the CLI and the server."""

    def __init__(self, path: Path) -> None:
        """A store over `path`; the file need not exist yet (no keys)."""
        self.path = path
        self._cached: tuple[_Signature | None, list[_Record]] | None = None

    def create(self, name: str, role: Role) -> str:
        """Add a key named `name` with `role`; return its plaintext, which is not kept anywhere."""
        if not name or name != name.strip() or not name.isprintable():
            raise ValueError(f"key name {name!r} must be printable text without outer spaces")
        records = self._load()
        if any(record.key.name == name for record in records):
            raise ValueError(
                f'an API key named "{name}" already exists; revoke it first '
                f"(c360 keys revoke {name}) or choose another name"
            )
        key = KEY_PREFIX + secrets.token_urlsafe(30)  # 30 bytes: 40 url-safe characters
        created_at = datetime.now(UTC).isoformat(timespec="seconds")
        record = _Record(ApiKey(name, Role(role), created_at, key[:PREFIX_LENGTH]), _hash(key))
        self._write([*records, record])
        return key

    def revoke(self, name: str) -> bool:
        """Delete the key named `name`; False when there is none."""
        records = self._load()
        kept = [record for record in records if record.key.name != name]
        if len(kept) == len(records):
            return False
        self._write(kept)
        return True

    def authenticate(self, key: str) -> ApiKey | None:
        """The key `key` is, or None; re-reads the file only when it changed since last time."""
        digest = _hash(key)
        found: ApiKey | None = None
        for record in self._load():
            if hmac.compare_digest(digest, record.sha256):
                found = record.key
        return found

    def _load(self) -> list[_Record]:
        """The records, from the cache while the file's signature is unchanged."""
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            self._cached = (None, [])
            return []
        signature = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
        if self._cached is not None and self._cached[0] == signature:
            return self._cached[1]
        try:
            with self.path.open("rb") as handle:
                # The signature of what is actually read, even if replaced since the stat.
                opened = os.fstat(handle.fileno())
                raw = handle.read()
        except FileNotFoundError:  # revoked-to-nothing and deleted between stat and open
            self._cached = (None, [])
            return []
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise KeyFileError(
                f"API keys file {self.path} is not UTF-8 text ({exc}); move it away and "
                "create the keys again with: c360 keys create NAME --role ROLE"
            ) from exc
        records = _parse(self.path, text)
        self._cached = ((opened.st_mtime_ns, opened.st_size, opened.st_ino), records)
        return records

    def _write(self, records: list[_Record]) -> None:
        """Replace the file atomically with `records`, readable by its owner only."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        body = {
            "version": FILE_VERSION,
            "keys": [
                {
                    "name": record.key.name,
                    "role": record.key.role.value,
                    "created_at": record.key.created_at,
                    "prefix": record.key.prefix,
                    "sha256": record.sha256,
                }
                for record in sorted(records, key=lambda record: record.key.name)
            ],
        }
        # mkstemp creates the file 0600 in the target directory, so the rename below is atomic
        # and no reader ever sees a partial file or a moment of wider permissions.
        fd, temporary = tempfile.mkstemp(
            prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent
        )
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                os.fchmod(handle.fileno(), 0o600)
                json.dump(body, handle, indent=2)
                handle.write("\n")
                handle.flush()
                os.fsync(handle.fileno())
            Path(temporary).replace(self.path)  # os.replace
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def list(self) -> list[ApiKey]:
        """Every key, sorted by name."""
        return sorted((record.key for record in self._load()), key=lambda key: key.name)
