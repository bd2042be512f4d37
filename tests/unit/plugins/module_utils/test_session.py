# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""DynectSession against the emulator: login, logout, execute, permissions, password, history, singleton."""

from __future__ import annotations

import importlib
import importlib.util
import json
import threading

import pytest

from ansible_collections.dyn.managed_dns.plugins.module_utils.errors import (
    DynectAuthError,
    DynectConfigError,
    DynectInvalidArgumentError,
    DynectLoginError,
    DynectUpdateError,
)
from ansible_collections.dyn.managed_dns.plugins.module_utils.session import DynectSession, HistoryRecord
from ansible_collections.dyn.managed_dns.tests.unit.plugins.module_utils.helpers import (
    DEPLOY,
    OPS,
    READER,
    requests_made,
)

OPS_PERMISSIONS = [
    "ZoneGet", "ZoneAdd", "ZoneUpdate", "ZoneDelete", "ZonePublish", "RecordAdd", "RecordGet",
    "RecordUpdate", "RecordDelete", "UserGet", "PermissionGet", "ZoneAddNode", "ZoneRemoveNode", "ZoneChangeSet",
    "ZoneFreeze", "ZoneThaw",
]


# --- authenticate / log_out -------------------------------------------------------------------


def test_constructor_logs_in_once_and_keeps_the_token(connect, emulator):
    session = connect()
    assert session.token
    assert session.server_version
    assert (session.customer, session.username) == ("acme", "ops")
    assert session.identity == (f"{emulator.host}:{emulator.port}", "acme", "ops")
    assert requests_made(emulator, "POST /REST/Session") == 1
    assert session.token in emulator.secrets()["tokens"]


def test_wrong_password_raises_auth_error_with_the_api_messages(connect, emulator):
    with pytest.raises(DynectAuthError) as caught:
        connect("acme", "ops", "not-the-password")
    error = caught.value
    # Issue #15: raised as a login error where the login fails, not told apart later by method and path.
    assert isinstance(error, DynectLoginError)
    assert (error.method, error.uri, error.http_status) == ("POST", "/REST/Session/", 400)
    assert error.messages[0]["INFO"].startswith("login: Credentials you entered did not match")
    assert "login: Credentials you entered did not match" in str(error)
    assert "not-the-password" not in str(error) + repr(error)
    assert DynectSession.get_session() is None  # nothing registered after a failed login
    assert emulator.stats()["failed_logins"] == 1


def test_blocked_user_cannot_log_in(connect):
    with pytest.raises(DynectAuthError):
        connect("acme", "locked", "Locked-Out-1")


def test_auto_auth_false_logs_in_on_first_call(connect, emulator):
    session = connect(auto_auth=False)
    assert session.token is None
    assert requests_made(emulator, "POST /REST/Session") == 0
    assert session.execute("/Zone/", "GET")["status"] == "success"
    assert requests_made(emulator, "POST /REST/Session") == 1


def test_authenticate_again_ends_the_previous_server_session(connect, emulator):
    session = connect()
    first_token = session.token
    session.authenticate()
    assert session.token != first_token
    assert requests_made(emulator, "DELETE /REST/Session") == 1
    assert emulator.stats()["open_sessions"] == 1


def test_log_out_deletes_the_server_session_and_unregisters(connect, emulator):
    session = connect()
    session.log_out()
    assert session.token is None
    assert DynectSession.get_session() is None
    assert emulator.stats()["logouts"] == 1
    session.log_out()  # idempotent: no token, no request
    assert requests_made(emulator, "DELETE /REST/Session") == 1


def test_log_out_of_a_session_the_server_already_dropped_succeeds(connect, emulator):
    session = connect()
    emulator.fault("expire_token", match="DELETE /REST/Session")
    session.log_out()
    assert session.token is None
    assert DynectSession.get_session() is None


def test_a_missing_library_is_a_clear_error_at_construction(connect, emulator, monkeypatch):
    # cryptography is the one library the session needs: HTTP is the standard library's.
    monkeypatch.setattr(
        importlib.import_module("ansible_collections.dyn.managed_dns.plugins.module_utils._crypto"), "HAS_CRYPTOGRAPHY", False
    )
    with pytest.raises(DynectConfigError, match="The 'cryptography' Python library is required"):
        connect()
    assert emulator.stats()["requests"] == {}


