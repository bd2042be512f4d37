# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Issue 24 item 5: zones created (also from a zone file), listed with their details, frozen and deleted."""

from __future__ import annotations

import pytest
from emulator_client import AUDITOR, GLOBEX_ADMIN, OPS, READER, Client, assert_failure, assert_success

SETUP = ("setup: If you plan to provide your own secondary DNS for the zone, allow notify requests from these IP "
         "addresses on your nameserver: 208.78.68.66, 2600:2003:0:1::66")
DENIED = "permission: This user does not have permission to perform this action"
FROZEN = ["zone: This zone is frozen; thaw it to make changes"]

ZONE_FILE = """$ORIGIN new.example.
$TTL 1h
@   IN SOA ns1.other.net. hostmaster.new.example. (
        2024010101 ; the file's serial: DynECT counts its own
        7200 900 1209600 300 )
    IN NS ns1.other.net.      ; Dyn's own NS records take the apex
www 300 IN A 192.0.2.1
    IN AAAA 2001:db8::1
mail IN MX 10 mx
txt IN TXT "v=spf1 " "-all"
_sip._tcp IN SRV 0 5 5060 sip.new.example.
shop.new.example. IN CNAME www
"""


def _infos(response):
    return [msg["INFO"] for msg in response.json()["msgs"]]


def _create(client, zone="new.example", **body):
    return client.request("POST", f"/REST/Zone/{zone}/", {"rname": "admin@new.example", "ttl": "1800", **body})


def _soa(client, zone):
    (record,) = client.request("GET", f"/REST/SOARecord/{zone}/{zone}/", {"detail": "Y"}).json()["data"]
    return record


class TestCreate:
    def test_a_new_zone_answers_the_recorded_messages_and_waits_at_serial_0_for_its_first_publish(self, ops, emulator):
        response = _create(ops, serial_style="day", zone_extra="ignored", token="ignored")  # extra keys are ignored

        assert response.status_code == 200
        assert _infos(response) == [SETUP, "create: New zone new.example created.  Publish it to put it on our server."]
        assert response.json()["data"] == {"zone_type": "Primary", "serial_style": "day", "serial": 0, "zone": "new.example"}
        soa = _soa(ops, "new.example")
        assert (soa["ttl"], soa["rdata"]["rname"], soa["serial_style"]) == (1800, "admin@new.example.", "day")
        assert emulator.zone("new.example")["serial"] == 0
        published = assert_success(ops.request("PUT", "/REST/Zone/new.example/", {"publish": True}), "publish: new.example published")
        assert published["data"]["serial"] % 100 == 0 and published["data"]["serial"] > 2026000000  # YYYYMMDD00
        assert emulator.zone("new.example")["publishes"] == 1

    def test_serial_style_defaults_to_increment_and_the_first_publish_gives_1(self, ops, emulator):
        assert _create(ops).json()["data"]["serial_style"] == "increment"
        ops.request("PUT", "/REST/Zone/new.example/", {"publish": True})
        assert emulator.zone("new.example")["serial"] == 1

    @pytest.mark.parametrize(("body", "missing"), [({"ttl": 60}, ["rname"]), ({"rname": "a@b.example"}, ["ttl"]), ({}, ["rname", "ttl"])])
    def test_rname_and_ttl_are_required(self, ops, body, missing):
        response = ops.request("POST", "/REST/Zone/new.example/", body)

        assert response.status_code == 400
        assert _infos(response) == [f"{name}: required field missing" for name in missing]

    def test_a_zone_the_customer_has_is_refused_as_recorded(self, ops):
        assert_failure(_create(ops, zone="example.com"), 400, ["name: Name already exists", "create: You already have this zone."],
                       "TARGET_EXISTS")

    def test_a_bad_serial_style_or_name_is_refused(self, ops, emulator):
        assert_failure(_create(ops, serial_style="weekly"), 400,
                       ["serial_style: Must be one of increment, epoch, day, minute", "create: Zone not created"], "INVALID_DATA")
        assert_failure(_create(ops, zone="bad..example"), 400, ["zone: Not a valid zone name", "create: Zone not created"], "INVALID_DATA")
        assert emulator.stats()["requests"]["POST /REST/Zone"] == 2

    def test_creating_needs_zone_add(self, client):
        client.login(*READER)
        assert_failure(_create(client), 400, [DENIED, "permission: ZoneAdd is required on zone new.example"], "PERMISSION_DENIED")

    def test_the_new_zone_takes_records_and_is_listed(self, ops):
        _create(ops)
        assert_success(ops.request("POST", "/REST/ARecord/new.example/www.new.example/", {"rdata": {"address": "192.0.2.1"}}),
                       "add: Record added")
        ops.request("PUT", "/REST/Zone/new.example/", {"publish": True})

        listed = ops.request("GET", "/REST/Zone/").json()
        assert listed["data"] == ["/REST/Zone/example.com/", "/REST/Zone/example.net/", "/REST/Zone/new.example/"]
        assert listed["msgs"][0]["INFO"] == "get: Your 3 zones"

    def test_another_customer_does_not_see_it(self, ops):
        _create(ops)
        other = Client(ops.url)
        other.login(*GLOBEX_ADMIN)
        assert_failure(other.request("GET", "/REST/Zone/new.example/"), 404, ["zone: No such zone"], "NOT_FOUND")


