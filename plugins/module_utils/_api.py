# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The DynECT request pipeline (private): one API call, seen through to its final answer.

A call may take several HTTP exchanges: a 307 or ``incomplete`` job to poll, a job already running
on the session (C7) to wait for, a zone task blocking the call (C8), rate limiting (429), a dropped
session (C4-C6) to log in again for, or a lost connection. Each exchange is one history record, and
every loop here is bounded (by time or by count).
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any
from urllib.parse import unquote, urlsplit

from ansible_collections.dyn.managed_dns.plugins.module_utils._envelope import (
    PENDING_STATUSES,
    Envelope,
    MalformedReply,
    decode_envelope,
)
from ansible_collections.dyn.managed_dns.plugins.module_utils._history import HistoryRecord, mask_secrets
from ansible_collections.dyn.managed_dns.plugins.module_utils._transport import HttpReply, Transport, TransportError
from ansible_collections.dyn.managed_dns.plugins.module_utils.errors import (
    DynectAuthError,
    DynectConfigError,
    DynectError,
    DynectLoginError,
    DynectQueryTimeout,
    error_class_for_method,
)

SESSION_PATH = "/REST/Session/"
USER_AGENT = "ansible-collection-dyn.managed_dns"

# The API documents rate-limit lock-outs of up to a minute; a longer Retry-After is not trusted.
_MAX_RETRY_AFTER = 60.0

_LOG = logging.getLogger("ansible_collections.dyn.managed_dns.session")


# What a resource path may not hold, each with what to write instead. Every one of them lets the
# path a server acts on differ from the path checked here: the HTTP client resolves "." and ".."
# segments before sending ("Zone/../Session/" goes out as "Session/") and turns "%2e" back into
# ".", a server ends the path at "?" (a query) and never receives "#" (a fragment), decodes "%2f"
# into "/", and some servers take "\\" for "/".
_PATH_PROBLEMS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"[\x00-\x1f\x7f-\x9f]"), "holds the control character {found}; remove it"),
    (
        re.compile(r"\?"),
        "holds '?', which starts a query string; the API reads a request's arguments from its body only, "
        "so give them as the body instead",
    ),
    (re.compile(r"#"), "holds '#', which starts a fragment the server never receives; remove it and what follows"),
    (
        re.compile(r"%(?:2e|2f|5c)", re.IGNORECASE),
        "holds {found}, an encoded '.', '/' or '\\' that a server may decode into another path; write '.' and '/' "
        "as themselves",
    ),
    (re.compile(r"\\"), "holds '\\', which some servers read as '/'; remove it"),
    (
        re.compile(r"(?:^|/)(\.{1,2})(?=/|$)"),
        "has a {found} segment, which the HTTP client resolves before sending (Zone/../Session/ is sent as "
        "Session/); write the resource's own path, for example Zone/example.com/",
    ),
)


def path_problem(path: str) -> str | None:
    """Why the API resource path ``path`` cannot be sent as it is, in a phrase; None when it can."""
    for pattern, problem in _PATH_PROBLEMS:
        match = pattern.search(path)
        if match:
            return problem.format(found=repr(match.group(match.lastindex or 0)))
    return None


def checked_path(path: str) -> str:
    """``path``, unless the server could act on another path than it reads; then DynectConfigError, nothing sent."""
    problem = path_problem(path)
    if problem is not None:
        # repr(): a control character in the path must not reach the message as itself.
        raise DynectConfigError(f"The API path {path!r} {problem}")
    return path


def _server_segments(path: str) -> list[str]:
    """The segments of ``path`` as the most lenient server would route it, in lower case.

    Up to a query or fragment, percent-decoded (twice-encoded too), split at "/" and "\\", each
    segment's ";parameters" dropped, and "." and ".." resolved.
    """
    path = re.split(r"[?#]", path, maxsplit=1)[0]
    for _round in range(3):
        path = unquote(path)
    segments: list[str] = []
    for segment in re.split(r"[/\\]", path):
        segment = segment.split(";", 1)[0].strip().casefold()
        if segment == "..":
            segments = segments[:-1]
        elif segment not in ("", "."):
            segments.append(segment)
    return segments


