# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The request pipeline (_api) against every emulator fault: jobs, blocking, throttling, re-login, lost connections."""

from __future__ import annotations

import time

import pytest

from ansible_collections.dyn.managed_dns.plugins.module_utils.errors import (
    DynectAuthError,
    DynectCreateError,
    DynectError,
    DynectGetError,
    DynectQueryTimeout,
    DynectUpdateError,
)
from ansible_collections.dyn.managed_dns.tests.unit.plugins.module_utils.helpers import requests_made

ZONES = "GET /REST/Zone"


def exchanges(session, uri_prefix="/REST/"):
    """(method, uri, status) of the history records whose uri starts with ``uri_prefix``."""
    return [(record.method, record.uri, record.status) for record in session.history if record.uri.startswith(uri_prefix)]


def zone_statuses(session):
    return [record.status for record in session.history if record.uri == "/REST/Zone/"]


# --- jobs ----------------------------------------------------------------------------------------------
# Each job test runs against both answers the real API gave a poll of a still-running job (spec b.7):
# another 307 to the job, or 200 with status "incomplete". The emulator serves either by a switch.

POLL_STATUS = {"redirect": "HTTP 307", "incomplete": "incomplete"}  # the history status of a pending poll
FAULTED_JOB_SECONDS = 0.4
SHORT_JOB_TIMEOUT = 0.1  # well below FAULTED_JOB_SECONDS: no poll can find the job done


@pytest.fixture(params=sorted(POLL_STATUS))
def job_poll_style(request, emulator):
    """The shared emulator answering polls of running jobs in one style (until the next test's reset).

    Faulted jobs finish after FAULTED_JOB_SECONDS instead of the emulator's default 1 s, to keep the doubled
    tests fast; a job_timeout below it still times out.
    """
    emulator.settings(job_poll_style=request.param, faulted_job_seconds=FAULTED_JOB_SECONDS)
    return request.param


@pytest.mark.parametrize("fault", ["job_redirect", "job_incomplete", "job_running"])
def test_every_poll_of_a_running_job_is_followed_in_either_style(connect, emulator, job_poll_style, fault):
    session = connect(history=True)  # FAST_WAITS: a poll every 0.05 s, so many polls find the job still running
    emulator.fault(fault, match=ZONES)
    reply = session.execute("/Zone/", "GET")
    assert reply["status"] == "success" and isinstance(reply["data"], list)  # the zone list, not another job's answer
    polls = [status for method, uri, status in exchanges(session, "/REST/Job/")]
    assert len(polls) >= 3 and polls[-1] == "success"
    assert set(polls[:-1]) == {POLL_STATUS[job_poll_style]}  # every pending poll answered in the switched style
    assert requests_made(emulator, ZONES) == (2 if fault == "job_running" else 1)


@pytest.mark.parametrize(
    ("fault", "pending_status"),
    [("job_redirect", "HTTP 307"), ("job_incomplete", "incomplete")],
)
def test_a_call_that_becomes_a_job_is_polled_promptly_until_done(connect, emulator, fault, pending_status):
    # Real-world poll interval: the emulator's job is ready after about a second.
    session = connect(history=True, poll_interval=1.0)
    emulator.fault(fault, match=ZONES)
    started = time.monotonic()
    reply = session.execute("/Zone/", "GET")
    elapsed = time.monotonic() - started
    assert reply["status"] == "success"
    assert reply["data"]  # the job's answer is the zone list
    assert elapsed < 2.5
    records = exchanges(session)[1:]
    assert records[0] == ("GET", "/REST/Zone/", pending_status)
    assert all(record[1].startswith("/REST/Job/") for record in records[1:])
    assert records[-1][2] == "success"
    assert requests_made(emulator, ZONES) == 1


def test_a_job_running_on_the_session_is_waited_for_then_the_call_is_sent_again(connect, emulator, job_poll_style):
    session = connect(history=True)
    emulator.fault("job_running", match=ZONES)
    reply = session.execute("/Zone/", "GET")
    assert reply["status"] == "success"
    assert isinstance(reply["data"], list)  # our own answer, not the other job's empty one
    records = exchanges(session)[1:]
    assert records[0] == ("GET", "/REST/Zone/", "running")
    assert any(uri.startswith("/REST/Job/") for method, uri, status in records)
    assert records[-1] == ("GET", "/REST/Zone/", "success")
    assert requests_made(emulator, ZONES) == 2


