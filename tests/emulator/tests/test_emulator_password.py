# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Issue point 2: PUT /REST/Password/ changes the caller's own password under a policy (spec b.5)."""

from __future__ import annotations

import pytest
from emulator_client import BAD_OR_EXPIRED, OPS, Client, assert_failure, assert_success, login_body

USER_RECORD_KEYS = {
    "user_name", "status", "group_name", "first_name", "last_name", "nickname", "email", "organization", "phone",
    "address", "address_2", "city", "country", "post_code", "fax", "notify_email", "pager_email", "website",
}


def test_password_change_answers_the_user_record_and_takes_effect(ops, client, emulator):
    envelope = assert_success(ops.request("PUT", "/REST/Password/", {"password": "Brand-New-2"}),
                              "update: Password changed")
    assert set(envelope["data"]) == USER_RECORD_KEYS
    assert envelope["data"]["user_name"] == "ops"
    assert envelope["data"]["status"] == "active"
    assert envelope["data"]["group_name"] == []
    assert "Brand-New-2" not in str(envelope)  # the record never carries a password

    old = client.request("POST", "/REST/Session/", login_body(*OPS))
    assert old.json()["msgs"][0]["ERR_CD"] == "INVALID_DATA"
    assert_success(client.request("POST", "/REST/Session/", login_body("acme", "ops", "Brand-New-2")),
                   "login: Login successful")
    assert "Brand-New-2" in emulator.secrets()["passwords"]


def test_other_sessions_of_the_user_stay_valid(ops, emulator):
    other = Client(emulator.url)
    other.login(*OPS)
    assert_success(ops.request("PUT", "/REST/Password/", {"password": "Brand-New-2"}), "update: Password changed")
    assert_success(other.request("GET", "/REST/Session/"), "isalive: User session is still active")
    assert_success(ops.request("GET", "/REST/Session/"), "isalive: User session is still active")


@pytest.mark.parametrize(("password", "problem"), [
    ("Short-1", "Password must be at least 8 characters long and contain a letter and a digit"),
    ("no-digits-at-all", "Password must be at least 8 characters long and contain a letter and a digit"),
    ("1234567890", "Password must be at least 8 characters long and contain a letter and a digit"),
    ("Ops-Passw0rd", "New password must be different from the current password"),
])
def test_password_policy(ops, client, password, problem):
    response = ops.request("PUT", "/REST/Password/", {"password": password})
    assert_failure(response, 400, [f"password: {problem}", "update: Password not changed"], "INVALID_DATA")
    client.login(*OPS)  # unchanged


def test_missing_password_is_missing_data(ops):
    response = ops.request("PUT", "/REST/Password/", {})
    assert response.status_code == 400
    assert response.json()["msgs"] == [{"INFO": "password: required field missing", "SOURCE": "API-A",
                                        "ERR_CD": "MISSING_DATA", "LVL": "ERROR"}]


def test_password_change_needs_a_valid_session(client):
    client.token = "not-a-token"
    assert_failure(client.request("PUT", "/REST/Password/", {"password": "Brand-New-2"}), 400,
                   BAD_OR_EXPIRED, "INVALID_DATA")


def test_reset_restores_the_file_password_and_secrets_keep_both(ops, client, emulator):
    assert_success(ops.request("PUT", "/REST/Password/", {"password": "Brand-New-2"}), "update: Password changed")
    emulator.reset()
    client.login(*OPS)
    passwords = emulator.secrets()["passwords"]
    assert "Brand-New-2" in passwords and OPS[2] in passwords
