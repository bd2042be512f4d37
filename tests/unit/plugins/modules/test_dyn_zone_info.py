# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""dyn_zone_info, run in-process against the emulator."""

from __future__ import annotations

import json

import pytest

from ansible_collections.dyn.managed_dns.plugins.modules import dyn_record_set, dyn_rest, dyn_session
from ansible_collections.dyn.managed_dns.plugins.modules.dyn_zone_info import main
from ansible_collections.dyn.managed_dns.tests.unit.plugins.module_utils.helpers import (
    BAD_ZONES,
    DEPLOY,
    GLOBEX_ADMIN,
    OPS,
    READER,
    leaked,
    requests_made,
    server_secrets,
)

AS_OPS = {"customer": OPS[0], "username": OPS[1], "password": OPS[2]}
AS_READER = {"customer": READER[0], "username": READER[1], "password": READER[2]}


@pytest.fixture
def token(run_module):
    """The token of an acme/ops session opened by dyn_session (return_token=true)."""
    return run_module(dyn_session.main, return_token=True, **AS_OPS)["token"]


class TestList:
    def test_lists_the_customers_zones_sorted(self, run_module, emulator):
        result = run_module(main, **AS_OPS)

        assert (result["changed"], result["zones"]) == (False, ["example.com", "example.net"])
        assert "zone" not in result
        assert requests_made(emulator, "GET /REST/Zone") == 1
        assert emulator.stats()["open_sessions"] == 0

    @pytest.mark.parametrize(("account", "zones"), [(GLOBEX_ADMIN, ["globex.org"]), (DEPLOY, ["initech.io"]), (READER, ["example.com", "example.net"])])
    def test_each_customer_sees_its_own(self, run_module, account, zones):
        result = run_module(main, customer=account[0], username=account[1], password=account[2])

        assert result["zones"] == zones

    def test_in_check_mode_too(self, run_module):
        assert run_module(main, check_mode=True, **AS_OPS)["zones"] == ["example.com", "example.net"]