@pytest.mark.parametrize(
    ("call", "error_class"),
    [
        (lambda session: session.execute("/CheckPermissionReport/", "POST", {}), DynectCreateError),
        (lambda session: session.execute("/Password/", "PUT", {}), DynectUpdateError),
    ],
)
def test_a_failed_job_raises_by_the_original_method(connect, emulator, call, error_class, job_poll_style):
    session = connect()
    emulator.fault("job_redirect")
    with pytest.raises(error_class) as caught:
        call(session)
    assert caught.value.messages  # the API's messages from the job's answer
    assert not isinstance(caught.value, DynectGetError)


def test_a_throttled_job_poll_polls_again_without_resending_the_request(connect, emulator, job_poll_style):
    session = connect(history=True)
    emulator.fault("job_redirect", match=ZONES)
    emulator.fault("rate_limit", match="GET /REST/Job")
    assert session.execute("/Zone/", "GET")["status"] == "success"
    assert requests_made(emulator, ZONES) == 1
    assert ("GET", "failure") in [(method, status) for method, uri, status in exchanges(session, "/REST/Job/")]


def test_a_job_that_outlasts_job_timeout_raises_query_timeout(connect, emulator, job_poll_style):
    session = connect(job_timeout=SHORT_JOB_TIMEOUT)
    emulator.fault("job_redirect", match=ZONES)
    with pytest.raises(DynectQueryTimeout) as caught:
        session.execute("/Zone/", "GET")
    text = str(caught.value)
    assert "GET /REST/Zone/" in text
    assert f"did not finish within {SHORT_JOB_TIMEOUT} s" in text


@pytest.mark.parametrize("poll_style", sorted(POLL_STATUS))
def test_a_slow_request_past_the_job_threshold_is_followed(connect, emulator_factory, poll_style):
    server = emulator_factory(job_threshold=0.2, job_poll_style=poll_style)
    session = connect(server=server, history=True)
    server.fault("slow", match=ZONES, seconds=0.5)
    assert session.execute("/Zone/", "GET")["status"] == "success"
    assert ("GET", "/REST/Zone/", "HTTP 307") in exchanges(session)
    assert POLL_STATUS[poll_style] in [status for method, uri, status in exchanges(session, "/REST/Job/")]


# --- task blocking --------------------------------------------------------------------------------------


def test_a_blocked_call_is_retried_with_back_off(connect, emulator):
    session = connect(history=True, task_backoff=(0.05, 0.1, 0.2, 0.4))
    emulator.fault("task_blocked", count=2, match=ZONES)
    started = time.monotonic()
    assert session.execute("/Zone/", "GET")["status"] == "success"
    assert time.monotonic() - started >= 0.15
    assert zone_statuses(session) == ["failure", "failure", "success"]


def test_a_call_still_blocked_after_the_back_off_raises(connect, emulator):
    session = connect()
    emulator.fault("task_blocked", count=10, match=ZONES)
    with pytest.raises(DynectGetError) as caught:
        session.execute("/Zone/", "GET")
    assert "still blocked by task 3912" in str(caught.value)
    assert "Operation blocked by current task" in str(caught.value)
    assert requests_made(emulator, ZONES) == 5  # the call and the four back-off retries


def test_default_task_back_off_is_the_sdks(connect):
    from ansible_collections.dyn.managed_dns.plugins.module_utils._api import RetryPolicy

    assert RetryPolicy().task_backoff == (1.0, 3.0, 7.0, 15.0)


# --- rate limiting -------------------------------------------------------------------------------------


def test_a_rate_limited_call_honours_retry_after(connect, emulator):
    session = connect(history=True, rate_limit_wait=30)  # Retry-After (1 s) must win over the fallback
    emulator.fault("rate_limit", match=ZONES)
    started = time.monotonic()
    assert session.execute("/Zone/", "GET")["status"] == "success"
    assert 0.9 <= time.monotonic() - started < 5
    assert zone_statuses(session) == ["failure", "success"]


def test_rate_limit_retries_are_bounded(connect, emulator):
    session = connect(rate_limit_retries=1)
    emulator.fault("rate_limit", count=5, match=ZONES)
    with pytest.raises(DynectGetError) as caught:
        session.execute("/Zone/", "GET")
    assert caught.value.http_status == 429
    assert "still rate limited after 1 retries" in str(caught.value)
    assert requests_made(emulator, ZONES) == 2