def is_session_path(path: str) -> bool:
    """Whether ``path`` (from the root: ``/REST/...``) reaches the Session resource, in any spelling.

    Any case, trailing or doubled slashes, percent-encoded letters, dot segments, a query, a
    fragment or ``;parameters``: however a server could read it, a path that may end at Session is
    one, so that no login or logout is made as an ordinary call.
    """
    return _server_segments(path)[:2] == ["rest", "session"]


def _is_login(method: str, path: str) -> bool:
    return method == "POST" and is_session_path(path)


def _error_class(method: str, path: str) -> type[DynectError]:
    return DynectLoginError if _is_login(method, path) else error_class_for_method(method)


def changes_state(method: str, path: str) -> bool:
    """Whether a request may change something on the server: all but reads and the session keep-alive.

    Such a request is never sent twice unless the API refused it outright, and when no verdict on
    it comes back its error says the outcome is unknown (``outcome_unknown``).
    """
    return not (method == "GET" or (method == "PUT" and is_session_path(path)))


@dataclass(frozen=True)
class RetryPolicy:
    """How long and how often the pipeline waits for the server. See ``DynectSession``'s options."""

    job_timeout: float = 300.0
    poll_interval: float = 1.0
    task_backoff: tuple[float, ...] = (1.0, 3.0, 7.0, 15.0)
    rate_limit_retries: int = 3
    rate_limit_wait: float = 5.0
    transport_retries: int = 2
    transport_retry_wait: float = 1.0


@dataclass(frozen=True)
class _Reply:
    """One HTTP exchange, read: what the pipeline decides its next step from."""

    http_status: int
    envelope: Envelope | None  # None only for a job redirect and for a 429 without JSON
    job_path: str | None  # the job to poll, when the request is still pending
    retry_after: float | None

    @property
    def rate_limited(self) -> bool:
        return self.http_status == 429 or (self.envelope is not None and self.envelope.rate_limited)


