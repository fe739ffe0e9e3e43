"""A Vietnamese retailer's own exports through the real `c360 ingest`: amounts, names, headers.

The files are what such a data engineer has: a CRM CSV with Vietnamese column names written
in decomposed Unicode (as macOS tools write), a POS CSV with semicolons and dong amounts
written `450.000`, a web shop's NDJSON with the customer nested under `khach_hang`.
"""

from __future__ import annotations

import csv
import json
import unicodedata
from pathlib import Path

from c360graph.db.graph import Graph
from tests.helpers import cypher
from tests.integration.test_cli import c360


def nfd(text: str) -> str:
    """Text in decomposed Unicode, as a macOS export writes it."""
    return unicodedata.normalize("NFD", text)


CRM_HEADER = ["Mã KH", "Họ và tên", "Thư điện tử", "Số điện thoại", "Địa chỉ", "Thành phố"]
CRM_ROWS = [
    [
        "KH001",
        "Nguyễn Thị Hồng",
        "hong.nguyen@example.vn",
        "0977 888 999",
        "12 Lý Thường Kiệt",
        "Hà Nội",
    ],
    [
        "KH002",
        "Nguyễn Văn Nam",
        "nam.nguyen@example.vn",
        "0912 345 678",
        "12 Lý Thường Kiệt",
        "Hà Nội",
    ],
    ["KH003", "Trần Minh Anh", "anh.tran@example.vn", "0903 111 222", "5 Lê Lợi", "Huế"],
]
CRM_MAPPING = """\
columns:
  Mã KH: source_id
  Họ và tên: full_name
  Thư điện tử: email
  Số điện thoại: phone
  Địa chỉ: address_line1
  Thành phố: city
locale: vi_VN
currency: VND
default_region: VN
"""


def write_crm(folder: Path, rows: list[list[str]] = CRM_ROWS) -> tuple[Path, Path]:
    """The CRM export (header in NFD) and its mapping (in NFC, as typed)."""
    path = folder / "khach_hang.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([nfd(name) for name in CRM_HEADER])
        writer.writerows(rows)
    mapping = folder / "crm.yaml"
    mapping.write_text(CRM_MAPPING, encoding="utf-8")
    return path, mapping