def test_the_account_wide_rate_limit_is_waited_out(connect, emulator_factory):
    server = emulator_factory(rate_limit=3, rate_limit_lockout=0.5)
    session = connect(server=server, history=True, rate_limit=0)  # no pacing: the lock-out is met
    for call_number in range(4):
        assert session.execute("/Zone/", "GET")["status"] == "success"
    assert "failure" in zone_statuses(session)


# Pacing requests under the account's limit (the rate_limit option): test_pacing.py


# --- dropped sessions: one transparent re-login ---------------------------------------------------


@pytest.mark.parametrize("fault", ["expire_token", "inactivity_logout"])
def test_a_dropped_session_is_logged_in_again_once_and_replayed(connect, emulator, fault):
    session = connect(history=True)
    old_token = session.token
    emulator.fault(fault, match=ZONES)
    assert session.execute("/Zone/", "GET")["status"] == "success"
    assert session.token != old_token
    assert exchanges(session)[1:] == [
        ("GET", "/REST/Zone/", "failure"),
        ("POST", "/REST/Session/", "success"),
        ("GET", "/REST/Zone/", "success"),
    ]
    assert emulator.stats()["open_sessions"] == 1


def test_a_session_refused_for_the_client_address_is_logged_out_after_the_re_login(connect, emulator):
    # C6: the server refuses the token from this address but keeps its session open.
    session = connect(history=True)
    old_token = session.token
    emulator.fault("ip_mismatch", match=ZONES)
    assert session.execute("/Zone/", "GET")["status"] == "success"
    assert session.token != old_token
    assert exchanges(session)[1:] == [
        ("GET", "/REST/Zone/", "failure"),
        ("POST", "/REST/Session/", "success"),
        ("DELETE", "/REST/Session/", "success"),
        ("GET", "/REST/Zone/", "success"),
    ]
    assert emulator.stats()["open_sessions"] == 1
    assert session.is_alive()


def test_a_refused_logout_of_the_abandoned_session_does_not_fail_the_call(connect, emulator):
    # A real change of address refuses the DELETE as well: the call still succeeds.
    session = connect(history=True)
    emulator.fault("ip_mismatch", match=ZONES)
    emulator.fault("ip_mismatch", match="DELETE /REST/Session")
    assert session.execute("/Zone/", "GET")["status"] == "success"
    assert exchanges(session)[-2:] == [("DELETE", "/REST/Session/", "failure"), ("GET", "/REST/Zone/", "success")]
    assert session.is_alive()


@pytest.mark.parametrize("fault", ["expire_token", "inactivity_logout", "ip_mismatch"])
def test_re_login_is_never_a_loop(connect, emulator, fault):
    session = connect()
    emulator.fault(fault, count=5, match=ZONES)
    with pytest.raises(DynectAuthError) as caught:
        session.execute("/Zone/", "GET")
    assert caught.value.messages[0]["INFO"].startswith("login:")
    assert requests_made(emulator, "POST /REST/Session") == 2
    assert requests_made(emulator, ZONES) == 2


def test_an_idle_session_is_logged_in_again(connect, emulator_factory):
    server = emulator_factory(idle_timeout=0.3)
    session = connect(server=server)
    time.sleep(0.5)
    assert session.execute("/Zone/", "GET")["status"] == "success"
    assert requests_made(server, "POST /REST/Session") == 2


# --- broken replies and lost connections --------------------------------------------------------


def test_a_non_json_reply_names_method_path_and_status(connect, emulator):
    session = connect()
    emulator.fault("server_error", match=ZONES)
    with pytest.raises(DynectGetError) as caught:
        session.execute("/Zone/", "GET")
    error = caught.value
    assert (error.method, error.uri, error.http_status) == ("GET", "/REST/Zone/", 500)
    assert "GET /REST/Zone/ failed (HTTP 500)" in str(error)
    assert requests_made(emulator, ZONES) == 1  # a server error is not retried


def test_a_non_json_login_reply_is_an_auth_error(connect, emulator):
    emulator.fault("server_error", match="POST /REST/Session")
    with pytest.raises(DynectAuthError, match=r"POST /REST/Session/ failed \(HTTP 500\)"):
        connect()


