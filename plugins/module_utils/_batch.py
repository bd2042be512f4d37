# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""API calls known before the first is made, made as one batch and answered one by one (private).

A task that plans its writes (``dyn_record_sets``) records them with :class:`CallRecorder`, then
makes them through :class:`BatchedCalls`: the session's ``execute_many`` runs them all at the first
of them (through the dynect connection, one socket call instead of one per write), and each write
gets its own reply, or the error of the one that failed, as if made alone.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

from ansible_collections.dyn.managed_dns.plugins.module_utils import errors
from ansible_collections.dyn.managed_dns.plugins.module_utils._protocol import ApiCall, BatchOutcome

__all__ = ["BatchedCalls", "BatchSession", "CallRecorder", "execute_in_order"]


class BatchSession(Protocol):
    """A session that makes calls known beforehand in order (what :class:`BatchedCalls` needs)."""

    def execute_many(self, calls: Sequence[ApiCall]) -> BatchOutcome: ...


def execute_in_order(execute: Callable[[str, str, Mapping[str, Any] | None], dict[str, Any]], calls: Sequence[Any]) -> BatchOutcome:
    """``calls`` made one by one with ``execute`` (a session's), stopping at the first that fails: the replies before it and its error."""
    replies: list[dict[str, Any]] = []
    for uri, method, args in _as_calls(calls):
        try:
            replies.append(execute(uri, method, args))
        except errors.DynectError as exc:
            return BatchOutcome(replies, exc)
    return BatchOutcome(replies, None)


def _as_calls(calls: Sequence[Any]) -> list[ApiCall]:
    """Every call as an :class:`ApiCall`, its shape checked before the first is made (execute checks the rest)."""
    if all(isinstance(call, (list, tuple)) and len(call) in (2, 3) for call in calls):
        return [ApiCall(*call) for call in calls]
    raise errors.DynectConfigError("execute_many takes calls of (uri, method) or (uri, method, args)")


class CallRecorder:
    """A session that sends nothing: it keeps each call it is asked to make (answering no data), for one batch later."""

    def __init__(self) -> None:
        self.calls: list[ApiCall] = []

    def execute(self, uri: str, method: str, args: dict[str, Any] | None = None) -> dict[str, Any]:
        self.calls.append(ApiCall(uri, method, args))
        return {"data": {}}


class BatchedCalls:
    """A session for calls known beforehand (as :class:`CallRecorder` kept them), made as one batch at the first of them.

    The task then makes the same calls, in the same order, as it would one by one (through the DNS
    operations, which type and word their errors): each gets its own reply from the batch, or the
    error of the call that failed, so the task can say which call failed and what was done before it.
    """

    def __init__(self, session: BatchSession, calls: Sequence[ApiCall]) -> None:
        self._session = session
        self._calls = list(calls)
        self._outcome: BatchOutcome | None = None
        self._next = 0

    def execute(self, uri: str, method: str, args: dict[str, Any] | None = None) -> dict[str, Any]:
        index = self._take(ApiCall(uri, method, args))
        if self._outcome is None:
            self._outcome = self._session.execute_many(self._calls)
        if index < len(self._outcome.replies):
            return self._outcome.replies[index]
        if index == len(self._outcome.replies) and self._outcome.error is not None:
            raise self._outcome.error
        raise errors.DynectConfigError(f"{method} {uri} was not sent: an earlier call of its batch failed")

    def _take(self, call: ApiCall) -> int:
        """The place of ``call`` in the batch; a call the batch does not hold next is a bug of the caller, refused before anything is sent."""
        if self._next >= len(self._calls) or self._calls[self._next] != call:
            raise errors.DynectConfigError(f"{call.method} {call.uri} is not the next call of the batch")
        self._next += 1
        return self._next - 1
