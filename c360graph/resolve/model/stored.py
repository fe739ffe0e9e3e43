"""A trained model as the graph keeps it: settings as JSON text, term frequencies compressed.

Term frequencies hold a value per distinct name, date or address of the population (a
few megabytes at a million records as JSON), so they travel zlib-compressed and base64'd.
"""

from __future__ import annotations

import base64
import hashlib
import json
import zlib
from typing import Any

from c360graph.resolve.model.training import TrainedModel
from c360graph.resolve.settings import ResolutionConfig


def model_fingerprint(config: ResolutionConfig) -> str:
    """A hash of what a trained model depends on: comparisons and training settings."""
    content = repr((config.comparisons, config.training))
    return hashlib.sha256(content.encode()).hexdigest()[:16]


def to_properties(model: TrainedModel, fingerprint: str) -> dict[str, Any]:
    """The model as graph properties (cypher/resolve/model_save.cypher's parameters)."""
    packed = zlib.compress(json.dumps(model.term_frequencies).encode(), 6)
    return {
        "settings": json.dumps(model.settings),
        "term_frequencies": base64.b64encode(packed).decode("ascii"),
        "records": model.records,
        "fingerprint": fingerprint,
        "steps": list(model.steps),
    }


def from_properties(row: dict[str, Any]) -> tuple[TrainedModel, str]:
    """The model and its fingerprint from a row of cypher/resolve/model_load.cypher."""
    frequencies = json.loads(zlib.decompress(base64.b64decode(row["term_frequencies"])))
    model = TrainedModel(
        settings=json.loads(row["settings"]),
        term_frequencies=frequencies,
        records=int(row["records"]),
        steps=tuple(row.get("steps") or ()),
    )
    return model, str(row["fingerprint"])
