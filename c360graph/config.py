"""Settings from the environment and an optional YAML config file.

Precedence: environment variables, then the config file (`$C360_CONFIG`, else `./c360.yaml`),
then defaults. With no `NEO4J_URI` anywhere, c360graph uses the local server kept in
`C360_HOME` (default `./.c360`): Neo4j or ArcadeDB, as `C360_ENGINE` says (`db/engines.py`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

DEFAULT_CONFIG_FILE = "c360.yaml"

# Environment variable -> (config-file section, key). docker-compose.yml wires these names.
ENV_KEYS: dict[str, tuple[str, str]] = {
    "NEO4J_URI": ("neo4j", "uri"),
    "NEO4J_USER": ("neo4j", "user"),
    "NEO4J_PASSWORD": ("neo4j", "password"),
    "NEO4J_DATABASE": ("neo4j", "database"),
    "C360_HOME": ("local", "home"),
    "C360_HEAP": ("local", "heap"),
    "C360_ENGINE": ("local", "engine"),
    "C360_NEO4J_DIST": ("local", "neo4j_dist"),
    "C360_DEFAULT_REGION": ("ingest", "default_region"),
    "C360_DAY_FIRST": ("ingest", "day_first"),
    "C360_BATCH_SIZE": ("ingest", "batch_size"),
    "C360_WRITERS": ("ingest", "writers"),
    "C360_ID_PEPPER": ("ingest", "id_pepper"),
    "C360_SUPPRESSION_KEY_FILE": ("ingest", "suppression_key_file"),
    "C360_RESOLUTION_CONFIG": ("resolve", "config"),
    "C360_RESOLVE_BACKEND": ("resolve", "backend"),
    "C360_SPARK_MASTER": ("resolve", "spark_master"),
    "C360_ANALYSES_CONFIG": ("analyze", "config"),
    "C360_API_KEYS_FILE": ("api", "keys_file"),
    "C360_API_TIMEOUT": ("api", "timeout_seconds"),
    "C360_API_CORS_ORIGINS": ("api", "cors_origins"),
    "C360_AUDIT_DIR": ("api", "audit_dir"),
}


class ConfigError(ValueError):
    """A setting is missing or malformed; the message names it and the fix."""


@dataclass(frozen=True)
class Neo4jSettings:
    """Where the production graph lives; `uri=None` means the local server."""

    uri: str | None = None
    user: str = "neo4j"
    password: str | None = field(default=None, repr=False)  # never in logs or tracebacks
    database: str = "neo4j"


@dataclass(frozen=True)
class LocalSettings:
    """The managed local server: Neo4j or ArcadeDB."""

    home: Path = Path(".c360")
    heap: str = "2g"
    database: str = "c360"
    # "neo4j" or "arcadedb"; None picks one (the running one, else Neo4j when it is built).
    engine: str | None = None
    neo4j_dist: Path | None = None  # None: the checkout's tools/neo4j-server/target/neo4j


@dataclass(frozen=True)
class IngestSettings:
    """How source files are read and normalized."""

    default_region: str = "GB"
    day_first: bool = True
    batch_size: int = 2000
    # Concurrent write transactions. ArcadeDB's concurrent writers collide on shared pages
    # (retried, but slower), so 1; a Neo4j cluster may gain from more.
    writers: int = 1
    # Keys the national-id hash so raw national ids never reach the graph; set your own.
    id_pepper: str = field(default="c360graph-default-pepper", repr=False)
    # The secret that keys the suppression list of erased people (graph/suppression.py).
    suppression_key_file: Path = Path(".c360") / "suppression.key"


@dataclass(frozen=True)
class ResolveSettings:
    """Where the resolution rules, comparisons and thresholds come from."""

    config: Path | None = None  # None: the packaged c360graph/resolve/resolution.yaml
    # Where candidate pairs are blocked and scored: "duckdb" (in process) or "spark"
    # (Splink's Spark backend; `pip install 'c360graph[spark]'`).
    backend: str = "duckdb"
    spark_master: str = "local[2]"  # a Spark master URL: local[N], spark://host:7077, yarn


@dataclass(frozen=True)
class AnalyzeSettings:
    """Where the households, fraud and segments settings come from."""

    config: Path | None = None  # None: the packaged c360graph/analyze/analyses.yaml


@dataclass(frozen=True)
class ApiSettings:
    """The GraphQL server: who may call it and how much one request may ask for."""

    keys_file: Path | None = None  # None: <local.home>/api-keys.json
    timeout_seconds: int = 10
    max_depth: int = 15
    max_aliases: int = 30
    max_tokens: int = 5000
    max_cost: int = 50_000
    page_size: int = 20  # a connection's `first` when the caller gives none
    max_page_size: int = 500
    max_body_bytes: int = 16_000_000  # a request body; ingestRecords of 10,000 rows fits
    # Origins a browser frontend may call the API from (CORS); none: same origin only.
    cors_origins: tuple[str, ...] = ()
    # The log of unmasked personal data shown (api/audit_log.py); None: <local.home>/audit
    audit_dir: Path | None = None
    audit_retention_days: int = 400  # what `c360 audit prune` keeps by default
    # How many identities an agent key may look up in one request (aliases and all).
    agent_max_identities: int = 3


@dataclass(frozen=True)
class Settings:
    """All settings of one c360graph process."""

    neo4j: Neo4jSettings = field(default_factory=Neo4jSettings)
    local: LocalSettings = field(default_factory=LocalSettings)
    ingest: IngestSettings = field(default_factory=IngestSettings)
    resolve: ResolveSettings = field(default_factory=ResolveSettings)
    analyze: AnalyzeSettings = field(default_factory=AnalyzeSettings)
    api: ApiSettings = field(default_factory=ApiSettings)

    @property
    def api_keys_file(self) -> Path:
        """Where API keys (hashed) are kept."""
        return self.api.keys_file or self.local.home / "api-keys.json"

    @property
    def audit_dir(self) -> Path:
        """Where the log of unmasked personal data shown by the API is kept."""
        return self.api.audit_dir or self.local.home / "audit"

    @property
    def uses_local_server(self) -> bool:
        """True when no Neo4j URI is configured, so the local server is the graph."""
        return not self.neo4j.uri


def _read_file(path: Path) -> dict[str, Any]:
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"config file {path} is not valid YAML: {exc}") from exc
    if not isinstance(loaded, dict):
        raise ConfigError(f"config file {path} must be a mapping of sections (neo4j:, local:...)")
    return loaded


def _as_bool(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"1", "true", "yes", "on"}:
        return True
    if text in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name} must be true or false, got {value!r}")


def _as_int(name: str, value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{name} must be a whole number, got {value!r}") from exc
    if number <= 0:
        raise ConfigError(f"{name} must be positive, got {number}")
    return number


def load_settings(
    environ: dict[str, str] | None = None, config_file: Path | None = None
) -> Settings:
    """Build Settings from the environment and config file; raise ConfigError when malformed."""
    env = dict(os.environ if environ is None else environ)
    path = config_file or Path(env.get("C360_CONFIG", DEFAULT_CONFIG_FILE))
    if config_file is None and "C360_CONFIG" in env and not path.exists():
        raise ConfigError(f"C360_CONFIG points at {path}, which does not exist")
    sections: dict[str, dict[str, Any]] = {
        name: dict(body or {}) for name, body in (_read_file(path) if path.exists() else {}).items()
    }
    for var, (section, key) in ENV_KEYS.items():
        if env.get(var):
            sections.setdefault(section, {})[key] = env[var]

    neo = sections.get("neo4j", {})
    local = sections.get("local", {})
    ingest = sections.get("ingest", {})
    resolve = sections.get("resolve", {})
    analyze = sections.get("analyze", {})
    return Settings(
        neo4j=Neo4jSettings(
            uri=neo.get("uri") or None,
            user=str(neo.get("user", "neo4j")),
            password=neo.get("password"),
            database=str(neo.get("database", "neo4j")),
        ),
        local=LocalSettings(
            home=Path(local.get("home", ".c360")),
            heap=str(local.get("heap", "2g")),
            database=str(local.get("database", "c360")),
            engine=_engine(local.get("engine")),
            neo4j_dist=Path(local["neo4j_dist"]) if local.get("neo4j_dist") else None,
        ),
        ingest=IngestSettings(
            default_region=str(ingest.get("default_region", "GB")).upper(),
            day_first=_as_bool("ingest.day_first", ingest.get("day_first", True)),
            batch_size=_as_int("ingest.batch_size", ingest.get("batch_size", 2000)),
            writers=_as_int("ingest.writers", ingest.get("writers", 1)),
            id_pepper=str(ingest.get("id_pepper", IngestSettings.id_pepper)),
            suppression_key_file=Path(
                ingest.get("suppression_key_file")
                or Path(local.get("home", ".c360")) / "suppression.key"
            ),
        ),
        resolve=ResolveSettings(
            config=Path(resolve["config"]) if resolve.get("config") else None,
            backend=resolve_backend(resolve.get("backend")),
            spark_master=str(resolve.get("spark_master") or ResolveSettings.spark_master),
        ),
        analyze=AnalyzeSettings(config=Path(analyze["config"]) if analyze.get("config") else None),
        api=_api_settings(sections.get("api", {})),
    )


ENGINES = ("neo4j", "arcadedb")
BACKENDS = ("duckdb", "spark")


def resolve_backend(value: Any) -> str:
    """The resolution backend named by C360_RESOLVE_BACKEND (resolve.backend); duckdb if unset."""
    if value is None or str(value).strip() == "":
        return "duckdb"
    backend = str(value).strip().lower()
    if backend not in BACKENDS:
        raise ConfigError(
            f"C360_RESOLVE_BACKEND (resolve.backend) must be duckdb or spark, got {value!r}"
        )
    return backend


def _engine(value: Any) -> str | None:
    if value is None or str(value).strip().lower() in ("", "auto"):
        return None
    engine = str(value).strip().lower()
    if engine not in ENGINES:
        raise ConfigError(f"C360_ENGINE (local.engine) must be neo4j or arcadedb, got {value!r}")
    return engine


def _api_settings(api: dict[str, Any]) -> ApiSettings:
    defaults = ApiSettings()
    limits = {
        name: _as_int(f"api.{name}", api.get(name, getattr(defaults, name)))
        for name in (
            "timeout_seconds",
            "max_depth",
            "max_aliases",
            "max_tokens",
            "max_cost",
            "page_size",
            "max_page_size",
            "max_body_bytes",
            "audit_retention_days",
            "agent_max_identities",
        )
    }
    keys_file = Path(api["keys_file"]) if api.get("keys_file") else None
    return ApiSettings(
        keys_file=keys_file,
        cors_origins=_origins(api.get("cors_origins")),
        audit_dir=Path(api["audit_dir"]) if api.get("audit_dir") else None,
        **limits,
    )


def _origins(value: Any) -> tuple[str, ...]:
    """CORS origins from a list or a comma-separated string; each a scheme://host[:port]."""
    if not value:
        return ()
    items = value if isinstance(value, list) else str(value).split(",")
    origins = tuple(str(item).strip().rstrip("/") for item in items if str(item).strip())
    for origin in origins:
        if origin != "*" and not origin.startswith(("http://", "https://")):
            raise ConfigError(
                f"api.cors_origins: {origin!r} is not an origin; write it as "
                "https://app.example.com (scheme, host and port, no path)"
            )
    return origins