def write_pos(folder: Path, amounts: list[str], mapping_extra: str = "") -> tuple[Path, Path]:
    """A POS export with semicolons, one order per amount, for customer KH001."""
    path = folder / "ban_hang.csv"
    lines = ["ma_don;ma_kh;so_tien;ngay_mua;kenh"]
    lines += [
        f"D{n};KH001;{amount};0{n}/03/2024;store" for n, amount in enumerate(amounts, start=1)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    mapping = folder / "pos.yaml"
    mapping.write_text(
        "columns: {ma_don: order_id, ma_kh: customer_id, so_tien: amount, ngay_mua: ordered_at, "
        "kenh: channel}\n"
        "kind: orders\n" + mapping_extra,
        encoding="utf-8",
    )
    return path, mapping


def orders(graph: Graph) -> dict[str, dict[str, object]]:
    rows = cypher(
        graph,
        "MATCH (o:Order) RETURN o.order_id AS id, o.amount AS amount, o.currency AS currency, "
        "o.data_issues AS issues",
    )
    return {row.pop("id"): row for row in rows}


def test_dong_amounts_read_by_the_sources_locale_and_the_currencys_minor_units(
    graph: Graph, cli_env: dict[str, str], tmp_path: Path
) -> None:
    path, mapping = write_pos(
        tmp_path,
        ["450.000", "89.000", '"1.250.000"', "12,5", "450.000 ₫", "ba trăm"],
        "locale: vi_VN\ncurrency: VND\n",
    )
    result = c360(cli_env, "ingest", str(path), "--source", "pos", "--mapping", str(mapping))
    assert result.returncode == 0, result.stderr
    assert "read 6, created 6" in result.stdout
    assert "2 records kept with a field problem" in result.stdout
    found = orders(graph)
    assert {k: (v["amount"], v["currency"]) for k, v in found.items()} == {
        "D1": (450000.0, "VND"),
        "D2": (89000.0, "VND"),
        "D3": (1250000.0, "VND"),
        "D4": (None, "VND"),  # VND has no minor unit: 12,5 dong is a mistake, not 12.5
        "D5": (450000.0, "VND"),
        "D6": (None, "VND"),
    }
    assert "VND has 0" in found["D4"]["issues"][0]  # type: ignore[index]
    assert "is not a number" in found["D6"]["issues"][0]  # type: ignore[index]


def test_without_a_locale_the_currency_decides_what_a_lone_separator_means(
    graph: Graph, cli_env: dict[str, str], tmp_path: Path
) -> None:
    path = tmp_path / "orders.csv"
    path.write_text(
        "order_id,customer_id,amount,currency\n"
        "A1,KH001,450.000,VND\n"  # VND: 0 minor digits, so thousands
        "A2,KH001,12.50,EUR\n"  # EUR: 2 minor digits, so decimals
        "A3,KH001,12.500,\n",  # no currency: could be either, so refused with a reason
        encoding="utf-8",
    )
    result = c360(cli_env, "ingest", str(path), "--source", "shop")
    assert result.returncode == 0, result.stderr
    found = orders(graph)
    assert (found["A1"]["amount"], found["A2"]["amount"], found["A3"]["amount"]) == (
        450000.0,
        12.5,
        None,
    )
    assert "could be thousands or decimals" in found["A3"]["issues"][0]  # type: ignore[index]


def test_family_name_first_names_split_by_the_sources_locale(
    graph: Graph, cli_env: dict[str, str], tmp_path: Path
) -> None:
    path, mapping = write_crm(tmp_path)
    result = c360(cli_env, "ingest", str(path), "--source", "crm", "--mapping", str(mapping))
    assert result.returncode == 0, result.stderr
    names = cypher(
        graph,
        "MATCH (c:Customer) RETURN c.source_id AS id, c.first_name AS given, "
        "c.middle_name AS middle, c.last_name AS family, c.full_name AS full, "
        "c.last_name_key AS family_key ORDER BY id",
    )
    assert names[0] == {
        "id": "KH001",
        "given": "Hồng",
        "middle": "Thị",
        "family": "Nguyễn",
        "full": "Nguyễn Thị Hồng",
        "family_key": "nguyen",
    }
    assert [(n["given"], n["family_key"]) for n in names[1:]] == [
        ("Nam", "nguyen"),
        ("Anh", "tran"),
    ]


def test_headers_in_nfd_match_the_mapping_and_a_mapped_column_the_file_lacks_is_an_error(
    graph: Graph, cli_env: dict[str, str], tmp_path: Path
) -> None:
    path, mapping = write_crm(tmp_path)
    assert nfd("Họ và tên").encode() in path.read_bytes()  # the header really is decomposed
    result = c360(cli_env, "ingest", str(path), "--source", "crm", "--mapping", str(mapping))
    assert result.returncode == 0, result.stderr
    assert "ignored columns" not in result.stdout
    mapping.write_text(CRM_MAPPING.replace("Họ và tên", "Tên khách"), encoding="utf-8")
    wrong = c360(cli_env, "ingest", str(path), "--source", "crm2", "--mapping", str(mapping))
    assert wrong.returncode == 2
    assert "names column 'Tên khách', which is not in the file's header" in wrong.stderr
    assert cypher(graph, "MATCH (c:Customer {source: 'crm2'}) RETURN count(c) AS n") == [{"n": 0}]


def test_nested_ndjson_fields_map_by_dotted_path_and_unused_ones_are_listed(
    graph: Graph, cli_env: dict[str, str], tmp_path: Path
) -> None:
    path = tmp_path / "don_hang.ndjson"
    items = [
        {
            "ma_don": "W1",
            "khach_hang": {"id": "KH001", "ten": "Nguyễn Thị Hồng"},
            "tong_tien": "1.250.000 ₫",
            "ghi_chu": {"qua_tang": True},
        },
        {"ma_don": "W2", "khach_hang": {"id": "KH002"}, "tong_tien": "89.000 ₫"},
    ]
    path.write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in items) + "\n", "utf-8")
    mapping = tmp_path / "web.yaml"
    mapping.write_text(
        "columns: {ma_don: order_id, khach_hang.id: customer_id, tong_tien: amount}\n"
        "locale: vi_VN\n",
        encoding="utf-8",
    )
    result = c360(
        cli_env,
        "ingest",
        str(path),
        "--source",
        "web",
        "--kind",
        "orders",
        "--mapping",
        str(mapping),
    )
    assert result.returncode == 0, result.stderr
    assert "read 2, created 2" in result.stdout
    assert "ignored columns (map them with --mapping): ghi_chu, khach_hang.ten" in result.stdout
    placed = cypher(
        graph,
        "MATCH (c:Customer)-[:PLACED]->(o:Order) RETURN c.key AS c, o.amount AS a ORDER BY c",
    )
    assert placed == [{"c": "web:KH001", "a": 1250000.0}, {"c": "web:KH002", "a": 89000.0}]
    mapping.write_text("columns: {khach_hang.ma: customer_id, ma_don: order_id}\n", "utf-8")
    wrong = c360(
        cli_env,
        "ingest",
        str(path),
        "--source",
        "web",
        "--kind",
        "orders",
        "--mapping",
        str(mapping),
    )
    assert wrong.returncode == 2
    assert "names column 'khach_hang.ma', which is not in the file's fields" in wrong.stderr


