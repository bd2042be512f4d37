# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What crosses the dynect connection's socket: errors keep their class and their words."""

from __future__ import annotations

import json

import pytest

from ansible.module_utils.connection import ConnectionError as RpcConnectionError

from ansible_collections.dyn.managed_dns.plugins.module_utils import errors
from ansible_collections.dyn.managed_dns.plugins.module_utils._batch import BatchedCalls
from ansible_collections.dyn.managed_dns.plugins.module_utils._connection_rpc import (
    BATCH_LIMIT,
    ConnectionSession,
    TASK_OPERATIONS,
    error_from_rpc,
    error_to_rpc,
)
from ansible_collections.dyn.managed_dns.plugins.module_utils._protocol import ApiCall
from ansible_collections.dyn.managed_dns.plugins.module_utils._rpc_seal import SEALED_TOKEN, SealingKeys, seal

_MESSAGES = [{"INFO": "login: Bad or expired credentials", "SOURCE": "BLL", "ERR_CD": "INVALID_DATA", "LVL": "ERROR"}]


@pytest.mark.parametrize(
    "cls",
    [
        errors.DynectError,
        errors.DynectAuthError,
        errors.DynectConfigError,
        errors.DynectCreateError,
        errors.DynectDeleteError,
        errors.DynectGetError,
        errors.DynectLoginError,
        errors.DynectQueryTimeout,
        errors.DynectUpdateError,
    ],
)
def test_errors_come_back_as_their_own_class_with_the_same_text(cls):
    original = cls("it went wrong", messages=_MESSAGES, method="GET", uri="/REST/Zone/", http_status=400)
    returned = error_from_rpc(json.loads(json.dumps(error_to_rpc(original))))

    assert returned.__class__ is cls  # exactly that class, not a relative
    assert str(returned) == str(original)
    assert (returned.method, returned.uri, returned.http_status, returned.messages) == ("GET", "/REST/Zone/", 400, _MESSAGES)


_NO_SUCH_ZONE = [{"INFO": "zone: No such zone", "SOURCE": "API-B", "ERR_CD": "NOT_FOUND", "LVL": "ERROR"}]


@pytest.mark.parametrize(
    ("original", "where"),
    [
        (errors.DynectZoneNotFoundError(zone="exmaple.com", messages=_NO_SUCH_ZONE, method="GET", uri="/REST/Zone/exmaple.com/", http_status=404),
         {"zone": "exmaple.com"}),
        (errors.DynectNodeNotFoundError(zone="example.com", node="old.example.com", messages=_NO_SUCH_ZONE, method="DELETE",
                                        uri="/REST/ARecord/example.com/old.example.com/", http_status=404),
         {"zone": "example.com", "node": "old.example.com"}),
    ],
)
def test_a_not_found_error_keeps_its_class_and_where_nothing_was_found(original, where):
    returned = error_from_rpc(json.loads(json.dumps(error_to_rpc(original))))

    assert returned.__class__ is original.__class__
    assert str(returned) == str(original)
    assert {name: getattr(returned, name) for name in where} == where
    assert (returned.method, returned.uri, returned.http_status, returned.messages) == (
        original.method, original.uri, 404, _NO_SUCH_ZONE,
    )


@pytest.mark.parametrize("outcome_unknown", [True, False])
def test_an_unknown_outcome_survives_the_socket(outcome_unknown):
    original = errors.DynectUpdateError(
        "no answer within 1 s", method="PUT", uri="/REST/Password/", outcome_unknown=outcome_unknown
    )
    returned = error_from_rpc(json.loads(json.dumps(error_to_rpc(original))))
    assert returned.__class__ is errors.DynectUpdateError
    assert returned.outcome_unknown is outcome_unknown


def test_an_error_with_its_own_signature_keeps_an_unknown_outcome():
    original = errors.DynectInvalidArgumentError("method", "PATCH", ["GET"])
    original.outcome_unknown = True
    assert error_from_rpc(json.loads(json.dumps(error_to_rpc(original)))).outcome_unknown is True


