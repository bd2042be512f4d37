# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Issue point 4: job ids, GET /REST/Job/<id>/, slow requests turned into 307 jobs, C7 (spec b.7, b.8)."""

from __future__ import annotations

import threading
import time

import pytest
from emulator_client import OPS, READER, Client, assert_failure, assert_success, login_body
from harness import EmulatorError

THRESHOLD = 0.3  # --job-threshold of the emulators started here
JOB_RUNNING = ["token: This session already has a job running"]


@pytest.fixture
def server(emulator_factory):
    return emulator_factory(job_threshold=THRESHOLD)


@pytest.fixture
def ops_client(server):
    logged_in = Client(server.url)
    logged_in.login(*OPS)
    return logged_in


def test_every_answer_has_a_new_increasing_job_id(ops):
    job_ids = [ops.request("GET", "/REST/Session/").json()["job_id"] for _attempt in range(5)]
    job_ids.append(ops.request("GET", "/REST/Zone/nope.example/").json()["job_id"])  # failures too
    assert job_ids == sorted(set(job_ids))
    assert job_ids[0] > 4_000_000_000


def test_job_get_returns_the_stored_answer_to_its_session_only(ops, emulator):
    original = ops.request("GET", "/REST/Zone/example.com/").json()
    for path in (f"/REST/Job/{original['job_id']}/", f"/REST/Job/{original['job_id']}"):
        again = ops.request("GET", path)
        assert again.status_code == 200
        assert again.json() == original  # same data, msgs and job_id

    other = Client(emulator.url)
    other.login(*OPS)  # the same user, another session
    assert_failure(other.request("GET", f"/REST/Job/{original['job_id']}/"), 404, ["job: No such job"], "NOT_FOUND")
    assert_failure(ops.request("GET", "/REST/Job/12345/"), 404, ["job: No such job"], "NOT_FOUND")
    assert_failure(ops.request("GET", "/REST/Job/not-a-number/"), 404, ["job: No such job"], "NOT_FOUND")


def test_a_failed_job_keeps_its_failure(ops):
    failed = ops.request("GET", "/REST/Zone/nope.example/")
    again = ops.request("GET", f"/REST/Job/{failed.json()['job_id']}/")
    assert (again.status_code, again.json()) == (404, failed.json())


def test_a_request_slower_than_the_threshold_becomes_a_307_job(server, ops_client):
    server.fault("slow", match="GET /REST/Zone", seconds=THRESHOLD + 0.7)
    started = time.monotonic()
    redirect = ops_client.request("GET", "/REST/Zone/example.com/")
    assert time.monotonic() - started >= THRESHOLD
    assert redirect.status_code == 307  # answered at the threshold, not when the work ends
    location = redirect.headers["Location"]
    assert location.startswith("/REST/Job/") and location[len("/REST/Job/"):].isdigit()
    assert redirect.headers["Content-Type"] == "text/html"
    assert redirect.text == location

    # While the job runs: Job GETs answer another 307 to the job, any other request gets C7.
    still_running = ops_client.request("GET", location)
    assert (still_running.status_code, still_running.headers["Location"]) == (307, location)
    busy = assert_failure(ops_client.request("GET", "/REST/Session/"), 400, JOB_RUNNING, "OPERATION_FAILED",
                          status="running")
    assert busy["job_id"] == int(location.rsplit("/", 1)[1])
    assert busy["msgs"][0]["SOURCE"] == "API-B"
    # Another session of the same user is not affected.
    other = Client(server.url)
    other.login(*OPS)
    assert_success(other.request("GET", "/REST/Session/"), "isalive: User session is still active")

    time.sleep(0.7)
    done = assert_success(ops_client.request("GET", location), "get: Your zone, example.com")
    assert done["job_id"] == busy["job_id"]
    assert done["data"]["zone"] == "example.com"
    assert_success(ops_client.request("GET", "/REST/Session/"), "isalive: User session is still active")


def test_a_request_within_the_threshold_is_answered_directly(server, ops_client):
    server.fault("slow", match="GET /REST/Zone", seconds=THRESHOLD / 2)
    started = time.monotonic()
    assert_success(ops_client.request("GET", "/REST/Zone/example.com/"), "get: Your zone, example.com")
    assert time.monotonic() - started >= THRESHOLD / 2


def test_a_concurrent_request_on_a_working_session_gets_c7(emulator_factory):
    server = emulator_factory(job_threshold=2.0)  # room for the second request while the first works
    first = Client(server.url)
    first.login(*OPS)
    server.fault("slow", match="GET /REST/Zone", seconds=0.8)
    slow_answer = {}
    worker = threading.Thread(target=lambda: slow_answer.update(
        response=first.request("GET", "/REST/Zone/example.com/")))
    worker.start()
    time.sleep(0.2)
    second = Client(server.url)
    second.token = first.token  # the same session, on another connection
    busy = assert_failure(second.request("GET", "/REST/Session/"), 400, JOB_RUNNING, "OPERATION_FAILED",
                          status="running")
    worker.join()
    slow = assert_success(slow_answer["response"], "get: Your zone, example.com")
    assert busy["job_id"] == slow["job_id"]