def test_a_row_with_only_an_id_is_rejected_with_a_reason(
    graph: Graph, cli_env: dict[str, str], tmp_path: Path
) -> None:
    path, mapping = write_crm(tmp_path, [*CRM_ROWS[:1], ["KH009", "", "", "", "", ""]])
    result = c360(cli_env, "ingest", str(path), "--source", "crm", "--mapping", str(mapping))
    assert result.returncode == 0, result.stderr
    assert "read 2, created 1, updated 0, unchanged 0, rejected 1" in result.stdout
    with (tmp_path / "khach_hang.rejects.csv").open(encoding="utf-8", newline="") as handle:
        [reject] = list(csv.DictReader(handle))
    assert reject[nfd("Mã KH")] == "KH009"
    assert reject["_error"].startswith("the row has an id and nothing else")
    assert cypher(graph, "MATCH (c:Customer {key: 'crm:KH009'}) RETURN c") == []


def test_a_file_whose_every_row_is_rejected_exits_1(
    graph: Graph, cli_env: dict[str, str], tmp_path: Path
) -> None:
    path = tmp_path / "hong.csv"
    path.write_text("source_id,email\n,a@example.vn\nnull,b@example.vn\n", encoding="utf-8")
    result = c360(cli_env, "ingest", str(path), "--source", "crm")
    assert result.returncode == 1
    assert "every row of" in result.stderr and "hong.csv was rejected" in result.stderr
    assert "rejected 2" in result.stdout
    partly = tmp_path / "partly.csv"
    partly.write_text("source_id,email\nKH1,a@example.vn\n,b@example.vn\n", encoding="utf-8")
    assert c360(cli_env, "ingest", str(partly), "--source", "crm").returncode == 0


def test_a_second_run_never_overwrites_the_first_runs_reject_file(
    graph: Graph, cli_env: dict[str, str], tmp_path: Path
) -> None:
    path = tmp_path / "crm.csv"
    path.write_text("source_id,email\nKH1,a@example.vn\n,b@example.vn\n", encoding="utf-8")
    first = c360(cli_env, "ingest", str(path), "--source", "crm")
    first_rejects = tmp_path / "crm.rejects.csv"
    assert str(first_rejects) in first.stdout
    before = first_rejects.read_bytes()
    path.write_text("source_id,email\nKH1,a@example.vn\nnull,c@example.vn\n", encoding="utf-8")
    second = c360(cli_env, "ingest", str(path), "--source", "crm")
    second_rejects = tmp_path / "crm.rejects.2.csv"
    assert str(second_rejects) in second.stdout
    assert first_rejects.read_bytes() == before
    assert "c@example.vn" in second_rejects.read_text(encoding="utf-8")


def test_an_erased_person_stays_erased_when_the_same_export_is_ingested_again(
    graph: Graph, cli_env: dict[str, str], tmp_path: Path, server_home: Path
) -> None:
    path, mapping = write_crm(tmp_path)
    ingest = ["ingest", str(path), "--source", "crm", "--mapping", str(mapping)]
    assert c360(cli_env, *ingest).returncode == 0
    assert c360(cli_env, "resolve").returncode == 0
    [row] = cypher(
        graph, "MATCH (:Customer {key: 'crm:KH003'})-[:RESOLVES_TO]->(i:Identity) RETURN i.id AS id"
    )
    erased = c360(cli_env, "erase", "--identity", row["id"], "--yes")
    assert erased.returncode == 0, erased.stderr
    assert "erased 1 record(s)" in erased.stdout

    # The same export again, plus the erased person under a new id with the same email.
    write_crm(tmp_path, [*CRM_ROWS, ["KH010", "Trần M. Anh", "anh.tran@example.vn", "", "", ""]])
    again = c360(cli_env, *ingest)
    assert again.returncode == 0, again.stderr
    assert "read 4, created 0, updated 0, unchanged 2, rejected 2" in again.stdout
    assert "2 rows of erased people turned away" in again.stdout
    with (tmp_path / "khach_hang.rejects.csv").open(encoding="utf-8", newline="") as handle:
        rejects = {r[nfd("Mã KH")]: r["_error"] for r in csv.DictReader(handle)}
    assert set(rejects) == {"KH003", "KH010"}
    assert rejects["KH003"].startswith("erased: this record belongs to a person erased on ")
    assert rejects["KH010"].startswith("erased: this email belongs to a person erased on ")
    assert (
        cypher(graph, "MATCH (c:Customer) WHERE c.key IN ['crm:KH003', 'crm:KH010'] RETURN c.key")
        == []
    )
    assert cypher(graph, "MATCH (e:Email {address: 'anh.tran@example.vn'}) RETURN e") == []

    # The list holds keyed hashes only: no value in clear, no plain hash of one.
    listed = cypher(graph, "MATCH (s:Suppressed) RETURN s.hash AS hash, s.kind AS kind")
    assert sorted(r["kind"] for r in listed) == ["email", "phone", "record"]
    stored = json.dumps(
        cypher(graph, "MATCH (s:Suppressed) RETURN properties(s) AS p"), default=str
    )
    for clear in ("KH003", "anh.tran", "+84903111222"):
        assert clear not in stored
    secret = server_home / "suppression.key"
    assert secret.stat().st_mode & 0o777 == 0o600