@pytest.mark.parametrize(
    ("key", "call"),
    [
        (ZONES, lambda session: session.execute("/Zone/", "GET")),
        ("PUT /REST/Session", lambda session: session.keep_alive()),
    ],
)
def test_a_dropped_connection_is_retried_for_reads_and_keep_alive(connect, emulator, key, call):
    session = connect(history=True)
    emulator.fault("drop_connection", match=key)
    call(session)
    assert requests_made(emulator, key) == 2
    assert "transport error" in [record.status for record in session.history]


def test_a_dropped_connection_is_not_retried_for_writes(connect, emulator):
    session = connect()
    emulator.fault("drop_connection", match="POST /REST/CheckPermissionReport")
    with pytest.raises(DynectCreateError, match="POST /REST/CheckPermissionReport/ failed"):
        session.check_permissions(["ZoneGet"])
    assert requests_made(emulator, "POST /REST/CheckPermissionReport") == 1


def test_transport_retries_are_bounded(connect, emulator):
    session = connect(transport_retries=2)
    emulator.fault("drop_connection", count=5, match=ZONES)
    with pytest.raises(DynectGetError, match="GET /REST/Zone/ failed"):
        session.execute("/Zone/", "GET")
    assert requests_made(emulator, ZONES) == 3


def test_an_unreachable_host_at_login_is_an_auth_error(connect, emulator_factory):
    server = emulator_factory()
    server.stop()
    with pytest.raises(DynectAuthError, match="Unable to access the API host"):
        connect(server=server)


# --- requests that change state: never sent twice, and outcome_unknown when no verdict came ------

PASSWORD = "PUT /REST/Password"
REPORT = "POST /REST/CheckPermissionReport"


def change_password(session):
    return session.execute("/Password/", "PUT", {"password": "Rotated-Pass-9"})


def test_a_session_ended_while_polling_a_change_is_not_logged_in_again_nor_replayed(connect, emulator):
    # Issue #12 (a): the change ran; sending it again after a new login could apply it twice.
    session = connect(history=True)
    emulator.fault("job_redirect", match=PASSWORD)
    emulator.fault("expire_token", match="GET /REST/Job")
    with pytest.raises(DynectUpdateError) as caught:
        change_password(session)
    error = caught.value
    assert error.outcome_unknown is True
    assert (error.method, error.uri) == ("PUT", "/REST/Password/")
    assert "the session ended while its job" in str(error)
    assert requests_made(emulator, PASSWORD) == 1
    assert requests_made(emulator, "POST /REST/Session") == 1  # no re-login
    assert [status for method, uri, status in exchanges(session)][1:] == ["HTTP 307", "failure"]


def test_a_session_ended_while_polling_a_read_is_logged_in_again_and_replayed(connect, emulator):
    session = connect()
    emulator.fault("job_redirect", match=ZONES)
    emulator.fault("expire_token", match="GET /REST/Job")
    assert session.execute("/Zone/", "GET")["status"] == "success"
    assert requests_made(emulator, ZONES) == 2
    assert requests_made(emulator, "POST /REST/Session") == 2


@pytest.mark.parametrize("fault", ["expire_token", "inactivity_logout", "ip_mismatch"])
def test_a_change_refused_for_its_session_is_replayed_after_one_re_login(connect, emulator, fault):
    # The API refused the request itself: it provably did not run, so sending it again is safe.
    session = connect()
    emulator.fault(fault, match=PASSWORD)
    assert change_password(session)["status"] == "success"
    assert requests_made(emulator, PASSWORD) == 2
    assert requests_made(emulator, "POST /REST/Session") == 2


def test_a_failed_poll_of_a_change_leaves_its_outcome_unknown(connect, emulator):
    session = connect(transport_retries=1)
    emulator.fault("job_redirect", match=REPORT)
    emulator.fault("drop_connection", count=2, match="GET /REST/Job")
    with pytest.raises(DynectCreateError, match="polling its job failed") as caught:
        session.check_permissions(["ZoneGet"])
    assert caught.value.outcome_unknown is True
    assert requests_made(emulator, REPORT) == 1