def test_the_deprecated_requests_flags_still_say_whether_requests_is_installed():
    # Deprecated, removed in 1.0.0: the collection no longer needs requests, but scripts may read them.
    from ansible_collections.dyn.managed_dns.plugins.module_utils import session

    assert {"HAS_REQUESTS", "REQUESTS_IMPORT_ERROR"} <= set(session.__all__)
    assert session.HAS_REQUESTS is (importlib.util.find_spec("requests") is not None)
    assert (session.REQUESTS_IMPORT_ERROR is None) is session.HAS_REQUESTS


# --- execute ------------------------------------------------------------------------------------


@pytest.mark.parametrize("uri", ["Session/", "/Session/", "/REST/Session/", "/REST/Session"])
def test_execute_normalises_the_uri_like_the_sdk(connect, emulator, uri):
    session = connect(history=True)
    reply = session.execute(uri, "GET")
    assert reply["status"] == "success"
    assert set(reply) >= {"status", "data", "job_id", "msgs"}  # the whole envelope
    assert requests_made(emulator, "GET /REST/Session") == 1
    assert session.history[-1].uri.startswith("/REST/Session")


def test_execute_sends_a_lower_case_method_upper_cased(connect, emulator):
    session = connect()
    assert session.execute("/Zone/", "get")["status"] == "success"
    assert requests_made(emulator, "GET /REST/Zone") == 1


@pytest.mark.parametrize("method", ["PATCH", "HEAD", ""])
def test_execute_refuses_an_invalid_method_without_sending(connect, emulator, method):
    session = connect()
    with pytest.raises(DynectInvalidArgumentError) as caught:
        session.execute("/Zone/", method)
    assert isinstance(caught.value, ValueError)  # what the SDK raised
    assert "DELETE, GET, POST, PUT" in str(caught.value)
    assert sum(emulator.stats()["requests"].values()) == 1  # the login only


def test_execute_refuses_args_that_are_not_a_mapping(connect):
    session = connect()
    with pytest.raises(DynectInvalidArgumentError):
        session.execute("/Zone/", "GET", ["detail"])


@pytest.mark.parametrize(
    ("uri", "problem"),
    [
        ("Zone/../Session/", "has a '..' segment"),
        ("Session/?x", "holds '?'"),
        ("Session/.", "has a '.' segment"),
        ("/REST/%2e%2e/Session/", "holds '%2e'"),
        ("Zone/%2E%2E/Session/", "holds '%2E'"),
        ("Zone%2fexample.com/", "holds '%2f'"),
        ("Zone/example.com/\r\n", "holds the control character '\\r'"),
    ],
)
@pytest.mark.parametrize("method", ["DELETE", "POST", "GET"])
def test_execute_refuses_a_path_the_server_could_read_as_another_without_sending(connect, emulator, uri, problem, method):
    session = connect()
    token, before = session.token, emulator.stats()
    with pytest.raises(DynectConfigError) as caught:
        session.execute(uri, method, {})
    assert problem in str(caught.value)
    assert emulator.stats() == before  # no request: no logout, no login
    assert session.token == token


def test_the_refusal_comes_from_the_normaliser_the_connection_checks_first(emulator):
    # The dynect connection's helper calls api_path (the one execute uses) before is_session_path: it must refuse there.
    from ansible_collections.dyn.managed_dns.plugins.module_utils._engine import api_path

    with pytest.raises(DynectConfigError, match="has a '..' segment"):
        api_path("Zone/../Session/")
    assert api_path("Zone/example.com/") == api_path("/REST/Zone/example.com/") == "/REST/Zone/example.com/"
    assert emulator.stats()["requests"] == {}


