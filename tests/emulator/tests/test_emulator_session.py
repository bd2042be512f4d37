# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Issue point 1: /REST/Session -- login, verify, keep-alive, logout and their failures (spec b.4, C1-C6)."""

from __future__ import annotations

import base64
import http.client
import json
import re
import time

import pytest
from emulator_client import (BAD_OR_EXPIRED, LOCKED, MSG_KEYS, OPS, Client, assert_failure, assert_success,
                             login_body)


def test_login_answers_a_token_and_the_api_version(client):
    envelope = assert_success(client.request("POST", "/REST/Session/", login_body(*OPS)), "login: Login successful")
    assert set(envelope["data"]) == {"token", "version"}
    assert len(base64.b64decode(envelope["data"]["token"], validate=True)) == 128
    assert re.fullmatch(r"3\.7\.\d+", envelope["data"]["version"])
    assert envelope["job_id"] > 4_000_000_000


def test_every_login_gets_its_own_token(client):
    assert client.login(*OPS) != client.login(*OPS)


@pytest.mark.parametrize("body", [
    login_body("acme", "ops", "wrong-password"),
    login_body("acme", "nobody", "Ops-Passw0rd"),
    login_body("no-such-customer", "ops", "Ops-Passw0rd"),
    login_body("globex", "ops", "Ops-Passw0rd"),  # a user of another customer
])
def test_bad_credentials_are_c1(client, emulator, body):
    response = client.request("POST", "/REST/Session/", body)
    envelope = assert_failure(response, 400, [
        "login: Credentials you entered did not match those in our database. Please try again",
        "login: Login failed",
    ], "INVALID_DATA")
    assert envelope["data"] == {}
    assert isinstance(envelope["job_id"], int)
    assert emulator.stats()["failed_logins"] == 1


@pytest.mark.parametrize(("body", "missing"), [
    ({}, ["user_name", "customer_name", "password"]),
    ({"customer_name": "acme", "user_name": "ops"}, ["password"]),
    ({"customer_name": "acme", "password": "x", "user_name": ""}, ["user_name"]),
    ({"user_name": "ops", "password": "x"}, ["customer_name"]),
])
def test_missing_login_fields_are_c2(client, body, missing):
    response = client.request("POST", "/REST/Session/", body)
    assert response.status_code == 400
    # One ERROR msg per missing field, and early validation leaves data and job_id null (the recorded fixture).
    assert response.json() == {"status": "failure", "data": None, "job_id": None, "msgs": [
        {"INFO": f"{name}: required field missing", "SOURCE": "API-A", "ERR_CD": "MISSING_DATA", "LVL": "ERROR"}
        for name in missing
    ]}


def test_blocked_user_cannot_log_in(client, emulator):
    assert_failure(client.request("POST", "/REST/Session/", login_body(*LOCKED)), 400, [
        "login: This user is blocked. Please contact your account administrator",
        "login: Login failed",
    ], "INVALID_DATA")
    # With a wrong password the answer does not tell that the user exists and is blocked.
    wrong = client.request("POST", "/REST/Session/", login_body("acme", "locked", "guess-1234"))
    assert wrong.json()["msgs"][0]["INFO"].startswith("login: Credentials you entered")
    assert emulator.stats()["failed_logins"] == 2


def test_verify_keep_alive_and_log_out(ops, emulator):
    assert_success(ops.request("GET", "/REST/Session/"), "isalive: User session is still active")
    assert_success(ops.request("PUT", "/REST/Session/", {"token": ops.token}), "keepalive: User session extended")
    assert emulator.stats()["open_sessions"] == 1
    assert_success(ops.request("DELETE", "/REST/Session/"), "logout: Logout successful")
    assert emulator.stats()["open_sessions"] == 0
    assert emulator.stats()["logouts"] == 1
    # A logged-out token is dead everywhere (C4).
    for method in ("GET", "PUT", "DELETE"):
        assert_failure(ops.request(method, "/REST/Session/"), 400, BAD_OR_EXPIRED, "INVALID_DATA")


@pytest.mark.parametrize("token", ["", "not-a-token", "FFFFFFFFFF"])
def test_unknown_or_missing_token(client, token):
    client.token = token
    response = client.request("GET", "/REST/Session/")
    if token:
        assert_failure(response, 400, BAD_OR_EXPIRED, "INVALID_DATA")
    else:
        assert_failure(response, 400, ["login: The Auth-Token HTTP header must be set to make this call",
                                       "login: There was a problem with your credentials"], "MISSING_DATA")


