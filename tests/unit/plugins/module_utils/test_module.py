# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""describe_error: the one sentence a failed task shows, for each kind of failure and route."""

from __future__ import annotations

import json

import pytest

from ansible_collections.dyn.managed_dns.plugins.module_utils._connection_rpc import UnusableOptionsError, error_from_rpc, error_to_rpc
from ansible_collections.dyn.managed_dns.plugins.module_utils._module import describe_error, describe_missing_zone
from ansible_collections.dyn.managed_dns.plugins.module_utils.errors import (
    DynectAuthError,
    DynectChangeNotMadeError,
    DynectConfigError,
    DynectGetError,
    DynectLoginError,
    DynectZoneNotFoundError,
)

LOGIN = {"method": "POST", "uri": "/REST/Session/"}
C1 = [
    {"INFO": "login: Credentials you entered did not match those in our database. Please try again", "ERR_CD": "INVALID_DATA"},
    {"INFO": "login: Login failed", "ERR_CD": None},
]
C4 = [{"INFO": "login: Bad or expired credentials", "ERR_CD": "INVALID_DATA"}]
# The emulator's blocked user (spec C3 has no recorded text; tests/emulator/README.md words it).
BLOCKED = [
    {"INFO": "login: This user is blocked. Please contact your account administrator", "ERR_CD": "INVALID_DATA"},
    {"INFO": "login: Login failed", "ERR_CD": None},
]
BLOCKED_USER = (
    "DynECT refused the login: POST /REST/Session/ failed (HTTP 400): login: This user is blocked. Please contact your "
    "account administrator; login: Login failed; the user is blocked, which no change of the credentials undoes: "
    "ask an administrator of the customer's DynECT account to unblock it"
)
TLS_TO_HTTP = (
    "TLS connection to https://127.0.0.1:8080 failed ([SSL: WRONG_VERSION_NUMBER] wrong version number); "
    "check that ssl and port lead to the API's HTTPS port"
)


REFUSED_CREDENTIALS = (
    "DynECT refused the login: POST /REST/Session/ failed (HTTP 400): login: Credentials you entered did "
    "not match those in our database. Please try again; login: Login failed; check "
)
UNUSABLE_PORT = "port must be a TCP port number from 1 to 65535, not 0"


