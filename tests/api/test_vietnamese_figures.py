"""One set of figures for a Vietnamese shop's customers, through the real CLI and the API.

A CRM export and a POS export in dong (`1.250.000`), ingested, resolved and scored with the
real `c360` commands: the API's `metrics` and `segment` count the same purchases (a cancelled
order is in neither, nor in spend), lifetime value is in VND, a champion who bought in a
burst is not called likely gone, and every amount is shown grouped as vi_VN writes it.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from c360graph.analyze.segment_values import data_locale
from c360graph.db.graph import Graph
from tests.api.conftest import Run
from tests.api.test_vietnamese_api import identity_of
from tests.integration.test_cli import c360
from tests.integration.test_vietnamese_sources import CRM_ROWS, write_crm
from tests.population import store_test_model

MORE_CUSTOMERS = [
    ["KH004", "Lê Văn Tám", "tam.le@example.vn", "0935 222 333", "8 Trần Phú", "Đà Nẵng"],
    ["KH005", "Phạm Thị Lan", "lan.pham@example.vn", "0988 444 555", "3 Hai Bà Trưng", "Huế"],
]
# Hồng (KH001) bought on six days in a row early in March, and cancelled a seventh order; the
# others bought once or twice, months before. Scored as of 1 April: she bought more recently,
# more often and for more than anyone, so she is a champion, though her own burst rhythm
# (floored at 14 days) alone would put her 26 days of silence at 84% churn risk.
POS_ROWS = [
    *(f"B10{n};KH001;1.250.000;0{n}/03/2024;paid" for n in range(1, 7)),
    "B107;KH001;2.000.000;07/03/2024;cancelled",
    "B201;KH002;450.000;15/01/2024;paid",
    "B301;KH003;89.000;10/11/2023;paid",
    "B302;KH003;120.000;10/12/2023;paid",
    "B401;KH004;300.000;01/10/2023;paid",
    "B501;KH005;99.000;01/08/2023;paid",
]
POS_MAPPING = """\
columns: {ma_don: order_id, ma_kh: customer_id, nguon: customer_source, so_tien: amount,
  ngay_mua: ordered_at, trang_thai: status}
kind: orders
locale: vi_VN
currency: VND
"""
HONG = "crm:KH001"
SPEND = 6 * 1_250_000  # the cancelled 2.000.000 is no purchase


@pytest.fixture(scope="module")
def scored(
    session_graph: Graph, cli_env_session: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Graph, str]:
    """The exports ingested, resolved and scored by the CLI; the segments command's output."""
    session_graph.write("schema/clear_all")
    store_test_model(session_graph)
    folder = tmp_path_factory.mktemp("vn-figures")
    crm, crm_mapping = write_crm(folder, [*CRM_ROWS, *MORE_CUSTOMERS])
    pos = folder / "ban_hang.csv"
    lines = ["ma_don;ma_kh;so_tien;ngay_mua;trang_thai;nguon"]
    pos.write_text("\n".join(lines + [f"{row};crm" for row in POS_ROWS]) + "\n", encoding="utf-8")
    pos_mapping = folder / "pos.yaml"
    pos_mapping.write_text(POS_MAPPING, encoding="utf-8")
    env = cli_env_session
    for path, source, mapping in ((crm, "crm", crm_mapping), (pos, "pos", pos_mapping)):
        result = c360(env, "ingest", str(path), "--source", source, "--mapping", str(mapping))
        assert result.returncode == 0, result.stderr
    result = c360(env, "resolve")
    assert result.returncode == 0, result.stderr
    result = c360(env, "analyze", "segments", "--full", "--as-of", "2024-04-01T00:00:00")
    assert result.returncode == 0, result.stderr
    return session_graph, result.stdout


FIGURES = """
query($id: ID!) { identity(id: $id) {
  metrics { orderCount excludedOrderCount firstOrderAt lastOrderAt
    spend { currency orders total average totalText averageText }
    lifetimeValue lifetimeValueText valueCurrency churnRisk segment }
  segment { name orderCount totalSpend totalSpendText lifetimeValue lifetimeValueText currency
    churnRisk churnBand recencyScore }
  orders(first: 10) { edges { node { orderId status amount amountText } } }
} }
"""


