"""The service agent's role over a Vietnamese retailer's data: one caller's +84 phone and email
unmasked, nothing in bulk and no fraud tools, and every unmasked view in the audit log that an
admin lists (GraphQL and `c360 audit list`). Readers still see masked data."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import pytest
from gql.transport.exceptions import TransportQueryError

from c360graph.db.graph import Graph
from c360graph.resolve.engine import resolve
from c360graph.resolve.settings import load_resolution_config
from tests.api.conftest import Run, error_codes
from tests.api.test_vietnamese_api import identity_of
from tests.integration.test_cli import c360
from tests.integration.test_vietnamese_sources import CRM_ROWS, write_crm

# A family landline that four different people gave: a phone search finds them all.
LANDLINE = "024 3825 1234"
SHARED_LANDLINE = [
    [f"KH10{n}", name, f"{email}@example.vn", LANDLINE, f"{n} Hàng Bạc", "Hà Nội"]
    for n, (name, email) in enumerate(
        [
            ("Phạm Quốc Bảo", "bao.pham"),
            ("Lê Thu Trang", "trang.le"),
            ("Đỗ Hải Yến", "yen.do"),
            ("Vũ Đức Thắng", "thang.vu"),
        ],
        start=1,
    )
]
VERIFY = """
query VerifyCaller($phone: String!) {
  identitiesByPhone(phone: $phone) {
    id
    profile { fullName { value } email { value } phone { value } dateOfBirth { value }
              address { line1 city } }
    emails { value }
    phones { value }
    records { edges { node { key emails phones addressLine1 } } }
    consents { channel status }
  }
}
"""
VIEWS = """
query Views($key: String, $identity: ID, $first: Int, $after: String) {
  piiViews(keyName: $key, identityId: $identity, first: $first, after: $after) {
    edges { node { id at keyName role operation rootFields fields identities records } }
    pageInfo { hasNextPage endCursor }
  }
}
"""


@pytest.fixture(scope="module")
def vn_callers(
    session_graph: Graph, cli_env_session: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Graph:
    """The Vietnamese CRM export, four people sharing a landline among its customers."""
    session_graph.write("schema/clear_all")
    path, mapping = write_crm(tmp_path_factory.mktemp("vn-agent"), CRM_ROWS + SHARED_LANDLINE)
    result = c360(
        cli_env_session, "ingest", str(path), "--source", "crm", "--mapping", str(mapping)
    )
    assert result.returncode == 0, result.stderr
    resolve(session_graph, load_resolution_config())
    return session_graph


@pytest.fixture
def agent(as_role: Callable[[str], Run]) -> Run:
    """Run a query as a service agent."""
    return as_role("agent")


def _views(admin: Run, key: str, count: int, **filters: Any) -> list[dict[str, Any]]:
    """The admin's newest audit entries of `key`, once `count` of them are there."""
    deadline = time.monotonic() + 10
    while True:
        edges = admin(VIEWS, key=key, first=50, **filters)["piiViews"]["edges"]
        if len(edges) >= count or time.monotonic() > deadline:
            return [edge["node"] for edge in edges]
        time.sleep(0.1)


def test_an_agent_verifies_one_caller_by_phone_and_sees_their_phone_and_email(
    vn_callers: Graph, agent: Run
) -> None:
    [caller] = agent(VERIFY, phone="0977 888 999")["identitiesByPhone"]
    assert caller["id"] == identity_of(vn_callers, "crm:KH001")
    profile = caller["profile"]
    assert profile["fullName"]["value"] == "Nguyễn Thị Hồng"
    assert profile["phone"]["value"] == "+84977888999"
    assert profile["email"]["value"] == "hong.nguyen@example.vn"
    assert [p["value"] for p in caller["phones"]] == ["+84977888999"]
    assert [e["value"] for e in caller["emails"]] == ["hong.nguyen@example.vn"]
    [record] = [edge["node"] for edge in caller["records"]["edges"]]
    assert record == {
        "key": "crm:KH001",
        "emails": ["hong.nguyen@example.vn"],
        "phones": ["+84977888999"],
        "addressLine1": "***",  # what the agent does not need stays masked
    }
    assert profile["address"] == {"line1": "***", "city": "Hà Nội"}
    # By the customer number the caller reads out: the record, then its identity.
    by_record = agent(
        '{ record(source: "crm", sourceId: "KH001") { phones identity { id } } '
        'identityByRecord(source: "crm", sourceId: "KH001") { profile { email { value } } } }'
    )
    assert by_record["record"] == {"phones": ["+84977888999"], "identity": {"id": caller["id"]}}
    assert by_record["identityByRecord"]["profile"]["email"]["value"] == "hong.nguyen@example.vn"


def test_the_agents_view_is_in_the_audit_log_and_an_admin_lists_it(
    vn_callers: Graph, agent: Run, admin: Run, cli_env_session: dict[str, str]
) -> None:
    agent(VERIFY, phone="+84 903 111 222")
    caller = identity_of(vn_callers, "crm:KH003")
    [entry, *_] = _views(admin, "test-agent", 1, identity=caller)
    assert entry["keyName"] == "test-agent" and entry["role"] == "agent"
    assert entry["operation"] == "VerifyCaller"
    assert entry["rootFields"] == ["identitiesByPhone"]
    assert entry["fields"] == ["email", "phone"]
    assert entry["identities"] == [caller] and entry["records"] == ["crm:KH003"]
    assert "anh.tran" not in json.dumps(entry) and "903111222" not in json.dumps(entry)
    # The same entry from the CLI, as an admin on the server's host lists it.
    listed = c360(cli_env_session, "audit", "list", "--key", "test-agent", "--json")
    assert listed.returncode == 0, listed.stderr
    lines = [json.loads(line) for line in listed.stdout.splitlines()]
    assert entry["id"] in {line["id"] for line in lines}
    table = c360(cli_env_session, "audit", "list", "--since", "1h", "--identity", caller)
    assert table.returncode == 0 and "test-agent" in table.stdout
    assert "VerifyCaller" in table.stdout and "email,phone" in table.stdout


