"""Marketing consent from a Vietnamese shop's exports, honoured by the CLI, exports and API.

A CRM consent export with Vietnamese headers in NFD and Vietnamese values (`Đồng ý`,
`Hủy đăng ký`, `Từ chối`, `Zalo`) and a newsletter tool's later opt-in, through the real
`c360 ingest`, `c360 consent show` and `c360 export audience`, and the API over HTTP.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from gql.transport.exceptions import TransportQueryError

from c360graph.db.graph import Graph
from tests.api.conftest import Run, error_codes
from tests.api.test_vietnamese_api import identity_of
from tests.integration.test_cli import c360
from tests.integration.test_vietnamese_sources import CRM_ROWS, nfd, write_crm
from tests.population import store_test_model

MORE_CUSTOMERS = [
    ["KH004", "Lê Văn Tám", "tam.le@example.vn", "0935 222 333", "8 Trần Phú", "Đà Nẵng"],
    ["KH005", "Phạm Thị Lan", "lan.pham@example.vn", "0988 444 555", "3 Hai Bà Trưng", "Huế"],
]
CONSENT_HEADER = ["Mã KH", "Kênh", "Trạng thái", "Thời điểm", "Ghi chú"]
CONSENT_ROWS = [
    ["KH001", "Thư điện tử", "Đồng ý", "01/03/2024 09:00", "phiếu đăng ký tại cửa hàng"],
    ["KH001", "Thư điện tử", "Hủy đăng ký", "15/03/2024 20:10", "liên kết hủy trong email"],
    ["KH001", "Tin nhắn", "Đồng ý", "01/03/2024 09:00", ""],
    ["KH002", "Email", "đồng ý", "02/03/2024 10:00", ""],
    ["KH003", "email", "Từ chối", "03/03/2024 11:00", "gọi điện xác nhận"],
    ["KH005", "Zalo", "Đồng ý", "04/03/2024 12:00", ""],
    ["KH002", "Fax", "Đồng ý", "05/03/2024 08:00", ""],  # no such channel: rejected
    ["KH004", "Email", "Đồng ý", "", ""],  # no time: rejected
]
CONSENT_MAPPING = """\
columns: {Mã KH: customer_id, Kênh: channel, Trạng thái: status, Thời điểm: recorded_at,
  Ghi chú: detail}
kind: consents
locale: vi_VN
"""
# The newsletter tool later records Anh's (KH003) opt-in: the latest choice wins.
NEWSLETTER = (
    '{"id": "NL-1", "khach_hang": {"ma": "KH003", "nguon": "crm"}, "kenh": "email", '
    '"trang_thai": "subscribed", "luc": "2024-03-10T08:30:00+07:00"}\n'
)
NEWSLETTER_MAPPING = """\
columns: {id: consent_id, khach_hang.ma: customer_id, khach_hang.nguon: customer_source,
  kenh: channel, trang_thai: status, luc: recorded_at}
kind: consents
"""


@pytest.fixture(scope="module")
def consents(
    session_graph: Graph, cli_env_session: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Graph, Path, str]:
    """The CRM, its consent export and the newsletter's, ingested and resolved by the CLI."""
    session_graph.write("schema/clear_all")
    store_test_model(session_graph)
    folder = tmp_path_factory.mktemp("vn-consent")
    crm, crm_mapping = write_crm(folder, [*CRM_ROWS, *MORE_CUSTOMERS])
    path = folder / "dong_y.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([nfd(name) for name in CONSENT_HEADER])
        writer.writerows(CONSENT_ROWS)
    mapping = folder / "dong_y.yaml"
    mapping.write_text(CONSENT_MAPPING, encoding="utf-8")
    newsletter = folder / "newsletter.ndjson"
    newsletter.write_text(NEWSLETTER, encoding="utf-8")
    newsletter_mapping = folder / "newsletter.yaml"
    newsletter_mapping.write_text(NEWSLETTER_MAPPING, encoding="utf-8")
    env = cli_env_session
    result = c360(env, "ingest", str(crm), "--source", "crm", "--mapping", str(crm_mapping))
    assert result.returncode == 0, result.stderr
    ingest = c360(env, "ingest", str(path), "--source", "crm", "--mapping", str(mapping))
    assert ingest.returncode == 0, ingest.stderr
    result = c360(
        env, "ingest", str(newsletter), "--source", "newsletter", "--mapping",
        str(newsletter_mapping),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "read 1, created 1" in result.stdout
    result = c360(env, "resolve")
    assert result.returncode == 0, result.stderr
    return session_graph, folder, ingest.stdout


def test_consent_rows_land_or_are_rejected_with_the_reason(
    consents: tuple[Graph, Path, str],
) -> None:
    _, folder, output = consents
    assert "read 8, created 6, updated 0, unchanged 0, rejected 2" in output
    with (folder / "dong_y.rejects.csv").open(encoding="utf-8") as handle:
        errors = [row["_error"] for row in csv.DictReader(handle)]
    assert len(errors) == 2
    assert "consent channel 'Fax' is not one c360graph knows" in errors[0]
    assert "recorded_at" in errors[1] and "cannot be ordered" in errors[1]


def test_consent_show_gives_the_latest_choice_per_channel_with_source_and_time(
    consents: tuple[Graph, Path, str], cli_env_session: dict[str, str]
) -> None:
    result = c360(cli_env_session, "consent", "show", "crm:KH001")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert any(
        line.strip().startswith("email: unsubscribed since 2024-03-15")
        and "from crm" in line
        and "liên kết hủy trong email" in line
        for line in lines
    ), result.stdout
    assert "  contactable on: sms" in lines
    history = lines[lines.index("history, newest first:") + 1 :]
    assert len(history) == 3 and "unsubscribed" in history[0]
    missing = c360(cli_env_session, "consent", "show", "crm:KH404")
    assert missing.returncode != 0 and "no consent recorded for crm:KH404" in missing.stderr


def _exported(env: dict[str, str], *args: str) -> tuple[list[dict[str, str]], str]:
    result = c360(env, "export", "audience", *args)
    assert result.returncode == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout))), result.stderr


