# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The dynect helper's operations, without a Connection (issue #23 item 2), against the emulator.

The connection's own tests (tests/unit/plugins/connection/test_dynect.py) drive the same
operations through dyn_call, after its account checks; here they are given what they need directly.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from ansible_collections.dyn.managed_dns.plugins.module_utils._connection_rpc import TASK_OPERATIONS, error_from_rpc
from ansible_collections.dyn.managed_dns.plugins.module_utils._rpc_seal import PASSWORD_WORKS, SEALED_TOKEN, UPDATE_PASSWORD, SealingKeys, seal, unseal
from ansible_collections.dyn.managed_dns.plugins.module_utils.errors import DynectConfigError, DynectError
from ansible_collections.dyn.managed_dns.plugins.module_utils._api import RetryPolicy
from ansible_collections.dyn.managed_dns.plugins.module_utils._engine import Credentials, Endpoint, SessionEngine
from ansible_collections.dyn.managed_dns.plugins.plugin_utils._helper_operations import HelperOperations, refusal_reply
from ansible_collections.dyn.managed_dns.plugins.plugin_utils._sealed_options import SealedOptions
from ansible_collections.dyn.managed_dns.tests.unit.plugins.module_utils.helpers import FAST_WAITS, OPS, leaked, server_secrets

WARNING = "validate_certs is off for the test: a warning the host words"


@dataclass
class Host:
    """What the connection gives the operations, recorded: the calls they make of it."""

    emulator: Any
    password: str | None = OPS[2]
    history_on: bool = False
    missing_login_options: bool = False
    queued: list[tuple[str, str]] = field(default_factory=list)
    logins_told: int = 0
    operations: HelperOperations | None = None

    def build(self) -> HelperOperations:
        secrets = SealedOptions({"dyn_password"})
        secrets.take_from({"dyn_password": self.password})
        self.operations = HelperOperations(
            self.new_session,
            secrets,
            check_login_options=self.check_login_options,
            play_history_on=lambda: self.history_on,
            transport_warnings=lambda: [WARNING],
            queue=lambda level, message: self.queued.append((level, message)),
            on_login=self.told_login,
        )
        return self.operations

    def new_session(self, password: str | None) -> SessionEngine:
        assert self.operations is not None
        server = self.emulator
        return SessionEngine(
            Credentials(OPS[0], OPS[1], password),
            Endpoint.from_options(host=server.host, port=server.port, ssl=server.ssl),
            RetryPolicy(**FAST_WAITS),
            history=self.operations.recording,
        )

    def check_login_options(self) -> None:
        if self.missing_login_options:
            raise DynectConfigError("The dynect connection needs dyn_password (host variable) to log in")

    def told_login(self) -> None:
        self.logins_told += 1


@pytest.fixture
def host(emulator: Any) -> Iterator[Host]:
    made = Host(emulator)
    yield made
    if made.operations is not None:
        made.operations.log_out_at_close()


def _result(reply: dict[str, Any]) -> Any:
    assert "error" not in reply, reply["error"]
    return reply["result"]


def _run(operations: HelperOperations, operation: str, *args: Any, task_history: bool = False) -> dict[str, Any]:
    return operations.run(operation, args, task_history)


def test_every_declared_operation_is_one_of_its_operations():
    assert {name.removeprefix("_op_") for name in dir(HelperOperations) if name.startswith("_op_")} == TASK_OPERATIONS


@pytest.mark.parametrize("operation", ["_session_for_task", "close", "log_out_at_close", "run"])
def test_an_operation_outside_the_allow_list_is_refused_before_anything_runs(host, emulator, operation):
    operations = host.build()
    with pytest.raises(DynectConfigError, match=f"offers no operation '{operation}'"):
        _run(operations, operation)
    assert emulator.stats()["requests"] == {} and operations.session is None


def test_a_refusal_reply_carries_the_error_and_nothing_of_the_session():
    reply = refusal_reply(DynectConfigError("refused"))
    assert reply["history"] == [] and reply["warnings"] == [] and "result" not in reply
    assert str(error_from_rpc(reply["error"])) == "refused"


def test_the_first_operation_logs_in_and_later_ones_reuse_the_session(host, emulator):
    operations = host.build()
    info = _result(_run(operations, "session_info"))
    _result(_run(operations, "permission_report"))
    assert info["customer"] == OPS[0] and info["api"] == f"{emulator.host}:{emulator.port}"
    assert (emulator.stats()["logins"], host.logins_told) == (1, 1)


def test_a_login_over_the_transport_warns_the_call_that_made_it_only(host):
    operations = host.build()
    assert _run(operations, "keep_alive")["warnings"] == [WARNING]
    assert _run(operations, "keep_alive")["warnings"] == []
    assert _run(operations, "is_alive")["warnings"] == []


def test_missing_login_options_are_an_error_reply_without_a_request(host, emulator):
    host.missing_login_options = True
    reply = _run(host.build(), "session_info")
    assert isinstance(error_from_rpc(reply["error"]), DynectConfigError)
    assert (reply["history"], reply["warnings"]) == ([], [])
    assert emulator.stats()["requests"] == {}


