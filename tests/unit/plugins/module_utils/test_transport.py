# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The transport: HTTPS against a self-signed CA, a real HTTP proxy (proxy.py) with and without auth, and bounded replies.

TLS trust (issue #13): the system trust store as Python's ssl module loads it (SSL_CERT_FILE,
SSL_CERT_DIR), ca_path instead of it, never certifi's bundle nor requests' REQUESTS_CA_BUNDLE.

Bounded replies (issue #22), against real loopback sockets: ``timeout`` bounds the whole request,
however slowly the server sends; a reply over the size cap is refused without being read whole;
a body that cannot be decoded safely is a clear error.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from ansible_collections.dyn.managed_dns.plugins.module_utils import _transport
from ansible_collections.dyn.managed_dns.plugins.module_utils._module import describe_error
from ansible_collections.dyn.managed_dns.plugins.module_utils._transport import (
    ProxySettings,
    ReplyTooLarge,
    RequestTimeout,
    Transport,
    TransportError,
)
from ansible_collections.dyn.managed_dns.plugins.module_utils.errors import (
    DynectAuthError,
    DynectConfigError,
    DynectError,
    DynectGetError,
    DynectUpdateError,
    error_class_for_method,
)
from ansible_collections.dyn.managed_dns.plugins.module_utils.session import DynectSession
from ansible_collections.dyn.managed_dns.tests.unit.plugins.module_utils.helpers import requests_made
from ansible_collections.dyn.managed_dns.tests.utils.make_certs import write_test_pki

PROXY_USER, PROXY_PASS = "proxy-user", "Proxy-Secret-77"
PROXY_BIN = Path(sys.executable).with_name("proxy")


# --- certificates ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    """A CA and a server certificate for 127.0.0.1 signed by it: {"ca", "cert", "key"} paths."""
    paths = write_test_pki(tmp_path_factory.mktemp("pki"))
    return {name: str(paths[name]) for name in ("ca", "other_ca", "cert", "key")}


@pytest.fixture
def tls_server(emulator_factory, pki):
    server = emulator_factory(tls_cert=pki["cert"], tls_key=pki["key"])
    assert server.ssl
    return server


# --- proxy.py -------------------------------------------------------------------------------------------


class Proxy:
    """A proxy.py subprocess on a free loopback port, its access log in a file."""

    def __init__(self, folder: Path, basic_auth: str | None) -> None:
        self.log = folder / "proxy.log"
        port_file = folder / "proxy.port"
        command = [
            str(PROXY_BIN), "--hostname", "127.0.0.1", "--port", "0", "--port-file", str(port_file),
            "--log-file", str(self.log), "--num-workers", "1", "--num-acceptors", "1",
        ]
        if basic_auth:
            command += ["--basic-auth", basic_auth]
        self._process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.port = self._wait_for_port(port_file)

    def _wait_for_port(self, port_file: Path) -> int:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"proxy.py exited with {self._process.returncode}")
            text = port_file.read_text().strip() if port_file.exists() else ""
            if text.isdigit():
                try:
                    socket.create_connection(("127.0.0.1", int(text)), timeout=1).close()
                    return int(text)
                except OSError:
                    pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("proxy.py did not start listening within 20 s")

    def wait_for_access(self, needle: str) -> str:
        """The log once it shows ``needle``: proxy.py writes an access line when a connection closes."""
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            text = self.log.read_text() if self.log.exists() else ""
            if needle in text:
                break
            time.sleep(0.1)
        return text

    def stop(self) -> None:
        self._process.terminate()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()


@pytest.fixture(scope="module")
def auth_proxy(tmp_path_factory):
    proxy = Proxy(tmp_path_factory.mktemp("auth-proxy"), f"{PROXY_USER}:{PROXY_PASS}")
    yield proxy
    proxy.stop()


@pytest.fixture(scope="module")
def open_proxy(tmp_path_factory):
    proxy = Proxy(tmp_path_factory.mktemp("open-proxy"), None)
    yield proxy
    proxy.stop()


# --- HTTPS ----------------------------------------------------------------------------------------------


def test_https_validated_against_the_given_ca(connect, tls_server, pki):
    session = connect(server=tls_server, ca_path=pki["ca"])
    assert session.execute("/Zone/", "GET")["status"] == "success"
    assert requests_made(tls_server, "GET /REST/Zone") == 1


def test_https_with_an_unknown_ca_is_a_clear_error(connect, tls_server):
    with pytest.raises(DynectAuthError) as caught:
        connect(server=tls_server)
    text = str(caught.value)
    assert "Unable to access the API host" in text
    assert "TLS connection to https://127.0.0.1" in text
    assert "ca_path" in text
    assert requests_made(tls_server, "POST /REST/Session") == 0


def test_https_without_validation(connect, tls_server):
    session = connect(server=tls_server, validate_certs=False)
    assert session.is_alive()


def test_a_missing_ca_path_is_a_config_error(connect, tmp_path):
    with pytest.raises(DynectConfigError, match="ca_path"):
        connect(ca_path=str(tmp_path / "nope.pem"))


