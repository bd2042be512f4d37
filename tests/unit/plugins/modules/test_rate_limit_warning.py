# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Issue #25 (3): a task the account's rate limit holds back warns once, on both routes.

The waits run on a fake clock: the pacer's clock and sleep, and the sleep after a 429, move it on
at once, so the tests take no real time however long DynECT would have made the task wait.
"""

from __future__ import annotations

import time
import types
from collections.abc import Iterator
from typing import Any

import pytest

from ansible_collections.dyn.managed_dns.plugins.module_utils import _api, _connection_rpc
from ansible_collections.dyn.managed_dns.plugins.module_utils._module import RATE_LIMIT_WARN_SECONDS
from ansible_collections.dyn.managed_dns.plugins.module_utils._transport import RATE_LIMIT_WINDOW, RequestPacer
from ansible_collections.dyn.managed_dns.plugins.modules.dyn_rest import main as dyn_rest
from ansible_collections.dyn.managed_dns.tests.unit.plugins.module_utils.helpers import OPS, FakeClock, dynect_connection, leaked, server_secrets

AS_OPS = {"customer": OPS[0], "username": OPS[1], "password": OPS[2]}


@pytest.fixture
def fake_clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    """The pacer's waits and the pipeline's waits after a 429 on a fake clock (job deadlines stay real)."""
    clock = FakeClock()
    monkeypatch.setattr(RequestPacer, "_clock", staticmethod(clock.now))
    monkeypatch.setattr(RequestPacer, "_sleep", staticmethod(clock.sleep))
    monkeypatch.setattr(_api, "time", types.SimpleNamespace(monotonic=time.monotonic, sleep=clock.sleep))
    return clock


class _InProcessSocket:
    """Stands in for ansible-core's socket to the helper: calls the dynect connection in this process."""

    def __init__(self, connection: Any) -> None:
        self._connection = connection

    def dyn_call(self, operation: str, *args: Any, task_history: bool = False) -> dict[str, Any]:
        return self._connection.dyn_call(operation, *args, task_history=task_history)


@pytest.fixture
def through_connection(emulator: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """Module arguments that make a module run through an in-process dynect connection as acme/ops."""
    connection = dynect_connection(emulator, *OPS)
    monkeypatch.setattr(_connection_rpc, "Connection", lambda socket_path: _InProcessSocket(connection))
    yield {"_ansible_socket": "/nonexistent/dynect-socket"}
    connection.close()


@pytest.fixture
def rate_limit_warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The rate-limit warnings the module passes to ``module.warn`` (in-process, ansible-core shows them instead of returning them)."""
    from ansible.module_utils.basic import AnsibleModule

    seen: list[str] = []
    monkeypatch.setattr(AnsibleModule, "warn", lambda self, warning, *args, **kwargs: seen.append(warning) if "rate limit" in warning else None)
    return seen


def test_pacing_that_holds_a_direct_task_back_warns_once_with_the_account_and_the_hint(run_module, emulator, fake_clock, rate_limit_warnings):
    # Two requests a minute: the login and the GET go at once, the logout waits out the minute.
    result = run_module(dyn_rest, path="Zone/", rate_limit=2, **AS_OPS)

    assert "failed" not in result, result
    assert fake_clock.sleeps == [pytest.approx(RATE_LIMIT_WINDOW)]
    (warning,) = rate_limit_warnings
    assert warning.startswith("DynECT's rate limit held this task back 60 s in all (customer acme, user ops)")
    assert "in rate_limit" in warning and "forks, serial" in warning
    assert not leaked(warning, server_secrets(emulator))


def test_429s_that_hold_a_task_back_through_the_connection_warn_once(run_module, emulator, fake_clock, rate_limit_warnings, through_connection):
    # Three 429s (Retry-After: 1 s each) at the login and three at the GET: 6 s in the helper, over two calls.
    emulator.fault("rate_limit", count=3, match="POST /REST/Session")
    emulator.fault("rate_limit", count=3, match="GET /REST/Zone")
    result = run_module(dyn_rest, address=False, path="Zone/", **through_connection)

    assert "failed" not in result, result
    assert sum(fake_clock.sleeps) == pytest.approx(6.0)
    (warning,) = rate_limit_warnings
    assert warning.startswith("DynECT's rate limit held this task back 6 s in all (customer acme, user ops)")
    assert "in dyn_rate_limit" in warning
    assert not leaked(warning, server_secrets(emulator))


def test_a_task_that_fails_for_the_rate_limit_still_warns(run_module, emulator, fake_clock, rate_limit_warnings):
    emulator.fault("rate_limit", count=4, match="GET /REST/Zone")  # one more than the retries allowed
    emulator.fault("rate_limit", count=3, match="DELETE /REST/Session")
    result = run_module(dyn_rest, path="Zone/", **AS_OPS)

    assert result["failed"] and "still rate limited after 3 retries" in result["msg"]
    (warning,) = rate_limit_warnings
    assert "held this task back 6 s in all" in warning


def test_a_short_wait_is_silent(run_module, emulator, fake_clock, rate_limit_warnings, through_connection):
    # Two 429s at the login and two at the GET (Retry-After: 1 s each): 4 s, just under the threshold.
    assert RATE_LIMIT_WARN_SECONDS == 5
    emulator.fault("rate_limit", count=2, match="POST /REST/Session")
    emulator.fault("rate_limit", count=2, match="GET /REST/Zone")
    result = run_module(dyn_rest, address=False, path="Zone/", **through_connection)

    assert "failed" not in result, result
    assert sum(fake_clock.sleeps) == pytest.approx(RATE_LIMIT_WARN_SECONDS - 1)
    assert rate_limit_warnings == []