def test_the_audience_export_holds_only_the_opted_in_and_counts_the_rest(
    consents: tuple[Graph, Path, str], cli_env_session: dict[str, str]
) -> None:
    graph = consents[0]
    rows, summary = _exported(cli_env_session, "--channel", "thư điện tử")
    # Nam opted in; Anh refused in the CRM, then subscribed in the newsletter tool later.
    assert [(r["identity_id"], r["contact"], r["consent_source"]) for r in rows] == sorted(
        [
            (identity_of(graph, "crm:KH002"), "nam.nguyen@example.vn", "crm"),
            (identity_of(graph, "crm:KH003"), "anh.tran@example.vn", "newsletter"),
        ]
    )
    # Hồng unsubscribed; Tám and Lan were never asked about email.
    assert "5 considered, 2 may be contacted" in summary
    assert "0 opt_out, 1 unsubscribed, 2 no_consent, 0 no_contact" in summary
    chat, _ = _exported(cli_env_session, "--channel", "zalo")
    assert [(r["full_name"], r["contact"]) for r in chat] == [("Phạm Thị Lan", "+84988444555")]
    result = c360(cli_env_session, "export", "audience", "--channel", "fax")
    assert result.returncode != 0 and "consent channel 'fax'" in result.stderr


def test_the_audience_of_a_segment_keeps_to_the_segment(
    consents: tuple[Graph, Path, str], cli_env_session: dict[str, str]
) -> None:
    result = c360(cli_env_session, "analyze", "segments", "--full")
    assert result.returncode == 0, result.stderr
    rows, summary = _exported(cli_env_session, "--channel", "email", "--segment", "no_orders")
    assert len(rows) == 2 and "5 considered" in summary
    none, summary = _exported(cli_env_session, "--channel", "email", "--segment", "champions")
    assert none == [] and "0 considered" in summary


CONSENTS = """
query($id: ID!) { identity(id: $id) {
  consents { channel status source recordedAt detail contactable record }
  consentHistory { channel status recordedAt }
} }
"""
AUDIENCE = """
query($channel: String!) { audience(channel: $channel) {
  channel considered contactable optedOut unsubscribed noConsent noContact
  identities(first: 1) { edges { node { id } } pageInfo { hasNextPage endCursor } }
} }
"""


def test_the_api_shows_each_channels_current_consent_to_readers(
    consents: tuple[Graph, Path, str], reader: Run
) -> None:
    found = reader(CONSENTS, id=identity_of(consents[0], "crm:KH001"))["identity"]
    assert [(c["channel"], c["status"], c["contactable"]) for c in found["consents"]] == [
        ("email", "unsubscribed", False),
        ("sms", "opt_in", True),
    ]
    email = found["consents"][0]
    assert email["source"] == "crm" and email["record"] == "crm:KH001"
    assert email["recordedAt"].startswith("2024-03-15T20:10")
    assert email["detail"] == "liên kết hủy trong email"
    assert [h["status"] for h in found["consentHistory"]] == ["unsubscribed", "opt_in", "opt_in"]


def test_the_audience_is_for_analysts_and_agrees_with_the_export(
    consents: tuple[Graph, Path, str], reader: Run, analyst: Run, cli_env_session: dict[str, str]
) -> None:
    with pytest.raises(TransportQueryError) as refused:
        reader(AUDIENCE, channel="email")
    assert error_codes(refused) == ["FORBIDDEN"]
    audience: dict[str, Any] = analyst(AUDIENCE, channel="email")["audience"]
    counts = {k: v for k, v in audience.items() if k not in ("identities", "channel")}
    assert counts == {
        "considered": 5, "contactable": 2, "optedOut": 0, "unsubscribed": 1, "noConsent": 2,
        "noContact": 0,
    }  # fmt: skip
    exported, _ = _exported(cli_env_session, "--channel", "email")
    walked, after = [], None
    while True:
        page = analyst(
            'query($after: String) { audience(channel: "email") { identities(first: 1, '
            "after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } } }",
            after=after,
        )["audience"]["identities"]
        walked += [e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert walked == [r["identity_id"] for r in exported]


def test_an_opt_out_recorded_through_the_api_is_honoured_at_once(
    consents: tuple[Graph, Path, str], admin: Run, analyst: Run
) -> None:
    result = admin(
        "mutation($records: [JSON!]!) { ingestRecords(source: \"cskh\", kind: CONSENTS, "
        "records: $records, resolve: false) { created rejected } }",
        records=[
            {
                "customer_id": "KH002", "customer_source": "crm", "channel": "email",
                "status": "từ chối", "recorded_at": "2024-03-20T09:00:00+07:00",
                "detail": "khách gọi tổng đài",
            }
        ],
    )["ingestRecords"]  # fmt: skip
    assert (result["created"], result["rejected"]) == (1, 0)
    audience = analyst(AUDIENCE, channel="email")["audience"]
    assert (audience["contactable"], audience["optedOut"]) == (1, 1)
