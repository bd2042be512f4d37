# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Issue point 8 (control API): stats, reset, secrets, loopback-only access; issue 13 point 6: Host and
Content-Type checks against DNS rebinding and cross-site "simple" POSTs."""

from __future__ import annotations

import http.client
import json
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
    response = requests.request(method, emulator.url + path, headers={"Content-Type": "application/json"}, timeout=5)
    assert response.status_code == status


def test_a_fault_body_that_is_not_json_is_refused(emulator):
    response = requests.post(emulator.url + "/__emulator__/faults", data=b"{oops",
                             headers={"Content-Type": "application/json"}, timeout=5)
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


# ---- Host and Content-Type checks (raw http.client: the test decides every header) ----

def _raw(emulator, method: str, path: str, headers: dict[str, str] | None = None, body: bytes | None = None,
         host: str | None = None, send_host: bool = True) -> tuple[int, bytes]:
    """One request with exactly these headers; the Host header is ``host`` (default: the real host:port)."""
    connection = http.client.HTTPConnection(emulator.host, emulator.port, timeout=10)
    try:
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        if send_host:
            connection.putheader("Host", f"{emulator.host}:{emulator.port}" if host is None else host)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        connection.putheader("Content-Length", str(len(body or b"")))
        connection.endheaders(body)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _assert_forbidden(status: int, body: bytes) -> None:
    assert status == 403, body
    answer = json.loads(body)
    assert answer["error"] == "forbidden" and answer["reason"], answer


def _post_json(emulator, action: str, spec: object, content_type: str = "application/json") -> tuple[int, bytes]:
    return _raw(emulator, "POST", f"/__emulator__/{action}", {"Content-Type": content_type}, json.dumps(spec).encode())


@pytest.mark.parametrize("host", [
    "evil.example", "evil.example:8080", "localhost.evil.example", "127.0.0.1.evil.example", "localhost.",
    "0.0.0.0", "192.0.2.1", "[::2]", "::1", "127.1", "localhost:http", "",
])
def test_a_foreign_host_header_cannot_read_stats_or_secrets(client, emulator, default_accounts, host):
    token = client.login(*OPS)  # a token and the passwords are there to leak
    passwords = [user["password"] for customer in default_accounts["customers"] for user in customer["users"]]
    for action in ("stats", "secrets"):
        status, body = _raw(emulator, "GET", f"/__emulator__/{action}", host=host)
        _assert_forbidden(status, body)
        assert not any(secret.encode() in body for secret in [token, *passwords])


def test_a_request_without_or_with_two_host_headers_is_refused(emulator):
    _assert_forbidden(*_raw(emulator, "GET", "/__emulator__/secrets", send_host=False))
    own = f"127.0.0.1:{emulator.port}"
    _assert_forbidden(*_raw(emulator, "GET", "/__emulator__/secrets", {"Host": own}, host="evil.example"))


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "127.0.0.1", "127.200.0.9:{port}", "localhost",
                                  "LOCALHOST:{port}", "[::1]:{port}", "[::1]"])
def test_a_loopback_host_header_is_allowed(emulator, host):
    status, body = _raw(emulator, "GET", "/__emulator__/stats", host=host.format(port=emulator.port))
    assert status == 200, body
    assert json.loads(body)["requests"] == {}


def _first_session_get_status(emulator) -> int:
    """The HTTP status of an unauthenticated GET /REST/Session: 400 normally, 500 if a server_error is armed."""
    return Client(emulator.url).request("GET", "/REST/Session/").status_code


@pytest.mark.parametrize("content_type", [None, "text/plain", "text/plain; charset=utf-8",
                                          "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                                          "application/jsonx", "text/json"])
def test_a_fault_posted_without_a_json_content_type_is_not_armed(emulator, content_type):
    headers = {} if content_type is None else {"Content-Type": content_type}
    body = json.dumps({"fault": "server_error"}).encode()
    _assert_forbidden(*_raw(emulator, "POST", "/__emulator__/faults", headers, body))
    status, answer = _post_json(emulator, "faults", {"fault": "rate_limit", "match": "GET /REST/Zone"})
    assert status == 200 and [fault["fault"] for fault in json.loads(answer)["armed"]] == ["rate_limit"]
    assert _first_session_get_status(emulator) == 400  # no server_error waiting either


@pytest.mark.parametrize("content_type", [None, "application/x-www-form-urlencoded", "text/plain"])
def test_a_reset_without_a_json_content_type_does_not_reset(client, emulator, content_type):
    client.login(*OPS)
    headers = {} if content_type is None else {"Content-Type": content_type}
    _assert_forbidden(*_raw(emulator, "POST", "/__emulator__/reset", headers))
    stats = emulator.stats()
    assert stats["logins"] == 1 and stats["open_sessions"] == 1
    assert client.request("GET", "/REST/Session/").status_code == 200  # the session survived


@pytest.mark.parametrize("content_type", ["application/json", "application/json; charset=utf-8",
                                          "Application/JSON;charset=UTF-8"])
def test_a_json_content_type_with_parameters_is_allowed(client, emulator, content_type):
    client.login(*OPS)
    status, body = _raw(emulator, "POST", "/__emulator__/reset", {"Content-Type": content_type})  # no body at all
    assert status == 200, body
    assert emulator.stats()["logins"] == 0
    status, body = _post_json(emulator, "faults", {"fault": "server_error"}, content_type)
    assert status == 200, body
    assert _first_session_get_status(emulator) == 500  # armed, and used by the next request


def test_the_api_itself_ignores_host_and_content_type(emulator):
    """/REST/ is unchanged: real DynECT clients send any Host (a proxy's, a name) and any Content-Type."""
    body = json.dumps({"customer_name": "acme", "user_name": "ops", "password": "Ops-Passw0rd"}).encode()
    status, answer = _raw(emulator, "POST", "/REST/Session/", {"Content-Type": "text/plain"}, body,
                          host="api.dynect.net")
    assert status == 200 and json.loads(answer)["status"] == "success"
