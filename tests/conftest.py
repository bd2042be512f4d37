# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fixtures shared by every test suite: DynECT emulators (tests/emulator/harness.py).

- ``emulator_server`` (session): one emulator with the default accounts, started on first use.
- ``emulator`` (function): that same server after ``reset()``: fresh sessions, counters, faults, accounts.
- ``emulator_factory`` (function): ``emulator_factory(**Emulator kwargs)`` starts an extra emulator
  (its own settings or accounts), stopped when the test ends.
- ``default_accounts``: the default accounts file, parsed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "emulator"))

from harness import DEFAULT_ACCOUNTS, Emulator  # noqa: E402  pylint: disable=wrong-import-position


@pytest.fixture(scope="session")
def emulator_server():
    with Emulator() as server:
        yield server


@pytest.fixture
def emulator(emulator_server):
    emulator_server.reset()
    return emulator_server


@pytest.fixture
def emulator_factory():
    started = []

    def start(**kwargs):
        server = Emulator(**kwargs).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture(scope="session")
def default_accounts():
    return json.loads(DEFAULT_ACCOUNTS.read_text(encoding="utf-8"))
