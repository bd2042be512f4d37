# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""dyn_zone, run in-process against the emulator."""

from __future__ import annotations

import json

import pytest

from ansible_collections.dyn.managed_dns.plugins.modules import dyn_record_set, dyn_rest, dyn_session
from ansible_collections.dyn.managed_dns.plugins.modules.dyn_zone import main
from ansible_collections.dyn.managed_dns.tests.unit.plugins.module_utils.helpers import GLOBEX_ADMIN, OPS, READER, leaked, requests_made, server_secrets

AS_OPS = {"customer": OPS[0], "username": OPS[1], "password": OPS[2]}
NEW = {"zone": "new.example", "contact": "hostmaster@new.example", **AS_OPS}
ZONE_FILE = "$TTL 600\n@ IN SOA ns1.new.example. hostmaster.new.example. 1 3600 600 604800 300\nwww IN A 192.0.2.7\n"


def _writes(emulator):
    requests = emulator.stats()["requests"]
    return {key: count for key, count in requests.items() if not key.startswith(("GET ", "POST /REST/Session", "DELETE /REST/Session"))}


class TestCreate:
    def test_creates_publishes_and_reports_the_zone(self, run_module, emulator):
        result = run_module(main, ttl=1800, serial_style="day", **NEW)

        assert (result["changed"], result["published"]) == (True, True)
        assert result["zone"]["serial"] % 100 == 0 and result["zone"]["serial"] > 2026000000
        assert {key: value for key, value in result["zone"].items() if key != "serial"} == {
            "name": "new.example", "serial_style": "day", "contact": "hostmaster@new.example", "ttl": 1800, "zone_type": "Primary",
            "frozen": None}
        state = emulator.zone("new.example")
        assert (state["serial_style"], state["default_ttl"], state["publishes"]) == ("day", 1800, 1)
        assert _writes(emulator) == {"POST /REST/Zone": 1, "PUT /REST/Zone": 1}
        assert emulator.stats()["open_sessions"] == 0

    def test_again_changes_nothing_and_writes_nothing(self, run_module, emulator):
        run_module(main, **NEW)
        before = emulator.stats()["requests"]

        result = run_module(main, ttl=3600, serial_style="increment", **{**NEW, "contact": "HostMaster@new.example."})

        assert (result["changed"], result["published"], result["zone"]["serial"]) == (False, False, 1)
        assert emulator.stats()["requests"]["PUT /REST/Zone"] == before["PUT /REST/Zone"]
        assert requests_made(emulator, "PUT /REST/SOARecord") == 0

    def test_defaults_ttl_3600_and_increment(self, run_module, emulator):
        result = run_module(main, **NEW)

        assert (result["zone"]["ttl"], result["zone"]["serial_style"], result["zone"]["serial"]) == (3600, "increment", 1)

    def test_without_contact_or_zone_file_nothing_is_created(self, run_module, emulator):
        result = run_module(main, zone="new.example", **AS_OPS)

        assert result["failed"] is True
        assert result["msg"] == "Zone new.example does not exist: give contact (the zone's administrative e-mail) to create it, or zone_file."
        assert requests_made(emulator, "POST /REST/Zone") == 0

    def test_check_mode_and_diff_create_nothing(self, run_module, emulator):
        result = run_module(main, check_mode=True, diff=True, **NEW)

        assert (result["changed"], result["zone"]["serial"], result["diff"]["before"]) == (True, None, {})
        assert result["diff"]["after"]["contact"] == "hostmaster@new.example"
        assert _writes(emulator) == {}

    def test_a_user_without_zone_publish_is_told_the_zone_waits_unpublished(self, run_module, emulator):
        as_admin = {"customer": GLOBEX_ADMIN[0], "username": GLOBEX_ADMIN[1], "password": GLOBEX_ADMIN[2]}
        result = run_module(main, zone="new.example", contact="a@new.example", **as_admin)

        assert result["msg"].startswith("Zone new.example was created, but not published: DynECT refused the request: ")
        assert "ZonePublish" in result["msg"]
        assert emulator.zone("new.example")["serial"] == 0
        # The next run finds it never published, and would publish it.
        done = run_module(main, zone="new.example", check_mode=True, **as_admin)
        assert (done["changed"], done["zone"]["serial"]) == (True, 0)


class TestZoneFile:
    def test_creates_from_the_file_and_reports_its_soa(self, run_module, emulator):
        result = run_module(main, zone="new.example", zone_file=ZONE_FILE, **AS_OPS)

        assert (result["changed"], result["published"]) == (True, True)
        assert (result["zone"]["contact"], result["zone"]["ttl"], result["zone"]["serial"]) == ("hostmaster@new.example", 600, 1)
        records = [(r["fqdn"], r["type"]) for r in emulator.zone("new.example")["records"] if r["type"] not in ("SOA", "NS")]
        assert records == [("www.new.example", "A")]
        assert requests_made(emulator, "POST /REST/ZoneFile") == 1

    def test_an_unreadable_file_fails_with_the_apis_words(self, run_module, emulator):
        result = run_module(main, zone="new.example", zone_file="www IN A 192.0.2.7\n", **AS_OPS)

        assert result["failed"] is True
        assert "file: Missing SOA record" in result["msg"]
        assert requests_made(emulator, "PUT /REST/Zone") == 0

    def test_zone_file_excludes_the_soa_options(self, run_module, emulator):
        result = run_module(main, zone="new.example", zone_file=ZONE_FILE, contact="a@new.example", **AS_OPS)

        assert "mutually exclusive" in result["msg"]
        assert emulator.stats()["requests"] == {}