# --- options refused before any connection is tried ---------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "message"),
    [
        pytest.param({"port": 0}, "port must be a TCP port number from 1 to 65535, not 0", id="port-0"),
        pytest.param({"port": 65536}, "port must be .* not 65536", id="port-too-high"),
        pytest.param({"port": -443}, "port must be .* not -443", id="port-negative"),
        pytest.param({"port": "https"}, "port must be .* not 'https'", id="port-not-a-number"),
        pytest.param({"port": True}, "port must be .* not True", id="port-a-boolean"),
        pytest.param({"proxy_host": "127.0.0.1", "proxy_port": 70000}, "proxy_port must be .* not 70000", id="proxy-port"),
        pytest.param({"timeout": 0}, "timeout must be a positive number of seconds, not 0", id="timeout-0"),
        pytest.param({"timeout": -1.5}, "timeout must be .* not -1.5", id="timeout-negative"),
        pytest.param({"timeout": "30"}, "timeout must be .* not '30'", id="timeout-text"),
        pytest.param({"host": "https://api.dynect.net"}, "host must be .* not a URL: give api.dynect.net ", id="url"),
        pytest.param({"host": "api.dynect.net/REST"}, "host must be .* not a URL: give api.dynect.net ", id="host-with-path"),
        pytest.param({"host": "https://[::1/"}, "host must be .* not a URL: give the name alone ", id="broken-url"),
        pytest.param({"host": "api.dynect.net:443"}, "host must be .* without a port.*give the port in port", id="host-port"),
        pytest.param({"rate_limit": -1}, "rate_limit must be", id="rate-limit-negative"),
    ],
)
def test_unusable_connection_options_are_refused_before_any_request(connect, emulator, options, message):
    with pytest.raises(DynectConfigError, match=message):
        connect(**options)
    assert emulator.stats()["requests"] == {}


@pytest.mark.parametrize("host", ["https://ops:Url-Secret-1@api.dynect.net/", "ops:Url-Secret-1@api.dynect.net"])
def test_credentials_in_a_host_url_are_not_repeated(connect, host):
    with pytest.raises(DynectConfigError) as caught:
        connect(host=host)
    assert "give api.dynect.net " in str(caught.value)
    assert "Url-Secret-1" not in str(caught.value) + repr(caught.value)


@pytest.mark.parametrize("host", ["::1", "[::1]"])
def test_an_ipv6_address_is_a_valid_host_with_or_without_brackets(connect, host):
    session = connect(host=host, auto_auth=False)
    assert session._engine._api._transport.base_url.startswith("http://[::1]:")


def test_a_port_given_as_digits_is_accepted(connect, emulator):
    session = connect(port=str(emulator.port))
    assert session.port == emulator.port
    assert session.is_alive()


# --- proxy -----------------------------------------------------------------------------------------------


def test_https_through_an_authenticating_proxy_uses_connect(connect, tls_server, pki, auth_proxy):
    session = connect(
        server=tls_server, ca_path=pki["ca"],
        proxy_host="127.0.0.1", proxy_port=auth_proxy.port, proxy_user=PROXY_USER, proxy_pass=PROXY_PASS,
    )
    assert session.execute("/Zone/", "GET")["status"] == "success"
    session.log_out()  # closes the kept-alive connection
    needle = f"CONNECT 127.0.0.1:{tls_server.port}"
    assert needle in auth_proxy.wait_for_access(needle)


def test_plain_http_through_an_open_proxy(connect, emulator, open_proxy):
    session = connect(proxy_host="127.0.0.1", proxy_port=open_proxy.port)
    assert session.execute("/Zone/", "GET")["status"] == "success"
    session.log_out()  # closes the kept-alive connection
    needle = f"POST 127.0.0.1:{emulator.port}/REST/Session/"  # proxy.py logs a connection's first request
    assert needle in open_proxy.wait_for_access(needle)


@pytest.mark.parametrize("use_tls", [True, False])
def test_wrong_proxy_credentials_are_a_clear_error_without_the_password(
    connect, emulator, tls_server, pki, auth_proxy, use_tls
):
    server = tls_server if use_tls else emulator
    with pytest.raises(DynectAuthError) as caught:
        connect(
            server=server, ca_path=pki["ca"],
            proxy_host="127.0.0.1", proxy_port=auth_proxy.port, proxy_user=PROXY_USER, proxy_pass="Wrong-Proxy-Pass",
        )
    text = str(caught.value) + repr(caught.value)
    assert "proxy" in text
    assert "407" in text
    assert "Wrong-Proxy-Pass" not in text
    # Only our own errors, which hold words: no socket or http.client error (nor its connection) rides along.
    assert all(isinstance(error, (DynectError, TransportError)) for error in exception_chain(caught.value)), list(exception_chain(caught.value))


def exception_chain(error):
    while error is not None:
        yield error
        error = error.__cause__ or error.__context__