@pytest.mark.parametrize(
    ("error", "direct", "through_connection"),
    [
        pytest.param(
            DynectLoginError(messages=C1, http_status=400, **LOGIN),
            REFUSED_CREDENTIALS + "customer, username and password.",
            REFUSED_CREDENTIALS + "dyn_customer, dyn_username and dyn_password.",
            id="credentials-refused",
        ),
        pytest.param(
            DynectLoginError(
                messages=[{"INFO": "user_name: required field missing", "ERR_CD": "MISSING_DATA"}], http_status=400, **LOGIN
            ),
            "DynECT refused the login: POST /REST/Session/ failed (HTTP 400): user_name: required field missing; "
            "check customer, username and password.",
            "DynECT refused the login: POST /REST/Session/ failed (HTTP 400): user_name: required field missing; "
            "check dyn_customer, dyn_username and dyn_password.",
            id="field-missing",
        ),
        pytest.param(
            DynectLoginError(messages=[{"INFO": "version: unknown", "ERR_CD": "INVALID_VERSION"}], http_status=400, **LOGIN),
            "DynECT refused the login: POST /REST/Session/ failed (HTTP 400): version: unknown; check api_version.",
            "DynECT refused the login: POST /REST/Session/ failed (HTTP 400): version: unknown; check dyn_api_version.",
            id="api-version",
        ),
        pytest.param(
            DynectLoginError(messages=[{"INFO": "request: not recognized", "ERR_CD": "INVALID_REQUEST"}], http_status=400, **LOGIN),
            "DynECT refused the login: POST /REST/Session/ failed (HTTP 400): request: not recognized.",
            "DynECT refused the login: POST /REST/Session/ failed (HTTP 400): request: not recognized.",
            id="other-api-refusal",
        ),
        pytest.param(
            DynectLoginError("body is not JSON", http_status=500, **LOGIN),
            "The DynECT login failed: POST /REST/Session/ failed (HTTP 500): body is not JSON; check host and port, "
            "or try again later.",
            "The DynECT login failed: POST /REST/Session/ failed (HTTP 500): body is not JSON; check dyn_host and "
            "dyn_port, or try again later.",
            id="error-page",
        ),
        pytest.param(
            DynectLoginError("Unable to access the API host: refused", **LOGIN),
            "POST /REST/Session/ failed: Unable to access the API host: refused; check host, port, ssl and the proxy options.",
            "POST /REST/Session/ failed: Unable to access the API host: refused; check dyn_host, dyn_port, dyn_ssl "
            "and the dyn_proxy_* host variables.",
            id="no-answer",
        ),
        pytest.param(
            UnusableOptionsError(UNUSABLE_PORT),
            f"Unusable DynECT options: {UNUSABLE_PORT}.",
            f"Unusable dyn_* host variables: {UNUSABLE_PORT}.",
            id="options",
        ),
        pytest.param(
            DynectLoginError(messages=BLOCKED, http_status=400, **LOGIN),
            BLOCKED_USER + ".",
            BLOCKED_USER + ".",
            id="blocked-user",
        ),
        pytest.param(
            DynectGetError("body is not JSON", method="GET", uri="/REST/Zone/x/", http_status=500),
            "The DynECT server failed without a verdict on the request: GET /REST/Zone/x/ failed (HTTP 500): body is not JSON; "
            "try again later (check host and port if it persists).",
            "The DynECT server failed without a verdict on the request: GET /REST/Zone/x/ failed (HTTP 500): body is not JSON; "
            "try again later (check dyn_host and dyn_port if it persists).",
            id="server-error-page",
        ),
        pytest.param(
            DynectChangeNotMadeError(
                "no verdict came back (unable to reach http://h:1 (reset)), and a login with the new password is refused while "
                "the old one still works: the change was not carried out",
                method="PUT", uri="/REST/Password/",
            ),
            "PUT /REST/Password/ failed: no verdict came back (unable to reach http://h:1 (reset)), and a login with the new "
            "password is refused while the old one still works: the change was not carried out; nothing was changed, so the task can run again.",
            "PUT /REST/Password/ failed: no verdict came back (unable to reach http://h:1 (reset)), and a login with the new "
            "password is refused while the old one still works: the change was not carried out; nothing was changed, so the task can run again.",
            id="change-found-not-made",
        ),
        pytest.param(
            DynectLoginError(f"Unable to access the API host: {TLS_TO_HTTP}", **LOGIN),
            f"POST /REST/Session/ failed: Unable to access the API host: {TLS_TO_HTTP}.",
            f"POST /REST/Session/ failed: Unable to access the API host: {TLS_TO_HTTP}.",
            id="tls-advice-said-once",
        ),
        pytest.param(
            DynectGetError(messages=[{"INFO": "zone: No such zone"}], method="GET", uri="/REST/Zone/x/", http_status=404),
            "DynECT refused the request: GET /REST/Zone/x/ failed (HTTP 404): zone: No such zone.",
            "DynECT refused the request: GET /REST/Zone/x/ failed (HTTP 404): zone: No such zone.",
            id="request-refused",
        ),
    ],
)
def test_one_sentence_per_failure_and_route(error, direct, through_connection):
    assert describe_error(error) == direct
    assert describe_error(error, through_connection=True) == through_connection


def test_an_options_error_comes_back_from_the_socket_as_one():
    returned = error_from_rpc(json.loads(json.dumps(error_to_rpc(UnusableOptionsError(UNUSABLE_PORT)))))
    assert describe_error(returned, through_connection=True) == f"Unusable dyn_* host variables: {UNUSABLE_PORT}."


@pytest.mark.parametrize(
    "reason",
    [
        pytest.param("No active session: choose one with set_active_session()", id="no-active-session"),
        pytest.param(
            "One dynect connection was handed the accounts acme/ops at h:443 and acme/reader at h:443: ...", id="shared-helper"
        ),
        pytest.param(
            "The dynect connection refuses to run with persistent_log_messages on (...). Turn it off for dynect hosts.",
            id="persistent-log",
        ),
        pytest.param("The dyn.managed_dns.dynect connection could not run execute: gone", id="rpc-failure"),
        pytest.param(
            "The dynect connection needs dyn_password (host variable) to log in to DynECT: set it for this host in the inventory.",
            id="missing-variable",
        ),
    ],
)
@pytest.mark.parametrize("through_connection", [False, True])
def test_a_configuration_error_that_is_not_about_options_is_told_as_it_is(reason, through_connection):
    described = describe_error(DynectConfigError(reason), through_connection=through_connection)
    assert described == reason.rstrip(". ") + "."
    assert "Unusable" not in described