@pytest.mark.parametrize("uri", ["Zone/../Session/", "Session/?x", "Session/.", "/REST/%2e%2e/Session/", "%2E%2E/REST/Session/"])
@pytest.mark.parametrize("method", ["DELETE", "POST"])
def test_the_dynect_connection_refuses_such_a_path_without_a_request(emulator, uri, method):
    # The other route: the connection's helper runs execute for the task, in the play's session.
    from ansible_collections.dyn.managed_dns.plugins.module_utils._connection_rpc import error_from_rpc
    from ansible_collections.dyn.managed_dns.tests.unit.plugins.module_utils.helpers import dynect_connection

    connection = dynect_connection(emulator, *OPS)
    try:
        assert "error" not in connection.dyn_call("execute", "/Zone/", "GET")  # the play's login
        before = emulator.stats()
        reply = connection.dyn_call("execute", uri, method, {})
        assert isinstance(error_from_rpc(reply["error"]), DynectConfigError)
        assert str(error_from_rpc(reply["error"])).startswith(f"The API path {uri if uri.startswith('/') else '/' + uri!r} ")
        assert emulator.stats() == before  # no logout of the play's session, no login
        assert connection.dyn_call("is_alive")["result"] is True
    finally:
        connection.close()


def test_execute_through_the_session_resource_tracks_the_token(connect, emulator):
    session = connect(auto_auth=False)
    session.execute("/Session/", "POST", {"customer_name": OPS[0], "user_name": OPS[1], "password": OPS[2]})
    assert session.token
    session.execute("/Session/", "DELETE")
    assert session.token is None
    assert emulator.stats()["logouts"] == 1


# --- permissions ---------------------------------------------------------------------------------


def test_permissions_are_fetched_once_and_cached(connect, emulator):
    session = connect()
    assert session.permissions == OPS_PERMISSIONS
    assert session.permissions == OPS_PERMISSIONS
    assert requests_made(emulator, "POST /REST/UserPermissionReport") == 1


def test_user_permissions_report_of_another_user(connect):
    session = connect()
    names = session.user_permissions_report("reader")
    assert {"ZoneGet", "RecordGet"} <= set(names)
    assert "UserAdd" not in names


def test_permission_report_keeps_zones_and_forbidden(connect):
    session = connect(*READER)
    report = session.permission_report()
    allowed = {entry["name"]: entry for entry in report["allowed"]}
    assert [zone["zone_name"] for zone in allowed["RecordUpdate"]["zone"]] == ["example.com"]
    assert "UserAdd" in {entry["name"] for entry in report["forbidden"]}


def test_check_permissions_for_the_current_user(connect):
    session = connect(*READER)
    report = session.check_permissions(["ZoneGet", "UserAdd"], zone_name="example.com")
    assert [entry["name"] for entry in report["allowed"]] == ["ZoneGet"]
    assert [entry["name"] for entry in report["forbidden"]] == ["UserAdd"]


# --- update_password -----------------------------------------------------------------------------


def test_update_password_is_used_by_the_next_automatic_login(connect, emulator):
    session = connect(*DEPLOY, history=True)
    session.update_password("Deploy-Key-43")
    emulator.fault("expire_token", match="GET /REST/Zone")
    assert session.execute("/Zone/", "GET")["status"] == "success"  # re-logged in with the new password
    assert emulator.stats()["failed_logins"] == 0
    password_records = [record for record in session.history if record.uri == "/REST/Password/"]
    assert password_records[0].args == {"password": "*****"}
    with pytest.raises(DynectAuthError):
        DynectSession.new_session(*DEPLOY, host=emulator.host, port=emulator.port, ssl=False)


NEW_DEPLOY_PASSWORD = "Deploy-Key-43"


def session_exchanges(session):
    return [(record.method, record.uri, record.status) for record in session.history]


def test_a_change_whose_verdict_was_lost_is_proved_by_a_login_and_adopted(connect, emulator):
    # Issue #12 (a): the change ran, then the job poll found the session gone.
    session = connect(*DEPLOY, history=True)
    emulator.fault("job_redirect", match="PUT /REST/Password")
    emulator.fault("expire_token", match="GET /REST/Job")
    session.update_password(NEW_DEPLOY_PASSWORD)  # no error: the new password logs in
    assert requests_made(emulator, "PUT /REST/Password") == 1
    assert session_exchanges(session)[3:] == [
        ("POST", "/REST/Session/", "success"),  # the probe with the new password
        ("DELETE", "/REST/Session/", "success"),
    ]
    assert session.execute("/Zone/", "GET")["status"] == "success"  # re-login, with the new password
    assert emulator.stats()["failed_logins"] == 0


