# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The DNS layer (``dns.py``): which request each operation makes, and what the API's NOT_FOUND means, as typed errors.

The session is a scripted stand-in with only ``execute`` (the ApiSession protocol): the layer needs no more.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest

from ansible_collections.dyn.managed_dns.plugins.module_utils import dns
from ansible_collections.dyn.managed_dns.plugins.module_utils._records import RecordSet
from ansible_collections.dyn.managed_dns.plugins.module_utils.errors import (
    DynectDeleteError,
    DynectError,
    DynectGetError,
    DynectNodeNotFoundError,
    DynectUpdateError,
    DynectZoneNotFoundError,
)

NO_SUCH_ZONE = [{"INFO": "zone: No such zone", "SOURCE": "API-B", "ERR_CD": "NOT_FOUND", "LVL": "ERROR"}]
NOT_IN_ZONE = [
    {"INFO": "node: Not in zone", "SOURCE": "BLL", "ERR_CD": "NOT_FOUND", "LVL": "ERROR"},
    {"INFO": "detail: Host is not in this zone", "SOURCE": "BLL", "ERR_CD": None, "LVL": "INFO"},
]
DENIED = [{"INFO": "zone: You do not have permission", "SOURCE": "BLL", "ERR_CD": "PERMISSION_DENIED", "LVL": "ERROR"}]


class ScriptedSession:
    """Answers each call with the next scripted reply (``data``) or error, and records the calls."""

    def __init__(self, *answers: Any) -> None:
        self._answers = list(answers)
        self.calls: list[tuple[str, str, dict[str, Any] | None]] = []

    def execute(self, uri: str, method: str, args: dict[str, Any] | None = None) -> dict[str, Any]:
        self.calls.append((uri, method, args))
        answer = self._answers.pop(0)
        if isinstance(answer, DynectError):
            raise answer
        return {"status": "success", "data": answer, "msgs": []}


def refusal(cls: type[DynectError], method: str, uri: str, messages: list[dict[str, Any]], status: int = 404) -> DynectError:
    return cls(messages=messages, method=method, uri=f"/REST{uri}", http_status=status)


def a_record(fqdn: str, address: str, **fields: Any) -> dict[str, Any]:
    return {"zone": "example.com", "fqdn": fqdn, "record_type": "A", "ttl": 300, "rdata": {"address": address}, "record_id": 1, **fields}


# --- a zone that is not there ------------------------------------------------------------------


def test_a_missing_zone_is_a_typed_error_with_the_requests_words():
    original = refusal(DynectGetError, "GET", "/Zone/exmaple.com/", NO_SUCH_ZONE)
    session = ScriptedSession(original)

    with pytest.raises(DynectZoneNotFoundError) as caught:
        dns.read_zone(session, "exmaple.com")

    assert caught.value.zone == "exmaple.com"
    assert str(caught.value) == str(original) == "GET /REST/Zone/exmaple.com/ failed (HTTP 404): zone: No such zone"
    assert (caught.value.method, caught.value.http_status, caught.value.messages) == ("GET", 404, NO_SUCH_ZONE)
    assert caught.value.__cause__ is original
    assert session.calls == [("/Zone/exmaple.com/", "GET", None)]


@pytest.mark.parametrize(
    ("operation", "error_class", "method"),
    [
        pytest.param(lambda session: dns.read_record_set(session, "exmaple.com", "www.exmaple.com", "A"), DynectGetError, "GET", id="read_record_set"),
        pytest.param(lambda session: dns.all_record_sets(session, "exmaple.com"), DynectGetError, "GET", id="all_record_sets"),
        pytest.param(lambda session: dns.replace_record_set(session, "exmaple.com", "www.exmaple.com", "A", ["192.0.2.1"]), DynectUpdateError, "PUT",
                     id="replace_record_set"),
        pytest.param(lambda session: dns.delete_record_set(session, "exmaple.com", "www.exmaple.com", "A"), DynectDeleteError, "DELETE",
                     id="delete_record_set"),
        pytest.param(lambda session: dns.publish_zone(session, "exmaple.com"), DynectUpdateError, "PUT", id="publish_zone"),
        pytest.param(lambda session: dns.pending_changes(session, "exmaple.com"), DynectGetError, "GET", id="pending_changes"),
        pytest.param(lambda session: dns.discard_changes(session, "exmaple.com"), DynectDeleteError, "DELETE", id="discard_changes"),
    ],
)
def test_every_zone_operation_tells_a_missing_zone_alike(operation, error_class, method):
    session = ScriptedSession(refusal(error_class, method, "/x/", NO_SUCH_ZONE))
    with pytest.raises(DynectZoneNotFoundError) as caught:
        operation(session)
    assert caught.value.zone == "exmaple.com"


def test_other_refusals_pass_through_as_they_came():
    denied = refusal(DynectGetError, "GET", "/Zone/example.com/", DENIED, status=403)
    with pytest.raises(DynectGetError) as caught:
        dns.read_zone(ScriptedSession(denied), "example.com")
    assert caught.value is denied


def test_a_404_without_the_apis_not_found_is_no_missing_zone():
    # An error page of something in between (a proxy) says nothing about the zone.
    page = DynectGetError("reply is not JSON", method="GET", uri="/REST/Zone/example.com/", http_status=404)
    with pytest.raises(DynectGetError) as caught:
        dns.read_zone(ScriptedSession(page), "example.com")
    assert caught.value is page


@pytest.mark.parametrize(
    ("messages", "missing"),
    [(NO_SUCH_ZONE, "zone"), (NOT_IN_ZONE, "node"), (DENIED, None), ([], None), ([{"ERR_CD": "NOT_FOUND"}], None)],
)
def test_missing_in_reads_the_field_a_not_found_names(messages, missing):
    assert dns.missing_in(DynectGetError(messages=messages)) == missing