def test_a_dropped_session_is_told_by_route():
    dropped = DynectAuthError(messages=C4, method="GET", uri="/REST/Zone/", http_status=400)

    direct = describe_error(dropped)
    through_connection = describe_error(dropped, through_connection=True)

    assert direct.startswith("The DynECT session given to the task (its session or token option) is no longer valid")
    # Issue #25 (4): the guides recommend the session option, so the advice gives the session back.
    assert "give the task the new session it returns (session: \"{{ login.session }}\")" in direct
    assert "pass the new token" not in direct
    assert through_connection.startswith("The play's DynECT session, held by the dyn.managed_dns.dynect connection")
    assert "token" not in through_connection
    assert direct.endswith(": GET /REST/Zone/ failed (HTTP 400): login: Bad or expired credentials.")
    assert through_connection.endswith(": GET /REST/Zone/ failed (HTTP 400): login: Bad or expired credentials.")


@pytest.mark.parametrize("implementation", ["DynectSession", "SessionEngine", "ConnectionSession"])
def test_both_routes_offer_what_a_task_does_with_its_session(implementation):
    # Issue #15: one declared interface at the route boundary instead of parallel copies.
    import inspect

    from ansible_collections.dyn.managed_dns.plugins.module_utils import _connection_rpc, _engine, _protocol, session

    cls = {
        "DynectSession": session.DynectSession,
        "SessionEngine": _engine.SessionEngine,  # the direct route's session (issue #23)
        "ConnectionSession": _connection_rpc.ConnectionSession,
    }[implementation]
    declared = {
        name: member
        for protocol in (_protocol.TaskSession, _protocol.ApiSession)
        for name, member in vars(protocol).items()
        if not name.startswith("_")
    }
    assert "execute" in declared and "password_works" in declared
    assert declared, "the protocol declares nothing"
    for name, member in declared.items():
        offered = getattr(cls, name, None)
        assert offered is not None, f"{implementation} lacks {name}"
        if isinstance(member, property):
            assert isinstance(inspect.getattr_static(cls, name), property), f"{implementation}.{name} is no property"
            continue
        wanted = list(inspect.signature(member).parameters)
        assert list(inspect.signature(offered).parameters)[: len(wanted)] == wanted, f"{implementation}.{name}"


@pytest.mark.parametrize(
    ("customer", "where"),
    [("acme", "customer acme"), (None, "the session's customer"), ("", "the session's customer")],
)
def test_a_missing_zone_is_worded_once_at_the_module_edge(customer, where):
    missing = DynectZoneNotFoundError(
        zone="exmaple.com", messages=[{"INFO": "zone: No such zone", "ERR_CD": "NOT_FOUND"}], method="GET",
        uri="/REST/Zone/exmaple.com/", http_status=404,
    )
    assert describe_missing_zone(missing, customer) == (
        f"Zone exmaple.com does not exist in {where} (GET /REST/Zone/exmaple.com/ failed (HTTP 404): zone: No such zone); "
        "check the zone's name."
    )


def test_a_malformed_record_from_the_api_is_told_as_the_failed_read_it_is():
    from ansible_collections.dyn.managed_dns.plugins.module_utils import dns

    class OneReply:
        def execute(self, uri, method, args=None):
            return {"data": {"a_records": [{"fqdn": "www.example.com", "ttl": 300, "rdata": {}}]}}

    with pytest.raises(DynectGetError) as caught:
        dns.all_record_sets(OneReply(), "example.com")
    assert describe_error(caught.value) == (
        "DynECT refused the request: GET /REST/AllRecord/example.com/ failed (HTTP 200): the reply holds a record this "
        "collection cannot read: the API's A record www.example.com has no 'address' in its rdata."
    )


@pytest.mark.parametrize("through_connection", [False, True])
def test_the_advice_after_https_to_a_plain_http_port_is_given_once(connect, through_connection):
    # Issue #25 (4): the transport's TLS advice names ssl and port; the task's own network advice repeated them.
    with pytest.raises(DynectLoginError) as failed:
        connect(ssl=True)  # logs in at once; the emulator fixture speaks plain HTTP

    described = describe_error(failed.value, through_connection=through_connection)

    assert "WRONG_VERSION_NUMBER" in described
    assert described.endswith("; check that ssl and port lead to the API's HTTPS port.")
    assert described.count("port") == 2  # the URL's "HTTPS port" and the option: no second piece of advice