def test_a_task_gets_its_calls_when_it_asks_and_the_play_keeps_them_when_on(host):
    host.history_on = True
    operations = host.build()
    first = _run(operations, "permission_report", task_history=True)
    unasked = _run(operations, "check_permissions", ["ZoneGet"], "example.com")
    assert [call["uri"] for call in first["history"]] == ["/REST/Session/", "/REST/UserPermissionReport/"]
    assert first["history"][0]["args"]["password"] == "*****"
    assert unasked["history"] == []
    assert [call["uri"] for call in _result(_run(operations, "play_history"))] == [
        "/REST/Session/", "/REST/UserPermissionReport/", "/REST/CheckPermissionReport/",
    ]


def test_without_play_history_nothing_is_kept_and_the_session_stops_recording(host):
    operations = host.build()
    asked = _run(operations, "permission_report", task_history=True)
    assert [call["uri"] for call in asked["history"]] == ["/REST/Session/", "/REST/UserPermissionReport/"]
    _result(_run(operations, "keep_alive"))
    assert operations.session is not None and operations.session.history is None
    assert _result(_run(operations, "play_history")) is None


def test_trial_logins_come_back_in_the_history_of_the_call_that_made_them(host):
    operations = host.build()
    keys = SealingKeys()
    sealed = seal(keys.box_with(_result(_run(operations, "seal_key"))), OPS[2], PASSWORD_WORKS)
    reply = _run(operations, "password_works", keys.public, sealed, task_history=True)
    assert _result(reply) is True
    assert [(call["method"], call["uri"]) for call in reply["history"]] == [("POST", "/REST/Session/"), ("DELETE", "/REST/Session/")]
    assert reply["warnings"] == [WARNING]


def test_the_token_leaves_only_sealed_for_the_key_that_asked(host, emulator):
    operations = host.build()
    keys = SealingKeys()
    reply = _run(operations, "sealed_token", keys.public)
    token = unseal(keys.box_with(_result(_run(operations, "seal_key"))), _result(reply), SEALED_TOKEN)
    assert operations.session is not None and token == operations.session.token
    assert leaked(json.dumps(reply), server_secrets(emulator)) == []


def test_a_session_left_without_a_token_logs_in_anew_before_its_token_is_sealed(host, emulator):
    # An earlier task's login again may have failed, leaving the play's session without a token.
    operations = host.build()
    _result(_run(operations, "keep_alive"))
    assert operations.session is not None
    operations.session.end_server_session()
    keys = SealingKeys()
    reply = _run(operations, "sealed_token", keys.public)
    token = unseal(keys.box_with(_result(_run(operations, "seal_key"))), _result(reply), SEALED_TOKEN)
    assert token and token == operations.session.token
    assert emulator.stats()["open_sessions"] == 1


def test_a_changed_password_is_confirmed_in_the_sealed_options_for_later_logins(host, emulator):
    host.password = OPS[2]
    operations = host.build()
    keys = SealingKeys()
    sealed = seal(keys.box_with(_result(_run(operations, "seal_key"))), "Ops-Passw0rd-2", UPDATE_PASSWORD)
    _result(_run(operations, "update_password", keys.public, sealed))
    assert _result(_run(operations, "log_out")) is True
    _result(_run(operations, "session_info"))  # a new login, with the confirmed password
    assert (emulator.stats()["logins"], emulator.stats()["failed_logins"]) == (2, 0)


def test_close_logs_out_once_and_only_a_session_that_logged_in(host, emulator):
    operations = host.build()
    operations.log_out_at_close()
    assert emulator.stats()["logouts"] == 0
    _result(_run(operations, "session_info"))
    operations.log_out_at_close()
    operations.log_out_at_close()
    assert (emulator.stats()["logouts"], emulator.stats()["open_sessions"]) == (1, 0)


class _SessionThatCannotLogOut:
    customer, username, token, history = OPS[0], OPS[1], "a-token", None
    rate_limit_waited = 0.0  # never throttled

    def authenticate(self) -> None:
        """Logged in already."""

    def restart_history(self, recording: bool) -> None:
        """Records nothing."""

    def keep_alive(self) -> None:
        """Alive."""

    def log_out(self) -> None:
        raise DynectError("the API did not answer")


def test_a_failed_log_out_at_close_is_queued_as_a_warning_not_raised():
    queued: list[tuple[str, str]] = []
    operations = HelperOperations(
        lambda password: _SessionThatCannotLogOut(),  # type: ignore[arg-type,return-value]
        SealedOptions({"dyn_password"}),
        check_login_options=lambda: None,
        play_history_on=lambda: False,
        transport_warnings=list,
        queue=lambda level, message: queued.append((level, message)),
    )
    _result(_run(operations, "keep_alive"))
    operations.log_out_at_close()
    assert queued == [("warning", "Could not log out of DynECT as acme/ops: the API did not answer")]
    assert operations.session is None