def test_a_proxy_without_credentials_is_refused_by_an_authenticating_proxy(connect, emulator, auth_proxy):
    with pytest.raises(DynectAuthError, match="407"):
        connect(proxy_host="127.0.0.1", proxy_port=auth_proxy.port)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"proxy_host": "127.0.0.1"}, "missing its port"),
        ({"proxy_port": 3128}, "need proxy_host"),
        ({"proxy_host": "127.0.0.1", "proxy_port": 3128, "proxy_user": "u"}, "given together"),
    ],
)
def test_incomplete_proxy_options_are_config_errors(connect, emulator, options, message):
    with pytest.raises(DynectConfigError, match=message):
        connect(**options)
    assert emulator.stats()["requests"] == {}


@pytest.mark.parametrize("token", ["T0KEN\r\nX-Injected: 1", "T0K\u20acN", "T0KEN\x00"])
def test_a_token_no_header_can_carry_is_refused_before_anything_is_sent_without_repeating_it(serve, token):
    script = Script(answering(http_reply(ENVELOPE)))
    server = serve(script)
    session = DynectSession("acme", "ops", None, host="127.0.0.1", port=server.port, ssl=False, token=token, auto_auth=False)
    with pytest.raises(DynectConfigError) as caught:
        session.execute("/Zone/", "GET")
    assert str(caught.value) == (
        "the request's Auth-Token header cannot carry the token given: it holds a line break, a control character "
        "or a character beyond Latin-1, so nothing was sent"
    )
    assert token not in repr(caught.value) and "T0K" not in str(caught.value)
    assert (server.connections, script.requests) == (0, 0)


class ConnectRecorder:
    """A proxy that answers every CONNECT with 407 and keeps the request lines it was sent."""

    def __init__(self):
        self.lines = []

    def __call__(self, connection):
        reader = connection.makefile("rb")
        head = []
        while (line := reader.readline()) not in (b"\r\n", b""):
            head.append(line.decode("latin-1").rstrip("\r\n"))
        self.lines.append(head)
        connection.sendall(b"HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n")


@pytest.mark.parametrize(
    ("host", "authority"),
    [
        pytest.param("::1", "[::1]:443", id="ipv6-in-brackets"),
        pytest.param("b\u00fccher.example", "xn--bcher-kva.example:443", id="idna-name"),
        pytest.param("api.dynect.net", "api.dynect.net:443", id="name"),
    ],
)
def test_connect_names_the_api_as_a_request_line_must_on_every_python(serve, host, authority):
    # The authority form of RFC 9110 (9.3.6): an IPv6 address in brackets, a name in ASCII. http.client's
    # own tunnel leaves an IPv6 address bare before Python 3.13 and refuses a non-ASCII name on 3.11.
    # (End to end through proxy.py is not possible: it cannot reach a bracketed IPv6 upstream.)
    recorder = ConnectRecorder()
    proxy = serve(recorder)
    transport = Transport(
        host, 443, use_tls=True, validate_certs=True, ca_path=None, timeout=5,
        proxy=ProxySettings(host="127.0.0.1", port=proxy.port, user=PROXY_USER, password=PROXY_PASS), pacer=None,
    )
    error, _elapsed = timed(lambda: get(transport))
    assert isinstance(error, TransportError), error
    assert str(error) == (
        f"the proxy refused or failed the connection to {transport.base_url} (CONNECT was answered HTTP 407 Proxy Authentication Required)"
    )
    [head] = recorder.lines
    assert head[:2] == [f"CONNECT {authority} HTTP/1.1", f"Host: {authority}"]
    assert head[2].startswith("Proxy-Authorization: Basic ")


# --- TLS trust, at the transport (issue #13) ------------------------------------------------------------

#: Variables that could make a client trust a CA; each test starts without them.
TRUST_VARIABLES = ("SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")
#: Where a transport that never sends a request points.
NO_SERVER = SimpleNamespace(port=443)


@pytest.fixture(scope="module")
def tls_api(pki):
    """One HTTPS emulator for the trust tests (its certificate: 127.0.0.1 only, signed by pki["ca"])."""
    from harness import Emulator  # tests/conftest.py puts tests/emulator on sys.path

    with Emulator(tls_cert=pki["cert"], tls_key=pki["key"]) as server:
        yield server


@pytest.fixture
def trust_env(monkeypatch):
    """The test's environment without the runner's trust variables; set what the test needs with it."""
    for name in TRUST_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def build(server, *, host="127.0.0.1", proxy=None, validate_certs=True, ca_path=None, option_prefix=""):
    """A transport to ``server`` over HTTPS. Built after the test set its environment: the trust is read here."""
    proxy_settings = ProxySettings(host="127.0.0.1", port=proxy.port) if proxy is not None else None
    return Transport(
        host, server.port, use_tls=True, validate_certs=validate_certs, ca_path=ca_path,
        timeout=10, proxy=proxy_settings, pacer=None, option_prefix=option_prefix,
    )


def handshake_accepted(transport):
    """True once one request got an HTTP reply (whatever its status): the TLS handshake was accepted."""
    try:
        transport.send("GET", "/REST/Session/", body=None, headers={})
    finally:
        transport.close()
    return True


def refusal_of_a_request(transport):
    """The transport's error text for a request whose TLS handshake must fail."""
    with pytest.raises(TransportError, match="TLS connection to https://") as caught:
        handshake_accepted(transport)
    return str(caught.value)