def test_a_login_job_is_fetched_without_a_token(server):
    """A login turned into a job: the client has no token yet, so the job belongs to its address."""
    server.fault("slow", match="POST /REST/Session", seconds=THRESHOLD + 0.2)
    client = Client(server.url)
    redirect = client.request("POST", "/REST/Session/", login_body(*READER))
    assert redirect.status_code == 307
    time.sleep(0.3)
    envelope = assert_success(client.request("GET", redirect.headers["Location"]), "login: Login successful")
    client.token = envelope["data"]["token"]
    assert_success(client.request("GET", "/REST/Session/"), "isalive: User session is still active")


# ---- the job poll style: both answers the real API gave a poll of a running job (spec b.7) ------------------


def _pending_poll(client, job_id: int) -> str:
    """How a Job GET of a still-running job was answered: "redirect" (a 307 to itself) or "incomplete"."""
    poll = client.request("GET", f"/REST/Job/{job_id}/")
    if poll.status_code == 307:
        assert poll.headers["Location"] == f"/REST/Job/{job_id}"
        return "redirect"
    assert (poll.status_code, poll.json()) == (200, {"status": "incomplete", "data": None, "job_id": job_id})
    return "incomplete"


def _start_job(client, emulator, fault: str) -> int:
    """Arm ``fault`` (job_redirect, job_incomplete or job_running) and start a job with it; its id."""
    emulator.fault(fault, match="GET /REST/Zone")
    first = client.request("GET", "/REST/Zone/example.com/")
    return int(first.headers["Location"].rsplit("/", 1)[1]) if first.status_code == 307 else first.json()["job_id"]


@pytest.mark.parametrize("fault", ["job_redirect", "job_incomplete", "job_running"])
def test_by_default_a_running_job_is_polled_the_way_it_started(ops, emulator, fault):
    assert emulator.settings() == {"job_poll_style": None, "faulted_job_seconds": 1.0}
    expected = "incomplete" if fault == "job_incomplete" else "redirect"
    assert _pending_poll(ops, _start_job(ops, emulator, fault)) == expected


@pytest.mark.parametrize("style", ["redirect", "incomplete"])
@pytest.mark.parametrize("fault", ["job_redirect", "job_incomplete", "job_running"])
def test_the_control_api_switches_how_a_running_job_is_polled(ops, emulator, style, fault):
    assert emulator.settings(job_poll_style=style)["job_poll_style"] == style
    job_id = _start_job(ops, emulator, fault)
    assert [_pending_poll(ops, job_id) for _poll in range(2)] == [style, style]


def test_the_poll_style_from_the_command_line_holds_until_changed_and_comes_back_on_reset(emulator_factory):
    server = emulator_factory(job_threshold=THRESHOLD, job_poll_style="incomplete")
    client = Client(server.url)
    client.login(*OPS)
    server.fault("slow", match="GET /REST/Zone", seconds=THRESHOLD + 0.5)
    redirect = client.request("GET", "/REST/Zone/example.com/")
    assert redirect.status_code == 307  # the request itself is still answered the primary way
    job_id = int(redirect.headers["Location"].rsplit("/", 1)[1])
    assert _pending_poll(client, job_id) == "incomplete"
    time.sleep(0.6)
    assert_success(client.request("GET", f"/REST/Job/{job_id}/"), "get: Your zone, example.com")  # done: the result

    assert server.settings(job_poll_style=None, faulted_job_seconds=0.2) == {"job_poll_style": None, "faulted_job_seconds": 0.2}
    server.reset()
    assert server.settings() == {"job_poll_style": "incomplete", "faulted_job_seconds": 1.0}


def test_faulted_jobs_can_be_made_shorter(ops, emulator):
    emulator.settings(faulted_job_seconds=0.2)  # for fast tests of clients' job handling
    job_id = _start_job(ops, emulator, "job_redirect")
    assert _pending_poll(ops, job_id) == "redirect"
    time.sleep(0.25)
    assert_success(ops.request("GET", f"/REST/Job/{job_id}/"), "get: Your zone, example.com")


@pytest.mark.parametrize("body", [
    {}, [], {"job_poll_style": "sometimes"}, {"job_poll_style": "redirect", "other": 1},
    {"faulted_job_seconds": -1}, {"faulted_job_seconds": "0.2"}, {"faulted_job_seconds": True},
    {"job_poll_style": "incomplete", "faulted_job_seconds": 61},
])
def test_a_wrong_settings_body_is_refused_and_changes_nothing(emulator, body):
    with pytest.raises(EmulatorError, match="HTTP 400"):
        emulator._control("POST", "settings", body)  # pylint: disable=protected-access  # the raw body, unchecked
    assert emulator.settings() == {"job_poll_style": None, "faulted_job_seconds": 1.0}
