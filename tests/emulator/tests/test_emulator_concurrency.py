# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Done-when criterion: 20 threads doing 200 logins and logouts in all, no error, exact stats."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from emulator_client import DEPLOY, GLOBEX_ADMIN, OPS, READER, Client

THREADS = 20
LOGINS_PER_THREAD = 10
IDENTITIES = [OPS, READER, GLOBEX_ADMIN, DEPLOY]


def test_20_threads_200_logins_and_logouts(emulator_factory):
    # 400 requests in a few seconds: far past the default 300 per minute, which is not what this test is about.
    server = emulator_factory(rate_limit=100_000)

    def worker(index: int) -> list[str]:
        client = Client(server.url)  # its own keep-alive connection
        identity = IDENTITIES[index % len(IDENTITIES)]
        tokens = []
        for _attempt in range(LOGINS_PER_THREAD):
            tokens.append(client.login(*identity))
            logout = client.request("DELETE", "/REST/Session/")
            assert (logout.status_code, logout.json()["status"]) == (200, "success"), logout.text
        return tokens

    with ThreadPoolExecutor(THREADS) as pool:
        tokens = [token for tokens in pool.map(worker, range(THREADS)) for token in tokens]

    total = THREADS * LOGINS_PER_THREAD
    assert len(set(tokens)) == total
    assert server.stats() == {
        "requests": {"POST /REST/Session": total, "DELETE /REST/Session": total},
        "logins": total,
        "failed_logins": 0,
        "logouts": total,
        "open_sessions": 0,
    }
