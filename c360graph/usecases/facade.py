"""`C360`: one object for every use case that changes or analyses the graph.

Modelled on Splink's `Linker`: small parts held as attributes, each a class over the graph
port and the configuration (`c360.ingest`, `c360.resolution`, `c360.assertions`,
`c360.review`, `c360.erasure`, `c360.notes`, `c360.analyses`). The CLI, the GraphQL
mutations and the notebook client are thin fronts over it.

What follows a write is decided here, once (`settle`):

- an ingest: nothing, unless the caller asks to resolve;
- a resolution, an assertion or a review decision (unless told not to resolve): an
  incremental resolution run, then a segments refresh of what it changed;
- an erasure: the survivors' identities re-resolved (when there are survivors), then a
  segments refresh, which also clears the identities the erasure retired.
"""

from __future__ import annotations

from pathlib import Path

from c360graph.analyze.segment_run import SegmentReport
from c360graph.analyze.settings import AnalysesConfig, load_analyses_config
from c360graph.config import Settings
from c360graph.db.graph import Graph
from c360graph.resolve.backends import PairBackend, pair_backend
from c360graph.resolve.engine import ResolveReport
from c360graph.resolve.settings import ResolutionConfig, load_resolution_config
from c360graph.stages import Progress
from c360graph.usecases.analyses import Analyses
from c360graph.usecases.assertions import Assertions
from c360graph.usecases.erasure import Erasure
from c360graph.usecases.ingest import Ingest
from c360graph.usecases.notes import Notes
from c360graph.usecases.resolution import Resolution
from c360graph.usecases.review import Review

Resolved = tuple[ResolveReport, SegmentReport]
"""A resolution run and the segments refresh that followed it."""

_UNSET = object()


class C360:
    """The use cases over one graph: parts per concern; the follow-up of each write decided here.

    Configurations not given are read from `settings` on first use (a malformed one raises
    its ResolutionConfigError or AnalysesConfigError then). `progress` hears each stage of
    long runs; `wait_seconds` is how long a resolution waits for a running one.
    """

    def __init__(
        self,
        graph: Graph,
        settings: Settings,
        *,
        resolution_config: ResolutionConfig | None = None,
        analyses_config: AnalysesConfig | None = None,
        progress: Progress | None = None,
        wait_seconds: float = 600.0,
    ) -> None:
        self.graph = graph
        self.settings = settings
        self.progress = progress
        self.wait_seconds = wait_seconds
        self._resolution_config = resolution_config
        self._analyses_config = analyses_config
        self._backend: PairBackend | object | None = _UNSET
        self.ingest = Ingest(self)
        self.resolution = Resolution(self)
        self.assertions = Assertions(self)
        self.review = Review(self)
        self.erasure = Erasure(self)
        self.notes = Notes(self)
        self.analyses = Analyses(self)

    @property
    def resolution_config(self) -> ResolutionConfig:
        """The resolution rules and thresholds (read once)."""
        if self._resolution_config is None:
            self._resolution_config = load_resolution_config(self.settings.resolve.config)
        return self._resolution_config

    @property
    def analyses_config(self) -> AnalysesConfig:
        """The analyses config: households, fraud, segments (read once)."""
        if self._analyses_config is None:
            self._analyses_config = load_analyses_config(self.settings.analyze.config)
        return self._analyses_config

    @property
    def backend(self) -> PairBackend | None:
        """Where resolution blocks and scores pairs (None: DuckDB in process); made once.

        Raises SparkUnavailable, saying what to install, when Spark is configured without it.
        """
        if self._backend is _UNSET:
            resolve = self.settings.resolve
            self._backend = pair_backend(resolve.backend, resolve.spark_master)
        return self._backend  # type: ignore[return-value]

    @property
    def id_pepper(self) -> str:
        """The pepper of hashed identifiers (tombstones, suppression)."""
        return self.settings.ingest.id_pepper

    @property
    def suppression_key_file(self) -> Path:
        """The secret the suppression list's hashes are keyed with."""
        return self.settings.ingest.suppression_key_file

    def settle(self, *, resolve: bool) -> tuple[ResolveReport | None, SegmentReport]:
        """What follows every write: an incremental resolution (when `resolve`), then the
        segments refresh of the identities touched since the last one."""
        run = self.resolution.resolve_only() if resolve else None
        return run, self.analyses.refresh_segments()
