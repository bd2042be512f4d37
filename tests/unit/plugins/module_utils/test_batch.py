# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Calls known beforehand, made as one batch: in order, stopping at the first failure, on the direct route too.

Through the dynect connection, the batch is one socket call (tests/unit/plugins/module_utils/test_connection_rpc.py).
"""

from __future__ import annotations

from typing import Any

import pytest

from ansible_collections.dyn.managed_dns.plugins.module_utils import errors
from ansible_collections.dyn.managed_dns.plugins.module_utils._batch import BatchedCalls, CallRecorder, execute_in_order
from ansible_collections.dyn.managed_dns.plugins.module_utils._protocol import ApiCall, BatchOutcome


class _Session:
    """Answers each call with its uri; the call at ``fail_at`` raises."""

    def __init__(self, fail_at: int | None = None) -> None:
        self.made: list[tuple[str, str, Any]] = []
        self._fail_at = fail_at

    def execute(self, uri: str, method: str, args: dict[str, Any] | None = None) -> dict[str, Any]:
        if len(self.made) == self._fail_at:
            raise errors.DynectUpdateError("refused", method=method, uri=f"/REST{uri}", http_status=400)
        self.made.append((uri, method, args))
        return {"data": uri}


def _record(name: str) -> ApiCall:
    return ApiCall(f"/ARecord/example.com/{name}.example.com/", "POST", {"rdata": {"address": "192.0.2.1"}})


def test_calls_are_made_in_order_and_stop_at_the_first_failure_with_its_error_returned():
    session = _Session(fail_at=1)
    calls = [_record("a"), _record("b"), _record("c")]

    outcome = execute_in_order(session.execute, calls)

    assert outcome.replies == [{"data": calls[0].uri}]
    assert isinstance(outcome.error, errors.DynectUpdateError) and outcome.error.uri == f"/REST{calls[1].uri}"
    assert [made[0] for made in session.made] == [calls[0].uri]  # the call after the failure was not made


def test_plain_tuples_are_calls_too_and_a_call_of_another_shape_is_refused_before_any_is_made():
    session = _Session()
    assert execute_in_order(session.execute, [("/Zone/", "GET"), ("/Zone/example.com/", "PUT", {"publish": True})]).error is None
    assert session.made == [("/Zone/", "GET", None), ("/Zone/example.com/", "PUT", {"publish": True})]

    for refused in [("/Zone/",)], ["GET"], [("/Zone/", "GET", None, "extra")]:  # "GET" would unpack as ("G", "E", "T")
        with pytest.raises(errors.DynectConfigError, match=r"takes calls of \(uri, method\) or \(uri, method, args\)"):
            execute_in_order(session.execute, [("/Zone/", "GET"), *refused])
    assert len(session.made) == 2


def test_the_recorder_keeps_the_calls_it_is_asked_for_and_sends_nothing():
    recorder = CallRecorder()
    assert recorder.execute("/Zone/example.com/", "PUT", {"publish": True}) == {"data": {}}
    assert recorder.calls == [ApiCall("/Zone/example.com/", "PUT", {"publish": True})]


def test_on_the_direct_route_the_session_makes_the_batch_and_each_call_gets_its_own_reply(connect, emulator):
    session = connect()
    calls = [_record("batch-a"), _record("batch-b")]
    batched = BatchedCalls(session, calls)

    replies = [batched.execute(*call) for call in calls]

    assert [reply["data"]["fqdn"] for reply in replies] == ["batch-a.example.com", "batch-b.example.com"]
    assert emulator.stats()["requests"]["POST /REST/ARecord"] == 2


def test_on_the_direct_route_a_failing_call_ends_the_batch_with_its_typed_error(connect, emulator):
    session = connect()
    missing_zone = ApiCall("/ARecord/no-such-zone.example/x.no-such-zone.example/", "POST", {"rdata": {"address": "192.0.2.1"}})
    calls = [_record("batch-c"), missing_zone, _record("batch-d")]

    outcome = session.execute_many(calls)

    assert isinstance(outcome, BatchOutcome) and len(outcome.replies) == 1
    assert isinstance(outcome.error, errors.DynectError) and "no-such-zone.example" in str(outcome.error)
    assert emulator.stats()["requests"]["POST /REST/ARecord"] == 2  # not the third