class TestList:
    def test_detail_answers_the_zone_objects(self, ops):
        ops.request("PUT", "/REST/Zone/example.net/", {"freeze": True})  # frozen or not: the API does not say

        for ask in ({"body": {"detail": "Y"}}, {"query": "?detail=y"}):
            response = ops.request("GET", "/REST/Zone/" + ask.get("query", ""), ask.get("body"))
            envelope = assert_success(response, "get: Your 2 zones")
            assert envelope["data"] == [
                {"zone_type": "Primary", "serial_style": "increment", "serial": 1, "zone": "example.com"},
                {"zone_type": "Primary", "serial_style": "increment", "serial": 1, "zone": "example.net"},
            ]

    def test_a_customer_without_zones_lists_none(self, ops):
        for zone in ("example.com", "example.net"):
            assert_success(ops.request("DELETE", f"/REST/Zone/{zone}/"), "remove: Zone removed")

        assert assert_success(ops.request("GET", "/REST/Zone/", {"detail": "Y"}), "get: Your 0 zones")["data"] == []


class TestDelete:
    def test_delete_is_immediate_and_takes_pending_changes_with_it(self, ops, emulator):
        ops.request("POST", "/REST/ARecord/example.com/www.example.com/", {"rdata": {"address": "192.0.2.1"}})

        envelope = assert_success(ops.request("DELETE", "/REST/Zone/example.com/"), "remove: Zone removed")

        assert envelope["data"] == {}
        assert_failure(ops.request("GET", "/REST/Zone/example.com/"), 404, ["zone: No such zone"], "NOT_FOUND")
        assert _create(ops, zone="example.com").json()["data"]["serial"] == 0  # the name is free again
        assert ops.request("GET", "/REST/ANYRecord/example.com/www.example.com/").status_code == 404  # the change did not survive

    def test_a_zone_the_account_lacks_is_refused_as_recorded(self, ops):
        assert_failure(ops.request("DELETE", "/REST/Zone/nowhere.example/"), 404,
                       ["zone: No such zone", "remove: No such zone in your account"], "NOT_FOUND")

    def test_delete_needs_zone_delete(self, client, emulator):
        client.login(*AUDITOR)
        assert_failure(client.request("DELETE", "/REST/Zone/globex.org/"), 400,
                       [DENIED, "permission: ZoneDelete is required on zone globex.org"], "PERMISSION_DENIED")
        assert emulator.zone("globex.org")["serial"] == 1

    def test_reset_brings_a_deleted_zone_back_and_drops_created_ones(self, ops, emulator):
        ops.request("DELETE", "/REST/Zone/example.com/")
        _create(ops)
        emulator.reset()

        assert emulator.zone("example.com")["serial"] == 1
        ops.login(*OPS)
        assert ops.request("GET", "/REST/Zone/new.example/").status_code == 404


class TestFrozen:
    def test_a_frozen_zone_refuses_record_changes_soa_updates_and_publish_until_thawed(self, ops):
        assert_success(ops.request("PUT", "/REST/Zone/example.com/", {"freeze": True}), "freeze: Your zone is now frozen")
        soa = _soa(ops, "example.com")

        assert_failure(ops.request("POST", "/REST/ARecord/example.com/www.example.com/", {"rdata": {"address": "192.0.2.1"}}),
                       400, FROZEN, "ILLEGAL_OPERATION")
        assert_failure(ops.request("PUT", f"/REST/SOARecord/example.com/example.com/{soa['record_id']}/", {"ttl": 60}),
                       400, FROZEN, "ILLEGAL_OPERATION")
        assert_failure(ops.request("PUT", "/REST/Zone/example.com/", {"publish": True}), 400, FROZEN, "ILLEGAL_OPERATION")
        assert_success(ops.request("PUT", "/REST/Zone/example.com/", {"thaw": True}), "thaw: Your zone is now thawed, you may edit normally")
        assert_success(ops.request("POST", "/REST/ARecord/example.com/www.example.com/", {"rdata": {"address": "192.0.2.1"}}),
                       "add: Record added")