class TestOneZone:
    def test_serial_style_state_and_nothing_pending(self, run_module, emulator):
        result = run_module(main, zone="example.com", **AS_OPS)

        assert result["changed"] is False
        assert result["zone"] == {
            "name": "example.com", "serial": 1, "serial_style": "increment", "zone_type": "Primary", "state": "active", "pending_changes": 0,
        }
        assert "zones" not in result

    def test_a_self_login_task_does_not_ask_for_pending_changes(self, run_module, emulator):
        # Its own session has none, and it need not hold ZoneChangeSet (reader does not).
        result = run_module(main, zone="example.net", **AS_READER)

        assert result["zone"]["pending_changes"] == 0
        assert requests_made(emulator, "GET /REST/ZoneChanges") == 0

    def test_serial_after_a_publish(self, run_module):
        run_module(dyn_record_set.main, zone="example.com", prefix="www", type="A", value=["192.0.2.1"], **AS_OPS)

        assert run_module(main, zone="example.com", **AS_OPS)["zone"]["serial"] == 2

    def test_pending_changes_are_counted_in_an_adopted_session(self, run_module, emulator, token):
        for prefix in ("one", "two"):
            run_module(dyn_record_set.main, token=token, zone="example.com", prefix=prefix, type="A", value=["192.0.2.1"], publish=False)

        mine = run_module(main, token=token, zone="example.com")
        fresh = run_module(main, zone="example.com", **AS_OPS)
        other = run_module(main, token=run_module(dyn_session.main, return_token=True, **AS_OPS)["token"], zone="example.com")

        assert (mine["zone"]["pending_changes"], mine["zone"]["serial"]) == (2, 1)
        assert fresh["zone"]["pending_changes"] == 0
        assert other["zone"]["pending_changes"] == 0
        assert requests_made(emulator, "GET /REST/ZoneChanges") == 2  # the two token tasks only

    def test_a_user_who_may_not_list_pending_changes_still_reads_the_zone(self, run_module, emulator):
        # Issue #24: reader has ZoneGet but not ZoneChangeSet; in an adopted session the count is asked for.
        reader = run_module(dyn_session.main, return_token=True, **AS_READER)["token"]

        result = run_module(main, token=reader, zone="example.com")

        assert not result.get("failed"), result.get("msg")
        assert (result["zone"]["serial"], result["zone"]["pending_changes"]) == (1, None)
        assert "ZoneChangeSet" in result["zone"]["pending_changes_note"]
        assert requests_made(emulator, "GET /REST/ZoneChanges") == 1

    def test_a_counted_zone_has_no_note(self, run_module, token):
        assert "pending_changes_note" not in run_module(main, token=token, zone="example.com")["zone"]

    def test_another_refusal_of_the_count_still_fails_the_task(self, run_module, emulator, token):
        emulator.fault("expire_token", match="GET /REST/ZoneChanges")  # no password with a token: no new login

        assert run_module(main, token=token, zone="example.com")["failed"] is True

    def test_a_frozen_zone_still_reads(self, run_module):
        run_module(dyn_rest.main, method="PUT", path="Zone/example.com/", body={"freeze": True}, **AS_OPS)

        assert run_module(main, zone="example.com", **AS_OPS)["zone"]["state"] == "active"

    def test_zone_spelling_and_alias(self, run_module):
        assert run_module(main, zone_name="EXAMPLE.com.", **AS_OPS)["zone"]["name"] == "example.com"

    def test_missing_zone(self, run_module, emulator):
        result = run_module(main, zone="exmaple.com", **AS_OPS)

        assert result["failed"] is True
        assert result["msg"].startswith("Zone exmaple.com does not exist in customer acme (")
        assert result["msg"].endswith("); check the zone's name.")
        assert emulator.stats()["open_sessions"] == 0

    def test_missing_zone_through_a_token_names_no_customer_it_does_not_know(self, run_module, token):
        result = run_module(main, token=token, zone="globex.org")

        assert result["msg"].startswith("Zone globex.org does not exist in the session's customer (")

    def test_empty_zone_is_refused_before_any_request(self, run_module, emulator):
        result = run_module(main, zone=" ", **AS_OPS)

        assert result["msg"].startswith("zone must not be empty")
        assert emulator.stats()["requests"] == {}

    @pytest.mark.parametrize(("zone", "words"), BAD_ZONES)
    def test_a_zone_name_no_zone_has_is_refused_before_any_request(self, run_module, emulator, zone, words):
        result = run_module(main, zone=zone, **AS_OPS)

        assert result["failed"] is True
        assert result["msg"].startswith(words)
        assert result["msg"].endswith("for example example.com.")
        assert emulator.stats()["requests"] == {}


class TestSecrets:
    def test_no_password_or_token_in_the_results(self, run_module, emulator, token):
        results = [
            run_module(main, history=True, **AS_OPS),
            run_module(main, history=True, token=token, zone="example.com"),
            run_module(main, history=True, zone="nowhere.example", **AS_OPS),
        ]

        assert [call["uri"] for call in results[1]["history"]] == ["/REST/Zone/example.com/", "/REST/ZoneChanges/example.com/"]
        assert leaked(json.dumps(results), server_secrets(emulator)) == []


class TestListDetails:
    def test_details_come_from_one_request(self, run_module, emulator):
        run_module(dyn_record_set.main, zone="example.net", prefix="www", type="A", value=["192.0.2.1"], **AS_OPS)
        before = requests_made(emulator, "GET /REST/Zone")

        result = run_module(main, details=True, **AS_OPS)

        assert result["zones"] == [
            {"zone": "example.com", "serial": 1, "serial_style": "increment", "zone_type": "Primary"},
            {"zone": "example.net", "serial": 2, "serial_style": "increment", "zone_type": "Primary"},
        ]
        assert requests_made(emulator, "GET /REST/Zone") == before + 1

    def test_without_details_names_only(self, run_module):
        assert run_module(main, details=False, **AS_OPS)["zones"] == ["example.com", "example.net"]
