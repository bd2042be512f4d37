# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Issue point 8 (control API): stats, reset, secrets, loopback-only access."""

from __future__ import annotations

import socket

import pytest
import requests
from emulator_client import OPS, READER, Client, login_body


def test_stats_count_requests_per_method_and_resource(client, emulator):
    client.login(*OPS)
    client.request("GET", "/REST/Session")
    client.request("GET", "/REST/Zone/example.com/")
    client.request("GET", "/REST/Zone/")
    job_id = client.request("GET", "/REST/Session/").json()["job_id"]
    client.request("GET", f"/REST/Job/{job_id}/")
    client.request("POST", "/REST/Session/", login_body("acme", "ops", "wrong"))
    client.request("POST", "/REST/Session/", login_body(*READER))
    client.request("DELETE", "/REST/Session/")
    assert emulator.stats() == {
        "requests": {"POST /REST/Session": 3, "GET /REST/Session": 2, "GET /REST/Zone": 2, "GET /REST/Job": 1,
                     "DELETE /REST/Session": 1},
        "logins": 2,
        "failed_logins": 1,
        "logouts": 1,
        "open_sessions": 1,
    }


def test_reset_restores_everything(emulator):
    client = Client(emulator.url)
    token = client.login(*OPS)
    emulator.fault("server_error", count=5)
    emulator.reset()
    assert emulator.stats() == {"requests": {}, "logins": 0, "failed_logins": 0, "logouts": 0, "open_sessions": 0}
    client.token = token
    response = client.request("GET", "/REST/Session/")  # no fault left, and the session is gone
    assert response.json()["msgs"][0]["INFO"] == "login: Bad or expired credentials"
    assert token in emulator.secrets()["tokens"]  # secrets are kept for the life of the process


def test_secrets_list_every_password_and_token(client, emulator, default_accounts):
    first, second = client.login(*OPS), client.login(*READER)
    secrets = emulator.secrets()
    all_passwords = {user["password"] for customer in default_accounts["customers"] for user in customer["users"]}
    assert set(secrets["passwords"]) >= all_passwords
    assert {first, second} <= set(secrets["tokens"])


@pytest.mark.parametrize(("method", "path", "status"), [
    ("GET", "/__emulator__/nothing", 404),
    ("POST", "/__emulator__/stats", 404),
    ("GET", "/elsewhere", 404),
])
def test_unknown_control_and_other_paths(emulator, method, path, status):
    assert requests.request(method, emulator.url + path, timeout=5).status_code == status


def test_a_fault_body_that_is_not_json_is_refused(emulator):
    response = requests.post(emulator.url + "/__emulator__/faults", data=b"{oops", timeout=5)
    assert response.status_code == 400


def _non_loopback_address() -> str | None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # no packet is sent: this only picks the outgoing interface
        except OSError:
            return None
        address = probe.getsockname()[0]
    return None if address.startswith("127.") else address


def test_control_api_answers_loopback_clients_only(emulator_factory):
    address = _non_loopback_address()
    if address is None:
        pytest.skip("this machine has no non-loopback IPv4 address")
    server = emulator_factory(host="0.0.0.0")
    assert server.url.startswith("http://127.0.0.1:")  # a wildcard address is reported as loopback
    remote = f"http://{address}:{server.port}"
    for method, action in (("GET", "stats"), ("GET", "secrets"), ("POST", "reset"), ("POST", "faults")):
        response = requests.request(method, f"{remote}/__emulator__/{action}", json={"fault": "server_error"},
                                    timeout=5)
        assert response.status_code == 403, action
    assert server.stats()["requests"] == {}  # control calls are never counted, and nothing was armed
    # The API itself serves any address, and the session is bound to it.
    client = Client(remote)
    client.login(*OPS)
    assert client.request("GET", "/REST/Session/").status_code == 200
