# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fixtures of the emulator's own tests (the emulator fixtures themselves are in tests/conftest.py)."""

from __future__ import annotations

import json

import pytest

pytest.register_assert_rewrite("emulator_client")  # readable failures from its assert_* helpers

from emulator_client import OPS, RECORD_ACCOUNTS, Client  # noqa: E402  pylint: disable=wrong-import-position
from harness import Emulator  # noqa: E402  pylint: disable=wrong-import-position


@pytest.fixture
def client(emulator):
    """A client of the shared (reset) emulator, not logged in."""
    fresh = Client(emulator.url)
    yield fresh
    fresh.http.close()


@pytest.fixture
def ops(client):
    """A client of the shared (reset) emulator, logged in as acme/ops."""
    client.login(*OPS)
    return client


@pytest.fixture(scope="module")
def records_server(tmp_path_factory):
    """An emulator with RECORD_ACCOUNTS, shared by one test module; a short job threshold for 307 tests."""
    path = tmp_path_factory.mktemp("records") / "accounts.json"
    path.write_text(json.dumps(RECORD_ACCOUNTS), encoding="utf-8")
    with Emulator(accounts=path, job_threshold=0.3, rate_limit=10_000) as server:
        yield server


@pytest.fixture
def records_emulator(records_server):
    """That emulator after reset(): zones as the accounts file makes them, no sessions, no faults."""
    records_server.reset()
    return records_server