@pytest.mark.parametrize(
    ("fault", "call", "key", "outcome_unknown"),
    [
        pytest.param("drop_connection", change_password, PASSWORD, True, id="no-reply-to-a-change"),
        pytest.param("server_error", change_password, PASSWORD, True, id="error-page-for-a-change"),
        pytest.param("drop_connection", lambda session: session.check_permissions(["ZoneGet"]), REPORT, True, id="no-reply-to-a-post"),
        pytest.param("drop_connection", lambda session: session.execute("/Zone/", "GET"), ZONES, False, id="no-reply-to-a-read"),
        pytest.param("server_error", lambda session: session.execute("/Zone/", "GET"), ZONES, False, id="error-page-for-a-read"),
        pytest.param("server_error", lambda session: session.keep_alive(), "PUT /REST/Session", False, id="error-page-for-keep-alive"),
        pytest.param("rate_limit", change_password, PASSWORD, False, id="api-refusal-of-a-change"),
    ],
)
def test_outcome_unknown_is_set_only_for_a_change_without_verdict(connect, emulator, fault, call, key, outcome_unknown):
    session = connect(transport_retries=0, rate_limit_retries=0)
    emulator.fault(fault, match=key)
    with pytest.raises(DynectError) as caught:
        call(session)
    assert caught.value.outcome_unknown is outcome_unknown
    assert requests_made(emulator, key) == 1


def test_a_change_refused_by_the_api_has_a_known_outcome(connect, emulator):
    session = connect()
    with pytest.raises(DynectUpdateError, match="at least 8 characters") as caught:
        session.execute("/Password/", "PUT", {"password": "short"})
    assert caught.value.outcome_unknown is False


@pytest.mark.parametrize(("call", "outcome_unknown"), [(change_password, True), (lambda session: session.execute("/Zone/", "GET"), False)])
def test_a_job_past_job_timeout_leaves_only_a_change_unknown(connect, emulator, call, outcome_unknown, job_poll_style):
    session = connect(job_timeout=SHORT_JOB_TIMEOUT)
    emulator.fault("job_redirect")
    with pytest.raises(DynectQueryTimeout) as caught:
        call(session)
    assert caught.value.outcome_unknown is outcome_unknown


def test_waiting_for_another_requests_job_leaves_the_outcome_known(connect, emulator, job_poll_style):
    # C7: our request was refused because another job ran; a failed wait for that job says nothing
    # about ours, which never ran.
    session = connect(job_timeout=SHORT_JOB_TIMEOUT)
    emulator.fault("job_running", match=PASSWORD)
    with pytest.raises(DynectQueryTimeout) as caught:
        change_password(session)
    assert caught.value.outcome_unknown is False


# --- reading redirects and Retry-After (forms the emulator does not send) ------------------------


@pytest.mark.parametrize(
    ("headers", "body", "job_path"),
    [
        ({"Location": "/REST/Job/35859881"}, b"", "/REST/Job/35859881"),
        ({"Location": "https://api2.dynect.net/REST/Job/1234"}, b"", "/REST/Job/1234"),  # polled on our own host
        ({}, b"/REST/Job/35859881\n", "/REST/Job/35859881"),
        ({"Location": "https://elsewhere.example/login"}, b"", None),
        ({}, b"<html>moved</html>", None),
    ],
)
def test_redirect_target(headers, body, job_path):
    from ansible_collections.dyn.managed_dns.plugins.module_utils._api import _redirect_target
    from ansible_collections.dyn.managed_dns.plugins.module_utils._transport import HttpReply

    assert _redirect_target(HttpReply(307, headers, body)) == job_path


@pytest.mark.parametrize(
    ("value", "seconds"),
    [(None, None), ("5", 5.0), ("0.5", 0.5), ("-3", 0.0), ("3600", 60.0), ("Wed, 21 Oct 2015 07:28:00 GMT", None)],
)
def test_retry_after_is_read_in_seconds_and_capped(value, seconds):
    from ansible_collections.dyn.managed_dns.plugins.module_utils._api import _retry_after_seconds

    assert _retry_after_seconds(value) == seconds


# --- path guards: the path checked is the path the server acts on ---------------------------------

