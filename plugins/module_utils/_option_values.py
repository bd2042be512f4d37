# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The checks of the API options' values as a user gives them: hosts, ports, proxy settings (private).

Part of the option layer, beside the option table (``_options.py``): each check refuses a value with
a :class:`DynectConfigError` that names the option and says what to give instead, and never repeats
a value that may hold credentials. The transport (``_transport.py``) and the session take their
values through these checks; nothing here speaks HTTP or imports the transport.
"""

from __future__ import annotations

import base64
import ipaddress
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ansible_collections.dyn.managed_dns.plugins.module_utils.errors import DynectConfigError

__all__ = ["DEFAULT_RATE_LIMIT", "ProxySettings", "is_loopback", "proxy_settings", "tcp_port", "url_host"]

#: DynECT allows an account 300 requests per minute by default: the rate_limit option's default.
DEFAULT_RATE_LIMIT = 300


@dataclass(frozen=True)
class ProxySettings:
    """Where the HTTP proxy is (``host`` as a URL writes it: an IPv6 address in brackets) and how to authenticate to it.

    The credentials only ever leave as the ``Proxy-Authorization`` header: never in a URL, an error or the repr.
    """

    host: str
    port: int
    user: str | None = None
    password: str | None = field(default=None, repr=False)

    @property
    def authorization(self) -> str | None:
        """The ``Proxy-Authorization`` value (the SDK sent ``Basic b'...'`` on Python 3)."""
        if self.user is None:
            return None
        credentials = f"{self.user}:{self.password}".encode()
        return "Basic " + base64.b64encode(credentials).decode("ascii")


def proxy_settings(
    host: str | None, port: int | None, user: str | None, password: str | None
) -> ProxySettings | None:
    """Check the SDK-style proxy options and bundle them, or None when no proxy is wanted.

    ``host`` is checked first, by the same rule as the API's host: a ``user:password@proxy`` or a
    proxy URL is refused without repeating it, before any other message could name it.
    """
    if host is None:
        if port is not None or user is not None or password is not None:
            raise DynectConfigError("proxy_port, proxy_user and proxy_pass need proxy_host")
        return None
    bracketed = url_host(host, "proxy_host")
    if port is None:
        raise DynectConfigError("proxy_host is missing its port: set proxy_port")
    if (user is None) != (password is None):
        raise DynectConfigError("proxy_user and proxy_pass must be given together")
    return ProxySettings(host=bracketed, port=tcp_port("proxy_port", port), user=user, password=password)


def tcp_port(option: str, value: object) -> int:
    """``value`` (a number, or its digits as text) as a TCP port, or :class:`DynectConfigError` naming ``option``."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 65535:
        raise DynectConfigError(f"{option} must be a TCP port number from 1 to 65535, not {value!r}")
    return value


#: What a host option's refusal tells to do instead, by option: where the URL's other parts go.
_URL_PARTS_ADVICE = {
    "host": "the scheme comes from ssl and the port from port",
    "proxy_host": "the port goes in proxy_port, and credentials in proxy_user and proxy_pass",
}


def url_host(host: str, option: str = "host") -> str:
    """``host`` as it goes into a URL; :class:`DynectConfigError` when it is not a bare host name or address.

    A URL, or a host with a port, would otherwise reach the HTTP client as a mangled address whose error
    (an invalid IPv6 address, a name that does not resolve) does not say what to change. The
    value is never repeated in the error: it may carry credentials (``user:password@``, or a
    ``user:password`` that looks like a host and port). ``option`` is ``host`` or ``proxy_host``.
    """
    port_option = option.removesuffix("host") + "port"  # host -> port, proxy_host -> proxy_port
    if not host.strip():
        raise DynectConfigError(f"{option} must not be empty (an undefined variable or unset environment variable may have given ''); set it")
    if any(part in host for part in ("://", "/", "@")):
        raise DynectConfigError(
            f"{option} must be a host name or IP address, not a URL: give {_bare_host(host) or 'the name alone'} "
            f"({_URL_PARTS_ADVICE[option]})"
        )
    if ":" not in host:
        return host
    try:
        ipaddress.IPv6Address(host.removeprefix("[").removesuffix("]"))
    except ValueError:
        raise DynectConfigError(
            f"{option} must be a host name or IP address without a port: give the port in {port_option}"
        ) from None
    return host if host.startswith("[") else f"[{host}]"


def _bare_host(value: str) -> str | None:
    """The host name in a URL-like ``value``, or None when it cannot be told safely."""
    try:
        bare = urlsplit(value if "://" in value else f"//{value}").hostname
    except ValueError:  # not even a URL (an unclosed IPv6 bracket)
        return None
    # A "/" or "#" inside a password ends urlsplit's host part early, so the name it finds could
    # be a piece of the credentials: only a name after the last "@" is surely the host.
    if bare is None or ("@" in value and bare not in value.rpartition("@")[2].lower()):
        return None
    return bare


def is_loopback(host: str) -> bool:
    """Whether ``host`` is this machine (localhost, 127.0.0.0/8, ::1): traffic to it never crosses a network."""
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