class TestUpdate:
    def test_changes_what_differs_through_the_soa_and_publishes_once(self, run_module, emulator):
        result = run_module(main, zone="example.com", contact="dns@example.com", ttl=600, diff=True, **AS_OPS)

        assert (result["changed"], result["published"], result["zone"]["serial"]) == (True, True, 2)
        assert (result["zone"]["contact"], result["zone"]["ttl"], result["zone"]["serial_style"]) == ("dns@example.com", 600, "increment")
        assert result["diff"]["before"]["contact"] == "admin@example.com"
        assert (requests_made(emulator, "PUT /REST/SOARecord"), requests_made(emulator, "PUT /REST/Zone")) == (1, 1)
        state = emulator.zone("example.com")
        (soa,) = [r for r in state["records"] if r["type"] == "SOA"]
        assert (soa["rdata"]["rname"], soa["ttl"], state["serial"]) == ("dns@example.com.", 600, 2)

    def test_serial_style_alone(self, run_module, emulator):
        result = run_module(main, zone="example.com", serial_style="epoch", **AS_OPS)

        assert result["zone"]["serial_style"] == "epoch"
        assert emulator.zone("example.com")["serial_style"] == "epoch"

    def test_check_mode_reads_only(self, run_module, emulator):
        result = run_module(main, zone="example.com", ttl=60, check_mode=True, **AS_OPS)

        assert (result["changed"], result["zone"]["ttl"], result["published"]) == (True, 60, False)
        assert _writes(emulator) == {}

    def test_a_zone_left_unpublished_is_published(self, run_module, emulator):
        run_module(dyn_rest.main, method="POST", path="Zone/new.example/", body={"rname": "a@new.example", "ttl": 60}, **AS_OPS)

        result = run_module(main, zone="new.example", **AS_OPS)

        assert (result["changed"], result["published"], result["zone"]["serial"]) == (True, True, 1)


class TestFrozen:
    def test_freeze_and_thaw_are_sent_every_time(self, run_module, emulator):
        frozen = run_module(main, zone="example.com", frozen=True, **AS_OPS)
        refused = run_module(dyn_record_set.main, zone="example.com", prefix="www", type="A", value=["192.0.2.1"], **AS_OPS)
        again = run_module(main, zone="example.com", frozen=True, **AS_OPS)
        thawed = run_module(main, zone="example.com", frozen=False, **AS_OPS)

        assert (frozen["changed"], frozen["zone"]["frozen"], again["changed"]) == (True, True, True)
        assert "This zone is frozen" in refused["msg"]
        assert (thawed["changed"], thawed["zone"]["frozen"]) == (True, False)
        assert emulator.zone("example.com")["frozen"] is False
        assert requests_made(emulator, "PUT /REST/Zone") == 3

    def test_a_new_zone_is_frozen_after_its_publish(self, run_module, emulator):
        result = run_module(main, frozen=True, **NEW)

        assert (result["zone"]["serial"], result["zone"]["frozen"]) == (1, True)
        assert emulator.zone("new.example")["frozen"] is True

    def test_a_new_zone_is_not_frozen_so_frozen_false_sends_no_thaw(self, run_module, emulator):
        result = run_module(main, frozen=False, **NEW)

        assert (result["changed"], result["zone"]["serial"], result["zone"]["frozen"]) == (True, 1, False)
        assert _writes(emulator) == {"POST /REST/Zone": 1, "PUT /REST/Zone": 1}  # the create and its publish, no thaw
        assert emulator.zone("new.example")["frozen"] is False


class TestAbsent:
    def test_deletes_the_zone_at_once(self, run_module, emulator):
        result = run_module(main, zone="example.net", state="absent", diff=True, **AS_OPS)

        assert (result["changed"], result["zone"], result["diff"]["after"]) == (True, None, {})
        assert result["diff"]["before"]["name"] == "example.net"
        assert run_module(main, zone="example.net", state="absent", **AS_OPS)["changed"] is False
        assert requests_made(emulator, "DELETE /REST/Zone") == 1
        assert requests_made(emulator, "PUT /REST/Zone") == 0

    def test_check_mode_deletes_nothing(self, run_module, emulator):
        assert run_module(main, zone="example.net", state="absent", check_mode=True, **AS_OPS)["changed"] is True
        assert emulator.zone("example.net")["serial"] == 1

    def test_other_options_are_refused_before_any_request(self, run_module, emulator):
        result = run_module(main, zone="example.net", state="absent", ttl=60, **AS_OPS)

        assert result["msg"] == "state=absent deletes the zone; remove ttl, or set state=present."
        assert emulator.stats()["requests"] == {}

    def test_deleting_needs_zone_delete(self, run_module, emulator):
        result = run_module(main, zone="example.net", state="absent", customer=READER[0], username=READER[1], password=READER[2])

        assert result["msg"].startswith("DynECT refused the request: ")
        assert emulator.zone("example.net")["serial"] == 1


class TestRoutesAndSecrets:
    def test_in_a_session_of_dyn_session_and_no_secret_in_results(self, run_module, emulator):
        token = run_module(dyn_session.main, return_token=True, **AS_OPS)["token"]
        results = [run_module(main, token=token, history=True, zone="new.example", contact="a@new.example"),
                   run_module(main, token=token, history=True, zone="new.example", state="absent")]

        assert [result["changed"] for result in results] == [True, True]
        assert leaked(json.dumps(results), server_secrets(emulator)) == []

    @pytest.mark.parametrize("ttl", [0, -5])
    def test_a_ttl_below_1_is_refused(self, run_module, emulator, ttl):
        assert run_module(main, ttl=ttl, **NEW)["msg"] == f"ttl must be 1 or more seconds, not {ttl}."
        assert emulator.stats()["requests"] == {}
