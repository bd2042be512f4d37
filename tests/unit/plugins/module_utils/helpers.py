# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared values and helpers of the session layer's tests."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest

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


def dynect_connection(server: Any, customer: str, username: str, password: str | None, **options: Any) -> Any:
    """A ``dyn.managed_dns.dynect`` connection to ``server``, set up as ansible-connection sets it up."""
    from ansible.playbook.play_context import PlayContext
    from ansible.plugins.loader import connection_loader

    play_context = PlayContext()
    play_context.remote_addr = f"{customer}-{username}"
    connection = connection_loader.get("dyn.managed_dns.dynect", play_context, "/dev/null")
    connection.set_options(direct=connection_options(server, customer, username, password, **options))
    return connection


def connection_options(server: Any, customer: str, username: str, password: str | None, **options: Any) -> dict[str, Any]:
    """The dynect connection's options for an account on ``server``."""
    return {
        "dyn_customer": customer,
        "dyn_username": username,
        "dyn_password": password,
        "dyn_host": server.host,
        "dyn_port": server.port,
        "dyn_ssl": server.ssl,
        **options,
    }


# Zone names no zone has: refused before any request (zone "." was sent as /REST/Zone// and crashed).
BAD_ZONES = [
    pytest.param(".", "zone '.' names no zone: nothing is left once the blanks and the trailing dot are dropped", id="dot"),
    pytest.param("..", "zone '..' names no zone", id="dot-dot"),
    pytest.param(" . ", "zone ' . ' names no zone", id="blank-dot"),
    pytest.param("../Session", "zone '../Session' holds '/', which no DNS name has", id="slash"),
    pytest.param("example..com", "zone 'example..com' has an empty label", id="empty-label"),
]


class FakeClock:
    """Stands in for the pacer's clock and sleep: sleeping moves the clock on at once.

    Only sleep() and advance() move it, never real time, so that waits are exact whatever the
    machine's load.
    """

    def __init__(self) -> None:
        self.offset = 1000.0
        self.sleeps: list[float] = []

    def now(self) -> float:
        return self.offset

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.offset += seconds

    def advance(self, seconds: float) -> None:
        self.offset += seconds
