"""Two `c360 ingest` processes at once, over overlapping data, end where running them in turn does."""

from __future__ import annotations

import csv
import subprocess
from pathlib import Path

import pytest

from c360graph.db.graph import Graph
from c360graph.generate import generate_dataset
from c360graph.graph.load import read_manifest
from tests.helpers import content, cypher
from tests.integration.test_cli import C360, c360
from tests.population import store_test_model


@pytest.fixture(scope="module")
def overlapping(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two manifests sharing a third of their customer rows and many identifiers."""
    out = tmp_path_factory.mktemp("overlap")
    generate_dataset(out / "data", customers=300, seed=17, progress=False)
    manifests = []
    for part, (lo, hi) in enumerate(((0.0, 0.66), (0.33, 1.0)), start=1):
        folder = out / f"part{part}"
        folder.mkdir()
        lines = ["files:"]
        for entry in read_manifest(out / "data" / "manifest.yaml"):
            with entry.path.open(encoding="utf-8", newline="") as source:
                rows = list(csv.reader(source))
            if entry.path.suffix != ".csv":
                continue
            header, body = rows[0], rows[1:]
            cut = body[int(lo * len(body)) : int(hi * len(body))]
            target = folder / f"{entry.source}_{entry.path.name}"
            with target.open("w", encoding="utf-8", newline="") as sink:
                csv.writer(sink).writerows([header, *cut])
            mapping = f", mapping: {entry.mapping}" if entry.mapping else ""
            kind = f", kind: {entry.kind.value}" if entry.kind else ""
            lines.append(f"  - {{path: {target.name}, source: {entry.source}{kind}{mapping}}}")
        (folder / "manifest.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
        manifests.append(folder / "manifest.yaml")
    return manifests[0], manifests[1]


def test_two_overlapping_ingests_at_once_end_in_the_graph_of_running_them_in_turn(
    graph: Graph, cli_env: dict[str, str], overlapping: tuple[Path, Path]
) -> None:
    env = {**cli_env, "C360_BATCH_SIZE": "50"}  # many small transactions, finely interleaved
    together = [
        subprocess.Popen(
            [*C360, "ingest", str(manifest)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for manifest in overlapping
    ]
    for process in together:
        stdout, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, stderr
        assert "DO NOT ADD UP" not in stdout and "Traceback" not in stderr
    at_once = content(graph)
    records = cypher(graph, "MATCH (c:Customer) RETURN count(c) AS n")[0]["n"]

    graph.write("schema/clear_all")
    store_test_model(graph)  # as the fixture left the graph
    for manifest in overlapping:
        assert c360(env, "ingest", str(manifest)).returncode == 0
    assert content(graph) == at_once
    assert records > 0