# (path, what the refusal must say): each spelling would let a server act on another path than the
# one checked, most of them on Session/ (a logout or a login the play did not make).
UNSAFE_PATHS = [
    pytest.param("/REST/Zone/../Session/", "has a '..' segment", id="dot-dot-segment"),
    pytest.param("/REST/Session/.", "has a '.' segment", id="dot-segment-at-the-end"),
    pytest.param("/REST/./Session/", "has a '.' segment", id="dot-segment-inside"),
    pytest.param("..", "has a '..' segment", id="only-dot-dot"),
    pytest.param("/REST/Session/?x", "holds '?', which starts a query string", id="query"),
    pytest.param("/REST/Zone/example.com/?detail=Y", "give them as the body instead", id="query-arguments"),
    pytest.param("/REST/Session/#x", "holds '#', which starts a fragment", id="fragment"),
    pytest.param("/REST/%2e%2e/Session/", "holds '%2e', an encoded '.'", id="encoded-dots"),
    pytest.param("/REST/Zone/%2E%2E/Session/", "holds '%2E'", id="encoded-dots-upper-case"),
    pytest.param("/REST/Zone%2f..%2fSession/", "holds '%2f'", id="encoded-slash"),
    pytest.param("/REST/Zone/example%2Ecom/", "write '.' and '/' as themselves", id="encoded-dot-in-a-name"),
    pytest.param("/REST/Zone%5c..%5cSession/", "holds '%5c'", id="encoded-backslash"),
    pytest.param("/REST/Zone\\..\\Session/", "holds '\\', which some servers read as '/'", id="backslash"),
    pytest.param("/REST/Zone/example.com/\n", "holds the control character '\\n'", id="newline"),
    pytest.param("/REST/Zone/\x00/", "holds the control character '\\x00'", id="nul"),
    pytest.param("/REST/Zone/\x7f/", "holds the control character '\\x7f'", id="delete"),
    pytest.param("/REST/Zone/\x85/", "holds the control character '\\x85'", id="c1-control"),
]

SAFE_PATHS = [
    "/REST/Zone/",
    "/REST/Zone/example.com/",
    "Zone/example.com",
    "/REST/ARecord/example.com/www.example.com/",
    "/REST/ARecord/example.com/%2A.example.com/",  # a wildcard name, quoted
    "/REST/ARecord/example.com/*.example.com/",
    "/REST/TXTRecord/example.com/_acme-challenge.example.com/",
    "/REST/Zone/xn--bcher-kva.example/",
    "/REST/Zone/a..b/",  # not a dot segment: the API says whether such a zone exists
    "/REST/Job/1234/",
]


@pytest.mark.parametrize(("path", "problem"), UNSAFE_PATHS)
def test_a_path_a_server_could_read_as_another_is_refused_naming_the_problem(path, problem):
    from ansible_collections.dyn.managed_dns.plugins.module_utils._api import checked_path
    from ansible_collections.dyn.managed_dns.plugins.module_utils.errors import DynectConfigError

    with pytest.raises(DynectConfigError) as caught:
        checked_path(path)
    message = str(caught.value)
    assert message.startswith(f"The API path {path!r} ")
    assert problem in message
    assert "\n" not in message and "\x00" not in message  # a control character shows escaped


@pytest.mark.parametrize("path", SAFE_PATHS)
def test_an_ordinary_path_passes_the_guard_unchanged(path):
    from ansible_collections.dyn.managed_dns.plugins.module_utils._api import checked_path, path_problem

    assert path_problem(path) is None
    assert checked_path(path) == path


SESSION_SPELLINGS = [
    "/REST/Session/",
    "/REST/Session",
    "/rest/SESSION//",
    "/REST//Session/",
    "/REST/Zone/../Session/",
    "/REST/Session/.",
    "/REST/Session/?x",
    "/REST/Session#x",
    "/REST/%2e%2e/REST/Session/",
    "/REST/%53ession/",  # a percent-encoded letter: the server decodes it
    "/REST/Sess%2569on/",  # encoded twice
    "/REST/Session;x/",  # path parameters
    "/REST\\Session",
    "/REST/Session/extra/",
    "/REST/\u017fession/",  # LATIN SMALL LETTER LONG S: "S" to a server that compares by case folding
]
OTHER_RESOURCES = ["/REST/Zone/", "/REST/Zone/Session/", "/REST/Sessions/", "/REST/SessionX/", "/REST/ARecord/session/x/"]


def test_is_session_path_sees_every_spelling_that_reaches_session_and_nothing_else():
    from ansible_collections.dyn.managed_dns.plugins.module_utils._api import is_session_path

    seen = {path: is_session_path(path) for path in SESSION_SPELLINGS + OTHER_RESOURCES}

    assert seen == {**dict.fromkeys(SESSION_SPELLINGS, True), **dict.fromkeys(OTHER_RESOURCES, False)}