def test_a_change_that_did_not_run_is_told_by_the_old_password(connect, emulator):
    session = connect(*DEPLOY, history=True)
    emulator.fault("drop_connection", match="PUT /REST/Password")
    with pytest.raises(DynectUpdateError) as caught:
        session.update_password(NEW_DEPLOY_PASSWORD)
    error = caught.value
    assert error.outcome_unknown is False
    assert "a login with the new password is refused while the old one still works" in str(error)
    assert "the change was not carried out" in str(error)
    assert [status for method, uri, status in session_exchanges(session)[1:]] == [
        "transport error", "failure", "success", "success"  # PUT, new refused, old logs in, its logout
    ]
    emulator.fault("expire_token", match="GET /REST/Zone")
    assert session.execute("/Zone/", "GET")["status"] == "success"  # re-login, still with the old one
    assert emulator.stats()["failed_logins"] == 1  # the probe with the new password only


def test_neither_password_logging_in_is_said_exactly(connect, emulator):
    session = connect(*DEPLOY)
    emulator.fault("server_error", match="PUT /REST/Password")
    emulator.fault("expire_token", count=2, match="POST /REST/Session")  # both probes are refused
    with pytest.raises(DynectAuthError) as caught:
        session.update_password(NEW_DEPLOY_PASSWORD)
    error = caught.value
    assert "neither the old nor the new password logs in" in str(error)
    assert (error.method, error.uri, error.outcome_unknown) == ("POST", "/REST/Session/", False)
    assert error.messages[0]["INFO"].startswith("login:")


@pytest.mark.parametrize("probe_fault", ["drop_connection", "server_error"])
def test_a_probe_without_verdict_re_raises_the_unknown_outcome(connect, emulator, probe_fault):
    session = connect(*DEPLOY)
    emulator.fault("drop_connection", match="PUT /REST/Password")
    emulator.fault(probe_fault, match="POST /REST/Session")
    with pytest.raises(DynectUpdateError) as caught:
        session.update_password(NEW_DEPLOY_PASSWORD)
    assert caught.value.outcome_unknown is True
    assert (caught.value.method, caught.value.uri) == ("PUT", "/REST/Password/")


def test_a_session_without_user_name_cannot_probe_and_re_raises_the_unknown_outcome(connect, emulator):
    token = connect(*DEPLOY).token
    DynectSession.close_session()
    adopted = connect(None, None, None, token=token)
    emulator.fault("drop_connection", match="PUT /REST/Password")
    with pytest.raises(DynectUpdateError) as caught:
        adopted.update_password(NEW_DEPLOY_PASSWORD)
    assert caught.value.outcome_unknown is True
    assert requests_made(emulator, "POST /REST/Session") == 1  # the token's login only: no probe


def test_an_adopted_token_with_user_name_learns_from_the_new_password_alone(connect, emulator):
    token = connect(*DEPLOY).token
    DynectSession.close_session()
    adopted = connect(DEPLOY[0], DEPLOY[1], None, token=token)
    emulator.fault("drop_connection", match="PUT /REST/Password")
    with pytest.raises(DynectUpdateError, match="no old one is stored to try: the change was not carried out") as caught:
        adopted.update_password(NEW_DEPLOY_PASSWORD)
    assert caught.value.outcome_unknown is False


# --- history ---------------------------------------------------------------------------------------


def test_history_is_none_unless_asked_for(connect):
    assert connect().history is None


def test_history_records_every_exchange_json_serialisable_and_masked(connect):
    session = connect(history=True)
    session.execute("/Zone/", "GET", {"detail": "Y", "nested": [{"token": "abc", "new_password": "x"}]})
    history = session.history
    assert [(record.uri, record.method, record.status) for record in history] == [
        ("/REST/Session/", "POST", "success"),
        ("/REST/Zone/", "GET", "success"),
    ]
    assert all(isinstance(record, HistoryRecord) for record in history)
    timestamp, uri, method, args, status = history[0]  # unpacks like the SDK's tuples
    assert args == {"customer_name": "acme", "user_name": "ops", "password": "*****"}
    assert history[1].args == {"detail": "Y", "nested": [{"token": "*****", "new_password": "*****"}]}
    assert json.loads(json.dumps([record._asdict() for record in history]))[0]["status"] == "success"
    history.clear()  # a copy: the session's own record is untouched
    assert len(session.history) == 2


# --- token adoption and the module helpers -------------------------------------------------------


