"""The matching model over the graph: the stored one, or one trained and stored; its check.

What `c360 resolve`, `c360 model` and the API share about the model; the model itself
(training, scoring) is plain code in resolve/model/.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from c360graph.db.graph import Graph
from c360graph.resolve import store
from c360graph.resolve.features import features
from c360graph.resolve.model.columns import records_table
from c360graph.resolve.model.labels import LabelCheck, check
from c360graph.resolve.model.scoring import Scorer
from c360graph.resolve.model.stored import model_fingerprint
from c360graph.resolve.model.training import SplinkEngine, TrainedModel, train
from c360graph.resolve.records import Rec
from c360graph.resolve.settings import ResolutionConfig


def current_model(
    graph: Graph,
    config: ResolutionConfig,
    recs: dict[str, Rec],
    retrain: bool = False,
    engine: SplinkEngine | None = None,
) -> tuple[TrainedModel, bool]:
    """The stored model, or a new one trained on `recs` (by `engine`) and stored; True when new."""
    fingerprint = model_fingerprint(config)
    stored = store.load_model(graph)
    if stored is not None and not retrain:
        model, stored_for = stored
        if stored_for == fingerprint and len(recs) <= 2 * max(model.records, 1):
            return model, False
    model = train_on(recs, config, store.all_assertions(graph)[0], engine)
    store.save_model(graph, model, fingerprint, datetime.now(UTC))
    return model, True


def train_on(
    recs: dict[str, Rec],
    config: ResolutionConfig,
    must_links: Iterable[tuple[str, str]] = (),
    engine: SplinkEngine | None = None,
) -> TrainedModel:
    """Train the model on these records (placeholder identifiers are left out by features)."""
    table = records_table((rec, features(rec)) for rec in recs.values())
    return train(table, config, must_links, engine)


def label_check(graph: Graph, config: ResolutionConfig, model: TrainedModel) -> LabelCheck:
    """How the model scores every analyst assertion in the graph."""
    must, cannot = store.all_assertions(graph)
    keys = sorted({k for pair in must | cannot for k in pair})
    if not keys:
        return LabelCheck()
    recs = store.load_records(graph, keys)
    table = records_table((rec, features(rec)) for rec in recs.values())
    return check(Scorer(model, table), must, cannot, config.threshold)