def test_an_error_with_its_own_signature_comes_back_as_its_text():
    original = errors.DynectInvalidArgumentError("method", "PATCH", ["GET"])
    returned = error_from_rpc(error_to_rpc(original))
    assert returned.__class__ is errors.DynectError
    assert str(original) in str(returned)


def test_a_failed_call_to_the_helper_never_repeats_its_arguments(monkeypatch):
    def undecodable(*args):
        raise RpcConnectionError(f"Unable to decode JSON from response to dyn_call({args!r}). Received 'x'.")

    session = ConnectionSession("/nonexistent/socket")
    monkeypatch.setattr(session._connection, "_exec_jsonrpc", lambda name, *args, **kwargs: undecodable(*args))
    with pytest.raises(errors.DynectConfigError) as caught:
        session.check_permissions(["ZoneGet"], "sealed-argument-value")
    assert "sealed-argument-value" not in str(caught.value)
    assert "could not run check_permissions: its reply could not be decoded" in str(caught.value)


def test_a_task_session_asks_the_helper_only_for_declared_operations_and_uses_them_all(monkeypatch):
    # Issue #15: one allow-listed dispatch on the helper (dyn_call), tied to what tasks call.
    asked = []
    helper_key = SealingKeys().public

    def helper(name, *args, **kwargs):
        assert name == "dyn_call", f"ConnectionSession called {name} on the socket"
        asked.append(args[0])
        result = {"customer": "c", "username": "u", "server_version": None} if args[0] == "session_info" else helper_key
        result = {"replies": [{}], "error": None} if args[0] == "execute_many" else result
        return {"result": {"result": result, "history": []}}  # core's JSON-RPC envelope around dyn_call's reply

    session = ConnectionSession("/nonexistent/socket")
    monkeypatch.setattr(session._connection, "_exec_jsonrpc", helper)
    monkeypatch.setattr("ansible_collections.dyn.managed_dns.plugins.module_utils._connection_rpc.seal", lambda *args: "sealed")
    monkeypatch.setattr("ansible_collections.dyn.managed_dns.plugins.module_utils._connection_rpc.unseal", lambda *args: "opened")
    for member in ("customer", "username", "server_version"):
        getattr(session, member)
    session.read_token()
    session.is_alive()
    session.keep_alive()
    session.log_out()
    session.execute("/Zone/", "GET")
    session.execute_many([ApiCall("/Zone/", "GET")])
    session.pending_in_session("example.com")
    session.predict_pending("example.com", True)
    session.permission_report()
    session.check_permissions(["ZoneGet"])
    session.update_password("new")
    session.password_works("old")
    session.play_history()
    assert set(asked) == TASK_OPERATIONS


def test_the_warnings_a_helper_sends_with_a_reply_are_shown_by_the_task(monkeypatch):
    # Issue #22 (4): a login over an unprotected transport is told to the task that caused it.
    warned: list[str] = []
    replies = iter(
        [
            {"result": {"result": True, "history": [], "warnings": ["dyn_ssl is off for api.example.net, ..."]}},
            {"result": {"result": True, "history": [], "warnings": []}},
        ]
    )
    session = ConnectionSession("/nonexistent/socket", warn=warned.append)
    monkeypatch.setattr(session._connection, "_exec_jsonrpc", lambda *args, **kwargs: next(replies))
    session.keep_alive()
    session.keep_alive()
    assert warned == ["dyn_ssl is off for api.example.net, ..."]


def test_the_token_is_read_by_a_method_that_asks_the_helper_only_when_called(monkeypatch):
    # Issue #23 (7): two socket round trips and a key agreement are not hidden behind attribute syntax.
    asked = []
    helper_keys = SealingKeys()

    def helper(name, *args, **kwargs):
        asked.append(args[0])
        if args[0] == "seal_key":
            return {"result": {"result": helper_keys.public, "history": []}}
        task_public_key = args[1]
        return {"result": {"result": seal(helper_keys.box_with(task_public_key), "the-token", SEALED_TOKEN), "history": []}}

    session = ConnectionSession("/nonexistent/socket")
    monkeypatch.setattr(session._connection, "_exec_jsonrpc", helper)
    assert not hasattr(ConnectionSession, "token")
    assert asked == []
    assert session.read_token() == "the-token"
    assert asked == ["sealed_token", "seal_key"]


