# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""dyn_permissions_info, run in-process against the emulator."""

from __future__ import annotations

import copy
import json

import pytest

from ansible_collections.dyn.managed_dns.plugins.modules import dyn_session
from ansible_collections.dyn.managed_dns.plugins.modules.dyn_permissions_info import main
from ansible_collections.dyn.managed_dns.tests.unit.plugins.module_utils.helpers import OPS, READER, requests_made

AS_OPS = {"customer": OPS[0], "username": OPS[1], "password": OPS[2]}
AS_READER = {"customer": READER[0], "username": READER[1], "password": READER[2]}
READER_PERMISSIONS = ["ZoneGet", "RecordGet", "RecordUpdate"]


class TestReport:
    def test_own_permissions_with_zone_scopes(self, run_module, emulator):
        result = run_module(main, **AS_READER)

        assert result["changed"] is False
        assert result["permissions"] == READER_PERMISSIONS
        record_update = next(entry for entry in result["allowed"] if entry["name"] == "RecordUpdate")
        assert record_update["zone"] == [{"zone_name": "example.com", "recurse": "Y"}]
        assert [entry["name"] for entry in result["forbidden"]] == ["UserAdd"]
        assert (result["missing"], result["unknown"]) == ([], [])
        assert "ansible_facts" not in result
        assert emulator.stats()["open_sessions"] == 0

    def test_another_user(self, run_module):
        result = run_module(main, report_user="reader", **AS_OPS)

        assert result["permissions"] == READER_PERMISSIONS

    def test_another_user_needs_permission_to_see_it(self, run_module):
        result = run_module(main, report_user="ops", **AS_READER)

        assert result["failed"] is True
        assert result["msg"].startswith("DynECT refused the request: ")
        assert "This user does not have permission to perform this action" in result["msg"]

    def test_in_a_shared_session(self, run_module, emulator):
        token = run_module(dyn_session.main, return_token=True, **AS_OPS)["token"]

        result = run_module(main, token=token, required=["ZoneAdd"])

        assert result["missing"] == []
        assert requests_made(emulator, "POST /REST/Session") == 1
        assert emulator.stats()["open_sessions"] == 1

    def test_check_mode_reads_all_the_same(self, run_module, emulator):
        result = run_module(main, check_mode=True, required=["RecordUpdate"], zone="example.com", **AS_READER)

        assert result["changed"] is False
        assert result["missing"] == []
        assert requests_made(emulator, "POST /REST/CheckPermissionReport") == 1

    def test_history(self, run_module):
        result = run_module(main, history=True, required=["ZoneGet"], **AS_READER)

        assert [call["uri"] for call in result["history"]] == [
            "/REST/Session/", "/REST/UserPermissionReport/", "/REST/CheckPermissionReport/", "/REST/Session/",
        ]
        assert result["history"][2]["args"] == {"permission": ["ZoneGet"]}


