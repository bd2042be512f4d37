# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fixtures of the emulator's own tests (the emulator fixtures themselves are in tests/conftest.py)."""

from __future__ import annotations

import pytest

pytest.register_assert_rewrite("emulator_client")  # readable failures from its assert_* helpers

from emulator_client import OPS, Client  # noqa: E402  pylint: disable=wrong-import-position


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