@pytest.fixture(params=[False, True], ids=["direct", "through-proxy"])
def via(request, open_proxy):
    """None (connect directly), or the open proxy, which HTTPS crosses in a CONNECT tunnel."""
    return open_proxy if request.param else None


def test_the_test_ca_is_refused_by_default(trust_env, tls_api, via):
    text = refusal_of_a_request(build(tls_api, proxy=via))
    assert "certificate verify failed" in text
    assert "checked against the system trust store" in text


def test_a_ca_given_only_by_ssl_cert_file_is_trusted(trust_env, tls_api, pki, via):
    trust_env.setenv("SSL_CERT_FILE", pki["ca"])
    assert handshake_accepted(build(tls_api, proxy=via))


def test_a_ca_given_by_ca_path_is_trusted(trust_env, tls_api, pki, via):
    assert handshake_accepted(build(tls_api, proxy=via, ca_path=pki["ca"]))


def test_ca_path_replaces_the_system_store(trust_env, tls_api, pki, via):
    trust_env.setenv("SSL_CERT_FILE", pki["ca"])  # the system store would trust the server...
    text = refusal_of_a_request(build(tls_api, proxy=via, ca_path=pki["other_ca"]))  # ...ca_path does not
    assert "certificate verify failed" in text
    assert "checked against the CAs in ca_path" in text


def test_validate_certs_false_accepts_any_certificate(trust_env, tls_api, pki, via):
    trust_env.setenv("SSL_CERT_FILE", pki["other_ca"])
    assert handshake_accepted(build(tls_api, proxy=via, validate_certs=False, ca_path=pki["other_ca"]))


@pytest.mark.parametrize("route", ["SSL_CERT_FILE", "ca_path"])
def test_the_host_name_is_checked_whenever_certificates_are(trust_env, tls_api, pki, via, route):
    # The certificate is valid for 127.0.0.1 only; "localhost" reaches the same server by another name.
    if route == "SSL_CERT_FILE":
        trust_env.setenv("SSL_CERT_FILE", pki["ca"])
    ca_path = pki["ca"] if route == "ca_path" else None
    text = refusal_of_a_request(build(tls_api, host="localhost", proxy=via, ca_path=ca_path))
    assert "Hostname mismatch" in text


def test_requests_ca_variables_are_not_used_and_the_error_says_so(trust_env, tls_api, pki):
    trust_env.setenv("REQUESTS_CA_BUNDLE", pki["ca"])
    trust_env.setenv("CURL_CA_BUNDLE", pki["ca"])
    text = refusal_of_a_request(build(tls_api))
    assert "REQUESTS_CA_BUNDLE and CURL_CA_BUNDLE are not used here: give that file as ca_path" in text
    assert pki["ca"] not in text


def test_requests_ca_bundle_does_not_undo_a_trusted_ssl_cert_file(trust_env, tls_api, pki):
    trust_env.setenv("SSL_CERT_FILE", pki["ca"])
    trust_env.setenv("REQUESTS_CA_BUNDLE", pki["other_ca"])
    assert handshake_accepted(build(tls_api))


def test_certifi_is_never_added_to_the_trust(trust_env, tls_api, pki, via):
    """Only the given CAs are trusted: no certifi bundle (a requests-based client would add one) or system store."""
    transport = build(tls_api, proxy=via, ca_path=pki["ca"])
    assert handshake_accepted(transport)
    trusted = transport._ssl_context.get_ca_certs()
    assert [cert["subject"] for cert in trusted] == [((("commonName", "dyn.managed_dns test CA"),),)]


def test_the_context_verifies_certificates_and_names(trust_env, pki):
    transport = build(NO_SERVER, ca_path=pki["ca"])
    assert transport._ssl_context.verify_mode == ssl.CERT_REQUIRED
    assert transport._ssl_context.check_hostname


