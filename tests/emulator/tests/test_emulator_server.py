# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Issue point 9: the CLI, HTTPS, keep-alive latency, the request log, clean shutdown."""

from __future__ import annotations

import datetime
import http.client
import ipaddress
import json
import signal
import ssl
import statistics
import subprocess
import sys
import time

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from emulator_client import LOCKED, OPS, Client, assert_success, login_body
from harness import EMULATOR_SCRIPT, Emulator, EmulatorError


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1 and its key, as PEM files."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "dynect-emulator-test")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def test_https_with_a_verified_certificate(emulator_factory, tls_files):
    cert_path, key_path = tls_files
    server = emulator_factory(tls_cert=cert_path, tls_key=key_path)
    assert server.url.startswith("https://127.0.0.1:") and server.ssl
    context = ssl.create_default_context(cafile=str(cert_path))
    connection = http.client.HTTPSConnection(server.host, server.port, context=context, timeout=10)
    try:
        connection.request("POST", "/REST/Session/", body=json.dumps(login_body(*OPS)))
        response = connection.getresponse()
        assert (response.status, json.loads(response.read())["status"]) == (200, "success")
    finally:
        connection.close()
    assert server.stats()["logins"] == 1  # the harness's control calls work over HTTPS too
    # A plain-HTTP client on the TLS port gets no answer, and the server carries on.
    with pytest.raises((http.client.HTTPException, ConnectionError)):
        plain = http.client.HTTPConnection(server.host, server.port, timeout=5)
        plain.request("GET", "/REST/Session/")
        plain.getresponse().read()
    assert server.stats()["logins"] == 1


def test_keep_alive_requests_are_answered_in_about_a_millisecond(emulator):
    """No Nagle/delayed-ACK stall: a stalled server answers in ~40 ms."""
    connection = http.client.HTTPConnection(emulator.host, emulator.port, timeout=10)
    try:
        connection.request("POST", "/REST/Session/", body=json.dumps(login_body(*OPS)))
        token = json.loads(connection.getresponse().read())["data"]["token"]
        durations = []
        for _attempt in range(30):
            started = time.perf_counter()
            connection.request("GET", "/REST/Session/", body=b"{}", headers={"Auth-Token": token})
            response = connection.getresponse()
            response.read()
            durations.append(time.perf_counter() - started)
            assert response.status == 200 and not response.will_close
    finally:
        connection.close()
    assert statistics.median(durations) < 0.02, durations  # a delayed-ACK stall is ~40 ms


def test_the_request_log_has_one_line_per_request_and_no_secret(emulator_factory):
    server = emulator_factory()
    client = Client(server.url)
    client.login(*OPS)
    client.request("PUT", "/REST/Password/", {"password": "Brand-New-2"})
    client.request("GET", "/REST/Zone/example.com/?detail=Y")
    client.request("POST", "/REST/Session/", login_body(*LOCKED))
    client.request("DELETE", "/REST/Session/")
    log = server.log_text()
    lines = [line for line in log.splitlines() if "/REST/" in line]
    assert len(lines) == 5, log
    assert '"GET /REST/Zone/example.com/" 200' in lines[2]  # no query string either
    secrets = server.secrets()
    assert "Brand-New-2" in secrets["passwords"]
    for secret in secrets["passwords"] + secrets["tokens"]:
        assert secret not in log


@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGINT])
def test_stops_cleanly_on_sigterm_and_sigint(signal_number):
    with subprocess.Popen([sys.executable, str(EMULATOR_SCRIPT), "--port", "0"], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True) as process:
        try:
            url = process.stdout.readline().strip().split("=", 1)[1]
            keep_alive = Client(url)  # an open keep-alive connection must not hold the shutdown up
            keep_alive.login(*OPS)
            process.send_signal(signal_number)
            assert process.wait(timeout=5) == 0
            assert "Traceback" not in process.stderr.read()
        finally:
            process.kill()


def test_port_zero_picks_free_ports(emulator_factory):
    first, second = emulator_factory(), emulator_factory()
    assert first.port != second.port and first.port > 0
    assert_success(Client(second.url).request("POST", "/REST/Session/", login_body(*OPS)), "login: Login successful")


@pytest.mark.parametrize(("arguments", "problem"), [
    (["--tls-cert", "only-a-cert.pem"], "--tls-cert and --tls-key go together"),
    (["--job-threshold", "-1"], "must be zero or more"),
    (["--rate-limit", "0"], "must be more than zero"),
    (["--accounts", "/nonexistent/accounts.json"], "cannot read accounts file"),
])
def test_bad_command_lines_are_refused(arguments, problem):
    result = subprocess.run([sys.executable, str(EMULATOR_SCRIPT), *arguments], capture_output=True, text=True,
                            timeout=10, check=False)
    assert result.returncode == 2
    assert problem in result.stderr


def test_chunked_request_bodies_are_read(emulator):
    connection = http.client.HTTPConnection(emulator.host, emulator.port, timeout=10)
    try:
        body = json.dumps(login_body(*OPS)).encode()
        connection.request("POST", "/REST/Session/", body=iter([body[:10], body[10:]]), encode_chunked=True)
        assert connection.getresponse().status == 200
    finally:
        connection.close()


def test_broken_body_framing_is_a_400_and_the_connection_closes(emulator):
    connection = http.client.HTTPConnection(emulator.host, emulator.port, timeout=10)
    try:
        connection.request("POST", "/REST/Session/", headers={"Content-Length": "many"})
        response = connection.getresponse()
        assert (response.status, response.will_close) == (400, True)
    finally:
        connection.close()


def test_the_harness_reports_a_failed_start_with_the_emulators_stderr():
    broken = Emulator(extra_args=["--no-such-flag"], start_timeout=5)
    with pytest.raises(EmulatorError, match="unrecognized arguments: --no-such-flag"):
        broken.start()
    assert broken.returncode is None  # stopped and forgotten