def test_adopting_a_token_does_not_log_in_and_can_log_out(connect, emulator):
    token = connect().token
    DynectSession.close_session()
    adopted = connect(token=token)
    assert adopted.token == token
    assert requests_made(emulator, "POST /REST/Session") == 1
    assert adopted.is_alive()
    assert adopted.execute("/Zone/", "GET")["status"] == "success"
    adopted.log_out()
    assert emulator.stats()["logouts"] == 1
    assert emulator.stats()["open_sessions"] == 0


def test_an_adopted_token_without_password_cannot_log_in_again(connect, emulator):
    token = connect().token
    DynectSession.close_session()
    adopted = connect(password=None, token=token)
    emulator.fault("expire_token", match="GET /REST/Zone")
    with pytest.raises(DynectAuthError) as caught:
        adopted.execute("/Zone/", "GET")
    assert "Bad or expired credentials" in str(caught.value)
    assert requests_made(emulator, "POST /REST/Session") == 1


def test_is_alive_is_false_for_a_dropped_session_and_does_not_log_in(connect, emulator):
    session = connect()
    assert session.is_alive()
    emulator.fault("expire_token", match="GET /REST/Session")
    assert not session.is_alive()
    assert requests_made(emulator, "POST /REST/Session") == 1


def test_keep_alive_extends_the_session(connect, emulator):
    session = connect()
    session.keep_alive()
    assert requests_made(emulator, "PUT /REST/Session") == 1


@pytest.mark.parametrize("fault", ["expire_token", "inactivity_logout"])
def test_keep_alive_of_a_dropped_session_logs_in_again(connect, emulator, fault):
    session = connect()
    old_token = session.token
    emulator.fault(fault, match="PUT /REST/Session")
    session.keep_alive()
    assert session.token != old_token
    assert session.is_alive()
    assert requests_made(emulator, "POST /REST/Session") == 2
    assert emulator.stats()["open_sessions"] == 1


def test_keep_alive_of_a_dropped_adopted_token_without_password_raises(connect, emulator):
    token = connect().token
    DynectSession.close_session()
    adopted = connect(password=None, token=token)
    emulator.fault("expire_token", match="PUT /REST/Session")
    with pytest.raises(DynectAuthError, match="Bad or expired credentials"):
        adopted.keep_alive()
    assert requests_made(emulator, "POST /REST/Session") == 1


def test_password_works_probes_with_a_throw_away_login(connect, emulator):
    session = connect()
    token = session.token
    assert session.password_works(OPS[2])
    assert not session.password_works("Not-The-Password")
    assert session.token == token
    assert session.is_alive()
    assert requests_made(emulator, "POST /REST/Session") == 3
    assert emulator.stats()["logouts"] == 1  # the successful probe's session only
    assert emulator.stats()["open_sessions"] == 1


@pytest.mark.parametrize(
    ("fault", "message"), [("drop_connection", "Unable to access the API host"), ("rate_limit", "rate limited")]
)
def test_password_works_raises_when_the_answer_says_nothing_about_the_password(connect, emulator, fault, message):
    session = connect(rate_limit_retries=0)
    emulator.fault(fault, match="POST /REST/Session")
    with pytest.raises(DynectAuthError, match=message):
        session.password_works(OPS[2])


# --- context manager and text --------------------------------------------------------------------


def test_context_manager_returns_the_session_and_logs_out(connect, emulator):
    with connect() as session:
        assert isinstance(session, DynectSession)
        assert session.execute("/Zone/", "GET")["status"] == "success"
    assert session.token is None
    assert emulator.stats()["logouts"] == 1


def test_context_manager_logs_out_when_the_block_fails(connect, emulator):
    with pytest.raises(RuntimeError, match="boom"):
        with connect():
            raise RuntimeError("boom")
    assert emulator.stats()["logouts"] == 1


def test_str_and_repr_name_the_account_only(connect):
    session = connect()
    assert str(session) == "<DynectSession>: acme, ops"
    assert "acme, ops" in repr(session)
    assert session.token not in repr(session)


# --- singleton -------------------------------------------------------------------------------------


def test_same_identity_returns_the_same_session_without_logging_in(connect, emulator):
    first = connect()
    assert connect() is first
    assert DynectSession.get_session() is first
    assert requests_made(emulator, "POST /REST/Session") == 1


