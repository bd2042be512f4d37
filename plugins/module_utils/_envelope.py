# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Decoding and reading the DynECT JSON envelope (private).

Every JSON reply is ``{"status", "data", "job_id", "msgs"}``; what the client must do next is read
from ``status`` and the ``msgs`` (see spec (b.3) and the error catalogue (c)). A body that is not
such an envelope, JSON nested too deep included, is refused with :class:`MalformedReply`.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

PENDING_STATUSES = frozenset({"incomplete", "running"})

_TASK_BLOCKED = "Operation blocked by current task"
_IP_MISMATCH = "login: IP address does not match current session"
_TASK_ID = re.compile(r"^task_id:\s*(\d+)$")


#: The deepest nesting of arrays and objects decoded. The API's deepest answer (a record's rdata,
#: in a record, in the list of its type, in ``data``, in the envelope) is five levels deep; 100
#: leaves room for any answer it could add, and stays far below Python's recursion limit (1000
#: frames, shared with the caller's own), into which json's decoder runs on a body of ``[`` x 100000.
MAX_JSON_DEPTH = 100

# Every byte but quotes and brackets, which are all the nesting scan looks at.
_NOT_A_MARK = bytes(sorted(set(range(256)) - set(b'[]{}"')))
_NESTING_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


class MalformedReply(Exception):
    """The body is not a DynECT envelope."""


@dataclass(frozen=True)
class Envelope:
    """A decoded reply; ``body`` is the whole JSON object, as ``execute()`` returns it."""

    body: dict[str, Any]

    @property
    def status(self) -> str:
        return self.body["status"]

    @property
    def data(self) -> Any:
        return self.body.get("data")

    @property
    def job_id(self) -> int | None:
        job_id = self.body.get("job_id")
        return job_id if isinstance(job_id, int) else None

    @property
    def messages(self) -> list[dict[str, Any]]:
        return [message for message in self.body.get("msgs") or () if isinstance(message, dict)]

    @property
    def rate_limited(self) -> bool:
        return any(message.get("ERR_CD") == "RATE_LIMIT_EXCEEDED" for message in self.messages)

    @property
    def session_invalid(self) -> bool:
        """The token is bad, expired, idle-logged-out or bound to another IP (C4, C5, C6).

        On a login request the same ``login:`` messages mean the credentials were refused (C1).
        """
        return self.status == "failure" and is_login_problem(self.messages)

    @property
    def session_still_open(self) -> bool:
        """The session was refused only because of the client's address (C6): the server keeps it open."""
        return any(_info(message).startswith(_IP_MISMATCH) for message in self.messages)

    @property
    def task_blocked(self) -> bool:
        """A background task on the zone blocks the operation (C8)."""
        return any(_TASK_BLOCKED in _info(message) for message in self.messages)

    @property
    def blocking_task_id(self) -> str | None:
        for message in self.messages:
            if match := _TASK_ID.match(_info(message)):
                return match.group(1)
        return None


def is_login_problem(messages: Iterable[dict[str, Any]]) -> bool:
    """Whether the API's messages are about credentials or the session (``login: ...``)."""
    return any(_info(message).startswith("login:") for message in messages)


def is_blocked_user(messages: Iterable[dict[str, Any]]) -> bool:
    """Whether the API refused a login because the user is blocked (``login: This user is blocked. ...``).

    The right password and a blocked user: changing the credentials cannot help, an account
    administrator must unblock the user. No record shows the real API's text for this (the
    emulator's is its own choice, docs/dynect_api_notes.md): any other text falls back to the
    advice for refused credentials, which names a blocked user too.
    """
    return any(_info(message).startswith("login:") and "user is blocked" in _info(message).lower() for message in messages)


def _info(message: dict[str, Any]) -> str:
    info = message.get("INFO")
    return info if isinstance(info, str) else ""


def decode_envelope(body: bytes) -> Envelope:
    """Decode a reply body, or raise :class:`MalformedReply` saying what is wrong with it."""
    if not body.strip():
        raise MalformedReply("empty body")
    try:
        # The API speaks UTF-8, where a quote or bracket byte is always that character: the nesting
        # scan relies on it (json itself would also take UTF-16 and UTF-32).
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise MalformedReply("body is not JSON (not UTF-8)") from None
    if _nests_too_deep(body):
        raise MalformedReply(f"body nests JSON arrays or objects more than {MAX_JSON_DEPTH} levels deep")
    try:
        decoded = json.loads(text)
    except ValueError:  # JSONDecodeError, or a number too long to convert
        raise MalformedReply("body is not JSON") from None
    # Some clients recorded failures wrapped in a one-element array; accept that form too.
    if isinstance(decoded, list) and len(decoded) == 1:
        decoded = decoded[0]
    if not isinstance(decoded, dict) or not isinstance(decoded.get("status"), str):
        raise MalformedReply("JSON body is not a DynECT envelope (no status)")
    return Envelope(decoded)


def _nests_too_deep(body: bytes) -> bool:
    """Whether ``body`` nests arrays or objects deeper than :data:`MAX_JSON_DEPTH`, told before decoding it."""
    if body.count(b"[") + body.count(b"{") <= MAX_JSON_DEPTH:
        return False  # fewer openings than the limit (nearly every reply): nothing to count
    return _nesting_depth(body) > MAX_JSON_DEPTH


def _nesting_depth(body: bytes) -> int:
    """How deep the brackets outside JSON strings nest: at least as deep as json's decoder recurses.

    Up to the decoder's first error, this sees strings and brackets where the decoder sees them
    (beyond it the decoder stops), at the speed of bytes operations rather than of a Python loop
    per character: escaped backslashes, then escaped quotes are dropped, leaving only the quotes
    that open and close strings; then all but quotes and brackets. Two adjacent quotes enclose no
    bracket, inside a string or between two, so they go as well, without changing which side of a
    string any bracket is on; of what remains, every other piece between quotes is outside strings.
    """
    unescaped = body.replace(b"\\\\", b"").replace(b'\\"', b"") if b"\\" in body else body
    marks = unescaped.translate(None, _NOT_A_MARK).replace(b'""', b"")
    outside = b"".join(marks.split(b'"')[::2]) if b'"' in marks else marks
    return max(itertools.accumulate(map(_NESTING_STEP.__getitem__, outside)), default=0)