@pytest.fixture
def hashed_ca_dir(tmp_path, pki):
    """A directory holding the test CA under its subject hash, as SSL_CERT_DIR and capath want it."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("needs the openssl command to hash the CA's subject")
    shutil.copy(pki["ca"], tmp_path / "ca.pem")
    subprocess.run([openssl, "rehash", str(tmp_path)], check=True, capture_output=True)
    return str(tmp_path)


def test_a_ca_given_only_by_ssl_cert_dir_is_trusted(trust_env, tls_api, hashed_ca_dir):
    trust_env.setenv("SSL_CERT_DIR", hashed_ca_dir)
    assert handshake_accepted(build(tls_api))


def test_ca_path_may_be_a_hashed_directory(trust_env, tls_api, hashed_ca_dir):
    assert handshake_accepted(build(tls_api, ca_path=hashed_ca_dir))


@pytest.mark.parametrize("content", [b"", b"not a certificate\n"], ids=["empty", "not-pem"])
def test_a_ca_path_without_certificates_is_a_config_error(tmp_path, content):
    bundle = tmp_path / "bundle.pem"
    bundle.write_bytes(content)
    expected = re.escape(f"ca_path {bundle} is not a readable PEM file of CA certificates")
    with pytest.raises(DynectConfigError, match=expected):
        build(NO_SERVER, ca_path=str(bundle))


def test_a_handshake_failure_that_is_not_about_trust_does_not_blame_the_ca(trust_env, emulator):
    text = refusal_of_a_request(build(emulator))  # the emulator fixture speaks plain HTTP
    assert text.endswith("; check that ssl and port lead to the API's HTTPS port")
    assert "ca_path" not in text


# Issue #14 (8): on a dynect connection host the user set dyn_* host variables, so the advice names those.
def test_a_plain_http_server_is_blamed_on_the_prefixed_ssl_and_port(trust_env, emulator):
    text = refusal_of_a_request(build(emulator, option_prefix="dyn_"))
    assert "WRONG_VERSION_NUMBER" in text
    assert text.endswith("; check that dyn_ssl and dyn_port lead to the API's HTTPS port")


def test_an_untrusted_certificate_advice_names_the_prefixed_options(trust_env, tls_api, pki):
    trust_env.setenv("REQUESTS_CA_BUNDLE", pki["ca"])
    text = refusal_of_a_request(build(tls_api, ca_path=pki["other_ca"], option_prefix="dyn_"))
    assert "checked against the CAs in dyn_ca_path: give the CA with dyn_ca_path, or turn dyn_validate_certs off" in text
    assert "REQUESTS_CA_BUNDLE is not used here: give that file as dyn_ca_path" in text
    assert " ca_path" not in text and " validate_certs" not in text


# --- proxy_host: the host check, never repeating the value (issue #13) -----------------------------


@pytest.mark.parametrize(
    ("proxy_host", "advice"),
    [
        pytest.param("squid:Proxy-Secret-1@proxy.example", "give proxy.example ", id="user-password"),
        pytest.param("Proxy-Secret-1@proxy.example", "give proxy.example ", id="at-sign"),
        pytest.param("http://squid:Proxy-Secret-1@proxy.example:3128/", "give proxy.example ", id="url-credentials"),
        pytest.param("squid:Proxy/Secret-1@proxy.example", "give the name alone ", id="slash-in-password"),
        pytest.param("http://proxy.example", "give proxy.example ", id="scheme"),
        pytest.param("proxy.example/Proxy-Secret-1", "give proxy.example ", id="path"),
        pytest.param("squid:Proxy-Secret-1", "without a port: give the port in proxy_port", id="looks-like-host-port"),
    ],
)
def test_a_proxy_host_that_is_not_a_bare_host_is_refused_without_repeating_it(connect, emulator, proxy_host, advice):
    with pytest.raises(DynectConfigError) as caught:
        connect(proxy_host=proxy_host, proxy_port=3128)
    text = str(caught.value)
    assert text.startswith("proxy_host must be a host name or IP address")
    assert advice in text
    assert "Proxy-Secret-1" not in text and "Proxy/Secret-1" not in text and proxy_host not in text
    assert emulator.stats()["requests"] == {}


def test_a_proxy_host_is_checked_before_its_missing_port_is_reported(connect):
    with pytest.raises(DynectConfigError) as caught:
        connect(proxy_host="squid:Proxy-Secret-1@proxy.example")
    assert "Proxy-Secret-1" not in str(caught.value)
    assert "proxy_host must be" in str(caught.value)


# --- bounded replies (issue #22): the whole request within timeout, a size cap ----------------------------

#: The drip servers' pace: one byte per this many seconds, never slow enough to trip a read's timeout...
DRIP_EVERY = 0.3
#: ...and they give up after this long, so that a client without a whole-request deadline fails too.
DRIP_GIVES_UP = 6.0
ENVELOPE = b'{"status": "success", "data": {}, "job_id": 1, "msgs": []}'
TOO_DEEP = b"[" * 100000


def http_reply(body: bytes, *headers: str, length: bool = True) -> bytes:
    """An HTTP/1.1 reply with ``body``; with ``length``, a Content-Length (else the caller frames it)."""
    head = ["HTTP/1.1 200 OK", "Content-Type: application/json", *headers]
    if length:
        head.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


class LoopbackServer:
    """Accepts TCP connections on 127.0.0.1 and serves each with ``serve(connection)`` in a thread of its own."""

    def __init__(self, serve):
        self._serve = serve
        self.connections = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                connection, _address = self._listener.accept()
            except OSError:  # stop() closed the listener
                return
            self.connections += 1
            threading.Thread(target=self._serve_one, args=(connection,), daemon=True).start()

    def _serve_one(self, connection):
        with connection, contextlib.suppress(OSError):  # the client went away
            self._serve(connection)

    def stop(self):
        self._listener.close()


class Script:
    """Serves HTTP requests on a connection one after another; the n-th request read gets ``answers[n]``.

    An answer is ``answer(script, connection)``: it sends what it likes at the pace it likes, and
    returns True to keep the connection for the next request. The last answer serves any request
    beyond the list. ``sent`` counts the bytes sent, ``client_left`` is set when a client closed a
    connection on which an answer was still being sent or awaited.
    """

    def __init__(self, *answers):
        self._answers = answers
        self.requests = 0
        self.sent = 0
        self.client_left = threading.Event()

    def __call__(self, connection):
        reader = connection.makefile("rb")
        while self._read_request(reader):
            answer = self._answers[min(self.requests, len(self._answers)) - 1]
            try:
                if not answer(self, connection):
                    return
            except OSError:
                self.client_left.set()
                return

    def _read_request(self, reader):
        head = []
        while (line := reader.readline()) not in (b"\r\n", b""):
            head.append(line.decode("latin-1").lower())
        if not head:
            return False
        self.requests += 1
        length = next((int(line.split(":")[1]) for line in head if line.startswith("content-length:")), 0)
        reader.read(length)
        return True

    def send(self, connection, data):
        connection.sendall(data)
        self.sent += len(data)


def answering(data):
    """An answer that sends ``data`` at once and keeps the connection."""

    def answer(script, connection):
        script.send(connection, data)
        return True

    return answer


def dripping(data, *, at_once=0):
    """An answer that sends the first ``at_once`` bytes of ``data`` at once, then a byte every DRIP_EVERY s."""

    def answer(script, connection):
        script.send(connection, data[:at_once])
        gives_up = time.monotonic() + DRIP_GIVES_UP
        for offset in range(at_once, len(data)):
            if time.monotonic() > gives_up:
                return False
            time.sleep(DRIP_EVERY)
            script.send(connection, data[offset:offset + 1])
        return True

    return answer


def announcing_too_much(script, connection):
    """Headers that announce 300 MB, then no body at all: waits for the client to hang up."""
    script.send(connection, http_reply(b"", "Content-Length: 314572800", length=False))
    connection.settimeout(10)
    if connection.recv(1) == b"":
        script.client_left.set()
    return False


def streaming(framing):
    """An answer that offers 64 MiB of JSON-ish text without announcing its length, in 64 KiB pieces."""
    piece = b" " * 65536

    def answer(script, connection):
        if framing == "chunked":
            script.send(connection, http_reply(b"", "Transfer-Encoding: chunked", length=False))
            for _chunk in range(1024):
                script.send(connection, b"10000\r\n" + piece + b"\r\n")
            script.send(connection, b"0\r\n\r\n")
        else:  # the body ends where the connection does
            script.send(connection, http_reply(b"", "Connection: close", length=False))
            for _chunk in range(1024):
                script.send(connection, piece)
        return False

    return answer


@pytest.fixture
def serve():
    """``serve(handler)`` -> a LoopbackServer running ``handler`` (a Script, or any ``handler(connection)``)."""
    servers = []

    def start(handler):
        server = LoopbackServer(handler)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def plain_transport(server, timeout=1, **options):
    return Transport(
        "127.0.0.1", server.port, use_tls=False, validate_certs=True, ca_path=None,
        timeout=timeout, proxy=None, pacer=None, **options,
    )


def get(transport, path="/REST/Zone/"):
    return transport.send("GET", path, body=None, headers={})


def timed(call):
    """``call()``'s exception, and the seconds it took to come."""
    started = time.monotonic()
    with pytest.raises(Exception) as caught:
        call()
    return caught.value, time.monotonic() - started


