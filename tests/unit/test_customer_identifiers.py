"""A prepared customer keys its identifiers by the kinds graph/schema.py declares."""

from __future__ import annotations

from typing import Any

import pytest

from c360graph.graph.schema import (
    ADDRESS,
    DEVICE,
    EMAIL,
    IDENTIFIERS,
    LOYALTY_ID,
    NATIONAL_ID,
    PHONE,
    IdentifierKind,
)
from c360graph.normalize import InvalidValue
from c360graph.sources import customers
from c360graph.sources.customers import prepare_customer
from c360graph.sources.records import Context

_ROW = {
    "source_id": "KH-0042",
    "full_name": "Nguyễn Thị Hồng",
    "email": "Hong.Nguyen@Example.VN",
    "phone": "0977 888 999",
    "address_line1": "12 Lý Thường Kiệt",
    "city": "Hà Nội",
    "country": "VN",
    "device_id": "dev-hn-01",
    "loyalty_id": "vip-0042",
    "national_id": "001190000042",
}
_CTX = Context(source="crm", default_region="VN", locale="vi_VN", id_pepper="muoi")


def test_each_identifier_is_keyed_by_its_declared_kind_with_its_node_key() -> None:
    record = prepare_customer(dict(_ROW), _CTX)

    read = {EMAIL, PHONE, ADDRESS, DEVICE, LOYALTY_ID, NATIONAL_ID}
    assert set(record.links) == set(record.identifiers) == read
    values = {kind: [link.value for link in links] for kind, links in record.links.items()}
    assert values[EMAIL] == ["hong.nguyen@example.vn"]
    assert values[PHONE] == ["+84977888999"]
    assert values[ADDRESS] == ["12 ly thuong kiet||ha noi|vn"]
    assert values[DEVICE] == ["dev-hn-01"]
    assert values[LOYALTY_ID] == ["VIP0042"]
    assert len(values[NATIONAL_ID][0]) == 32  # a keyed hash, never the number
    for kind, nodes in record.identifiers.items():
        assert [node[kind.key] for node in nodes] == values[kind], kind.name
    assert record.links[NATIONAL_ID][0].raw == "***"


def test_the_content_hash_is_the_one_string_keyed_records_had() -> None:
    """Pinned from the code before kinds keyed records: re-ingesting after an upgrade finds
    every record unchanged, not changed."""
    record = prepare_customer(dict(_ROW), _CTX)
    assert record.props["row_hash"] == "35c933e152035d2edc15da092e337e9ab8184756"


def _zalo_id(raw: str) -> dict[str, Any]:
    """A normalizer written for the test: a Zalo account is its phone number's digits."""
    digits = "".join(ch for ch in raw if ch.isdigit())
    if len(digits) < 9:
        raise InvalidValue(f"{raw!r} is not a Zalo account number")
    return {"value": "84" + digits[-9:]}


def test_a_kind_declared_with_a_column_and_a_normalizer_is_read_with_no_other_code(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Adding a kind: the declaration and its normalizer. A bad value is a field problem."""
    zalo = IdentifierKind(
        "zalo_ids",
        "ZaloId",
        "value",
        "HAS_ZALO_ID",
        "zalo_value",
        "84977888999",
        column="zalo_id",
        normalizer=_zalo_id,
    )
    monkeypatch.setattr(customers, "IDENTIFIERS", (*IDENTIFIERS, zalo))
    row = {**_ROW, "zalo_id": "0977 888 999 | zalo của chị Hồng"}

    record = prepare_customer(row, _CTX)

    assert record.identifiers[zalo] == [{"value": "84977888999"}]
    assert [(link.value, link.raw) for link in record.links[zalo]] == [
        ("84977888999", "0977 888 999")
    ]
    assert [(issue.field, issue.value) for issue in record.issues] == [
        ("zalo_id", "zalo của chị Hồng")
    ]
