"""`c360 model` as a user runs it: train on the graph's records, show, export, import."""

from __future__ import annotations

import json
from pathlib import Path

from c360graph.db.graph import Graph
from c360graph.graph.ingest import ingest_rows, rows_from_dicts
from c360graph.resolve import store
from c360graph.sources.fields import Kind
from tests.integration.test_cli import c360


def test_train_show_export_and_import_a_model(
    graph: Graph, cli_env: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "sample"
    assert (
        c360(
            cli_env, "generate", "--customers", "500", "--out", str(out), "--seed", "21"
        ).returncode
        == 0
    )
    assert c360(cli_env, "ingest", str(out)).returncode == 0
    before = store.load_model(graph)
    assert before is not None  # the test model the fixture stored

    trained = c360(cli_env, "model", "train")
    assert trained.returncode == 0, trained.stderr
    assert "m by EM" in trained.stdout and "prior" in trained.stdout
    after = store.load_model(graph)
    assert after is not None and after[0].model_id != before[0].model_id
    assert after[0].records > 1000

    chart = tmp_path / "weights.svg"
    shown = c360(cli_env, "model", "show", "--chart", str(chart))
    assert shown.returncode == 0, shown.stderr
    assert after[0].model_id in shown.stdout and "name" in shown.stdout
    assert "analysts' assertions" in shown.stdout
    assert chart.read_text(encoding="utf-8").startswith("<svg") and "exact" in chart.read_text(
        encoding="utf-8"
    )

    exported = tmp_path / "model.json"
    assert c360(cli_env, "model", "export", str(exported)).returncode == 0
    settings = json.loads(exported.read_text(encoding="utf-8"))
    assert settings["comparisons"] and settings["probability_two_random_records_match"] > 0
    again = c360(cli_env, "model", "export", str(exported))
    assert again.returncode == 1 and "nothing is overwritten" in again.stderr

    # A model brought back (say, tuned in Splink) is used as it is: same parameters.
    assert c360(cli_env, "model", "import", str(exported)).returncode == 0
    imported = store.load_model(graph)
    assert imported is not None and imported[0].model_id == after[0].model_id
    resolved = c360(cli_env, "resolve", "--no-segments")
    assert resolved.returncode == 0, resolved.stderr
    assert "identities" in resolved.stdout


def test_a_model_that_reads_unknown_columns_is_refused_with_the_columns_to_use(
    graph: Graph, cli_env: dict[str, str], tmp_path: Path
) -> None:
    model = tmp_path / "theirs.json"
    model.write_text(
        json.dumps(
            {
                "link_type": "dedupe_only",
                "probability_two_random_records_match": 0.001,
                "comparisons": [
                    {
                        "output_column_name": "shoe",
                        "comparison_levels": [
                            {
                                "sql_condition": "shoe_l IS NULL OR shoe_r IS NULL",
                                "is_null_level": True,
                            },
                            {
                                "sql_condition": "shoe_l = shoe_r",
                                "m_probability": 0.9,
                                "u_probability": 0.1,
                            },
                            {"sql_condition": "ELSE", "m_probability": 0.1, "u_probability": 0.9},
                        ],
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    rows = [{"source_id": str(i), "first_name": "Ann", "last_name": "Lee"} for i in range(2)]
    ingest_rows(graph, rows_from_dicts(rows), "crm", Kind.CUSTOMERS)
    result = c360(cli_env, "model", "import", str(model))
    assert result.returncode == 1
    assert "does not score" in result.stderr and "name_tokens" in result.stderr