class TestRequired:
    def test_zone_limited_permission_counts_on_its_zone(self, run_module):
        result = run_module(main, required=["RecordGet", "RecordUpdate"], zone="example.com", **AS_READER)

        assert "failed" not in result
        assert result["missing"] == []

    def test_zone_limited_permission_does_not_count_without_a_zone(self, run_module):
        # The API grants it without a zone, listing example.com; it does not hold account-wide.
        result = run_module(main, required=["RecordGet", "RecordUpdate"], **AS_READER)

        assert result["failed"] is True
        assert (result["missing"], result["unknown"], result["zones_missing"]) == (["RecordUpdate"], [], [])
        assert result["msg"] == (
            "Required DynECT permissions are not all held: user reader lacks 'RecordUpdate' on the account as a "
            "whole (held on some zones only: 'RecordUpdate' on example.com)."
        )
        assert result["zones"] == {
            "example.com": {"exists": None, "problem": "", "held": ["RecordGet", "RecordUpdate"], "missing": []},
        }

    def test_missing_on_another_zone(self, run_module, emulator):
        result = run_module(main, required=["RecordGet", "RecordUpdate", "ZoneAdd"], zone="example.net", **AS_READER)

        assert result["failed"] is True
        assert result["msg"] == (
            "Required DynECT permissions are not all held: user reader lacks 'RecordUpdate', 'ZoneAdd' on zone example.net."
        )
        assert result["zones"] == {
            "example.net": {"exists": True, "problem": "", "held": ["RecordGet"], "missing": ["RecordUpdate", "ZoneAdd"]},
        }
        assert result["missing"] == ["RecordUpdate", "ZoneAdd"]
        assert result["permissions"] == READER_PERMISSIONS
        assert emulator.stats()["open_sessions"] == 0

    def test_forbidden_is_missing(self, run_module):
        result = run_module(main, required=["UserAdd"], **AS_READER)

        assert result["msg"] == "Required DynECT permissions are not all held: user reader lacks 'UserAdd' on the account as a whole."

    def test_unknown_names_are_told_apart(self, run_module):
        result = run_module(main, required=["RecordUpdat", "ZoneGet", "ZoneAdd", "recordget"], **AS_READER)

        assert result["failed"] is True
        assert (result["missing"], result["unknown"]) == (["ZoneAdd"], ["RecordUpdat", "recordget"])
        assert result["msg"] == (
            "Required DynECT permissions are not all held: user reader lacks 'ZoneAdd' on the account as a whole; "
            "not DynECT permission names (check the spelling): 'RecordUpdat', 'recordget'."
        )

    def test_only_unknown_names(self, run_module):
        result = run_module(main, required=["Bogus"], **AS_OPS)

        assert result["msg"] == (
            "Required DynECT permissions are not all held: not DynECT permission names (check the spelling): 'Bogus'."
        )

    def test_duplicates_are_reported_once(self, run_module):
        assert run_module(main, required=["ZoneAdd", "ZoneAdd"], **AS_READER)["missing"] == ["ZoneAdd"]

    def test_service_permission_families_are_known(self, run_module):
        result = run_module(main, required=["DSFGet", "GeoUpdate"], **AS_READER)

        assert (result["missing"], result["unknown"]) == (["DSFGet", "GeoUpdate"], [])

    def test_session_user_without_a_name_is_described(self, run_module):
        token = run_module(dyn_session.main, return_token=True, **AS_READER)["token"]

        result = run_module(main, token=token, required=["ZoneAdd"])

        assert result["msg"] == (
            "Required DynECT permissions are not all held: the session's user lacks 'ZoneAdd' on the account as a whole."
        )
        run_module(dyn_session.main, state="absent", token=token)


class TestBadInput:
    def test_required_for_another_user(self, run_module, emulator):
        result = run_module(main, report_user="reader", required=["ZoneGet"], **AS_OPS)

        assert result["failed"] is True
        assert result["msg"].startswith("required is checked for the logged-in user only")
        assert emulator.stats()["requests"] == {}

    @pytest.mark.parametrize("report_user", [None, "reader"])
    def test_required_for_the_own_user(self, run_module, report_user):
        args = {} if report_user is None else {"report_user": report_user}

        assert run_module(main, required=["ZoneGet"], **args, **AS_READER)["missing"] == []

    @pytest.mark.parametrize("option", ["report_user", "zone"])
    def test_an_empty_name_is_refused_before_any_request(self, run_module, emulator, option):
        result = run_module(main, required=["ZoneGet"], **{option: ""}, **AS_READER)

        assert result["failed"] is True
        assert result["msg"].startswith(f"{option} must not be empty")
        assert result["msg"].endswith("; set it, or leave it out.")
        assert emulator.stats()["requests"] == {}

    @pytest.mark.parametrize(
        ("zone", "words"),
        [(".", "zone '.' names no zone"), ("..", "zone '..' names no zone"), ("../Session", "zone '../Session' holds '/'")],
    )
    def test_a_zone_name_no_zone_has_is_refused_before_any_request(self, run_module, emulator, zone, words):
        result = run_module(main, required=["ZoneGet"], zone=zone, **AS_READER)

        assert result["failed"] is True
        assert result["msg"].startswith(words)
        assert emulator.stats()["requests"] == {}

    def test_the_zone_is_normalised_like_every_other_modules(self, run_module):
        result = run_module(main, history=True, required=["RecordGet"], zone=" Example.NET. ", **AS_READER)

        assert result["zones"] == {"example.net": {"exists": True, "problem": "", "held": ["RecordGet"], "missing": []}}
        assert [call["uri"] for call in result["history"]][2] == "/REST/Zone/example.net/"

    def test_zone_needs_required(self, run_module):
        result = run_module(main, zone="example.com", **AS_READER)

        assert result["msg"] == "missing parameter(s) required by 'zone': required"