def _figures(analyst: Run, graph: Graph, key: str) -> dict[str, Any]:
    found: dict[str, Any] = analyst(FIGURES, id=identity_of(graph, key))["identity"]
    return found


def test_metrics_and_segment_count_the_same_purchases_without_the_cancelled_order(
    scored: tuple[Graph, str], analyst: Run
) -> None:
    figures = _figures(analyst, scored[0], HONG)
    metrics, segment = figures["metrics"], figures["segment"]
    assert metrics["orderCount"] == segment["orderCount"] == 6
    assert metrics["excludedOrderCount"] == 1
    [spend] = metrics["spend"]
    assert (spend["currency"], spend["orders"], spend["total"]) == ("VND", 6, SPEND)
    assert segment["totalSpend"] == SPEND
    assert metrics["lastOrderAt"].startswith("2024-03-06")  # the cancelled 7 March is not one
    # The cancelled order is still listed with its status, only not counted.
    statuses = {e["node"]["orderId"]: e["node"]["status"] for e in figures["orders"]["edges"]}
    assert statuses["B107"] == "cancelled" and len(statuses) == 7


def test_lifetime_value_is_in_the_datas_currency_and_amounts_are_grouped_as_vi_vn_writes_them(
    scored: tuple[Graph, str], analyst: Run
) -> None:
    figures = _figures(analyst, scored[0], HONG)
    metrics, segment = figures["metrics"], figures["segment"]
    assert metrics["valueCurrency"] == segment["currency"] == "VND"
    assert metrics["lifetimeValue"] >= SPEND
    assert metrics["lifetimeValue"] == round(metrics["lifetimeValue"])  # dong have no cents
    [spend] = metrics["spend"]
    assert spend["totalText"] == "7.500.000\xa0₫"
    assert spend["averageText"] == "1.250.000\xa0₫"
    assert segment["totalSpendText"] == "7.500.000\xa0₫"
    grouped = f"{int(metrics['lifetimeValue']):,}".replace(",", ".")
    assert metrics["lifetimeValueText"] == segment["lifetimeValueText"] == f"{grouped}\xa0₫"
    amounts = {e["node"]["orderId"]: e["node"]["amountText"] for e in figures["orders"]["edges"]}
    assert amounts["B107"] == "2.000.000\xa0₫"


def test_a_champion_who_bought_in_a_burst_is_at_low_churn_risk(
    scored: tuple[Graph, str], analyst: Run
) -> None:
    segment = _figures(analyst, scored[0], HONG)["segment"]
    assert segment["name"] == "champions" and segment["recencyScore"] == 5
    assert segment["churnRisk"] <= 0.2 and segment["churnBand"] == "low"
    # The others, quiet for months, keep the risk their own silence gives them.
    others = [_figures(analyst, scored[0], f"crm:KH00{n}")["segment"] for n in (4, 5)]
    assert all(o["churnRisk"] >= 0.8 and o["churnBand"] == "high" for o in others)


def test_the_segments_command_prints_each_segments_value_in_dong_grouped(
    scored: tuple[Graph, str], analyst: Run
) -> None:
    output = scored[1]
    assert "value by segment (in VND):" in output
    [champions] = [line for line in output.splitlines() if line.strip().startswith("champions:")]
    assert "6 purchases" in champions and "spend 7.500.000\xa0₫" in champions
    value = re.search(r"lifetime value ([\d.]+)\xa0₫", champions)
    assert value is not None
    summary = analyst("{ segments { name lifetimeValueText currency } }")["segments"]
    texts = {s["name"]: (s["lifetimeValueText"], s["currency"]) for s in summary}
    assert texts["champions"] == (f"{value.group(1)}\xa0₫", "VND")


def test_the_display_locale_is_the_one_the_sources_declared(scored: tuple[Graph, str]) -> None:
    assert data_locale(scored[0]) == "vi_VN"
