# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Issue point 8 (faults): every fault of POST /__emulator__/faults, its count, match and FIFO order."""

from __future__ import annotations

import re
import time

import pytest
import requests
from emulator_client import BAD_OR_EXPIRED, assert_failure, assert_success
from harness import EmulatorError

ALIVE = "isalive: User session is still active"
CREDENTIALS_PROBLEM = "login: There was a problem with your credentials"


def test_expire_token_answers_c4_and_drops_the_token(ops, emulator):
    emulator.fault("expire_token")
    assert_failure(ops.request("GET", "/REST/Session/"), 400, BAD_OR_EXPIRED, "INVALID_DATA")
    assert_failure(ops.request("GET", "/REST/Session/"), 400, BAD_OR_EXPIRED, "INVALID_DATA")  # really gone
    assert emulator.stats()["open_sessions"] == 0


def test_inactivity_logout_answers_c5_and_drops_the_token(ops, emulator):
    emulator.fault("inactivity_logout")
    assert_failure(ops.request("GET", "/REST/Session/"), 400, ["login: inactivity logout", CREDENTIALS_PROBLEM],
                   "INVALID_DATA")
    assert_failure(ops.request("GET", "/REST/Session/"), 400, BAD_OR_EXPIRED, "INVALID_DATA")
    assert emulator.stats()["open_sessions"] == 0


def test_ip_mismatch_answers_c6_and_keeps_the_token(ops, emulator):
    emulator.fault("ip_mismatch")
    assert_failure(ops.request("GET", "/REST/Session/"), 400,
                   ["login: IP address does not match current session", CREDENTIALS_PROBLEM], "INVALID_DATA")
    assert_success(ops.request("GET", "/REST/Session/"), ALIVE)


def test_job_redirect_answers_307_and_the_job_completes_about_a_second_later(ops, emulator):
    emulator.fault("job_redirect", match="POST /REST/UserPermissionReport")
    redirect = ops.request("POST", "/REST/UserPermissionReport/", {})
    assert redirect.status_code == 307
    location = redirect.headers["Location"]
    assert redirect.text == location
    assert ops.request("GET", location).status_code == 307  # not yet
    time.sleep(1.05)
    envelope = assert_success(ops.request("GET", location), "report: Permission report generated")
    assert envelope["job_id"] == int(location.rsplit("/", 1)[1])
    assert envelope["data"]["allowed"][0]["name"] == "ZoneGet"


def test_job_incomplete_answers_the_bare_incomplete_body(ops, emulator):
    emulator.fault("job_incomplete", match="GET /REST/Zone")
    incomplete = ops.request("GET", "/REST/Zone/example.com/")
    assert incomplete.status_code == 200
    body = incomplete.json()
    assert body == {"status": "incomplete", "data": None, "job_id": body["job_id"]}
    assert ops.request("GET", f"/REST/Job/{body['job_id']}/").json() == body  # still incomplete
    time.sleep(1.05)
    envelope = assert_success(ops.request("GET", f"/REST/Job/{body['job_id']}/"), "get: Your zone, example.com")
    assert envelope["job_id"] == body["job_id"]


def test_job_running_answers_c7_with_a_real_job(ops, emulator):
    emulator.fault("job_running", match="GET /REST/Zone")
    busy = assert_failure(ops.request("GET", "/REST/Zone/example.com/"), 400,
                          ["token: This session already has a job running"], "OPERATION_FAILED", status="running")
    assert busy["data"] == {}
    job_path = f"/REST/Job/{busy['job_id']}/"
    assert ops.request("GET", job_path).status_code == 307
    assert ops.request("GET", "/REST/Session/").json()["status"] == "running"  # the session is busy meanwhile
    time.sleep(1.05)
    polled = ops.request("GET", job_path)
    assert (polled.status_code, polled.json()["status"], polled.json()["job_id"]) == (200, "success", busy["job_id"])
    assert_success(ops.request("GET", "/REST/Session/"), ALIVE)