class ApiClient:
    """Runs API calls over a :class:`Transport`, keeping the call history when asked to.

    :param token: returns the token to send, read anew for every exchange because a re-login in
        the middle of a call replaces it.
    """

    def __init__(
        self,
        transport: Transport,
        *,
        api_version: str,
        policy: RetryPolicy,
        keep_history: bool,
        token: Callable[[], str | None],
    ) -> None:
        self._transport = transport
        self.history: list[HistoryRecord] | None = [] if keep_history else None
        self._api_version = api_version
        self._policy = policy
        self._token = token
        # Seconds the API's 429s made this client wait, in all (the pacer's waits are the transport's).
        self._throttled_seconds = 0.0

    @property
    def rate_limit_waited(self) -> float:
        """Seconds the account's rate limit has held this client's calls back so far: 429s waited out and pacing."""
        return self._throttled_seconds + self._transport.paced_seconds

    def call(
        self,
        method: str,
        path: str,
        args: Mapping[str, Any] | None,
        *,
        relogin: Callable[[bool], None] | None = None,
    ) -> dict[str, Any]:
        """Send one API call and return its final envelope, or raise a :class:`DynectError`.

        :param relogin: logs in again; called at most once, when the server refuses the request
            itself as session-invalid (so it did not run), then the call is replayed once. Its
            argument tells whether the refused session is still open (C6), to log it out. (A
            change's job poll that finds the session gone raises ``outcome_unknown`` instead.)
        """
        deadline = time.monotonic() + self._policy.job_timeout
        task_waits = iter(self._policy.task_backoff)
        rate_limit_retries = 0
        while True:
            reply = self._complete(method, path, args, deadline)
            if reply.rate_limited:
                if rate_limit_retries == self._policy.rate_limit_retries:
                    raise self._failure(method, path, reply, f"still rate limited after {rate_limit_retries} retries")
                rate_limit_retries += 1
                time.sleep(self._throttled_wait(reply))
                continue
            envelope = reply.envelope
            if envelope is None:
                # Only a job redirect and a 429 without JSON carry no envelope, and both are handled
                # above; should that ever change, the call fails as an unexpected reply.
                raise self._failure(method, path, reply)
            if envelope.status == "success":
                return envelope.body
            if envelope.task_blocked:
                wait = next(task_waits, None)
                if wait is None:
                    task = envelope.blocking_task_id or "(no id given)"
                    retries = len(self._policy.task_backoff)
                    raise self._failure(method, path, reply, f"still blocked by task {task} after {retries} retries")
                time.sleep(wait)
                continue
            if envelope.session_invalid and relogin is not None:
                relogin(envelope.session_still_open)
                relogin = None  # one re-login per call: never a loop
                continue
            raise self._failure(method, path, reply)

    def close(self) -> None:
        """Close the kept-alive connections (a later call opens new ones)."""
        self._transport.close()

    def _complete(self, method: str, path: str, args: Mapping[str, Any] | None, deadline: float) -> _Reply:
        """The reply to a request once the job it turned into, if any, has finished."""
        reply = self._exchange(method, path, args)
        while reply.job_path is not None:
            refused_for_running_job = reply.envelope is not None and reply.envelope.status == "running"
            # Only our own job's fate is the fate of our request (C7's job is an earlier request's).
            ours = not refused_for_running_job and changes_state(method, path)
            reply = self._follow_job(method, path, reply.job_path, deadline, unsure_if_lost=ours)
            if refused_for_running_job:
                # C7: the job waited for was an earlier request's; ours was refused, so send it again.
                reply = self._exchange(method, path, args)
        return reply

    def _follow_job(self, method: str, path: str, job_path: str, deadline: float, *, unsure_if_lost: bool) -> _Reply:
        """The job's final reply.

        :param unsure_if_lost: the job is a state-changing request's own, so a poll that brings no
            verdict leaves its outcome unknown: raised as the request's error, never replayed.
        """
        wait = self._policy.poll_interval
        while True:
            if time.monotonic() + wait > deadline:
                raise DynectQueryTimeout(
                    f"its job {job_path} did not finish within {self._policy.job_timeout:g} s",
                    method=method,
                    uri=path,
                    outcome_unknown=unsure_if_lost,
                )
            time.sleep(wait)
            reply = self._poll(method, path, job_path, unsure_if_lost)
            if reply.rate_limited:
                # A throttled poll is polled again once allowed: the request itself already ran.
                wait = self._throttled_wait(reply)
            elif reply.job_path is None:
                return reply
            else:
                job_path, wait = reply.job_path, self._policy.poll_interval

    def _poll(self, method: str, path: str, job_path: str, unsure_if_lost: bool) -> _Reply:
        """One poll of the job of ``method path``; with ``unsure_if_lost``, a poll without verdict raises."""
        try:
            reply = self._exchange("GET", job_path, None)
        except DynectError as exc:
            if not unsure_if_lost:
                raise
            raise _error_class(method, path)(
                f"polling its job failed, so whether it was carried out is unknown ({exc})",
                method=method,
                uri=path,
                outcome_unknown=True,
            ) from None
        if unsure_if_lost and reply.envelope is not None and reply.envelope.session_invalid:
            # The session ended, not the request: replaying it after a new login could apply it twice.
            raise _error_class(method, path)(
                f"the session ended while its job {job_path} was polled, so whether it was carried out is unknown",
                messages=reply.envelope.messages,
                method=method,
                uri=path,
                outcome_unknown=True,
            )
        return reply

    def _exchange(self, method: str, path: str, args: Mapping[str, Any] | None) -> _Reply:
        """One HTTP request (re-sent on a lost connection only when that is harmless)."""
        body = None if args is None else json.dumps(args).encode()
        unsure_if_lost = changes_state(method, path)
        retries_left = 0 if unsure_if_lost else self._policy.transport_retries
        while True:
            try:
                http_reply = self._transport.send(method, path, body=body, headers=self._headers())
            except TransportError as exc:
                self._record(method, path, args, "transport error")
                if not retries_left or not exc.retryable:
                    reason = f"Unable to access the API host: {exc}" if _is_login(method, path) else str(exc)
                    raise _error_class(method, path)(
                        reason, method=method, uri=path, outcome_unknown=unsure_if_lost
                    ) from None
                retries_left -= 1
                time.sleep(self._policy.transport_retry_wait)
            else:
                return self._read(method, path, args, http_reply)

    def _read(self, method: str, path: str, args: Mapping[str, Any] | None, http_reply: HttpReply) -> _Reply:
        retry_after = _retry_after_seconds(http_reply.headers.get("Retry-After"))
        if http_reply.status == 307 and (job_path := _redirect_target(http_reply)) is not None:
            self._record(method, path, args, "HTTP 307")
            return _Reply(http_reply.status, None, job_path, retry_after)
        try:
            envelope = decode_envelope(http_reply.body)
        except MalformedReply as exc:
            self._record(method, path, args, f"HTTP {http_reply.status}")
            if http_reply.status == 429:
                return _Reply(http_reply.status, None, None, retry_after)
            # Not the API's answer (an error page): no verdict on the request.
            raise _error_class(method, path)(
                str(exc),
                method=method,
                uri=path,
                http_status=http_reply.status,
                outcome_unknown=changes_state(method, path),
            ) from None
        self._record(method, path, args, envelope.status)
        job_path = None
        if envelope.status in PENDING_STATUSES and envelope.job_id is not None:
            job_path = f"/REST/Job/{envelope.job_id}/"
        return _Reply(http_reply.status, envelope, job_path, retry_after)

    def _throttled_wait(self, reply: _Reply) -> float:
        """How long to wait after the 429 ``reply`` (counted as waited: the caller sleeps it at once)."""
        wait = self._policy.rate_limit_wait if reply.retry_after is None else reply.retry_after
        self._throttled_seconds += wait
        return wait

    def _failure(self, method: str, path: str, reply: _Reply, reason: str | None = None) -> DynectError:
        envelope = reply.envelope
        error_class = _error_class(method, path)
        if envelope is not None and envelope.session_invalid and error_class is not DynectLoginError:
            error_class = DynectAuthError
        if envelope is None and reason is None:
            reason = f"unexpected HTTP {reply.http_status} reply"
        messages = () if envelope is None else envelope.messages
        return error_class(reason, messages=messages, method=method, uri=path, http_status=reply.http_status)

    def _headers(self) -> dict[str, str]:
        headers = {
            "Content-Type": "application/json",
            "Accept": "application/json",
            "API-Version": self._api_version,
            "User-Agent": USER_AGENT,
        }
        token = self._token()
        if token is not None:
            headers["Auth-Token"] = token
        return headers

    def _record(self, method: str, path: str, args: Mapping[str, Any] | None, status: str) -> None:
        masked_args = mask_secrets(args or {})
        _LOG.debug("%s %s %s -> %s", method, path, masked_args, status)
        if self.history is not None:
            timestamp = datetime.now(timezone.utc).isoformat()
            self.history.append(HistoryRecord(timestamp, path, method, masked_args, status))


def _redirect_target(http_reply: HttpReply) -> str | None:
    """The job path a 307 points to (from Location, or from the body as some servers put it)."""
    location = http_reply.headers.get("Location") or http_reply.body.decode("utf-8", "replace").strip()
    # Only the path is used: an absolute Location is still polled on our own API endpoint, so the
    # token is never sent to another host.
    path = urlsplit(location).path
    return path if path.startswith("/REST/") else None


def _retry_after_seconds(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        return None  # the HTTP-date form: fall back to the configured wait
    return min(max(seconds, 0.0), _MAX_RETRY_AFTER)
