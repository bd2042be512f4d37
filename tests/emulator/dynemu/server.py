# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""HTTP plumbing: a threaded HTTP/1.1 keep-alive server (optionally TLS), the control API, the request log.

The control API (/__emulator__/) can read every secret and reset or sabotage the emulator, so it
answers only requests that no web page can make a browser send: from a loopback address, with a
Host header naming loopback (a DNS-rebinding page's requests carry its own host name), and, for a
POST, with Content-Type application/json (a page can POST text/plain or a form without a CORS
preflight, but not JSON; and the emulator answers no preflight).

The request log is one line per request on stderr: client address, method, path, status and time.
Tokens travel only in the Auth-Token header and passwords only in bodies, neither of which is
logged, so no line ever holds a secret.
"""

from __future__ import annotations

import ipaddress
import json
import re
import socket
import ssl
import sys
import time
import urllib.parse
from collections.abc import Callable
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .accounts import AccountsError
from .api import ApiRequest, DynectApi
from .messages import Reply
from .routes import Route

CONTROL_PREFIX = "/__emulator__/"

# A Host header: a bracketed IPv6 literal or a name / IPv4 literal, then an optional port.
_HOST_HEADER = re.compile(r"(?:\[(?P<ipv6>[^\]]*)\]|(?P<name>[^:\[\]]*))(?::[0-9]*)?")


class EmulatorServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # stopping must not wait for clients' idle keep-alive connections
    allow_reuse_address = True
    # The listen backlog: socketserver's default of 5 makes a burst of clients connecting at once (20 threads
    # logging in together on a busy machine) meet refused or reset connections before accept() catches up.
    # The kernel caps it at net.core.somaxconn.
    request_queue_size = socket.SOMAXCONN

    def __init__(self, host: str, port: int, api: DynectApi, ssl_context: ssl.SSLContext | None = None) -> None:
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.api = api
        self.ssl_context = ssl_context
        super().__init__((host, port), _Handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        # A wildcard address is not somewhere to connect to: point the URL at loopback instead.
        host = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)
        host = f"[{host}]" if ":" in host else host
        return f"{'https' if self.ssl_context else 'http'}://{host}:{port}"

    def finish_request(self, request: Any, client_address: Any) -> None:
        if self.ssl_context is None:
            super().finish_request(request, client_address)
            return
        # The TLS handshake runs here, in the connection's own thread, so a slow client never stalls accept().
        try:
            tls_request = self.ssl_context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError) as exc:
            log_line(f"{client_address[0]} TLS handshake failed: {exc.__class__.__name__}")
            return
        with tls_request:
            super().finish_request(tls_request, client_address)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client vanishing mid-request is routine here (drop_connection tests, killed clients): one line, no traceback.
        log_line(f"{client_address[0]} connection error: {sys.exc_info()[0].__name__}")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive; every answer carries Content-Length
    server_version = "DynECT-Emulator"
    sys_version = ""
    server: EmulatorServer

    def setup(self) -> None:
        super().setup()
        # Without TCP_NODELAY the body segment written after the headers waits for the client's delayed
        # ACK: a keep-alive request would take ~40 ms on loopback instead of ~1 ms.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self) -> None:  # pylint: disable=invalid-name  # the names http.server dispatches to
        self._serve()

    do_POST = do_PUT = do_DELETE = do_GET

    def _serve(self) -> None:
        started = time.perf_counter()
        path = urllib.parse.urlsplit(self.path).path
        try:
            body = self._read_body()
        except ValueError:
            self.close_connection = True  # where the body ends is unknown: the connection cannot be reused
            reply = Reply(400, b"Bad request body framing", "text/plain")
        else:
            reply = self._dispatch(path, body)
        self._send(reply)
        status = "dropped" if reply.drop_connection else str(reply.http_status)
        log_line(f'{self.client_address[0]} "{self.command} {path}" {status} {(time.perf_counter() - started) * 1000:.1f}ms')

    def _read_body(self) -> bytes:
        """The request body, by Content-Length or chunked; ValueError if its framing is broken."""
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while size := int(self.rfile.readline().split(b";", 1)[0], 16):
                chunks.append(self.rfile.read(size))
                self.rfile.readline()  # the CRLF closing the chunk
            while self.rfile.readline().strip():  # trailer fields, up to the blank line
                pass
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        if length < 0:
            raise ValueError("negative Content-Length")
        return self.rfile.read(length)

    def _dispatch(self, path: str, body: bytes) -> Reply:
        if path.startswith(CONTROL_PREFIX):
            return self._control(path[len(CONTROL_PREFIX):].strip("/"), body)
        route = Route.parse(self.command, path)
        if route is None:
            return Reply.json(404, {"error": "not found: the API lives under /REST/"})
        request = ApiRequest(self.headers, body, self.client_address[0], urllib.parse.urlsplit(self.path).query)
        return self.server.api.handle(request, route)

    def _control(self, action: str, body: bytes) -> Reply:
        refusal = _control_refusal(self.command, self.client_address[0], self.headers)
        if refusal is not None:  # checked before the endpoint: a refused request learns and changes nothing
            return Reply.json(403, {"error": "forbidden", "reason": refusal})
        resource, _slash, name = action.partition("/")
        if (self.command, resource) in _CONTROL_RESOURCES and name:
            query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
            return _CONTROL_RESOURCES[(self.command, resource)](self.server.api, name, query)
        endpoint = _CONTROL_ENDPOINTS.get((self.command, action))
        if endpoint is None:
            known = [" ".join(key) for key in _CONTROL_ENDPOINTS] + [f"{m} {r}/<name>" for m, r in _CONTROL_RESOURCES]
            return Reply.json(404, {"error": f"control endpoints: {', '.join(known)}"})
        return endpoint(self.server.api, body)

    def _send(self, reply: Reply) -> None:
        if reply.drop_connection:
            self.close_connection = True  # the server closes the socket without a byte of answer
            return
        self.send_response(reply.http_status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(reply.body)

    def log_request(self, code: Any = "-", size: Any = "-") -> None:
        """Silenced: ``_serve`` writes its own line (the default one would print the raw request line)."""

    def log_error(self, format: str, *args: Any) -> None:  # pylint: disable=redefined-builtin  # base signature
        # Only malformed requests get here; their raw text is not echoed.
        log_line(f"{self.client_address[0]} malformed request rejected")


def _stats(api: DynectApi, _body: bytes) -> Reply:
    return Reply.json(200, api.stats())


def _secrets(api: DynectApi, _body: bytes) -> Reply:
    return Reply.json(200, api.secrets())


def _reset(api: DynectApi, _body: bytes) -> Reply:
    try:
        api.reset()
    except AccountsError as exc:  # the file was broken since the start: the old accounts stay
        return Reply.json(500, {"error": str(exc)})
    return Reply.json(200, {"reset": True})


def _arm_fault(api: DynectApi, body: bytes) -> Reply:
    try:
        armed = api.arm_fault(json.loads(body or b"null"))
    except ValueError as exc:  # a wrong spec, or not JSON at all (json.JSONDecodeError)
        return Reply.json(400, {"error": str(exc)})
    return Reply.json(200, {"armed": armed})


def _get_settings(api: DynectApi, _body: bytes) -> Reply:
    return Reply.json(200, api.settings())


def _change_settings(api: DynectApi, body: bytes) -> Reply:
    try:
        return Reply.json(200, api.change_settings(json.loads(body or b"null")))
    except ValueError as exc:  # a wrong setting or value, or not JSON at all (json.JSONDecodeError)
        return Reply.json(400, {"error": str(exc)})


def _zone(api: DynectApi, name: str, query: dict[str, list[str]]) -> Reply:
    customer = (query.get("customer") or [None])[-1]
    try:
        return Reply.json(200, api.zone_state(name, customer))
    except LookupError as exc:
        return Reply.json(404, {"error": str(exc.args[0])})


_CONTROL_ENDPOINTS: dict[tuple[str, str], Callable[[DynectApi, bytes], Reply]] = {
    ("GET", "stats"): _stats,
    ("GET", "secrets"): _secrets,
    ("POST", "reset"): _reset,
    ("POST", "faults"): _arm_fault,
    ("GET", "settings"): _get_settings,
    ("POST", "settings"): _change_settings,
}
# Endpoints with a name in the path: /__emulator__/<resource>/<name>
_CONTROL_RESOURCES: dict[tuple[str, str], Callable[[DynectApi, str, dict[str, list[str]]], Reply]] = {
    ("GET", "zones"): _zone,
}


def _control_refusal(method: str, client: str, headers: Message) -> str | None:
    """Why a control request is refused (see the module docstring), or None if it may run."""
    if not _is_loopback(client):
        return "the control API answers loopback clients only"
    hosts = headers.get_all("Host") or []
    if len(hosts) != 1 or not _is_loopback_host(hosts[0]):  # two Host headers: which one a proxy used is unknown
        return "the control API needs a Host header naming a loopback address or localhost"
    # get_content_type() drops parameters (charset=...), lowercases, and says text/plain when the header is absent.
    if method == "POST" and headers.get_content_type() != "application/json":
        return "a control API POST needs Content-Type: application/json"
    return None


def _is_loopback_host(value: str) -> bool:
    """Whether a Host header names loopback: 127.0.0.0/8, [::1] or localhost, with any port."""
    match = _HOST_HEADER.fullmatch(value.strip())
    if match is None:
        return False
    if match["ipv6"] is not None:
        return _is_loopback_literal(match["ipv6"], ipaddress.IPv6Address)
    name = match["name"]
    return name.lower() == "localhost" or _is_loopback_literal(name, ipaddress.IPv4Address)


def _is_loopback_literal(text: str, kind: type[ipaddress.IPv4Address] | type[ipaddress.IPv6Address]) -> bool:
    try:
        return _is_loopback_ip(kind(text))
    except ValueError:  # a host name (only localhost is trusted: any other may resolve anywhere) or garbage
        return False


def log_line(text: str) -> None:
    sys.stderr.write(f"{time.strftime('%H:%M:%S')} {text}\n")  # one write per line: threads do not interleave
    sys.stderr.flush()


def _is_loopback(address: str) -> bool:
    return _is_loopback_ip(ipaddress.ip_address(address))


def _is_loopback_ip(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    mapped = getattr(ip, "ipv4_mapped", None)  # an IPv4 client of a dual-stack socket shows as ::ffff:127.0.0.1
    return (mapped or ip).is_loopback