WHOLE_REPLY_WITHIN = "(the whole reply, from connecting to its last byte, must arrive within timeout)"


@pytest.mark.parametrize(
    "at_once",
    [pytest.param(0, id="status-line"), pytest.param(len(http_reply(ENVELOPE)) - len(ENVELOPE), id="body")],
)
def test_a_reply_sent_a_byte_at_a_time_ends_at_the_timeout(serve, at_once):
    server = serve(Script(dripping(http_reply(ENVELOPE), at_once=at_once)))
    error, elapsed = timed(lambda: get(plain_transport(server)))
    assert isinstance(error, RequestTimeout), error
    assert str(error) == f"no answer from http://127.0.0.1:{server.port} within 1 s {WHOLE_REPLY_WITHIN}"
    assert elapsed < 3


def test_the_deadline_also_bounds_a_kept_alive_connection_and_the_next_request_goes_through(serve):
    script = Script(answering(http_reply(ENVELOPE)), dripping(http_reply(ENVELOPE)), answering(http_reply(ENVELOPE)))
    server = serve(script)
    transport = plain_transport(server)
    assert get(transport).body == ENVELOPE
    error, elapsed = timed(lambda: get(transport))  # on the same connection
    assert isinstance(error, RequestTimeout), error
    assert elapsed < 3
    assert server.connections == 1
    assert get(transport).body == ENVELOPE  # a new connection: the one cut off is not reused
    assert (server.connections, script.requests) == (2, 3)


class DripRelay:
    """Relays each connection to ``upstream``'s port, passing its bytes back one every DRIP_EVERY s.

    In front of an HTTPS server, the client's TLS handshake is what gets dripped.
    """

    def __init__(self, upstream_port):
        self._upstream_port = upstream_port

    def __call__(self, connection):
        with socket.create_connection(("127.0.0.1", self._upstream_port)) as upstream:
            threading.Thread(target=self._forward, args=(connection, upstream), daemon=True).start()
            gives_up = time.monotonic() + DRIP_GIVES_UP
            while time.monotonic() < gives_up and (byte := upstream.recv(1)):
                time.sleep(DRIP_EVERY)
                connection.sendall(byte)

    @staticmethod
    def _forward(connection, upstream):
        with contextlib.suppress(OSError):
            while data := connection.recv(65536):
                upstream.sendall(data)