def test_a_postcode_alone_is_no_shared_address_and_never_beats_a_complete_one(
    graph: Graph, cli_env: dict[str, str], tmp_path: Path
) -> None:
    web = tmp_path / "web.csv"
    web.write_text(
        "source_id,full_name,email,address_line1,city,postcode,updated_at\n"
        "W1,Lê Thu Trang,trang.le@example.vn,25 Tràng Tiền,Hà Nội,100000,2023-01-05\n",
        encoding="utf-8",
    )
    pos = tmp_path / "pos.csv"
    pos.write_text(  # the till keeps a postcode only; two strangers share it
        "source_id,full_name,email,postcode,updated_at\n"
        "P1,Lê Thu Trang,trang.le@example.vn,100000,2024-06-01\n"
        "P2,Phạm Quốc Bảo,bao.pham@example.vn,100000,2024-06-02\n",
        encoding="utf-8",
    )
    _ingest_vietnamese_and_resolve(cli_env, tmp_path, ((web, "webshop"), (pos, "pos")))
    places = cypher(graph, "MATCH (a:Address)<-[:LIVES_AT]-(c:Customer) RETURN c.key AS key")
    assert places == [{"key": "webshop:W1"}]
    kept = cypher(graph, "MATCH (c:Customer {key: 'pos:P2'}) RETURN c.postcode AS postcode")
    assert kept == [{"postcode": "100000"}]  # still on the record, for matching
    [golden] = cypher(
        graph,
        "MATCH (:Customer {key: 'pos:P1'})-[:RESOLVES_TO]->(i:Identity) "
        "RETURN i.address_line1 AS line1, i.address_source AS source, "
        "count { (i)<-[:RESOLVES_TO]-(:Customer) } AS records",
    )
    assert golden == {"line1": "25 Tràng Tiền", "source": "webshop", "records": 2}


def _ingest_vietnamese_and_resolve(
    cli_env: dict[str, str], tmp_path: Path, files: tuple[tuple[Path, str], ...]
) -> None:
    """Ingest each (file, source) with a vi_VN mapping through the CLI, then resolve."""
    mapping = tmp_path / "vn.yaml"
    mapping.write_text("locale: vi_VN\ndefault_region: VN\n", encoding="utf-8")
    for path, source in files:
        result = c360(cli_env, "ingest", str(path), "--source", source, "--mapping", str(mapping))
        assert result.returncode == 0, result.stderr
    assert c360(cli_env, "resolve").returncode == 0


def test_explain_pairs_each_rule_with_its_own_evidence_and_lists_only_their_identifiers(
    graph: Graph, cli_env: dict[str, str], tmp_path: Path
) -> None:
    crm = tmp_path / "crm.csv"
    crm.write_text(
        "source_id,full_name,email,phone\n"
        "KH001,Nguyễn Thị Hồng,hong.nguyen@example.vn,0977 888 999\n"
        "KH002,Đỗ Văn Hải,hai.do@example.vn,0912 000 111\n",
        encoding="utf-8",
    )
    shop = tmp_path / "shop.csv"
    shop.write_text(
        "source_id,full_name,email,phone\n"
        "S1,Nguyen Thi Hong,hong.nguyen@example.vn,+84 977 888 999\n"
        "S2,Đỗ V. Hải,hai.do@example.vn,0912 000 111\n",
        encoding="utf-8",
    )
    _ingest_vietnamese_and_resolve(cli_env, tmp_path, ((crm, "crm"), (shop, "shop")))
    explained = c360(cli_env, "explain", "crm:KH001", "shop:S1")
    assert explained.returncode == 0, explained.stderr
    text = explained.stdout
    assert "same_email (hong.nguyen@example.vn)" in text
    assert "same_phone (+84977888999)" in text
    assert "same_email (+84977888999)" not in text and "same_phone (hong" not in text
    # The other pair's identifiers are none of this pair's business.
    assert "hai.do@example.vn" not in text and "+84912000111" not in text