def test_a_task_learns_what_the_plays_session_left_pending_without_a_request_or_a_login(host, emulator):
    operations = host.build()
    assert _result(_run(operations, "pending_in_session", "example.com")) is False  # no session yet: none pending
    assert emulator.stats()["requests"] == {}
    _result(_run(operations, "execute", "/ARecord/example.com/x.example.com/", "POST", {"rdata": {"address": "192.0.2.1"}}))
    requests = sum(emulator.stats()["requests"].values())
    assert _result(_run(operations, "pending_in_session", "example.com")) is True
    assert _result(_run(operations, "pending_in_session", "example.net")) is False
    assert sum(emulator.stats()["requests"].values()) == requests


def _a_record(name: str, address: str) -> list[Any]:
    return [f"/ARecord/example.com/{name}.example.com/", "POST", {"rdata": {"address": address}}]


def test_execute_many_runs_a_batch_in_order_in_the_plays_session_and_records_it(host, emulator):
    # Issue #24: a plan's writes in one call to the helper, each call as execute makes it.
    operations = host.build()
    reply = _run(operations, "execute_many", [_a_record("a", "192.0.2.1"), _a_record("b", "192.0.2.2")], task_history=True)
    outcome = _result(reply)
    assert outcome["error"] is None
    assert [each["data"]["fqdn"] for each in outcome["replies"]] == ["a.example.com", "b.example.com"]
    assert [(call["method"], call["uri"]) for call in reply["history"]] == [
        ("POST", "/REST/Session/"), ("POST", "/REST/ARecord/example.com/a.example.com/"), ("POST", "/REST/ARecord/example.com/b.example.com/"),
    ]
    assert reply["history"][0]["args"]["password"] == "*****" and reply["warnings"] == [WARNING]
    assert _result(_run(operations, "pending_in_session", "example.com")) is True
    assert emulator.stats()["logins"] == 1


def test_execute_many_stops_at_the_first_failure_with_the_replies_before_it_and_its_typed_error(host, emulator):
    emulator.fault("server_error", match="POST /REST/ARecord", after=1)
    operations = host.build()
    outcome = _result(_run(operations, "execute_many", [_a_record("a", "192.0.2.1"), _a_record("b", "192.0.2.2"), _a_record("c", "192.0.2.3")]))
    assert [each["data"]["fqdn"] for each in outcome["replies"]] == ["a.example.com"]
    error = error_from_rpc(outcome["error"])
    assert isinstance(error, DynectError) and error.uri == "/REST/ARecord/example.com/b.example.com/"
    assert emulator.stats()["requests"]["POST /REST/ARecord"] == 2  # c was never sent


@pytest.mark.parametrize(
    ("calls", "words"),
    [
        ([_a_record("a", "192.0.2.1"), ["/Session/", "DELETE", None]], "manages the session itself"),
        ([_a_record("a", "192.0.2.1"), ["/Zone/example.com/", "PATCH", None]], "has the method 'PATCH'"),
        ([_a_record("a", "192.0.2.1"), ["/Zone/example.com/", "GET"]], "is \\[uri, method, args\\]"),
        ([_a_record("a", "192.0.2.1"), ["/Zone/example.com/", "PUT", ["publish"]]], "are a dict or null"),
        ("/Zone/example.com/", "takes a list of calls"),
    ],
)
def test_a_batch_with_a_call_the_helper_refuses_is_refused_whole_before_any_login(host, emulator, calls, words):
    reply = _run(host.build(), "execute_many", calls)
    with pytest.raises(DynectConfigError, match=words):
        raise error_from_rpc(reply["error"])
    assert emulator.stats()["requests"] == {}


@pytest.mark.parametrize("logged_in", [True, False])
def test_a_logout_takes_check_modes_prediction_with_the_pending_changes(host, logged_in):
    # A logout discards what the session has pending; a check-mode publish after it has nothing to predict.
    operations = host.build()
    if logged_in:
        _result(_run(operations, "session_info"))
    _result(_run(operations, "predict_pending", "example.com", True))

    assert _result(_run(operations, "log_out")) is logged_in

    assert _result(_run(operations, "predict_pending", "example.com", False)) is False


def test_check_modes_prediction_is_kept_apart_from_the_real_record_without_a_request_or_a_login(host, emulator):
    # Issue 25: a check-mode record task predicts a zone's pending changes; a check-mode publish takes the prediction.
    operations = host.build()
    assert _result(_run(operations, "predict_pending", "Example.COM.", True)) is False  # nothing predicted before
    assert _result(_run(operations, "predict_pending", "example.com", True)) is True
    assert _result(_run(operations, "pending_in_session", "example.com")) is False  # the real record: nothing pending
    assert _result(_run(operations, "predict_pending", "example.com", False)) is True  # taken
    assert _result(_run(operations, "predict_pending", "example.com", False)) is False
    assert emulator.stats()["requests"] == {} and operations.session is None