class TestZoneFile:
    def test_the_file_becomes_the_zone_with_dyns_name_servers(self, ops, emulator):
        response = ops.request("POST", "/REST/ZoneFile/new.example/", {"file": ZONE_FILE})

        assert response.status_code == 200, response.text
        assert _infos(response) == [SETUP, "import: Zone new.example import initiated. This task may take a several minutes to complete."]
        task_id = response.json()["data"]["task_id"]
        task = assert_success(ops.request("GET", f"/REST/Task/{task_id}/"), "get: Here is your task")["data"]
        assert (task["name"], task["status"], task["zone_name"]) == ("ImportZonefile", "complete", "new.example")
        ops.request("PUT", "/REST/Zone/new.example/", {"publish": True})
        zone = emulator.zone("new.example")
        records = sorted((r["fqdn"], r["type"], r["ttl"], tuple(sorted(r["rdata"].items()))) for r in zone["records"] if r["type"] != "SOA")
        assert records == [
            ("_sip._tcp.new.example", "SRV", 3600, (("port", 5060), ("priority", 0), ("target", "sip.new.example."), ("weight", 5))),
            ("mail.new.example", "MX", 3600, (("exchange", "mx.new.example."), ("preference", 10))),
            *[("new.example", "NS", 86400, (("nsdname", f"ns{n}.p01.dynect.net."),)) for n in range(1, 5)],
            ("shop.new.example", "CNAME", 3600, (("cname", "www.new.example."),)),
            ("txt.new.example", "TXT", 3600, (("txtdata", "v=spf1 -all"),)),
            ("www.new.example", "A", 300, (("address", "192.0.2.1"),)),
            ("www.new.example", "AAAA", 3600, (("address", "2001:db8::1"),)),
        ]
        (soa,) = [r for r in zone["records"] if r["type"] == "SOA"]
        assert (soa["ttl"], soa["rdata"]["rname"], soa["rdata"]["minimum"], soa["rdata"]["serial"]) == (3600, "hostmaster@new.example.", 300, 1)
        assert zone["notes"][0]["note"].endswith("warn_line6 : overrode NS at new.example. : NS ns1.other.net.")

    @pytest.mark.parametrize(("text", "problem"), [
        ("www IN A 192.0.2.1\n", "file: Missing SOA record"),
        ("@ IN SOA ns1 hostmaster 1 2 3 4 5\n$INCLUDE other.zone\n", "file: Line 2: $INCLUDE is not supported (only $ORIGIN <name> and $TTL <ttl>)"),
        ("@ IN SOA ns1 hostmaster 1 2 3 4 5\nwww IN LOC 1 2 3\n", "file: Line 2: record type LOC is not supported"),
        ("@ IN SOA ns1 hostmaster ( 1 2 3\n4 5 )\nwww IN A 192.0.2.300\n", "file: Line 3: address: Not a valid IP address"),
        ("@ IN SOA ns1 hostmaster ( 1 2 3 4 5\n", "file: Line 1: '(' is never closed"),
        ("@ IN SOA ns1 hostmaster 1 2 3 4 5\nwww.other.example. IN A 192.0.2.1\n", "file: Line 2: www.other.example is not in zone new.example"),
        ("@ IN SOA ns1 hostmaster 1 2 3 4 5\nmx IN MX 10\n", "file: Line 2: MX takes 2 values (preference, exchange)"),
    ])
    def test_what_the_emulator_cannot_read_is_refused_and_no_zone_is_made(self, ops, text, problem):
        response = ops.request("POST", "/REST/ZoneFile/new.example/", {"file": text})

        assert_failure(response, 400, [problem, "import: Zone not imported"], "INVALID_DATA")
        assert ops.request("GET", "/REST/Zone/new.example/").status_code == 404

    def test_needs_zone_add_and_a_free_name(self, ops, client):
        assert_failure(ops.request("POST", "/REST/ZoneFile/example.com/", {"file": ZONE_FILE}), 400,
                       ["name: Name already exists", "create: You already have this zone."], "TARGET_EXISTS")
        assert ops.request("POST", "/REST/ZoneFile/new.example/", {}).json()["msgs"][0]["INFO"] == "file: required field missing"
        client.login(*READER)
        assert_failure(client.request("POST", "/REST/ZoneFile/new.example/", {"file": ZONE_FILE}), 400,
                       [DENIED, "permission: ZoneAdd is required on zone new.example"], "PERMISSION_DENIED")