def test_other_identity_in_the_same_thread_is_a_clear_error(connect, emulator):
    first = connect()
    with pytest.raises(DynectConfigError) as caught:
        connect(*READER)
    assert "new_session()" in str(caught.value)
    assert "DynectMultiSession" in str(caught.value)
    assert DynectSession.get_session() is first
    assert requests_made(emulator, "POST /REST/Session") == 1


def test_other_token_for_the_same_identity_is_an_error(connect):
    connect()
    with pytest.raises(DynectConfigError):
        connect(token="another-token")


@pytest.mark.parametrize(
    "call",
    [
        pytest.param({"password": "Wrong-Passw0rd"}, id="wrong-password"),
        pytest.param({"password": None}, id="no-password-no-token"),
        pytest.param({"password": ""}, id="empty-password"),
        pytest.param({"ssl": True}, id="other-ssl"),
        pytest.param({"password": "Wrong-Passw0rd", "token": "__current__"}, id="right-token-wrong-password"),
    ],
)
def test_the_thread_session_is_not_handed_to_other_credentials_or_settings(connect, emulator, call):
    """Issue #13: the user name alone must not get the thread's logged-in session back."""
    first = connect()
    if call.get("token") == "__current__":
        call = {**call, "token": first.token}
    with pytest.raises(DynectConfigError) as caught:
        connect(**call)
    assert "new_session()" in str(caught.value)
    assert "Wrong-Passw0rd" not in str(caught.value)
    assert OPS[2] not in str(caught.value)
    assert DynectSession.get_session() is first
    assert requests_made(emulator, "POST /REST/Session") == 1


def test_the_same_token_without_password_gets_the_thread_session(connect, emulator):
    first = connect()
    assert connect(password=None, token=first.token) is first
    assert connect(token=first.token) is first
    assert requests_made(emulator, "POST /REST/Session") == 1


def test_an_adopted_token_session_is_handed_only_to_its_token(connect, emulator):
    token = connect().token
    DynectSession.close_session()
    adopted = connect(password=None, token=token)
    assert connect(password=None, token=token) is adopted
    with pytest.raises(DynectConfigError):
        connect()  # a password cannot be checked against a session that stores none


def test_new_session_logs_the_old_one_out_first(connect, emulator):
    first = connect()
    second = DynectSession.new_session(*READER, host=emulator.host, port=emulator.port, ssl=False)
    assert second is not first
    assert DynectSession.get_session() is second
    assert first.token is None
    assert emulator.stats()["logouts"] == 1
    assert emulator.stats()["open_sessions"] == 1


def test_close_session_forgets_without_logging_out(connect, emulator):
    first = connect()
    assert DynectSession.close_session() is first
    assert DynectSession.get_session() is None
    assert requests_made(emulator, "DELETE /REST/Session") == 0


def test_each_thread_has_its_own_session(connect, emulator):
    main = connect()
    seen = {}

    def in_other_thread():
        seen["before"] = DynectSession.get_session()
        seen["own"] = connect(*READER)
        DynectSession.close_session()

    worker = threading.Thread(target=in_other_thread)
    worker.start()
    worker.join()
    assert seen["before"] is None
    assert seen["own"] is not main
    assert seen["own"].username == "reader"
    assert DynectSession.get_session() is main


# --- from_env: the DYN_* variables the modules read ---------------------------------------------

ALL_DYN_VARIABLES = (
    "DYN_CUSTOMER", "DYN_USERNAME", "DYN_PASSWORD", "DYN_TOKEN", "DYN_HOST", "DYN_PORT", "DYN_SSL",
    "DYN_VALIDATE_CERTS", "DYN_CA_PATH", "DYN_API_VERSION", "DYN_KEY", "DYN_HISTORY", "DYN_PROXY_HOST",
    "DYN_PROXY_PORT", "DYN_PROXY_USER", "DYN_PROXY_PASS", "DYN_TIMEOUT", "DYN_RATE_LIMIT",
)


