# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Issue 16 item 1: zones, nodes, records, pending changes and publish (spec dynect-records.md), over real HTTP.

Most tests use the records emulator (RECORD_ACCOUNTS in emulator_client.py): a user holding every
permission of the record workflow, and users missing some, so each permission gate can be tested on its own.
"""

from __future__ import annotations

import datetime
import json
import time

import pytest
from emulator_client import (
    DEPLOY,
    RECORD_ACCOUNTS,
    RECORDS_DNS,
    RECORDS_NONODE,
    RECORDS_OTHER,
    RECORDS_READER,
    RECORDS_SCOPED,
    Client,
    assert_failure,
    assert_success,
)
from harness import Emulator, EmulatorError

DNS, SCOPED, NONODE, READER, OTHER = RECORDS_DNS, RECORDS_SCOPED, RECORDS_NONODE, RECORDS_READER, RECORDS_OTHER
DENIED = "permission: This user does not have permission to perform this action"
FROZEN = ["zone: This zone is frozen; thaw it to make changes"]
DYN_NS = [f"ns{n}.p01.dynect.net." for n in range(1, 5)]


@pytest.fixture
def server(records_emulator):
    return records_emulator


def _client(server, account=DNS) -> Client:
    client = Client(server.url)
    client.login(*account)
    return client


@pytest.fixture
def dns(server):
    client = _client(server)
    yield client
    client.http.close()


def ok(response, info: str | None = None, source: str = "BLL"):
    """The data of a success (with this one msg, from this source, when given)."""
    assert response.status_code == 200, response.text
    envelope = response.json()
    assert envelope["status"] == "success", envelope
    if info is not None:
        assert envelope["msgs"] == [{"INFO": info, "SOURCE": source, "ERR_CD": None, "LVL": "INFO"}]
    return envelope["data"]


def add(client, rtype, fqdn, rdata, ttl=None, zone="example.com"):
    body = {"rdata": rdata} if ttl is None else {"rdata": rdata, "ttl": ttl}
    return ok(client.request("POST", f"/REST/{rtype}Record/{zone}/{fqdn}/", body), "add: Record added")


def publish(client, zone="example.com", **extra):
    name = zone.lower().removesuffix(".")
    return ok(client.request("PUT", f"/REST/Zone/{zone}/", {"publish": True, **extra}), f"publish: {name} published")


def records(client, rtype, fqdn, zone="example.com"):
    return ok(client.request("GET", f"/REST/{rtype}Record/{zone}/{fqdn}/?detail=Y"))


def published(server, zone="example.com", rtype=None, fqdn=None):
    return [r for r in server.zone(zone, "acme")["records"]
            if (rtype is None or r["type"] == rtype) and (fqdn is None or r["fqdn"] == fqdn)]


# ---- the initial zones ----------------------------------------------------------------------------


def test_each_zone_starts_published_with_soa_and_dyn_ns(server, dns):
    state = server.zone("example.com", "acme")
    assert {key: state[key] for key in ("zone", "serial", "serial_style", "frozen", "default_ttl", "publishes")} == {
        "zone": "example.com", "serial": 1, "serial_style": "increment", "frozen": False, "default_ttl": 3600,
        "publishes": 0}
    assert [r["type"] for r in state["records"]] == ["SOA", "NS", "NS", "NS", "NS"]
    data = ok(dns.request("GET", "/REST/AllRecord/example.com/", {"detail": "Y"}), "get_tree: Here is your zone tree")
    assert len(data) == 30 and all(key.endswith("_records") for key in data)  # every type, empty lists included
    assert data["a_records"] == [] and data["caa_records"] == []
    soa, = data["soa_records"]
    assert soa == {"zone": "example.com", "ttl": 3600, "fqdn": "example.com", "record_type": "SOA",
                   "rdata": {"rname": "admin@example.com.", "mname": "ns1.p01.dynect.net.", "serial": 1,
                             "refresh": 3600, "retry": 600, "expire": 604800, "minimum": 1800},
                   "record_id": soa["record_id"], "serial_style": "increment"}
    assert isinstance(soa["record_id"], int) and soa["record_id"] > 0
    assert [(ns["rdata"]["nsdname"], ns["service_class"], ns["ttl"]) for ns in data["ns_records"]] == [
        (name, "Primary", 86400) for name in DYN_NS]
    assert ok(dns.request("GET", "/REST/Zone/example.com/")) == {
        "zone_type": "Primary", "serial_style": "increment", "serial": 1, "zone": "example.com"}


def test_the_default_accounts_zones_have_records_too(emulator):
    client = Client(emulator.url)
    client.login(*DEPLOY)
    uris = ok(client.request("GET", "/REST/AllRecord/initech.io/"))
    assert [uri.rsplit("/", 2)[0] for uri in uris] == ["/REST/SOARecord/initech.io"] + ["/REST/NSRecord/initech.io"] * 4
    assert emulator.zone("initech.io")["serial"] == 1


def test_zone_list(dns):
    assert ok(dns.request("GET", "/REST/Zone/"), "get: Your 3 zones") == [
        "/REST/Zone/example.com/", "/REST/Zone/example.net/", "/REST/Zone/shared.example/"]


# ---- each record type: create, read, update, delete -----------------------------------------------

TYPE_CASES = [
    # type, rdata sent, rdata answered (ints, dot-terminated host names)
    ("A", {"address": "192.0.2.10"}, {"address": "192.0.2.10"}),
    ("AAAA", {"address": "2001:DB8:0::1"}, {"address": "2001:db8::1"}),
    ("CNAME", {"cname": "target.example.org"}, {"cname": "target.example.org."}),
    ("TXT", {"txtdata": '"v=spf1 -all" \\; x'}, {"txtdata": '"v=spf1 -all" \\; x'}),
    ("SPF", {"txtdata": "v=spf1 include:example.org ~all"}, {"txtdata": "v=spf1 include:example.org ~all"}),
    ("MX", {"preference": "10", "exchange": "mx.example.org"}, {"exchange": "mx.example.org.", "preference": 10}),
    ("NS", {"nsdname": "ns.example.org."}, {"nsdname": "ns.example.org."}),
    ("SRV", {"priority": 1, "weight": "5", "port": 443, "target": "svc.example.org"},
     {"priority": 1, "weight": 5, "port": 443, "target": "svc.example.org."}),
    ("PTR", {"ptrdname": "host.example.org"}, {"ptrdname": "host.example.org."}),
    ("CAA", {"flags": 0, "tag": "issue", "value": "letsencrypt.org"}, {"flags": 0, "tag": "issue", "value": "letsencrypt.org"}),
    ("SSHFP", {"algorithm": 1, "fptype": 2, "fingerprint": "abc123"}, {"algorithm": 1, "fptype": 2, "fingerprint": "abc123"}),
    ("TLSA", {"cert_usage": 3, "selector": 1, "match_type": 1, "certificate": "ff00"},
     {"cert_usage": 3, "selector": 1, "match_type": 1, "certificate": "ff00"}),
    ("DS", {"algorithm": 8, "digest": "ABCD", "digtype": 2, "keytag": 12345},
     {"algorithm": 8, "digest": "ABCD", "digtype": 2, "keytag": 12345}),
    ("NAPTR", {"order": 100, "preference": 10, "flags": "U", "services": "E2U+sip", "regexp": "!^.*$!sip:x@y!",
               "replacement": "."}, {"order": 100, "preference": 10, "flags": "U", "services": "E2U+sip",
                                     "regexp": "!^.*$!sip:x@y!", "replacement": "."}),
]


@pytest.mark.parametrize(("rtype", "sent", "answered"), TYPE_CASES, ids=[case[0] for case in TYPE_CASES])
def test_create_publish_update_delete_each_type(server, dns, rtype, sent, answered):
    created = add(dns, rtype, "host.example.com.", sent, ttl="300")
    assert created == {"zone": "example.com", "ttl": 300, "fqdn": "host.example.com.", "record_type": rtype,
                       "rdata": answered, "record_id": 0} | ({"service_class": ""} if rtype == "NS" else {})
    assert ok(dns.request("GET", f"/REST/{rtype}Record/example.com/host.example.com/")) == [
        f"/REST/{rtype}Record/example.com/host.example.com/0"]
    assert publish(dns)["serial"] == 2
    record_id = records(dns, rtype, "host.example.com")[0]["record_id"]
    assert record_id > 0
    assert published(server, rtype=rtype, fqdn="host.example.com") == [
        {"fqdn": "host.example.com", "type": rtype, "ttl": 300, "rdata": answered, "record_id": record_id}]

    updated = ok(dns.request("PUT", f"/REST/{rtype}Record/example.com/host.example.com/{record_id}/", {"ttl": 600}),
                 "update: Record updated")
    assert (updated["record_id"], updated["ttl"], updated["rdata"]) == (0, 600, answered)
    publish(dns)
    (after_update,) = published(server, rtype=rtype, fqdn="host.example.com")
    assert after_update["ttl"] == 600 and after_update["record_id"] not in (0, record_id)  # a new id at publish

    path = f"/REST/{rtype}Record/example.com/host.example.com/{after_update['record_id']}/"
    ok(dns.request("DELETE", path), "delete: Record will be deleted on zone publish")
    assert publish(dns)["serial"] == 4
    assert published(server, rtype=rtype, fqdn="host.example.com") == []
    assert_failure(dns.request("GET", path), 404, ["record: No such record"], "NOT_FOUND")


def test_get_one_record_by_id_echoes_the_fqdn_as_sent(dns):
    add(dns, "A", "www.example.com", {"address": "192.0.2.1"})
    publish(dns)
    (uri,) = ok(dns.request("GET", "/REST/ARecord/example.com/www.example.com./"))
    record = ok(dns.request("GET", uri + "/"), "get: Found the record", source="API-B")
    assert record["fqdn"] == "www.example.com" and record["ttl"] == 3600


def test_an_update_keeps_what_it_does_not_name(server, dns):
    add(dns, "MX", "example.com", {"preference": 10, "exchange": "mx1.example.org."}, ttl=300)
    publish(dns)
    (mx,) = records(dns, "MX", "example.com")
    path = f"/REST/MXRecord/example.com/example.com./{mx['record_id']}/"
    ok(dns.request("PUT", path, {"rdata": {}, "ttl": 60}))  # dyn-python's TTL-only change
    (pending,) = records(dns, "MX", "example.com")
    assert (pending["rdata"], pending["ttl"], pending["record_id"]) == (mx["rdata"], 60, 0)
    ok(dns.request("PUT", "/REST/MXRecord/example.com/example.com./0/", {"rdata": {"preference": 20}}))  # id 0: the pending one
    again = ok(dns.request("GET", path))  # the published id still names the record, now pending
    assert (again["record_id"], again["rdata"]["preference"]) == (0, 20)
    assert len(ok(dns.request("GET", "/REST/ZoneChanges/example.com/"))) == 1
    publish(dns)
    assert [(r["rdata"], r["ttl"]) for r in published(server, rtype="MX")] == [
        ({"preference": 20, "exchange": "mx1.example.org."}, 60)]


def test_an_update_that_changes_nothing_leaves_nothing_to_publish(server, dns):
    add(dns, "A", "example.com", {"address": "192.0.2.1"}, ttl=300)
    add(dns, "A", "example.com", {"address": "192.0.2.2"})  # the zone's default TTL
    publish(dns)
    first, second = records(dns, "A", "example.com")
    same = ok(dns.request("PUT", f"/REST/ARecord/example.com/example.com/{first['record_id']}/",
                          {"rdata": {"address": "192.0.2.1"}, "ttl": "300"}))
    assert same["record_id"] == first["record_id"]
    ok(dns.request("PUT", f"/REST/ARecord/example.com/example.com/{second['record_id']}/", {"ttl": 3600}))
    body = {"ARecords": [{"rdata": {"address": "192.0.2.1"}, "ttl": 300}, {"rdata": {"address": "192.0.2.2"}, "ttl": 0}]}
    assert {r["record_id"] for r in ok(dns.request("PUT", "/REST/ARecord/example.com/example.com/", body))} == {
        first["record_id"], second["record_id"]}
    assert ok(dns.request("GET", "/REST/ZoneChanges/example.com/")) == []
    assert publish(dns)["serial"] == 2


# ---- record sets ------------------------------------------------------------------------------------


def test_replace_a_record_set(server, dns):
    for address in ("192.0.2.1", "192.0.2.2"):
        add(dns, "A", "www.example.com", {"address": address}, ttl=300)
    publish(dns)
    body = {"ARecords": [{"rdata": {"address": "192.0.2.2"}, "ttl": 300}, {"rdata": {"address": "192.0.2.3"}, "ttl": "300"}]}
    data = ok(dns.request("PUT", "/REST/ARecord/example.com/www.example.com./", body), "update: Records replaced")
    kept = [r for r in data if r["rdata"]["address"] == "192.0.2.2"][0]
    assert kept["record_id"] > 0 and sorted(r["rdata"]["address"] for r in data) == ["192.0.2.2", "192.0.2.3"]
    changes = ok(dns.request("GET", "/REST/ZoneChanges/example.com/"))
    assert sorted((c["operation"], c["rdata"]["rdata_a"]["address"]) for c in changes) == [
        ("add", "192.0.2.3"), ("delete", "192.0.2.1")]
    publish(dns)
    assert sorted(r["rdata"]["address"] for r in published(server, rtype="A")) == ["192.0.2.2", "192.0.2.3"]
    ok(dns.request("PUT", "/REST/ARecord/example.com/www.example.com/", body))  # the same set again: no change
    assert ok(dns.request("GET", "/REST/ZoneChanges/example.com/")) == []


def test_replace_with_an_unwrapped_record_and_with_an_empty_set(server, dns):
    add(dns, "TXT", "t.example.com", {"txtdata": "one"})
    add(dns, "TXT", "t.example.com", {"txtdata": "two"})
    publish(dns)
    data = ok(dns.request("PUT", "/REST/TXTRecord/example.com/t.example.com/", {"rdata": {"txtdata": "three"}, "ttl": 60}))
    assert [(r["rdata"]["txtdata"], r["ttl"], r["record_id"]) for r in data] == [("three", 60, 0)]
    publish(dns)
    assert [r["rdata"]["txtdata"] for r in published(server, rtype="TXT")] == ["three"]
    assert ok(dns.request("PUT", "/REST/TXTRecord/example.com/t.example.com/", {"TXTRecords": []})) == []
    publish(dns)
    assert published(server, rtype="TXT") == []
    assert_failure(dns.request("PUT", "/REST/TXTRecord/example.com/t.example.com/", {}), 400,
                   ["TXTRecords: required field missing"], "MISSING_DATA")


def test_delete_a_record_set_and_a_node(server, dns):
    for name in ("a.sub.example.com", "b.sub.example.com", "sub.example.com"):
        add(dns, "A", name, {"address": "192.0.2.1"})
        add(dns, "A", name, {"address": "192.0.2.2"})
    add(dns, "TXT", "sub.example.com", {"txtdata": "keep me"})
    publish(dns)
    ok(dns.request("DELETE", "/REST/ARecord/example.com/sub.example.com./"), "delete: 2 records deleted", source="API-B")
    assert records(dns, "A", "sub.example.com") == [] and len(records(dns, "TXT", "sub.example.com")) == 1
    publish(dns)
    assert ok(dns.request("GET", "/REST/NodeList/example.com/")) == [
        "example.com", "a.sub.example.com", "b.sub.example.com", "sub.example.com"]
    data = ok(dns.request("DELETE", "/REST/Node/example.com/sub.example.com"),
              "remove_node: sub.example.com removed from tree. All records also removed.")
    assert data == {"zone_type": "Primary", "serial_style": "increment", "serial": 3, "zone": "example.com"}
    assert ok(dns.request("GET", "/REST/NodeList/example.com/")) == ["example.com"]  # pending, seen by the session
    assert len(published(server)) == 5 + 5  # SOA, 4 NS and the five records until the publish
    publish(dns)
    assert [r["type"] for r in published(server)] == ["SOA", "NS", "NS", "NS", "NS"]


def test_node_list_and_all_records_below_a_node(dns):
    add(dns, "A", "www.example.com", {"address": "192.0.2.1"})
    add(dns, "CNAME", "x.www.example.com", {"cname": "www.example.com"})
    add(dns, "A", "mail.example.com", {"address": "192.0.2.2"})
    assert ok(dns.request("GET", "/REST/NodeList/example.com/www.example.com./")) == ["www.example.com", "x.www.example.com"]
    assert ok(dns.request("GET", "/REST/AllRecord/example.com/www.example.com/")) == [
        "/REST/ARecord/example.com/www.example.com/0", "/REST/CNAMERecord/example.com/x.www.example.com/0"]
    any_records = ok(dns.request("GET", "/REST/ANYRecord/example.com/www.example.com/", {"detail": "Y"}))
    assert [r["fqdn"] for r in any_records["a_records"]] == ["www.example.com"] and any_records["cname_records"] == []
    assert ok(dns.request("GET", "/REST/ANYRecord/example.com/www.example.com/")) == ["/REST/ARecord/example.com/www.example.com/0"]


def test_dyn_ns_and_soa_are_protected(dns):
    ns = [r for r in records(dns, "NS", "example.com") if r["service_class"] == "Primary"][0]
    assert_failure(dns.request("DELETE", f"/REST/NSRecord/example.com/example.com/{ns['record_id']}/"), 400,
                   ["delete: Dyn's own NS records cannot be changed or deleted"], "ILLEGAL_OPERATION")
    ok(dns.request("DELETE", "/REST/NSRecord/example.com/example.com/"), "delete: 0 records deleted", source="API-B")
    assert_failure(dns.request("POST", "/REST/SOARecord/example.com/example.com/", {"rdata": {"rname": "x@y."}}), 400,
                   ["add: SOA records cannot be added"], "ILLEGAL_OPERATION")
    assert_failure(dns.request("DELETE", "/REST/SOARecord/example.com/example.com/"), 400,
                   ["delete: SOA records cannot be deleted"], "ILLEGAL_OPERATION")
    assert_failure(dns.request("DELETE", "/REST/Node/example.com/example.com/"), 400,
                   ["remove_node: The zone apex cannot be removed"], "ILLEGAL_OPERATION")


# ---- pending changes and sessions -------------------------------------------------------------------


def test_pending_changes_are_seen_by_their_session_only(server, dns):
    other = _client(server)  # the same user, another session
    add(dns, "A", "new.example.com", {"address": "192.0.2.7"})
    assert ok(dns.request("GET", "/REST/ARecord/example.com/new.example.com/")) == ["/REST/ARecord/example.com/new.example.com/0"]
    assert_failure(other.request("GET", "/REST/ARecord/example.com/new.example.com/"), 404,
                   ["node: Not in zone", "detail: Host is not in this zone"], "NOT_FOUND")
    assert_failure(other.request("GET", "/REST/AllRecord/example.com/new.example.com/"), 404,
                   ["node: Node is not in the zone", "get_tree: Node name not found within the zone"], "NOT_FOUND")
    assert ok(other.request("GET", "/REST/ZoneChanges/example.com/"), "publish: You have not made any changes to this zone") == []
    assert publish(other)["serial"] == 1  # the other session has nothing to publish
    assert server.zone("example.com", "acme")["pending_changes"] == 1
    publish(dns)
    (record,) = records(other, "A", "new.example.com")
    assert record["record_id"] > 0


def test_publish_applies_only_the_callers_changes(server, dns):
    other = _client(server)
    add(dns, "A", "mine.example.com", {"address": "192.0.2.1"})
    add(other, "A", "theirs.example.com", {"address": "192.0.2.2"})
    publish(other)
    assert [r["fqdn"] for r in published(server, rtype="A")] == ["theirs.example.com"]
    assert len(ok(dns.request("GET", "/REST/ARecord/example.com/mine.example.com/"))) == 1
    publish(dns)
    assert [r["fqdn"] for r in published(server, rtype="A")] == ["theirs.example.com", "mine.example.com"]
    assert server.zone("example.com", "acme")["serial"] == 3


@pytest.mark.parametrize("ending", ["logout", "expire_token", "inactivity_logout"])
def test_a_session_that_ends_loses_its_changes(server, dns, ending):
    add(dns, "A", "lost.example.com", {"address": "192.0.2.1"})
    if ending == "logout":
        ok(dns.request("DELETE", "/REST/Session/"))
    else:
        server.fault(ending)
        assert dns.request("GET", "/REST/Session/").status_code == 400
    assert server.zone("example.com", "acme")["pending_changes"] == 0
    dns.login(*DNS)
    assert ok(dns.request("GET", "/REST/ZoneChanges/example.com/")) == []
    assert publish(dns)["serial"] == 1


def test_an_idle_session_loses_its_changes(emulator_factory, tmp_path):
    path = tmp_path / "accounts.json"
    path.write_text(json.dumps(RECORD_ACCOUNTS), encoding="utf-8")
    idle = emulator_factory(accounts=path, idle_timeout=0.5)
    client = _client(idle)
    add(client, "A", "lost.example.com", {"address": "192.0.2.1"})
    time.sleep(0.7)
    assert_failure(client.request("GET", "/REST/ZoneChanges/example.com/"), 400,
                   ["login: inactivity logout", "login: There was a problem with your credentials"], "INVALID_DATA")
    client.login(*DNS)
    assert publish(client)["serial"] == 1
    assert len(idle.zone("example.com", "acme")["records"]) == 5  # SOA and NS only


def test_zone_changes_list_and_discard(server, dns):
    add(dns, "A", "www.example.com", {"address": "192.0.2.1"}, ttl="120")
    add(dns, "A", "www.example.com", {"address": "192.0.2.2"})
    publish(dns)
    first, second = records(dns, "A", "www.example.com")
    ok(dns.request("PUT", f"/REST/ARecord/example.com/www.example.com/{first['record_id']}/", {"rdata": {"address": "192.0.2.3"}}))
    ok(dns.request("DELETE", f"/REST/ARecord/example.com/www.example.com/{second['record_id']}/"))
    add(dns, "TXT", "example.com", {"txtdata": "hello"})
    changes = ok(dns.request("GET", "/REST/ZoneChanges/example.com/"), "get: Here are your zone changes")
    assert [(c["operation"], c["rdata_type"], c["ttl"]) for c in changes] == [
        ("update", "A", 120), ("delete", "A", 3600), ("add", "TXT", 3600)]
    entry = changes[0]
    assert list(entry) == ["id", "user_id", "zone", "fqdn", "rdata_type", "ttl", "serial", "rdata", "operation"]
    assert (entry["zone"], entry["fqdn"], entry["serial"]) == ("example.com", "www.example.com", 2)
    assert entry["rdata"]["rdata_a"] == {"address": "192.0.2.3"} and entry["rdata"]["rdata_txt"] is None
    assert len(entry["rdata"]) == 30 and all(isinstance(c["id"], int) and isinstance(c["user_id"], int) for c in changes)
    ok(dns.request("DELETE", "/REST/ZoneChanges/example.com/"), "discard: 3 zone changes discarded")
    ok(dns.request("DELETE", "/REST/ZoneChanges/example.com/"), "discard: 0 zone changes discarded")
    assert [r["rdata"]["address"] for r in records(dns, "A", "www.example.com")] == ["192.0.2.1", "192.0.2.2"]
    assert publish(dns)["serial"] == 2


def test_a_change_undone_before_publishing_leaves_nothing(dns):
    add(dns, "A", "tmp.example.com", {"address": "192.0.2.1"})
    ok(dns.request("DELETE", "/REST/ARecord/example.com/tmp.example.com/"))
    assert ok(dns.request("GET", "/REST/ZoneChanges/example.com/")) == []
    assert publish(dns)["serial"] == 1


# ---- publish, serials, freeze ------------------------------------------------------------------------


def test_publish_bumps_the_serial_once_and_an_empty_publish_not_at_all(server, dns):
    for n in range(3):
        add(dns, "A", f"h{n}.example.com", {"address": f"192.0.2.{n + 1}"})
    data = publish(dns, notes="three hosts")
    assert data == {"zone_type": "Primary", "task_id": data["task_id"], "serial": 2, "serial_style": "increment",
                    "zone": "example.com"}
    assert isinstance(data["task_id"], str) and data["task_id"].isdigit()
    task = ok(dns.request("GET", f"/REST/Task/{data['task_id']}/"))
    assert (task["status"], task["zone_name"]) == ("complete", "example.com")
    assert publish(dns)["serial"] == 2
    state = server.zone("example.com", "acme")
    assert (state["serial"], state["publishes"], state["empty_publishes"]) == (2, 1, 1)
    assert [(n["note"], n["serial"], n["user_name"]) for n in state["notes"]] == [("three hosts", 2, "dns")]
    assert ok(dns.request("GET", "/REST/SOARecord/example.com/example.com/?detail=y"))[0]["rdata"]["serial"] == 2


@pytest.mark.parametrize(("style", "expected"), [
    ("day", lambda now: int(now.strftime("%Y%m%d")) * 100),
    ("minute", lambda now: int(now.strftime("%y%m%d%H%M"))),
    ("epoch", lambda now: int(now.timestamp())),
])
def test_serial_styles(server, dns, style, expected):
    (soa,) = records(dns, "SOA", "example.com")
    path = f"/REST/SOARecord/example.com/example.com/{soa['record_id']}/"
    updated = ok(dns.request("PUT", path, {"rdata": {"rname": "hostmaster@example.com", "minimum": 60, "serial": 5},
                                           "serial_style": style, "ttl": 1800}))
    assert (updated["serial_style"], updated["rdata"]["rname"], updated["rdata"]["minimum"]) == (
        style, "hostmaster@example.com.", 60)
    before = datetime.datetime.now(datetime.timezone.utc)
    data = publish(dns)
    after = datetime.datetime.now(datetime.timezone.utc)
    assert data["serial_style"] == style and expected(before) <= data["serial"] <= expected(after)
    state = server.zone("example.com", "acme")
    assert (state["serial_style"], state["default_ttl"]) == (style, 1800)
    assert records(dns, "SOA", "example.com")[0]["record_id"] == soa["record_id"]  # the one SOA keeps its id
    add(dns, "A", "example.com", {"address": "192.0.2.1"})
    assert publish(dns)["serial"] > data["serial"]
    assert_failure(dns.request("PUT", path, {"serial_style": "weekly"}), 400,
                   ["serial_style: Must be one of increment, epoch, day, minute", "update: Could not update SOA record"],
                   "INVALID_DATA")


def test_ttl_zero_or_absent_means_the_zone_default(server, dns):
    assert add(dns, "A", "a.example.com", {"address": "192.0.2.1"}, ttl=0)["ttl"] == 3600
    assert add(dns, "A", "b.example.com", {"address": "192.0.2.1"})["ttl"] == 3600
    (soa,) = records(dns, "SOA", "example.com")
    ok(dns.request("PUT", f"/REST/SOARecord/example.com/example.com/{soa['record_id']}/", {"ttl": "900"}))
    assert records(dns, "A", "a.example.com")[0]["ttl"] == 900  # the session's own view: its SOA change
    publish(dns)
    assert {r["ttl"] for r in published(server, rtype="A")} == {900}


def test_a_frozen_zone_refuses_changes_and_publishes(server, dns):
    add(dns, "A", "before.example.com", {"address": "192.0.2.1"})
    assert_success(dns.request("PUT", "/REST/Zone/example.com/", {"freeze": "true"}), "freeze: Your zone is now frozen")
    assert server.zone("example.com", "acme")["frozen"] is True
    attempts = [("POST", "/REST/ARecord/example.com/x.example.com/", {"rdata": {"address": "192.0.2.2"}}),
                ("PUT", "/REST/ARecord/example.com/before.example.com/", {"ARecords": []}),
                ("DELETE", "/REST/ARecord/example.com/before.example.com/", None),
                ("DELETE", "/REST/Node/example.com/before.example.com/", None),
                ("PUT", "/REST/Zone/example.com/", {"publish": True})]
    for method, path, body in attempts:
        assert_failure(dns.request(method, path, body), 400, FROZEN, "ILLEGAL_OPERATION")
    assert len(records(dns, "A", "before.example.com")) == 1  # reads still work; the pending change is kept
    assert_success(dns.request("PUT", "/REST/Zone/example.com/", {"thaw": True}),
                   "thaw: Your zone is now thawed, you may edit normally")
    assert publish(dns)["serial"] == 2


def test_zone_update_needs_exactly_one_action(dns):
    for body in ({}, {"publish": False}, {"publish": True, "freeze": True}):
        assert_failure(dns.request("PUT", "/REST/Zone/example.com/", body), 400,
                       ["update: Exactly one of publish, freeze or thaw must be true"], "INVALID_DATA")


# ---- permissions -------------------------------------------------------------------------------------


def _denied(response, permission, zone="example.com"):
    assert_failure(response, 400, [DENIED, f"permission: {permission} is required on zone {zone}"], "PERMISSION_DENIED")


def test_permissions_limited_to_one_zone(server):
    scoped = _client(server, SCOPED)
    add(scoped, "A", "www.example.com", {"address": "192.0.2.1"})
    assert len(ok(scoped.request("GET", "/REST/ZoneChanges/example.com/"))) == 1
    publish(scoped)
    net = "/REST/ARecord/example.net/www.example.net/"
    _denied(scoped.request("POST", net, {"rdata": {"address": "192.0.2.1"}}), "RecordAdd", "example.net")
    _denied(scoped.request("PUT", "/REST/Zone/example.net/", {"publish": True}), "ZonePublish", "example.net")
    _denied(scoped.request("PUT", "/REST/Zone/example.net/", {"freeze": True}), "ZoneFreeze", "example.net")
    _denied(scoped.request("GET", "/REST/ZoneChanges/example.net/"), "ZoneChangeSet", "example.net")
    assert ok(scoped.request("GET", "/REST/AllRecord/example.net/"))  # RecordGet on every zone


def test_node_permissions(server):
    nonode = _client(server, NONODE)
    _denied(nonode.request("POST", "/REST/ARecord/example.com/new.example.com/", {"rdata": {"address": "192.0.2.1"}}),
            "ZoneAddNode")
    add(nonode, "A", "example.com", {"address": "192.0.2.1"})  # the apex always exists
    dns = _client(server)
    add(dns, "A", "host.example.com", {"address": "192.0.2.1"})
    add(dns, "A", "host.example.com", {"address": "192.0.2.2"})
    publish(dns)
    first, second = records(nonode, "A", "host.example.com")
    ok(nonode.request("DELETE", f"/REST/ARecord/example.com/host.example.com/{first['record_id']}/"))
    _denied(nonode.request("DELETE", f"/REST/ARecord/example.com/host.example.com/{second['record_id']}/"),
            "ZoneRemoveNode")  # the node's last record
    _denied(nonode.request("DELETE", "/REST/Node/example.com/host.example.com/"), "ZoneRemoveNode")
    add(nonode, "TXT", "host.example.com", {"txtdata": "the node stays"})
    ok(nonode.request("DELETE", f"/REST/ARecord/example.com/host.example.com/{second['record_id']}/"))


def test_a_reader_may_read_only(server):
    reader = _client(server, READER)
    assert ok(reader.request("GET", "/REST/NodeList/example.com/")) == ["example.com"]
    _denied(reader.request("POST", "/REST/ARecord/example.com/example.com/", {"rdata": {"address": "192.0.2.1"}}), "RecordAdd")
    _denied(reader.request("PUT", "/REST/ARecord/example.com/example.com/", {"ARecords": [{"rdata": {"address": "192.0.2.1"}}]}),
            "RecordAdd")
    _denied(reader.request("DELETE", "/REST/Node/example.com/www.example.com/"), "ZoneRemoveNode")
    _denied(reader.request("PUT", "/REST/Zone/example.com/", {"thaw": True}), "ZoneThaw")


def test_zones_of_another_customer_do_not_exist(server, dns):
    for method, path in (("GET", "/REST/AllRecord/other.org/"), ("POST", "/REST/ARecord/other.org/other.org/"),
                         ("PUT", "/REST/Zone/other.org/"), ("GET", "/REST/ZoneChanges/nope.example/"),
                         ("DELETE", "/REST/Node/nope.example/a.nope.example/")):
        assert_failure(dns.request(method, path, {"rdata": {"address": "192.0.2.1"}, "publish": True}), 404,
                       ["zone: No such zone"], "NOT_FOUND")


def test_the_same_zone_name_in_two_customers_is_two_zones(server, dns):
    other = _client(server, OTHER)
    add(other, "A", "shared.example", {"address": "192.0.2.9"}, zone="shared.example")
    publish(other, zone="shared.example")
    assert len(records(dns, "A", "shared.example", zone="shared.example")) == 0
    assert server.zone("shared.example", "other")["serial"] == 2
    with pytest.raises(EmulatorError, match="add \\?customer="):
        server.zone("shared.example")
    with pytest.raises(EmulatorError, match="HTTP 404"):
        server.zone("nope.example")


# ---- what clients rely on ----------------------------------------------------------------------------


def test_detail_in_the_query_string_or_the_body_any_case(dns):
    add(dns, "A", "www.example.com", {"address": "192.0.2.1"})
    uris = ["/REST/ARecord/example.com/www.example.com/0"]
    assert ok(dns.request("GET", "/REST/ARecord/example.com/www.example.com/"), "detail: Found 1 record") == uris
    assert ok(dns.request("GET", "/REST/ARecord/example.com/www.example.com/", {"detail": "N"})) == uris
    for path, body in (("?detail=Y", None), ("?detail=y", None), ("", {"detail": "y"}), ("", {"detail": "Y"})):
        (record,) = ok(dns.request("GET", f"/REST/ARecord/example.com/www.example.com/{path}", body))
        assert record["rdata"] == {"address": "192.0.2.1"}
    assert ok(dns.request("GET", "/REST/ARecord/example.com/example.com/"), "detail: Found 0 records") == []


def test_trailing_dots_and_case(server, dns):
    created = add(dns, "A", "WWW.Example.com.", {"address": "192.0.2.1"}, zone="Example.COM.")
    assert created["fqdn"] == "WWW.Example.com." and created["zone"] == "example.com"
    assert ok(dns.request("GET", "/REST/ARecord/example.com./www.example.com/")) == ["/REST/ARecord/example.com/www.example.com/0"]
    assert ok(dns.request("GET", "/REST/AllRecord/example.com/www.example.com./")) == [
        "/REST/ARecord/example.com/WWW.Example.com/0"]
    assert_failure(dns.request("POST", "/REST/ARecord/example.com/www.example.COM/", {"rdata": {"address": "192.0.2.1"}}), 400,
                   ["make: Cannot duplicate existing record data", "add: Record not added"], "TARGET_EXISTS")
    publish(dns, zone="example.com.")
    assert published(server, rtype="A")[0]["fqdn"] == "WWW.Example.com"


def test_string_values_where_clients_send_them(server, dns):
    created = add(dns, "SRV", "_sip._tcp.example.com", {"priority": "10", "weight": "0", "port": "5060", "target": "sip"},
                  ttl="300")
    assert (created["ttl"], created["rdata"]["port"]) == (300, 5060)
    assert ok(dns.request("PUT", "/REST/Zone/example.com/", {"publish": "true"}))["serial"] == 2


def test_refused_record_data(dns):
    for rtype, rdata, problem in (("A", {"address": "300.1.2.3"}, "address: Not a valid IP address"),
                                  ("A", {"address": 3232235777}, "address: Not a valid IP address"),
                                  ("AAAA", {"address": "192.0.2.1"}, "address: Not a valid IP address"),
                                  ("MX", {"exchange": "mx.", "preference": "high"}, "preference: Must be a non-negative integer")):
        response = dns.request("POST", f"/REST/{rtype}Record/example.com/example.com/", {"rdata": rdata})
        envelope = assert_failure(response, 400, [problem, f"add: Could not create {rtype} record"], "INVALID_DATA")
        assert envelope["msgs"][0]["SOURCE"] == "DYN"
    response = dns.request("POST", "/REST/MXRecord/example.com/example.com/", {"rdata": {"exchange": "mx.example.org"}})
    assert response.status_code == 400 and response.json()["msgs"][0]["INFO"] == "preference: required field missing"
    assert_failure(dns.request("POST", "/REST/ARecord/example.com/www.example.org/", {"rdata": {"address": "192.0.2.1"}}),
                   400, ["fqdn: Name is not in this zone"], "INVALID_DATA")
    add(dns, "A", "example.com", {"address": "192.0.2.1"})
    duplicate = dns.request("POST", "/REST/ARecord/example.com/example.com/", {"rdata": {"address": "192.0.2.1"}, "ttl": 5})
    envelope = assert_failure(duplicate, 400, ["make: Cannot duplicate existing record data", "add: Record not added"],
                              "TARGET_EXISTS")
    assert [m["SOURCE"] for m in envelope["msgs"]] == ["DYN", "BLL"]


# CNAME exclusivity (RFC 1034 §3.6.2, RFC 2181 §10.1); the texts are the emulator's own (docs/dynect_api_notes.md).
CNAME_BESIDE = "node: A CNAME record cannot coexist with other data at the same node"
CNAME_SINGLE = "node: A node can hold only one CNAME record"
CNAME_APEX = "node: A CNAME record cannot be placed at the zone apex"
NOT_REPLACED = "update: Records not replaced"


def refused_by_cname_rule(response, problem, info):
    envelope = assert_failure(response, 400, [problem, info], "ILLEGAL_OPERATION")
    assert [m["SOURCE"] for m in envelope["msgs"]] == ["DYN", "BLL"]


def put_set(client, rtype, fqdn, *rdatas):
    return client.request("PUT", f"/REST/{rtype}Record/example.com/{fqdn}/", {f"{rtype}Records": [{"rdata": r} for r in rdatas]})


def test_a_cname_beside_other_data_or_a_second_cname_is_refused(server, dns):
    add(dns, "A", "www.example.com", {"address": "192.0.2.1"})
    publish(dns)
    add(dns, "CNAME", "alias.example.com", {"cname": "www.example.com"})  # pending: the session's view counts
    adding = "add: Could not create {} record".format
    refused_by_cname_rule(dns.request("POST", "/REST/CNAMERecord/example.com/www.example.com/", {"rdata": {"cname": "a.example.org"}}),
                          CNAME_BESIDE, adding("CNAME"))
    refused_by_cname_rule(dns.request("POST", "/REST/TXTRecord/example.com/alias.example.com/", {"rdata": {"txtdata": "x"}}),
                          CNAME_BESIDE, adding("TXT"))
    refused_by_cname_rule(dns.request("POST", "/REST/CNAMERecord/example.com/alias.example.com/", {"rdata": {"cname": "b.example.org"}}),
                          CNAME_SINGLE, adding("CNAME"))
    refused_by_cname_rule(put_set(dns, "CNAME", "www.example.com", {"cname": "a.example.org"}), CNAME_BESIDE, NOT_REPLACED)
    refused_by_cname_rule(put_set(dns, "MX", "alias.example.com", {"exchange": "mx.example.org", "preference": 10}),
                          CNAME_BESIDE, NOT_REPLACED)
    refused_by_cname_rule(put_set(dns, "CNAME", "alias.example.com", {"cname": "a.example.org"}, {"cname": "b.example.org"}),
                          CNAME_SINGLE, NOT_REPLACED)
    assert [(c["fqdn"], c["rdata_type"]) for c in ok(dns.request("GET", "/REST/ZoneChanges/example.com/"))] == [
        ("alias.example.com", "CNAME")]  # the refusals left nothing pending

    ok(put_set(dns, "CNAME", "alias.example.com", {"cname": "b.example.org"}), "update: Records replaced")  # another target
    publish(dns)
    assert [r["rdata"] for r in published(server, fqdn="alias.example.com")] == [{"cname": "b.example.org."}]
    ok(put_set(dns, "CNAME", "alias.example.com"), "update: Records replaced")  # the CNAME goes: other data may come
    add(dns, "TXT", "alias.example.com", {"txtdata": "now a TXT"})


def test_a_cname_at_the_zone_apex_is_refused(server, dns):
    refused_by_cname_rule(dns.request("POST", "/REST/CNAMERecord/example.com/example.com./", {"rdata": {"cname": "a.example.org"}}),
                          CNAME_APEX, "add: Could not create CNAME record")
    refused_by_cname_rule(put_set(dns, "CNAME", "example.com", {"cname": "a.example.org"}), CNAME_APEX, NOT_REPLACED)
    assert ok(dns.request("GET", "/REST/ZoneChanges/example.com/")) == []
    assert published(server, rtype="CNAME") == []


def test_missing_nodes_and_records(dns):
    assert_failure(dns.request("DELETE", "/REST/ARecord/example.com/none.example.com/"), 404,
                   ["node: Not in zone", "get: Host not found in this zone"], "NOT_FOUND")
    assert_failure(dns.request("DELETE", "/REST/Node/example.com/none.example.com/"), 404,
                   ["node: Node is not in the zone", "remove_node: Node name not found within the zone"], "NOT_FOUND")
    for method in ("GET", "PUT", "DELETE"):
        assert_failure(dns.request(method, "/REST/ARecord/example.com/example.com/12345/", {"rdata": {}}), 404,
                       ["record: No such record"], "NOT_FOUND")
    assert_failure(dns.request("GET", "/REST/Task/1/"), 404, ["task: No such task"], "NOT_FOUND")


# ---- the pipeline: jobs, faults, rate limit, stats -------------------------------------------------------


def test_a_slow_publish_becomes_a_job(server, dns):
    add(dns, "A", "www.example.com", {"address": "192.0.2.1"})
    server.fault("slow", seconds=0.8, match="PUT /REST/Zone")
    response = dns.request("PUT", "/REST/Zone/example.com/", {"publish": True})
    assert response.status_code == 307
    location = response.headers["Location"]
    assert_failure(dns.request("GET", "/REST/ARecord/example.com/www.example.com/"), 400,
                   ["token: This session already has a job running"], "OPERATION_FAILED", status="running")
    time.sleep(0.8)
    job = ok(dns.request("GET", location), "publish: example.com published")
    assert job["serial"] == 2
    assert server.zone("example.com", "acme")["serial"] == 2


def test_a_job_redirect_on_a_record_call(server, dns):
    server.fault("job_redirect", match="POST /REST/ARecord")
    response = dns.request("POST", "/REST/ARecord/example.com/www.example.com/", {"rdata": {"address": "192.0.2.1"}})
    assert response.status_code == 307
    time.sleep(1.1)
    assert ok(dns.request("GET", response.headers["Location"]), "add: Record added")["record_id"] == 0


@pytest.mark.parametrize(("fault", "status", "info"), [
    ("task_blocked", 400, "zone: Operation blocked by current task"),
    ("rate_limit", 429, "rate_limit: Too many requests for this account, please slow down"),
])
def test_faults_apply_to_record_calls(server, dns, fault, status, info):
    server.fault(fault, match="POST /REST/ARecord")
    response = dns.request("POST", "/REST/ARecord/example.com/www.example.com/", {"rdata": {"address": "192.0.2.1"}})
    assert response.status_code == status and response.json()["msgs"][0]["INFO"] == info
    assert ok(dns.request("GET", "/REST/ZoneChanges/example.com/")) == []  # the faulted request did nothing
    server.fault("server_error", match="delete /rest/node/")
    assert dns.request("DELETE", "/REST/Node/example.com/www.example.com/").status_code == 500


def test_the_rate_limit_counts_record_calls(tmp_path):
    path = tmp_path / "accounts.json"
    path.write_text(json.dumps(RECORD_ACCOUNTS), encoding="utf-8")
    with Emulator(accounts=path, rate_limit=4, rate_limit_lockout=30) as limited:
        client = _client(limited)  # 1
        ok(client.request("GET", "/REST/NodeList/example.com/"))  # 2
        add(client, "A", "example.com", {"address": "192.0.2.1"})  # 3
        ok(client.request("GET", "/REST/AllRecord/example.com/"))  # 4
        response = client.request("PUT", "/REST/Zone/example.com/", {"publish": True})
        assert response.status_code == 429 and response.json()["msgs"][0]["ERR_CD"] == "RATE_LIMIT_EXCEEDED"


def test_stats_count_the_record_calls(server, dns):
    add(dns, "A", "www.example.com", {"address": "192.0.2.1"})
    dns.request("GET", "/REST/ARecord/example.com/www.example.com/0/")
    dns.request("GET", "/REST/AllRecord/example.com/")
    dns.request("GET", "/REST/ZoneChanges/example.com/")
    publish(dns)
    assert server.stats()["requests"] == {"POST /REST/Session": 1, "POST /REST/ARecord": 1, "GET /REST/ARecord": 1,
                                          "GET /REST/AllRecord": 1, "GET /REST/ZoneChanges": 1, "PUT /REST/Zone": 1}


def test_reset_restores_the_zones(server, dns):
    initial = server.zone("example.com", "acme")
    add(dns, "A", "www.example.com", {"address": "192.0.2.1"})
    publish(dns)
    ok(dns.request("PUT", "/REST/Zone/example.com/", {"freeze": True}))
    server.reset()
    assert server.zone("example.com", "acme") == initial
