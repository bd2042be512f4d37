# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Issue point 5: the per-customer rate limit, 429 with a JSON envelope and Retry-After (spec b.10, C9)."""

from __future__ import annotations

import time

from emulator_client import AUDITOR, OPS, READER, Client, assert_failure, assert_success, login_body

LIMIT = 5
LOCKOUT = 1.0
RATE_LIMITED = ["rate_limit: Too many requests for this account, please slow down"]


def test_past_the_limit_the_whole_customer_is_locked_out(emulator_factory):
    server = emulator_factory(rate_limit=LIMIT, rate_limit_lockout=LOCKOUT)
    ops, reader, auditor = Client(server.url), Client(server.url), Client(server.url)
    ops.login(*OPS)  # 1 request of acme
    auditor.login(*AUDITOR)  # globex: its own budget
    for _attempt in range(LIMIT - 1):
        assert_success(ops.request("GET", "/REST/Session/"), "isalive: User session is still active")

    refused = ops.request("GET", "/REST/Session/")
    envelope = assert_failure(refused, 429, RATE_LIMITED, "RATE_LIMIT_EXCEEDED")
    assert refused.headers["Retry-After"] == "1"
    assert isinstance(envelope["job_id"], int)
    # Every request of the customer is refused now, logins included (counted for the customer they name).
    assert reader.request("POST", "/REST/Session/", login_body(*READER)).status_code == 429
    assert ops.request("DELETE", "/REST/Session/").status_code == 429
    assert_success(auditor.request("GET", "/REST/Session/"), "isalive: User session is still active")

    time.sleep(LOCKOUT)
    assert_success(ops.request("GET", "/REST/Session/"), "isalive: User session is still active")
    assert server.stats()["requests"]["GET /REST/Session"] == LIMIT + 2  # refused requests are counted too


def test_requests_without_a_known_customer_are_not_limited(emulator_factory):
    server = emulator_factory(rate_limit=2, rate_limit_lockout=LOCKOUT)
    stranger = Client(server.url)
    for _attempt in range(4):
        assert stranger.request("POST", "/REST/Session/", login_body("nobody", "x", "y")).status_code == 400
        assert stranger.request("GET", "/REST/Session/").status_code == 400  # no token: no customer


def test_reset_clears_the_rate_limit(emulator_factory):
    server = emulator_factory(rate_limit=2, rate_limit_lockout=60)
    client = Client(server.url)
    client.login(*OPS)
    client.request("GET", "/REST/Session/")
    assert client.request("GET", "/REST/Session/").status_code == 429
    server.reset()
    client.login(*OPS)