@pytest.fixture
def dyn_env(monkeypatch, emulator):
    """``dyn_env(**variables)``: only these DYN_* variables set, on top of the emulator's address and OPS."""

    def set_env(**variables: str) -> None:
        for name in ALL_DYN_VARIABLES:
            monkeypatch.delenv(name, raising=False)
        base = {"DYN_CUSTOMER": OPS[0], "DYN_USERNAME": OPS[1], "DYN_PASSWORD": OPS[2],
                "DYN_HOST": emulator.host, "DYN_PORT": str(emulator.port), "DYN_SSL": "no"}
        for name, value in {**base, **variables}.items():
            if value is not None:
                monkeypatch.setenv(name, value)

    return set_env


def test_from_env_logs_in_with_the_dyn_variables(dyn_env, emulator):
    dyn_env()
    session = DynectSession.from_env()
    assert session.identity == (f"{emulator.host}:{emulator.port}", "acme", "ops")
    assert session.token in emulator.secrets()["tokens"]
    assert DynectSession.get_session() is session
    session.log_out()
    assert emulator.stats()["open_sessions"] == 0


@pytest.mark.parametrize(
    ("variables", "attribute", "expected"),
    [
        ({"DYN_SSL": "No"}, "ssl", False),
        ({"DYN_SSL": "0"}, "ssl", False),
        ({"DYN_SSL": " off "}, "ssl", False),
        ({"DYN_HISTORY": "yes"}, "history", []),
        ({"DYN_HISTORY": "FALSE"}, "history", None),
        ({"DYN_API_VERSION": "3.7.0"}, "api_version", "3.7.0"),
        ({"DYN_PORT": "  %(port)s "}, "port", None),
        ({"DYN_PORT": "%(port)s.0"}, "port", None),
        ({"DYN_HISTORY": ""}, "history", None),  # empty counts as unset
    ],
)
def test_from_env_converts_like_the_modules(dyn_env, emulator, variables, attribute, expected):
    dyn_env(**{name: value % {"port": emulator.port} for name, value in variables.items()})
    session = DynectSession.from_env(auto_auth=False)
    expected = emulator.port if attribute == "port" else expected
    assert getattr(session, attribute) == expected


def test_from_env_passes_ints_and_paths_to_the_constructor(dyn_env, monkeypatch):
    seen = {}
    monkeypatch.setattr(DynectSession, "__init__", lambda self, *args, **kwargs: seen.update(kwargs))
    monkeypatch.setenv("CA_DIR", "/etc/cas")
    dyn_env(DYN_TIMEOUT="12", DYN_RATE_LIMIT="0", DYN_VALIDATE_CERTS="t", DYN_CA_PATH="$CA_DIR/ca.pem",
            DYN_PROXY_HOST="proxy.example", DYN_PROXY_PORT="3128", DYN_PROXY_USER="pu", DYN_PROXY_PASS="pp",
            DYN_KEY="k", DYN_TOKEN="t0k")
    DynectSession.from_env(job_timeout=5)
    assert seen == {
        "customer": "acme", "username": "ops", "password": "Ops-Passw0rd", "token": "t0k", "host": seen["host"],
        "port": seen["port"], "ssl": False, "timeout": 12, "rate_limit": 0, "validate_certs": True,
        "ca_path": "/etc/cas/ca.pem", "proxy_host": "proxy.example", "proxy_port": 3128, "proxy_user": "pu",
        "proxy_pass": "pp", "key": "k", "job_timeout": 5,
    }
    assert isinstance(seen["port"], int)


def test_from_env_arguments_win_over_the_environment(dyn_env, emulator):
    dyn_env(DYN_USERNAME="nobody", DYN_PASSWORD="wrong")
    session = DynectSession.from_env(username=READER[1], password=READER[2])
    assert (session.customer, session.username) == ("acme", "reader")


def test_from_env_with_a_token_needs_no_password(dyn_env, connect):
    token = connect().token
    DynectSession.close_session()
    dyn_env(DYN_PASSWORD=None, DYN_TOKEN=token)
    assert DynectSession.from_env().token == token


