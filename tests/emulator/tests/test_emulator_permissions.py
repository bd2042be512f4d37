# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Issue point 3: POST /REST/UserPermissionReport/ and /REST/CheckPermissionReport/ (spec b.6)."""

from __future__ import annotations

from emulator_client import AUDITOR, GLOBEX_ADMIN, OPS, READER, assert_failure, assert_success

REPORT_INFO = "report: Permission report generated"


def test_own_report_lists_allowed_and_forbidden_with_zones(client):
    client.login(*READER)
    for body in ({}, {"user_name": "reader"}, None):
        data = assert_success(client.request("POST", "/REST/UserPermissionReport/", body), REPORT_INFO)["data"]
        assert data == {
            "allowed": [
                {"name": "ZoneGet", "zone": [], "reason": ["permissions"]},
                {"name": "RecordGet", "zone": [], "reason": ["permissions"]},
                {"name": "RecordUpdate", "zone": [{"zone_name": "example.com", "recurse": "Y"}],
                 "reason": ["zone_permissions"]},
            ],
            "forbidden": [{"name": "UserAdd", "zone": [], "reason": ["forbidden"]}],
        }


def test_report_of_another_user_needs_permission_get_or_user_get(client):
    client.login(*OPS)  # holds PermissionGet and UserGet
    data = assert_success(client.request("POST", "/REST/UserPermissionReport/", {"user_name": "reader"}),
                          REPORT_INFO)["data"]
    assert [entry["name"] for entry in data["allowed"]] == ["ZoneGet", "RecordGet", "RecordUpdate"]

    client.login(*READER)
    assert_failure(client.request("POST", "/REST/UserPermissionReport/", {"user_name": "ops"}), 400,
                   ["permission: This user does not have permission to perform this action"], "PERMISSION_DENIED")
    client.login(*AUDITOR)
    assert_failure(client.request("POST", "/REST/UserPermissionReport/", {"user_name": "admin"}), 400,
                   ["permission: This user does not have permission to perform this action"], "PERMISSION_DENIED")


def test_report_of_an_unknown_or_other_customers_user_is_not_found(client):
    client.login(*GLOBEX_ADMIN)
    for user_name in ("nobody", "ops"):  # ops exists, but in acme
        assert_failure(client.request("POST", "/REST/UserPermissionReport/", {"user_name": user_name}), 404,
                       ["user: No such user"], "NOT_FOUND")


def test_check_permission_report_without_zone(client):
    client.login(*READER)
    body = {"permission": ["ZoneGet", "RecordUpdate", "ZoneDelete", "UserAdd"]}
    data = assert_success(client.request("POST", "/REST/CheckPermissionReport/", body), REPORT_INFO)["data"]
    assert data == {
        "allowed": [
            {"name": "ZoneGet", "reason": [""], "zone": []},
            {"name": "RecordUpdate", "reason": [""], "zone": [{"zone_name": "example.com", "recurse": "Y"}]},
        ],
        "forbidden": [
            {"name": "ZoneDelete", "reason": ["permission not found"], "zone": []},
            {"name": "UserAdd", "reason": ["permission forbidden"], "zone": []},
        ],
        "admin_override": "0",
    }


def test_check_permission_report_for_a_zone(client):
    client.login(*READER)
    for zone, expected_allowed in (("example.com", ["ZoneGet", "RecordUpdate"]), ("example.net", ["ZoneGet"])):
        body = {"permission": ["ZoneGet", "RecordUpdate"], "zone_name": zone}
        data = assert_success(client.request("POST", "/REST/CheckPermissionReport/", body), REPORT_INFO)["data"]
        assert [entry["name"] for entry in data["allowed"]] == expected_allowed
        assert all(entry["zone"] == [{"zone_name": zone, "recurse": "Y"}] for entry in data["allowed"])


def test_check_permission_report_needs_permission_names(client):
    client.login(*READER)
    response = client.request("POST", "/REST/CheckPermissionReport/", {"zone_name": "example.com"})
    assert response.status_code == 400
    assert response.json()["msgs"][0]["INFO"] == "permission: required field missing"
    assert_failure(client.request("POST", "/REST/CheckPermissionReport/", {"permission": [1, 2]}), 400,
                   ["permission: Permissions must be a list of names"], "INVALID_DATA")