ORDERS_WITH_CUSTOMERS = [
    "Mã đơn;Mã KH;Họ và tên;Thư điện tử;Số điện thoại;Số tiền;Ngày mua",
    "D1;KH001;Nguyễn Thị Hồng;hong.nguyen@example.vn;0977 888 999;1.250.000;01/03/2024",
    "D2;KH002;Trần Minh Anh;anh.tran@example.vn;;450.000;02/03/2024",
    "D3;KH001;Nguyễn Thị Hồng;hong.nguyen@example.vn;0977 888 999;89.000;03/03/2024",
    "D4;KH003;;;;120.000;04/03/2024",  # a walk-in: no details, the order alone
    "D5;NULL;Lê Văn Tám;tam.le@example.vn;;99.000;05/03/2024",  # no customer id
]
ORDERS_WITH_CUSTOMERS_MAPPING = """\
columns:
  Mã đơn: order_id
  Mã KH: customer_id
  Họ và tên: full_name
  Thư điện tử: email
  Số điện thoại: phone
  Số tiền: amount
  Ngày mua: ordered_at
kind: orders
locale: vi_VN
currency: VND
default_region: VN
"""


def test_an_order_export_carrying_customer_details_is_ingested_in_one_run_with_one_mapping(
    graph: Graph, cli_env: dict[str, str], tmp_path: Path
) -> None:
    path = tmp_path / "don_hang.csv"
    lines = [nfd(ORDERS_WITH_CUSTOMERS[0]), *ORDERS_WITH_CUSTOMERS[1:]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    mapping = tmp_path / "don_hang.yaml"
    mapping.write_text(ORDERS_WITH_CUSTOMERS_MAPPING, encoding="utf-8")
    result = c360(cli_env, "ingest", str(path), "--source", "pos", "--mapping", str(mapping))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    # KH001's two rows make one record; KH003 has no details; the NULL id is turned away.
    assert "pos/customers: read 3, created 2, updated 0, unchanged 0, rejected 1" in out
    assert "pos/orders: read 5, created 4, updated 0, unchanged 0, rejected 1" in out
    assert "ignored columns" not in out
    customers = cypher(
        graph,
        "MATCH (c:Customer {source: 'pos'}) OPTIONAL MATCH (c)-[:HAS_EMAIL]->(e:Email) "
        "OPTIONAL MATCH (c)-[:PLACED]->(o:Order) "
        "RETURN c.source_id AS id, c.first_name AS first, c.last_name AS last, "
        "c.stub AS stub, e.address AS email, collect(o.amount) AS amounts ORDER BY id",
    )
    found = {row.pop("id"): row for row in customers}
    assert sorted(found["KH001"].pop("amounts")) == [89000.0, 1250000.0]
    assert found["KH001"] == {
        "first": "Hồng", "last": "Nguyễn", "stub": None, "email": "hong.nguyen@example.vn"
    }  # fmt: skip
    assert found["KH002"]["email"] == "anh.tran@example.vn"
    assert found["KH003"]["stub"] is True and found["KH003"]["amounts"] == [120000.0]
    # Each part's rejects in its own file, the first run's never overwritten by the second's.
    customer_rejects = (tmp_path / "don_hang.rejects.csv").read_text(encoding="utf-8")
    order_rejects = (tmp_path / "don_hang.rejects.2.csv").read_text(encoding="utf-8")
    assert "customer details: source_id 'NULL' stands for a missing id" in customer_rejects
    assert "customer_id 'NULL' stands for a missing id" in order_rejects
    again = c360(cli_env, "ingest", str(path), "--source", "pos", "--mapping", str(mapping))
    assert "pos/customers: read 3, created 0, updated 0, unchanged 2, rejected 1" in again.stdout
    assert "pos/orders: read 5, created 0, updated 0, unchanged 4, rejected 1" in again.stdout
