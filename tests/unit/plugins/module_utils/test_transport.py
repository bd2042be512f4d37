# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The transport: HTTPS against a self-signed CA, and a real HTTP proxy (proxy.py) with and without auth.

TLS trust (issue #13): the system trust store as Python's ssl module loads it (SSL_CERT_FILE,
SSL_CERT_DIR), ca_path instead of it, never certifi's bundle nor requests' REQUESTS_CA_BUNDLE.
"""

from __future__ import annotations

import re
import shutil
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
import requests

from ansible_collections.dyn.managed_dns.plugins.module_utils._transport import ProxySettings, Transport, TransportError
from ansible_collections.dyn.managed_dns.plugins.module_utils.errors import DynectAuthError, DynectConfigError
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


@pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")
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
    assert session._api._transport.base_url.startswith("http://[::1]:")


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
    assert not any(isinstance(error, requests.RequestException) for error in exception_chain(caught.value))


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


@pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")
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
    """requests points verifying pools at certifi's bundle, which urllib3 would load into our context."""
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


def test_an_ipv6_proxy_host_goes_into_the_proxy_url_bracketed():
    from ansible_collections.dyn.managed_dns.plugins.module_utils._transport import proxy_settings

    assert proxy_settings("::1", 3128, None, None).url == "http://[::1]:3128"


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("localhost", True), ("LOCALHOST", True), ("127.0.0.1", True), ("127.8.9.10", True), ("::1", True),
     ("[::1]", True), ("api.dynect.net", False), ("10.0.0.1", False), ("128.0.0.1", False), ("localhost.evil", False)],
)
def test_is_loopback(host, loopback):
    from ansible_collections.dyn.managed_dns.plugins.module_utils._transport import is_loopback

    assert is_loopback(host) is loopback
