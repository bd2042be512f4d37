# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared values and helpers of the session layer's tests."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

OPS = ("acme", "ops", "Ops-Passw0rd")
READER = ("acme", "reader", "Read-Only-1")
GLOBEX_ADMIN = ("globex", "admin", "Globex-Admin-9")
DEPLOY = ("initech", "deploy", "Deploy-Key-42")

# The real defaults wait seconds; the emulator's faults are just as well served by short waits.
FAST_WAITS = {
    "poll_interval": 0.05,
    "task_backoff": (0.01, 0.01, 0.01, 0.01),
    "rate_limit_wait": 0.05,
    "transport_retry_wait": 0.01,
}


def requests_made(server: Any, key: str) -> int:
    """How many ``key`` requests ("METHOD /REST/Resource") the emulator has counted."""
    return server.stats()["requests"].get(key, 0)


def server_secrets(server: Any) -> list[str]:
    """Every password and token the emulator ever accepted or issued."""
    secrets = server.secrets()
    return secrets["passwords"] + secrets["tokens"]


def leaked(text: str, secrets: Iterable[str]) -> list[str]:
    """The secrets that appear in ``text``."""
    return [secret for secret in secrets if secret and secret in text]