# --- a name that is not there ------------------------------------------------------------------


def test_reading_a_set_at_a_name_not_in_the_zone_finds_none():
    session = ScriptedSession(refusal(DynectGetError, "GET", "/ARecord/example.com/new.example.com/", NOT_IN_ZONE))
    assert dns.read_record_set(session, "example.com", "new.example.com", "A") is None
    assert session.calls == [("/ARecord/example.com/new.example.com/", "GET", {"detail": "Y"})]


def test_listing_below_a_name_not_in_the_zone_finds_nothing():
    session = ScriptedSession(refusal(DynectGetError, "GET", "/AllRecord/example.com/new.example.com/", NOT_IN_ZONE))
    assert dns.all_record_sets(session, "example.com", "new.example.com") == []


def test_deleting_a_set_at_a_name_not_in_the_zone_is_a_typed_error():
    original = refusal(DynectDeleteError, "DELETE", "/ARecord/example.com/old.example.com/", NOT_IN_ZONE)
    with pytest.raises(DynectNodeNotFoundError) as caught:
        dns.delete_record_set(ScriptedSession(original), "example.com", "old.example.com", "A")
    assert (caught.value.zone, caught.value.node) == ("example.com", "old.example.com")
    assert str(caught.value) == str(original)


# --- record sets -------------------------------------------------------------------------------


def test_replace_sends_the_whole_set_and_read_gives_it_back():
    session = ScriptedSession({}, [a_record("www.example.com", "192.0.2.2"), a_record("www.example.com", "192.0.2.1")])

    dns.replace_record_set(session, "example.com", "www.example.com", "A", ["192.0.2.1", "192.0.2.2"], 300)
    found = dns.read_record_set(session, "example.com", "www.example.com", "A")

    assert session.calls[0] == (
        "/ARecord/example.com/www.example.com/", "PUT",
        {"ARecords": [{"rdata": {"address": "192.0.2.1"}, "ttl": 300}, {"rdata": {"address": "192.0.2.2"}, "ttl": 300}]},
    )
    assert found == RecordSet("www.example.com", "www", "A", 300, ["192.0.2.1", "192.0.2.2"])


def test_all_record_sets_shows_an_unmodelled_type_as_the_api_gives_it():
    soa = {"zone": "example.com", "fqdn": "example.com", "record_type": "SOA", "ttl": 3600, "record_id": 2,
           "rdata": {"rname": "admin.example.com.", "mname": "ns1.p01.dynect.net.", "serial": 7}}
    session = ScriptedSession({"a_records": [a_record("example.com", "192.0.2.1")], "soa_records": [soa]})

    assert dns.all_record_sets(session, "example.com") == [
        RecordSet("example.com", "", "A", 300, ["192.0.2.1"]),
        RecordSet("example.com", "", "SOA", 3600, ["admin.example.com. ns1.p01.dynect.net. 7"]),
    ]


def without(record: dict[str, Any], key: str) -> dict[str, Any]:
    return {name: value for name, value in record.items() if name != key}


@pytest.mark.parametrize(
    ("records", "lacking"),
    [
        # The second record has no TTL: once swallowed as "a type not modelled" and shown with the first one's.
        pytest.param([a_record("www.example.com", "192.0.2.1"), without(a_record("www.example.com", "192.0.2.2"), "ttl")], "'ttl'", id="no-ttl"),
        pytest.param([{**a_record("www.example.com", "192.0.2.1"), "rdata": {"ip": "192.0.2.1"}}], "'address'", id="no-address"),
    ],
)
def test_a_malformed_record_of_a_modelled_type_is_a_clear_error(records, lacking):
    session = ScriptedSession({"a_records": records})

    with pytest.raises(DynectGetError) as caught:
        dns.all_record_sets(session, "example.com")

    assert str(caught.value).startswith(
        "GET /REST/AllRecord/example.com/ failed (HTTP 200): the reply holds a record this collection cannot read: "
        "the API's A record www.example.com has no "
    )
    assert lacking in str(caught.value)


def test_the_apex_ns_records_of_dyn_are_left_out():
    dyn_ns = {**a_record("example.com", "x"), "record_type": "NS", "rdata": {"nsdname": "ns1.p01.dynect.net."}, "service_class": "Primary"}
    own_ns = {**dyn_ns, "rdata": {"nsdname": "ns.example.org."}, "service_class": ""}
    session = ScriptedSession([dyn_ns, own_ns])
    found = dns.read_record_set(session, "example.com", "example.com", "NS")
    assert found is not None and found.value == ["ns.example.org."]


# --- zones -------------------------------------------------------------------------------------


def test_publish_sends_the_notes_and_gives_the_zone_after_it():
    session = ScriptedSession({"zone": "example.com", "serial": 2})
    assert dns.publish_zone(session, "example.com.", "release 7") == {"zone": "example.com", "serial": 2}
    assert session.calls == [("/Zone/example.com/", "PUT", {"publish": True, "notes": "release 7"})]


def test_zone_names_are_the_last_segment_of_each_uri_sorted():
    session = ScriptedSession(["/REST/Zone/example.net/", "/REST/Zone/example.com/"])
    assert dns.zone_names(session) == ["example.com", "example.net"]


# --- the layer's place -------------------------------------------------------------------------


def test_the_dns_layer_imports_no_task_layer_and_no_ansible_core():
    tree = ast.parse(Path(dns.__file__).read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    collection = "ansible_collections.dyn.managed_dns.plugins.module_utils."
    assert {name for name in imported if name.startswith(collection)} == {
        f"{collection}_protocol", f"{collection}_records", f"{collection}errors",
    }
    assert not [name for name in imported if name == "ansible" or name.startswith("ansible.")]