def test_an_agent_is_refused_lists_analyses_fraud_tools_and_mutations_with_a_clear_error(
    vn_callers: Graph, agent: Run, admin: Run
) -> None:
    caller = identity_of(vn_callers, "crm:KH001")
    refused = {
        "name search": '{ searchIdentities(name: "Nguyễn") { edges { node { score } } } }',
        "customers at risk": "{ atRiskCustomers { edges { node { id } } } }",
        "segments": "{ segments { name } }",
        "fraud rings": "{ fraudRings { edges { node { id } } } }",
        "shared identifiers": "{ sharedIdentifiers { edges { node { value } } } }",
        "explain": '{ explain(a: {source: "crm", sourceId: "KH001"}, '
        'b: {source: "crm", sourceId: "KH002"}) { same } }',
        "audience": '{ audience(channel: "email") { contactable } }',
        "household": f'{{ identity(id: "{caller}") {{ household {{ id }} }} }}',
        "related": f'{{ identity(id: "{caller}") {{ related {{ edges {{ node {{ identityId }} }} }} }} }}',
        "fraud ring": f'{{ identity(id: "{caller}") {{ fraudRing {{ id }} }} }}',
        "audit log": "{ piiViews { edges { node { id } } } }",
        "a note": f'mutation {{ addNote(identityId: "{caller}", text: "gọi lại") {{ id }} }}',
    }
    for what, query in refused.items():
        with pytest.raises(TransportQueryError) as excinfo:
            agent(query)
        assert error_codes(excinfo) == ["FORBIDDEN"], what
        message = excinfo.value.errors[0]["message"]  # type: ignore[index]
        assert "your key 'test-agent' is agent" in message, what
        assert "An agent key looks up one caller at a time" in message, what
    assert admin("{ viewer { role } }") == {"viewer": {"role": "admin"}}


def test_an_agent_finds_at_most_three_identities_in_one_request(
    vn_callers: Graph, agent: Run, admin: Run
) -> None:
    # An analyst sees the landline is shared by four; the agent is told to ask for more.
    assert len(admin(VERIFY, phone=LANDLINE)["identitiesByPhone"]) == 4
    with pytest.raises(TransportQueryError) as excinfo:
        agent(VERIFY, phone=LANDLINE)
    assert error_codes(excinfo) == ["FORBIDDEN"]
    message = excinfo.value.errors[0]["message"]  # type: ignore[index]
    assert "at most 3 identities" in message and "ask the caller" in message
    assert excinfo.value.data == {"identitiesByPhone": None}
    # A search by the landline is one look-up of four too; aliases cannot add up to more.
    with pytest.raises(TransportQueryError) as excinfo:
        agent(f'{{ searchIdentities(phone: "{LANDLINE}") {{ edges {{ node {{ score }} }} }} }}')
    assert error_codes(excinfo) == ["FORBIDDEN"]
    aliased = " ".join(
        f'p{n}: identitiesByPhone(phone: "{row[3]}") {{ phones {{ value }} }}'
        for n, row in enumerate(CRM_ROWS + SHARED_LANDLINE[:1])
    )
    with pytest.raises(TransportQueryError) as excinfo:
        agent("{ " + aliased + " }")
    assert error_codes(excinfo) == ["FORBIDDEN"]
    data = excinfo.value.data or {}
    assert sum(value is not None for value in data.values()) == 3, data


def test_a_reader_still_sees_masked_data_and_leaves_no_audit_entry(
    vn_callers: Graph, reader: Run, admin: Run
) -> None:
    [caller] = reader(VERIFY, phone="0977 888 999")["identitiesByPhone"]
    assert caller["profile"]["phone"]["value"] == "+84*******99"
    assert caller["profile"]["email"]["value"] == "h***@example.vn"
    assert caller["records"]["edges"][0]["node"]["phones"] == ["+84*******99"]
    assert admin(VIEWS, key="test-reader")["piiViews"]["edges"] == []


def test_an_analysts_unmasked_views_are_audited_too_and_only_admins_list_them(
    vn_callers: Graph, analyst: Run, admin: Run
) -> None:
    caller = identity_of(vn_callers, "crm:KH002")
    found = analyst(
        "query($id: ID!) { identity(id: $id) { profile { email { value } } } }", id=caller
    )
    assert found["identity"]["profile"]["email"]["value"] == "nam.nguyen@example.vn"
    [entry, *_] = _views(admin, "test-analyst", 1, identity=caller)
    assert entry["role"] == "analyst" and entry["operation"] is None
    assert entry["rootFields"] == ["identity"] and entry["fields"] == ["email"]
    with pytest.raises(TransportQueryError) as excinfo:
        analyst("{ piiViews { edges { node { id } } } }")
    assert error_codes(excinfo) == ["FORBIDDEN"]
    # Pages follow each other newest first, with no entry twice.
    admin(VERIFY, phone=LANDLINE)
    first = admin(VIEWS, first=1)["piiViews"]
    second = admin(VIEWS, first=1, after=first["pageInfo"]["endCursor"])["piiViews"]
    one, two = first["edges"][0]["node"], second["edges"][0]["node"]
    assert one["id"] != two["id"] and (one["at"], one["id"]) > (two["at"], two["id"])
