# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The checks of the API options' values, in the option layer (issue #23 item 7), without a session or transport.

How a session refuses such values before any request is tested with the session, in test_transport.py.
"""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys

import pytest

from ansible_collections.dyn.managed_dns.plugins.module_utils import _options
from ansible_collections.dyn.managed_dns.plugins.module_utils._option_values import ProxySettings, is_loopback, proxy_settings, tcp_port, url_host
from ansible_collections.dyn.managed_dns.plugins.module_utils.errors import DynectConfigError


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("localhost", True), ("LOCALHOST", True), ("127.0.0.1", True), ("127.8.9.10", True), ("::1", True),
     ("[::1]", True), ("api.dynect.net", False), ("10.0.0.1", False), ("128.0.0.1", False), ("localhost.evil", False)],
)
def test_is_loopback(host, loopback):
    assert is_loopback(host) is loopback


@pytest.mark.parametrize("host", ["", "  "])
@pytest.mark.parametrize("option", ["host", "proxy_host"])
def test_an_empty_host_is_refused_naming_the_option(host, option):
    with pytest.raises(DynectConfigError) as caught:
        url_host(host, option)
    assert str(caught.value) == (
        f"{option} must not be empty (an undefined variable or unset environment variable may have given ''); set it"
    )


def test_an_ipv6_proxy_host_is_kept_bracketed_as_a_url_writes_it():
    assert proxy_settings("::1", 3128, None, None).host == "[::1]"


@pytest.mark.parametrize(("value", "port"), [(443, 443), ("8443", 8443), (" 1 ", 1), (65535, 65535)])
def test_a_tcp_port_is_a_number_or_its_digits(value, port):
    assert tcp_port("port", value) == port


@pytest.mark.parametrize("value", [0, 65536, -1, True, "https", None, 443.0])
def test_anything_else_is_refused_naming_the_option(value):
    with pytest.raises(DynectConfigError, match=f"^proxy_port must be a TCP port number from 1 to 65535, not {value!r}$"):
        tcp_port("proxy_port", value)


@pytest.mark.parametrize(("host", "in_url"), [("api.dynect.net", "api.dynect.net"), ("::1", "[::1]"), ("[2001:db8::1]", "[2001:db8::1]")])
def test_a_bare_host_goes_into_a_url_as_it_is_or_bracketed(host, in_url):
    assert url_host(host) == in_url


@pytest.mark.parametrize(
    ("host", "advice"),
    [
        ("https://ops:Url-Secret-1@api.dynect.net/", "not a URL: give api.dynect.net (the scheme comes from ssl and the port from port)"),
        ("ops:Url/Secret-1@api.dynect.net", "not a URL: give the name alone (the scheme"),
        ("api.dynect.net:443", "without a port: give the port in port"),
    ],
)
def test_a_host_that_is_not_bare_is_refused_without_repeating_it(host, advice):
    with pytest.raises(DynectConfigError) as caught:
        url_host(host)
    assert str(caught.value).startswith("host must be a host name or IP address")
    assert advice in str(caught.value)
    assert "Secret-1" not in str(caught.value) and host not in str(caught.value)


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ((None, 3128, None, None), "proxy_port, proxy_user and proxy_pass need proxy_host"),
        (("proxy.example", None, None, None), "proxy_host is missing its port: set proxy_port"),
        (("proxy.example", 3128, "squid", None), "proxy_user and proxy_pass must be given together"),
        (("squid:Proxy-Secret-1@proxy.example", None, None, None), "proxy_host must be a host name or IP address, not a URL: give proxy.example"),
    ],
)
def test_incomplete_or_unusable_proxy_settings_are_refused(settings, message):
    with pytest.raises(DynectConfigError) as caught:
        proxy_settings(*settings)
    assert str(caught.value).startswith(message)
    assert "Proxy-Secret-1" not in str(caught.value)


def test_proxy_settings_keep_the_password_out_of_the_repr():
    proxy = proxy_settings("proxy.example", "3128", "squid", "Proxy-Secret-1")
    assert proxy == ProxySettings("proxy.example", 3128, "squid", "Proxy-Secret-1")
    assert proxy is not None and "Proxy-Secret-1" not in repr(proxy) + str(proxy)
    assert proxy_settings(None, None, None, None) is None


def test_the_option_layer_does_not_import_the_transport():
    # The option checks moved out of _transport.py so that the option layer sits under it: importing
    # the option table and its checks must not load the transport (nor requests with it).
    collections_path = next(path.parent for path in pathlib.Path(_options.__file__).parents if path.name == "ansible_collections")
    probe = (
        "import sys\n"
        "from ansible_collections.dyn.managed_dns.plugins.module_utils import _option_values, _options\n"
        "print(sorted(name.rpartition('.')[2] for name in sys.modules if name.endswith(('._transport', '._api', '.session'))))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(collections_path)}
    run = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"
