# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Faults armed through the control API: the next N matching /REST requests misbehave on purpose."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from .routes import normalize_key

# What each fault does is implemented in api.py; README.md describes them.
FAULT_NAMES = (
    "expire_token",
    "inactivity_logout",
    "ip_mismatch",
    "job_redirect",
    "job_incomplete",
    "job_running",
    "task_blocked",
    "rate_limit",
    "server_error",
    "drop_connection",
    "slow",
)
_SPEC_KEYS = {"fault", "count", "match", "seconds", "after"}


@dataclass
class Fault:
    name: str
    remaining: int
    match: str | None  # "METHOD /REST/Resource", or None for any /REST request
    seconds: float = 0.0  # how long a "slow" request works
    after: int = 0  # matching requests still to let through before the fault starts

    def matches(self, request_key: str) -> bool:
        return self.match is None or self.match == request_key

    def describe(self) -> dict[str, Any]:
        described = {"fault": self.name, "count": self.remaining, "match": self.match, "after": self.after}
        if self.name == "slow":
            described["seconds"] = self.seconds
        return described


class FaultQueue:
    """Armed faults in arming order; a request takes the first one that matches it (FIFO)."""

    def __init__(self) -> None:
        self._armed: list[Fault] = []

    def arm(self, spec: Any) -> Fault:
        """Arm a fault from a control-API body; ValueError with a readable reason if the body is wrong."""
        fault = _parse_spec(spec)
        self._armed.append(fault)
        return fault

    def take(self, request_key: str) -> Fault | None:
        for fault in self._armed:
            if fault.matches(request_key) and fault.after:
                fault.after -= 1  # let this one through: the fault is for a later step
                return None
            if fault.matches(request_key):
                fault.remaining -= 1
                if fault.remaining == 0:
                    self._armed.remove(fault)
                return fault
        return None

    def pending(self) -> list[dict[str, Any]]:
        return [fault.describe() for fault in self._armed]

    def clear(self) -> None:
        self._armed.clear()


def _parse_spec(spec: Any) -> Fault:
    if not isinstance(spec, dict):
        raise ValueError("the body must be a JSON object")
    unknown = set(spec) - _SPEC_KEYS
    if unknown:
        raise ValueError(f"unknown key(s): {', '.join(sorted(unknown))}")
    name = spec.get("fault")
    if name not in FAULT_NAMES:
        raise ValueError(f"fault must be one of {', '.join(FAULT_NAMES)}")
    count = spec.get("count", 1)
    if not isinstance(count, int) or isinstance(count, bool) or count < 1:
        raise ValueError("count must be a positive integer")
    match = spec.get("match")
    if match is not None:
        if not isinstance(match, str):
            raise ValueError("match must be a string like 'GET /REST/Zone'")
        match = normalize_key(match)
    seconds = spec.get("seconds")
    if (name == "slow") != (seconds is not None):
        raise ValueError("seconds is required by the slow fault and only allowed there")
    if seconds is not None and (
        not isinstance(seconds, (int, float)) or isinstance(seconds, bool) or not math.isfinite(seconds) or seconds <= 0
    ):
        raise ValueError("seconds must be a positive number")
    after = spec.get("after", 0)
    if not isinstance(after, int) or isinstance(after, bool) or after < 0:
        raise ValueError("after must be a whole number of matching requests to let through first")
    return Fault(name, count, match, float(seconds or 0.0), after)
