# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fixtures for the session layer's tests: sessions against the emulator (tests/conftest.py) with short waits.

The collection is imported inside the fixtures: when pytest is pointed at this folder, this file is
loaded before pytest-ansible has made ``ansible_collections`` importable.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def forget_thread_sessions() -> Iterable[None]:
    """Each test starts and ends without a registered session in this thread."""
    from ansible_collections.dyn.managed_dns.plugins.module_utils.session import DynectSession

    DynectSession.close_session()  # DynectMultiSession shares the slot
    yield
    DynectSession.close_session()


@pytest.fixture
def connect(emulator: Any) -> Callable[..., Any]:
    """``connect(customer, user, password, *, cls=DynectSession, server=emulator, **options)``."""
    from ansible_collections.dyn.managed_dns.plugins.module_utils.session import DynectSession
    from ansible_collections.dyn.managed_dns.tests.unit.plugins.module_utils.helpers import FAST_WAITS, OPS

    def connect(
        customer: str = OPS[0],
        username: str = OPS[1],
        password: str | None = OPS[2],
        *,
        cls: type[DynectSession] = DynectSession,
        server: Any = None,
        **options: Any,
    ) -> DynectSession:
        server = server or emulator
        settings = {"host": server.host, "port": server.port, "ssl": server.ssl, **FAST_WAITS, **options}
        return cls(customer, username, password, **settings)

    return connect