@pytest.mark.parametrize(
    ("variables", "named"),
    [
        ({"DYN_PORT": "https"}, "DYN_PORT must be a whole number, not 'https'"),
        ({"DYN_PORT": "2.5"}, "DYN_PORT must be a whole number"),
        ({"DYN_PORT": "0"}, "DYN_PORT must be a TCP port number"),
        ({"DYN_PROXY_HOST": "proxy.example", "DYN_PROXY_PORT": "99999"}, "DYN_PROXY_PORT must be a TCP port"),
        ({"DYN_TIMEOUT": "NaN"}, "DYN_TIMEOUT must be a whole number"),
        ({"DYN_RATE_LIMIT": "Infinity"}, "DYN_RATE_LIMIT must be a whole number"),
        ({"DYN_SSL": "maybe"}, "DYN_SSL must be a boolean (yes/no, true/false, on/off, 1/0), not 'maybe'"),
        ({"DYN_VALIDATE_CERTS": "2"}, "DYN_VALIDATE_CERTS must be a boolean"),
        ({"DYN_CUSTOMER": None}, "without DYN_CUSTOMER: set it in the environment, or pass customer"),
        ({"DYN_USERNAME": "", "DYN_PASSWORD": None}, "without DYN_USERNAME and DYN_PASSWORD: set them"),
    ],
)
def test_from_env_names_the_variable_it_cannot_use(dyn_env, emulator, variables, named):
    dyn_env(**variables)
    with pytest.raises(DynectConfigError) as caught:
        DynectSession.from_env()
    assert named in str(caught.value)
    assert emulator.stats()["requests"] == {}  # refused before anything is sent


def test_from_env_errors_never_repeat_a_secret(dyn_env, emulator):
    secrets = {"DYN_PASSWORD": "Pw-In-Env-1", "DYN_KEY": "Key-In-Env-2", "DYN_PROXY_PASS": "Proxy-Pw-3",
               "DYN_TOKEN": "Token-In-Env-4"}
    failures = [
        {"DYN_CUSTOMER": None}, {"DYN_PORT": "x"}, {"DYN_SSL": "x"},
        {"DYN_PROXY_HOST": "user:Proxy-Pw-3@proxy.example", "DYN_PROXY_PORT": "3128"},
    ]
    for failure in failures:
        dyn_env(**{**secrets, **failure})
        with pytest.raises(DynectConfigError) as caught:
            DynectSession.from_env()
        text = str(caught.value) + repr(caught.value)
        assert not [secret for secret in secrets.values() if secret in text], text


def test_from_env_of_a_multi_session_names_its_class(dyn_env):
    from ansible_collections.dyn.managed_dns.plugins.module_utils.session import DynectMultiSession

    dyn_env(DYN_CUSTOMER=None)
    with pytest.raises(DynectConfigError, match=r"^DynectMultiSession\.from_env\(\) cannot log in"):
        DynectMultiSession.from_env()


def test_from_env_reads_every_variable_the_modules_read_with_their_types():
    # session.py cannot import _module.py (it needs ansible-core); this keeps the two lists in step.
    from ansible_collections.dyn.managed_dns.plugins.module_utils import _module, session

    modules = {name: spec["type"] for name, spec in _module._API_OPTIONS.items()}
    assert session._ENV_TYPES == modules
    assert {f"DYN_{name.upper()}" for name in modules} == set(ALL_DYN_VARIABLES)


def test_restart_history_records_from_now_on_or_stops(connect):
    session = connect(history=True)
    session.restart_history(True)
    assert session.history == []
    session.is_alive()
    assert [record.method for record in session.history] == ["GET"]
    session.restart_history(False)
    session.is_alive()
    assert session.history is None


def test_an_engine_is_never_the_threads_session(connect, emulator):
    # Issue #23: the collection's own callers use a plain engine; the per-thread session is the SDK's.
    from ansible_collections.dyn.managed_dns.plugins.module_utils._engine import Credentials, Endpoint, SessionEngine

    endpoint = Endpoint(host=emulator.host, port=emulator.port, ssl=emulator.ssl)
    registered = connect()
    plain = SessionEngine(Credentials("acme", "ops", "Ops-Passw0rd"), endpoint)
    assert DynectSession.get_session() is registered
    plain.authenticate()
    assert plain.token not in (None, registered.token)
    plain.log_out()  # ending an engine's session leaves the thread's own alone
    assert DynectSession.get_session() is registered and registered.is_alive()
    registered.log_out()
    assert DynectSession.get_session() is None
    SessionEngine(Credentials("acme", "ops", None), endpoint)
    assert DynectSession.get_session() is None  # made in a thread without a session, it still is not the thread's
    assert not hasattr(DynectSession, "unregistered")  # no way around the singleton is left
