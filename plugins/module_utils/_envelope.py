# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Decoding and reading the DynECT JSON envelope (private).

Every JSON reply is ``{"status", "data", "job_id", "msgs"}``; what the client must do next is read
from ``status`` and the ``msgs`` (see spec (b.3) and the error catalogue (c)).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

PENDING_STATUSES = frozenset({"incomplete", "running"})

_TASK_BLOCKED = "Operation blocked by current task"
_IP_MISMATCH = "login: IP address does not match current session"
_TASK_ID = re.compile(r"^task_id:\s*(\d+)$")


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


def _info(message: dict[str, Any]) -> str:
    info = message.get("INFO")
    return info if isinstance(info, str) else ""


def decode_envelope(body: bytes) -> Envelope:
    """Decode a reply body, or raise :class:`MalformedReply` saying what is wrong with it."""
    if not body.strip():
        raise MalformedReply("empty body")
    try:
        decoded = json.loads(body)
    except ValueError:  # covers JSONDecodeError and UnicodeDecodeError
        raise MalformedReply("body is not JSON") from None
    # Some clients recorded failures wrapped in a one-element array; accept that form too.
    if isinstance(decoded, list) and len(decoded) == 1:
        decoded = decoded[0]
    if not isinstance(decoded, dict) or not isinstance(decoded.get("status"), str):
        raise MalformedReply("JSON body is not a DynECT envelope (no status)")
    return Envelope(decoded)