def test_the_direct_routes_session_reads_its_token_the_same_way(connect):
    session = connect()
    assert session.token is not None
    assert session.read_token() == session.token


class _BatchHelper:
    """The helper's side of execute_many, scripted: each batch it is sent, and the call (by its place in all calls) that fails."""

    def __init__(self, fail_at: int | None = None) -> None:
        self.batches: list[list[list[object]]] = []
        self._fail_at = fail_at

    def __call__(self, name, operation, calls, **kwargs):
        assert (name, operation) == ("dyn_call", "execute_many")
        self.batches.append(calls)
        start = sum(len(batch) for batch in self.batches[:-1])
        failing = None if self._fail_at is None else self._fail_at - start
        if failing is not None and 0 <= failing < len(calls):
            error = errors.DynectUpdateError("refused", method="PUT", uri=f"/REST{calls[failing][0]}", http_status=400)
            outcome = {"replies": [{"data": call[0]} for call in calls[:failing]], "error": error_to_rpc(error)}
        else:
            outcome = {"replies": [{"data": call[0]} for call in calls], "error": None}
        return {"result": {"result": json.loads(json.dumps(outcome)), "history": []}}


def _calls(count: int) -> list[ApiCall]:
    return [ApiCall(f"/ARecord/example.com/n{index}.example.com/", "PUT", {"rdata": {"address": "192.0.2.1"}}) for index in range(count)]


def _batched(monkeypatch, helper: _BatchHelper, calls: list[ApiCall]) -> BatchedCalls:
    session = ConnectionSession("/nonexistent/socket")
    monkeypatch.setattr(session._connection, "_exec_jsonrpc", helper)
    return BatchedCalls(session, calls)


def test_a_batch_goes_to_the_helper_at_its_first_call_and_each_call_gets_its_own_reply(monkeypatch):
    # Issue #24: one socket round trip for a plan's writes, not one per write.
    helper = _BatchHelper()
    calls = _calls(3)
    batched = _batched(monkeypatch, helper, calls)
    assert helper.batches == []
    assert [batched.execute(*call)["data"] for call in calls] == [call.uri for call in calls]
    assert helper.batches == [[list(call) for call in calls]]


def test_a_batch_larger_than_the_limit_goes_in_as_few_socket_calls_as_the_limit_allows(monkeypatch):
    helper = _BatchHelper()
    calls = _calls(BATCH_LIMIT + 1)
    batched = _batched(monkeypatch, helper, calls)
    for call in calls:
        batched.execute(*call)
    assert [len(batch) for batch in helper.batches] == [BATCH_LIMIT, 1]


def test_the_failing_call_raises_its_own_error_after_the_calls_before_it_got_their_replies(monkeypatch):
    helper = _BatchHelper(fail_at=1)
    calls = _calls(3)
    batched = _batched(monkeypatch, helper, calls)
    assert batched.execute(*calls[0])["data"] == calls[0].uri
    with pytest.raises(errors.DynectUpdateError, match="refused") as caught:
        batched.execute(*calls[1])
    assert caught.value.uri == f"/REST{calls[1].uri}"
    with pytest.raises(errors.DynectConfigError, match="was not sent: an earlier call of its batch failed"):
        batched.execute(*calls[2])


def test_a_batch_that_fails_stops_before_its_next_socket_call(monkeypatch):
    helper = _BatchHelper(fail_at=2)
    calls = _calls(BATCH_LIMIT + 1)
    batched = _batched(monkeypatch, helper, calls)
    batched.execute(*calls[0])
    assert len(helper.batches) == 1


def test_a_call_the_batch_does_not_hold_next_is_refused_before_anything_is_sent(monkeypatch):
    helper = _BatchHelper()
    calls = _calls(2)
    batched = _batched(monkeypatch, helper, calls)
    with pytest.raises(errors.DynectConfigError, match="is not the next call of the batch"):
        batched.execute(*calls[1])
    assert helper.batches == []