class TestZoneExists:
    def test_a_misspelled_zone_fails(self, run_module, emulator):
        result = run_module(main, required=["RecordGet"], zone="exmaple.com", **AS_OPS)

        assert result["failed"] is True
        assert result["msg"] == "Zone exmaple.com does not exist in customer acme."
        assert (result["zones_missing"], result["missing"], result["unknown"]) == (["exmaple.com"], [], [])
        assert result["zones"]["exmaple.com"]["exists"] is False
        # Permissions on a zone that is not there mean nothing, so they are not asked for.
        assert requests_made(emulator, "POST /REST/CheckPermissionReport") == 0
        assert emulator.stats()["open_sessions"] == 0

    def test_another_customers_zone_fails(self, run_module):
        result = run_module(main, required=["RecordGet", "RecordUpdat"], zone="globex.org", **AS_OPS)

        assert result["zones_missing"] == ["globex.org"]
        assert result["msg"] == (
            "Zone globex.org does not exist in customer acme. Required DynECT permissions are not all held: "
            "not DynECT permission names (check the spelling): 'RecordUpdat'."
        )

    def test_an_existing_zone_is_read_first(self, run_module):
        result = run_module(main, history=True, required=["RecordGet"], zone="example.net", **AS_READER)

        assert result["zones"] == {"example.net": {"exists": True, "problem": "", "held": ["RecordGet"], "missing": []}}
        assert result["zones_missing"] == []
        assert [call["uri"] for call in result["history"]][2:4] == ["/REST/Zone/example.net/", "/REST/CheckPermissionReport/"]

    def test_a_user_who_may_not_read_zones_is_told_so(self, run_module, emulator_factory, tmp_path, default_accounts):
        accounts = copy.deepcopy(default_accounts)
        reader = next(user for user in accounts["customers"][0]["users"] if user["user_name"] == "reader")
        reader["permissions"].remove("ZoneGet")
        (tmp_path / "accounts.json").write_text(json.dumps(accounts), encoding="utf-8")
        server = emulator_factory(accounts=tmp_path / "accounts.json")

        result = run_module(main, host=server.host, port=server.port, required=["RecordUpdate"], zone="example.com",
                            **AS_READER)

        assert result["failed"] is True
        assert result["msg"] == (
            "Could not check that zone example.com exists in customer acme: the API refused to read it "
            "(PERMISSION_DENIED); reading a zone needs the ZoneGet permission on it."
        )
        assert result["zones"]["example.com"]["exists"] is None
        assert (result["missing"], result["zones_missing"]) == ([], [])

    def test_only_the_apis_not_found_says_a_zone_is_missing(self):
        # One NOT_FOUND rule, the DNS layer's: a 404 error page of something in between is no verdict on the zone.
        from unittest.mock import MagicMock

        from ansible_collections.dyn.managed_dns.plugins.module_utils.errors import DynectGetError
        from ansible_collections.dyn.managed_dns.plugins.modules.dyn_permissions_info import _zone_existence

        page = DynectGetError("body is not JSON", method="GET", uri="/REST/Zone/example.com/", http_status=404)
        session = MagicMock(customer="acme", execute=MagicMock(side_effect=page))

        with pytest.raises(DynectGetError) as caught:
            _zone_existence(session, "example.com")
        assert caught.value is page


class TestNames:
    def test_a_comma_string_with_blanks(self, run_module):
        result = run_module(main, required="RecordGet, RecordUpdate", zone="example.com", **AS_READER)

        assert "failed" not in result
        assert result["zones"]["example.com"]["held"] == ["RecordGet", "RecordUpdate"]

    def test_blanks_around_names_are_dropped(self, run_module):
        result = run_module(main, required=[" ZoneGet ", "\tRecordGet", ""], **AS_READER)

        assert (result["missing"], result["unknown"]) == ([], [])

    def test_only_blanks_are_refused(self, run_module, emulator):
        result = run_module(main, required=[" ", ""], **AS_READER)

        assert result["msg"].startswith("required holds no permission names")
        assert requests_made(emulator, "POST /REST/CheckPermissionReport") == 0

    def test_offending_names_are_quoted(self, run_module):
        result = run_module(main, required=["Record Update", "ZoneAdd"], **AS_READER)

        assert result["msg"] == (
            "Required DynECT permissions are not all held: user reader lacks 'ZoneAdd' on the account as a whole; "
            "not DynECT permission names (check the spelling): 'Record Update'."
        )

    def test_a_token_without_the_customer_still_says_which_zone(self, run_module):
        token = run_module(dyn_session.main, return_token=True, **AS_OPS)["token"]

        result = run_module(main, token=token, required=["RecordGet"], zone="exmaple.com")

        assert result["msg"] == "Zone exmaple.com does not exist in the session's customer."
        run_module(dyn_session.main, state="absent", token=token)