@pytest.mark.parametrize("path", ["/REST/Session", "/REST/Session/", "/REST/session/", "/REST/SESSION"])
@pytest.mark.parametrize("raw_body", [b"", b"{}"])
def test_trailing_slash_case_and_empty_bodies_are_accepted(ops, emulator, path, raw_body):
    assert_success(ops.request("GET", path, raw_body=raw_body), "isalive: User session is still active")
    assert_success(ops.request("DELETE", path, raw_body=raw_body), "logout: Logout successful")
    assert emulator.stats()["requests"] == {"POST /REST/Session": 1, "GET /REST/Session": 1,
                                            "DELETE /REST/Session": 1}


def test_a_body_that_is_not_a_json_object_is_invalid_data(client):
    for raw_body in (b"{not json", b'["customer_name"]'):
        assert_failure(client.request("POST", "/REST/Session/", raw_body=raw_body), 400,
                       ["request: The request body must be a JSON object"], "INVALID_DATA")


@pytest.mark.parametrize("version", ["current", "3.5.10", "3.7.16"])
def test_accepted_api_versions(client, version):
    response = client.request("POST", "/REST/Session/", login_body(*OPS), headers={"API-Version": version})
    assert_success(response, "login: Login successful")


@pytest.mark.parametrize("version", ["2.3.1", "4.0.0", "latest", "3.7"])
def test_other_api_versions_are_refused(ops, version):
    for method, path in (("POST", "/REST/Session/"), ("GET", "/REST/Session/")):
        body = login_body(*OPS) if method == "POST" else None
        response = ops.request(method, path, body, headers={"API-Version": version})
        assert_failure(response, 400, ["version: API-Version must be 'current' or 3.x.y"], "INVALID_VERSION")


def test_unknown_resources_and_verbs_are_invalid_request(ops):
    assert_failure(ops.request("GET", "/REST/NoSuchThing/"), 400,
                   ["request: 'GET /REST/NoSuchThing' is not recognized as a valid command"], "INVALID_REQUEST")
    assert_failure(ops.request("POST", "/REST/Job/"), 400,
                   ["request: 'POST /REST/Job' is not recognized as a valid command"], "INVALID_REQUEST")


def test_login_ignores_an_auth_token_header(client):
    client.token = "stale-token-from-an-earlier-session"
    assert_success(client.request("POST", "/REST/Session/", login_body(*OPS)), "login: Login successful")


def test_idle_session_is_logged_out_after_the_idle_timeout(emulator_factory):
    server = emulator_factory(idle_timeout=0.8)
    kept, idle = Client(server.url), Client(server.url)
    kept.login(*OPS)
    idle.login(*OPS)
    for _attempt in range(5):  # 1 s in all, but never 0.8 s without a request: every request refreshes it
        time.sleep(0.2)
        assert_success(kept.request("PUT", "/REST/Session/"), "keepalive: User session extended")
    assert server.stats()["open_sessions"] == 1  # the idle one no longer counts
    assert_failure(idle.request("GET", "/REST/Session/"), 400,
                   ["login: inactivity logout", "login: There was a problem with your credentials"], "INVALID_DATA")
    # The idle session is gone for good: the next use is an unknown token.
    assert_failure(idle.request("GET", "/REST/Session/"), 400, BAD_OR_EXPIRED, "INVALID_DATA")
    assert_success(kept.request("GET", "/REST/Session/"), "isalive: User session is still active")


def test_token_is_bound_to_the_address_that_logged_in(ops, emulator):
    """Log in from 127.0.0.1, then use the token from 127.0.0.2 (also loopback on Linux): C6."""
    connection = http.client.HTTPConnection(emulator.host, emulator.port, timeout=10,
                                            source_address=("127.0.0.2", 0))
    try:
        connection.request("GET", "/REST/Session/", body=b"{}", headers={"Auth-Token": ops.token})
        response = connection.getresponse()
        envelope = json.loads(response.read())
    finally:
        connection.close()
    assert response.status == 400
    assert [m["INFO"] for m in envelope["msgs"]] == [
        "login: IP address does not match current session", "login: There was a problem with your credentials"]
    assert envelope["msgs"][0]["ERR_CD"] == "INVALID_DATA"
    # The session itself is untouched for its own address.
    assert_success(ops.request("GET", "/REST/Session/"), "isalive: User session is still active")


def test_every_msg_has_the_four_keys(ops, client):
    responses = [
        ops.request("GET", "/REST/Session/"),
        ops.request("GET", "/REST/Zone/nope.example/"),
        client.request("POST", "/REST/Session/", {}),
        client.request("POST", "/REST/Session/", login_body("acme", "ops", "bad")),
    ]
    for response in responses:
        msgs = response.json()["msgs"]
        assert msgs and all(list(m) == MSG_KEYS for m in msgs), response.text