def test_task_blocked_answers_c8_with_task_name_and_id(ops, emulator):
    emulator.fault("task_blocked", count=2)
    for _attempt in range(2):
        response = ops.request("GET", "/REST/Zone/example.com/")
        envelope = response.json()
        infos = [m["INFO"] for m in envelope["msgs"]]
        assert_failure(response, 400, ["zone: Operation blocked by current task", "task_name: ProvisionZone",
                                       infos[2]], "ILLEGAL_OPERATION")
        assert re.fullmatch(r"task_id:\s+\d+", infos[2])  # dyn-python's own pattern
    assert_success(ops.request("GET", "/REST/Zone/example.com/"), "get: Your zone, example.com")


def test_rate_limit_fault_answers_one_429_with_an_envelope(ops, emulator):
    emulator.fault("rate_limit")
    response = ops.request("GET", "/REST/Session/")
    envelope = assert_failure(response, 429, ["rate_limit: Too many requests for this account, please slow down"],
                              "RATE_LIMIT_EXCEEDED")
    assert response.headers["Retry-After"] == "1"
    assert isinstance(envelope["job_id"], int)
    assert_success(ops.request("GET", "/REST/Session/"), ALIVE)  # no lock-out


def test_server_error_answers_500_without_json(ops, emulator):
    emulator.fault("server_error")
    response = ops.request("GET", "/REST/Session/")
    assert response.status_code == 500
    assert response.headers["Content-Type"] == "text/html"
    with pytest.raises(ValueError):
        response.json()
    assert_success(ops.request("GET", "/REST/Session/"), ALIVE)


def test_drop_connection_closes_the_socket_without_an_answer(ops, emulator):
    emulator.fault("drop_connection")
    with pytest.raises(requests.ConnectionError):
        ops.request("GET", "/REST/Session/")
    assert_success(ops.request("GET", "/REST/Session/"), ALIVE)  # a new connection works


def test_count_match_and_fifo_order(ops, emulator):
    emulator.fault("server_error", count=2, match="get /rest/zone/")  # normalized to "GET /REST/Zone"
    emulator.fault("ip_mismatch")  # any request
    emulator.fault("rate_limit", match="GET /REST/Zone")
    assert ops.request("GET", "/REST/Session/").json()["msgs"][0]["INFO"].startswith("login: IP address")
    assert [ops.request("GET", "/REST/Zone/").status_code for _attempt in range(4)] == [500, 500, 429, 200]
    assert_success(ops.request("GET", "/REST/Session/"), ALIVE)


def test_after_lets_the_first_matching_requests_through(ops, emulator):
    emulator.fault("server_error", count=1, match="GET /REST/Zone", after=2)
    assert [ops.request("GET", "/REST/Session/").status_code for _attempt in range(2)] == [200, 200]  # not matching
    assert [ops.request("GET", "/REST/Zone/").status_code for _attempt in range(4)] == [200, 200, 500, 200]


def test_faulted_requests_are_counted(ops, emulator):
    emulator.fault("server_error")
    ops.request("GET", "/REST/Session/")
    assert emulator.stats()["requests"]["GET /REST/Session"] == 1


@pytest.mark.parametrize(("spec", "problem"), [
    ({"fault": "no_such_fault"}, "fault must be one of"),
    ({"fault": "server_error", "count": 0}, "count must be a positive integer"),
    ({"fault": "server_error", "match": "Session"}, "match must look like"),
    ({"fault": "server_error", "extra": 1}, "unknown key(s): extra"),
    ({"fault": "slow"}, "seconds is required by the slow fault"),
    ({"fault": "server_error", "seconds": 1}, "seconds is required by the slow fault and only allowed there"),
    ({"fault": "server_error", "after": -1}, "after must be a whole number"),
    ({"fault": "server_error", "after": True}, "after must be a whole number"),
])
def test_a_wrong_fault_spec_is_refused(emulator, spec, problem):
    with pytest.raises(EmulatorError, match="HTTP 400") as error:
        emulator._control("POST", "faults", spec)  # pylint: disable=protected-access  # the raw control call
    assert problem in str(error.value)
