# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Many clients at once: 20 threads doing 200 logins and logouts in all; 200 clients connecting in one burst.

No client may meet a refused, reset or dropped connection, and the stats must come out exact.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from emulator_client import DEPLOY, GLOBEX_ADMIN, OPS, READER, Client, login_body

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


CLIENTS_AT_ONCE = 200
CONNECT_TIMEOUT = 0.5  # loopback connects in microseconds; a SYN the kernel dropped is sent again only after 1 s


def test_200_clients_connecting_while_the_emulator_is_busy_are_all_served(emulator_factory):
    # Issue 24: the listen backlog was socketserver's default of 5. On a busy machine the emulator does not get
    # to accept() while a burst of clients connects; past the backlog the kernel drops their SYNs (a connect
    # that hangs, then is retried, refused or reset). Stopping the emulator's process plays that busy machine.
    server = emulator_factory(rate_limit=100_000)
    os.kill(server.pid, signal.SIGSTOP)
    try:
        sockets = [socket.create_connection((server.host, server.port), timeout=CONNECT_TIMEOUT)
                   for _client in range(CLIENTS_AT_ONCE)]
    finally:
        os.kill(server.pid, signal.SIGCONT)

    with ThreadPoolExecutor(CLIENTS_AT_ONCE) as pool:  # then all 200 log in, call and log out at once
        tokens = list(pool.map(_login_call_logout, sockets, range(CLIENTS_AT_ONCE)))

    assert len(set(tokens)) == CLIENTS_AT_ONCE
    stats = server.stats()
    assert (stats["logins"], stats["logouts"], stats["failed_logins"], stats["open_sessions"]) == (
        CLIENTS_AT_ONCE, CLIENTS_AT_ONCE, 0, 0)
    assert stats["requests"] == {"POST /REST/Session": CLIENTS_AT_ONCE, "GET /REST/Session": CLIENTS_AT_ONCE,
                                 "DELETE /REST/Session": CLIENTS_AT_ONCE}


def _login_call_logout(connected: socket.socket, index: int) -> str:
    """A login, an is-alive call and a logout on one already connected keep-alive socket; the token."""
    connected.settimeout(30)
    connection = http.client.HTTPConnection("emulator")  # the host is only the Host header: the socket is already open
    connection.sock = connected
    try:
        token = _call(connection, "POST", None, login_body(*IDENTITIES[index % len(IDENTITIES)]))["data"]["token"]
        _call(connection, "GET", token)
        _call(connection, "DELETE", token)
    finally:
        connection.close()
    return token


def _call(connection: http.client.HTTPConnection, method: str, token: str | None, body: Any = None) -> dict[str, Any]:
    headers = {"Content-Type": "application/json", **({"Auth-Token": token} if token else {})}
    connection.request(method, "/REST/Session/", body=json.dumps(body or {}), headers=headers)
    response = connection.getresponse()
    envelope = json.loads(response.read())
    assert (response.status, envelope["status"]) == (200, "success"), envelope
    return envelope