def test_a_tls_handshake_sent_a_byte_at_a_time_ends_at_the_timeout(connect, tls_server, pki, serve, via):
    relay = serve(DripRelay(tls_server.port))
    server = SimpleNamespace(host="127.0.0.1", port=relay.port, ssl=True)
    proxy = {"proxy_host": "127.0.0.1", "proxy_port": via.port} if via is not None else {}
    error, elapsed = timed(lambda: connect(server=server, ca_path=pki["ca"], timeout=1, **proxy))
    assert isinstance(error, DynectAuthError), error
    assert str(error) == (
        f"POST /REST/Session/ failed: Unable to access the API host: no answer from https://127.0.0.1:{relay.port} "
        f"within 1 s {WHOLE_REPLY_WITHIN}"
    )
    assert elapsed < 3


def test_a_proxy_that_answers_connect_a_byte_at_a_time_ends_at_the_timeout(serve):
    # Before any reply is read: the socket is watched from the moment it is connected.
    proxy = serve(Script(dripping(b"HTTP/1.1 200 Connection established\r\n\r\n")))
    transport = Transport(
        "127.0.0.1", 443, use_tls=True, validate_certs=True, ca_path=None, timeout=1,
        proxy=ProxySettings(host="127.0.0.1", port=proxy.port), pacer=None,
    )
    error, elapsed = timed(lambda: get(transport))
    assert isinstance(error, RequestTimeout), error
    assert str(error) == f"no answer from https://127.0.0.1:443 within 1 s {WHOLE_REPLY_WITHIN}"
    assert elapsed < 3


def test_a_declared_length_over_the_cap_is_refused_before_the_body(serve):
    script = Script(announcing_too_much)
    server = serve(script)
    error, elapsed = timed(lambda: get(plain_transport(server, timeout=5)))
    assert isinstance(error, ReplyTooLarge), error
    assert str(error) == (
        f"the reply from http://127.0.0.1:{server.port} announces 314572800 bytes, "
        "more than the 64 MiB a reply may have; it was not read"
    )
    assert elapsed < 2  # not waited for
    assert script.client_left.wait(5)  # the client hung up rather than wait for the body


@pytest.mark.parametrize("framing", ["chunked", "until-closed"])
def test_a_body_without_length_is_cut_at_the_cap(serve, monkeypatch, framing):
    monkeypatch.setattr(_transport, "MAX_REPLY_BYTES", 1024 * 1024)
    script = Script(streaming(framing))
    server = serve(script)
    error, _elapsed = timed(lambda: get(plain_transport(server, timeout=20)))
    assert isinstance(error, ReplyTooLarge), error
    assert str(error) == f"the reply from http://127.0.0.1:{server.port} passed the 1 MiB a reply may have; the rest was not read"
    assert script.client_left.wait(5)
    assert script.sent < 32 * 1024 * 1024  # of 64 MiB offered: what the sockets' buffers took, at most


def test_a_small_compressed_body_is_cut_at_the_cap_once_unpacked(serve, monkeypatch):
    monkeypatch.setattr(_transport, "MAX_REPLY_BYTES", 1024 * 1024)
    packed = gzip.compress(b" " * (8 * 1024 * 1024))
    server = serve(Script(answering(http_reply(packed, "Content-Encoding: gzip"))))
    error, _elapsed = timed(lambda: get(plain_transport(server)))
    assert isinstance(error, ReplyTooLarge), error
    assert "passed the 1 MiB a reply may have" in str(error)


def test_the_cap_holds_a_zone_of_400000_records_with_their_details():
    # The guide's promise for the largest answer of the API: GET AllRecord/<zone>/ with detail.
    records = [
        {"zone": "example.com", "ttl": 3600, "fqdn": f"host-{number:06}.example.com", "record_type": "A",
         "rdata": {"address": f"192.0.2.{number % 256}"}, "record_id": 100000000 + number}
        for number in range(1000)
    ]
    thousand = len(json.dumps(records, indent=None).encode())
    envelope = {"status": "success", "data": {"a_records": []}, "job_id": 4242424242, "msgs": [
        {"INFO": "get_tree: Here is your zone tree", "SOURCE": "BLL", "ERR_CD": None, "LVL": "INFO"}]}
    assert 400 * thousand + len(json.dumps(envelope)) < _transport.MAX_REPLY_BYTES == 64 * 1024 * 1024


def test_a_reply_at_the_cap_is_read_whole(serve, monkeypatch):
    monkeypatch.setattr(_transport, "MAX_REPLY_BYTES", len(ENVELOPE))
    server = serve(Script(answering(http_reply(ENVELOPE)), answering(http_reply(ENVELOPE + b" "))))
    transport = plain_transport(server)
    assert get(transport).body == ENVELOPE
    with pytest.raises(ReplyTooLarge):
        get(transport)


# Through the Python API, the words a task shows (describe_error is the module edge's sentence).


def token_session(server, **options):
    """A DynectSession on ``server`` that adopts a token, so that its first request is the test's."""
    return DynectSession(
        "acme", "ops", None, host="127.0.0.1", port=server.port, ssl=False, token="T0KEN", auto_auth=False,
        timeout=1, transport_retry_wait=0.01, **options,
    )


def test_a_dripped_read_is_retried_as_before_each_try_bounded(serve):
    script = Script(dripping(http_reply(ENVELOPE)))
    session = token_session(serve(script), transport_retries=1)
    error, elapsed = timed(lambda: session.execute("/Zone/", "GET"))
    assert isinstance(error, DynectGetError), error
    assert error.outcome_unknown is False
    assert script.requests == 2
    assert elapsed < 4
    assert describe_error(error) == (
        f"GET /REST/Zone/ failed: no answer from http://127.0.0.1:{session.port} within 1 s {WHOLE_REPLY_WITHIN}; "
        "check host, port, ssl and the proxy options."
    )


def test_a_dripped_answer_to_a_change_leaves_its_outcome_unknown(serve):
    script = Script(dripping(http_reply(ENVELOPE)))
    session = token_session(serve(script), option_prefix="dyn_")
    error, elapsed = timed(lambda: session.execute("/Zone/example.com/", "PUT", {"publish": True}))
    assert isinstance(error, DynectUpdateError), error
    assert error.outcome_unknown is True
    assert script.requests == 1  # a change is never sent twice
    assert elapsed < 3
    assert str(error).endswith("within 1 s (the whole reply, from connecting to its last byte, must arrive within dyn_timeout)")


@pytest.mark.parametrize(("method", "outcome_unknown"), [("GET", False), ("DELETE", True)])
def test_a_reply_over_the_cap_is_not_asked_for_again(serve, method, outcome_unknown):
    script = Script(announcing_too_much)
    session = token_session(serve(script), transport_retries=2)
    error, _elapsed = timed(lambda: session.execute("/Zone/example.com/", method))
    assert isinstance(error, error_class_for_method(method)), error
    assert error.outcome_unknown is outcome_unknown
    assert script.requests == 1  # the server would send the same again
    assert describe_error(error) == (
        f"{method} /REST/Zone/example.com/ failed: the reply from http://127.0.0.1:{session.port} announces "
        "314572800 bytes, more than the 64 MiB a reply may have; it was not read; check host, port, ssl and the proxy options."
    )


def test_a_reply_in_an_encoding_not_asked_for_is_not_asked_for_again(serve):
    script = Script(answering(http_reply(b"\x8b\x00", "Content-Encoding: br")))
    session = token_session(serve(script), transport_retries=2)
    error, _elapsed = timed(lambda: session.execute("/Zone/", "GET"))
    assert isinstance(error, DynectGetError), error
    assert script.requests == 1  # the server would send the same again
    assert describe_error(error) == (
        f"GET /REST/Zone/ failed: the reply from http://127.0.0.1:{session.port} is encoded as 'br', which was not asked for; "
        "check host, port, ssl and the proxy options."
    )


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        pytest.param(TOO_DEEP, "body nests JSON arrays or objects more than 100 levels deep", id="too-deep"),
        pytest.param(ENVELOPE.decode().encode("utf-16"), "body is not JSON (not UTF-8)", id="utf-16"),
    ],
)
def test_a_reply_that_cannot_be_decoded_safely_is_a_clear_error(serve, body, reason):
    session = token_session(serve(Script(answering(http_reply(body)))))
    error, _elapsed = timed(lambda: session.execute("/Zone/", "GET"))
    assert isinstance(error, DynectGetError), error
    assert describe_error(error) == f"DynECT refused the request: GET /REST/Zone/ failed (HTTP 200): {reason}."


def request_threads():
    return [thread for thread in threading.enumerate() if thread.name == "dyn-request-deadlines" or isinstance(thread, threading.Timer)]


def test_bounding_a_request_leaves_no_descriptor_behind_and_takes_one_thread_for_all(connect, emulator):
    session = connect()
    session.execute("/Zone/", "GET")  # the connection is open, kept alive
    descriptors = len(os.listdir("/proc/self/fd"))
    for _request in range(30):
        session.execute("/Zone/", "GET")
    assert len(os.listdir("/proc/self/fd")) <= descriptors  # (other tests' servers may still be closing theirs)
    assert len(request_threads()) == 1  # one thread expires every request's deadline, not one per request
    assert not _transport._DEADLINES._pending


def test_a_forked_child_bounds_its_requests_with_a_watch_of_its_own():
    # The parent's watch thread does not exist in a child (ansible-connection forks).
    parent_watch = _transport._DEADLINES
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:
        os.close(reader)
        with _transport._Deadline(0.05) as deadline:
            time.sleep(0.5)
        os.write(writer, b"1" if deadline.passed and _transport._DEADLINES is not parent_watch else b"0")
        os._exit(0)
    os.close(writer)
    os.waitpid(child, 0)
    assert os.read(reader, 1) == b"1"
