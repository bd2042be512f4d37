# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""HTTP transport of the DynECT client (private). This is the only code that speaks HTTP.

One kept-alive ``http.client`` connection per DynECT session carries its calls, directly or
through an HTTP proxy (a CONNECT tunnel for HTTPS). Python's standard library is enough: the API
speaks JSON over plain HTTP/1.1, as dyn-python's ``http.client`` session did, and a request costs
the client a fraction of what a general-purpose HTTP library costs (``make bench``). The transport
sends exactly one HTTP request per :meth:`Transport.send` and knows nothing about the API:
following jobs, retrying and re-logging in are decided one layer up, in ``_api``. Because every
request passes through :meth:`Transport.send`, this is also where the session paces itself to
stay under the account's rate limit (:class:`RequestPacer`).

Every request is bounded here too: ``timeout`` covers the whole request, from connecting to the last
byte of the reply (:class:`_Deadline`), and a reply larger than :data:`MAX_REPLY_BYTES` is refused
without being read into memory.

TLS trust is decided here as well (:func:`tls_context`): the system trust store as Python's
``ssl`` module builds it (so ``SSL_CERT_FILE`` and ``SSL_CERT_DIR`` apply), or only the CAs of
``ca_path``; never a CA bundle from ``REQUESTS_CA_BUNDLE`` / ``CURL_CA_BUNDLE``, nor a proxy from
the environment: only the options given count.
"""

from __future__ import annotations

import collections
import contextlib
import http.client
import os
import re
import select
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ansible_collections.dyn.managed_dns.plugins.module_utils._option_values import ProxySettings, url_host
from ansible_collections.dyn.managed_dns.plugins.module_utils.errors import TLS_FAILURE, DynectConfigError


@dataclass(frozen=True)
class HttpReply:
    """What came back for one HTTP request."""

    status: int
    headers: Mapping[str, str]
    body: bytes


#: DynECT counts an account's requests over a sliding minute (and allows DEFAULT_RATE_LIMIT of them by default).
RATE_LIMIT_WINDOW = 60.0


class RequestPacer:
    """Keeps a client's requests under a rate limit: never more than ``limit`` in any minute.

    DynECT counts the requests of an account (all its users and sessions) over a sliding minute;
    the request past the limit locks the whole account out with 429s for up to a minute. The pacer
    remembers when each of the last ``limit`` requests was answered. A request goes out at once
    while fewer than ``limit`` were answered within the last minute; otherwise it waits until the
    oldest of those is a minute old.

    Counting from the answer rather than from the send makes the guarantee hold whatever the
    network delay: the server counted a request at the latest when it answered it, and counts a
    later one at the earliest when it is sent. So bursts of up to ``limit`` requests go at full
    speed, and a long run sustains the limit less one round trip per minute.

    It paces one client's requests, sent one after another (as a session sends them); other
    processes or sessions of the same account have budgets of their own.
    """

    # Class attributes, so that tests can stand in a fake clock without sleeping for real.
    _clock = staticmethod(time.monotonic)
    _sleep = staticmethod(time.sleep)

    def __init__(self, limit: int) -> None:
        if isinstance(limit, bool) or not isinstance(limit, int) or limit <= 0:
            raise DynectConfigError(f"rate_limit must be a whole number of requests per minute, or 0 for none; not {limit!r}")
        self.limit = limit
        #: Seconds this pacer has held requests back, in all (a task warns when they add up; see _module.py).
        self.waited = 0.0
        # The answer times of the last ``limit`` requests, oldest first; older ones no longer matter.
        self._answered: collections.deque[float] = collections.deque(maxlen=limit)

    @contextlib.contextmanager
    def turn(self) -> Iterator[None]:
        """Wait until one more request fits under the limit, and count it once it is answered.

        A request that failed without an answer counts too: the server may have received it.
        """
        if len(self._answered) == self.limit:
            delay = self._answered[0] + RATE_LIMIT_WINDOW - self._clock()
            if delay > 0:
                self._sleep(delay)
                self.waited += delay
        try:
            yield
        finally:
            self._answered.append(self._clock())


def request_pacer(rate_limit: int | None) -> RequestPacer | None:
    """The pacer for the ``rate_limit`` option (requests per minute); None or 0 turn pacing off."""
    if not rate_limit:
        return None
    return RequestPacer(rate_limit)


class TransportError(Exception):
    """The request got no usable HTTP reply (connection refused or dropped, TLS failure, timeout, ...)."""

    #: Whether the same request may fare better sent again (a dropped connection may; a refused reply will not).
    retryable = True


class RequestTimeout(TransportError):
    """The whole reply did not arrive within the transport's ``timeout``."""


class ReplyTooLarge(TransportError):
    """The reply is larger than :data:`MAX_REPLY_BYTES`; it was not read (the server sends the same again)."""

    retryable = False


class UnreadableReply(TransportError):
    """The reply comes in an encoding that was not asked for; it was not read (the server sends the same again)."""

    retryable = False


#: The largest reply body read, in bytes (after any gzip decoding). The API's largest answer is a
#: big zone's ``AllRecord`` with ``detail``, sent whole (DynECT has no paging): about 150 bytes a
#: record in JSON, a few KiB for a long TXT. 64 MiB holds some 400,000 records, more than any zone
#: we know of, while the worker that reads and decodes it (the text, then its Python objects: about
#: six times the size at the peak) stays within some 400 MiB. Anything bigger is not an API answer.
MAX_REPLY_BYTES = 64 * 1024 * 1024

#: How much of a body is read at a time: small enough that the size cap is checked often.
_READ_CHUNK_BYTES = 64 * 1024


def _byte_size(count: int) -> str:
    """``count`` bytes as people read it: ``64 MiB``, or the bytes when not a whole number of MiB."""
    mebibytes, rest = divmod(count, 1024 * 1024)
    return f"{mebibytes} MiB" if mebibytes and not rest else f"{count} bytes"


class _Deadline:
    """The end of one HTTP request: once it passes, every socket the request uses is shut down.

    A socket's timeout bounds each read, not the request: a server that sends one byte a second
    would never trip it and would keep the task forever. So :data:`_DEADLINES` shuts the request's
    sockets down at the deadline; the blocked read returns at once, and :attr:`passed` tells the
    caller that whatever came back is cut short. Sockets are handed over by :func:`_watched_pool_classes`'
    connections. Each is kept as a duplicate descriptor: it reaches the same connection whatever
    becomes of the original object (TLS wraps a new socket object around it).
    Before there is a socket, connecting is bounded by the connect timeout (the same ``timeout``,
    from about the same moment); name resolution has only the system resolver's own time-outs.
    """

    def __init__(self, seconds: float) -> None:
        self.at = time.monotonic() + seconds
        self.passed = False
        self._ended = False
        self._handles: list[socket.socket] = []
        self._lock = threading.Lock()

    def __enter__(self) -> _Deadline:
        _DEADLINES.add(self)
        return self

    def __exit__(self, *exc_info: object) -> None:
        _DEADLINES.discard(self)
        with self._lock:
            self._ended = True
            for handle in self._handles:
                handle.close()

    def watch(self, sock: socket.socket) -> None:
        """Shut ``sock`` down at the deadline, or now if it has passed already."""
        if sock.fileno() < 0:  # closed already: nothing to wait for
            return
        handle = socket.socket(fileno=os.dup(sock.fileno()))
        with self._lock:
            self._handles.append(handle)
            if self.passed:
                _shut_down(handle)

    def expire(self) -> None:
        """The deadline has come (called by :data:`_DEADLINES`)."""
        with self._lock:
            if self._ended:  # the request ended as the deadline came
                return
            self.passed = True
            for handle in self._handles:
                _shut_down(handle)


class _DeadlineWatch:
    """One thread that expires the deadlines of every request of this process, whatever its thread.

    A timer thread per request cost more than the rest of a request on loopback; this one thread
    sleeps until the nearest deadline and is woken only when a request's deadline comes before the
    one it sleeps towards (with one timeout for every request, rarely: the first after a pause).
    """

    def __init__(self) -> None:
        self._pending: set[_Deadline] = set()
        self._changed = threading.Condition()
        self._wakes_at = float("inf")  # when the thread next looks, by itself
        self._thread: threading.Thread | None = None

    def add(self, deadline: _Deadline) -> None:
        with self._changed:
            self._pending.add(deadline)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="dyn-request-deadlines", daemon=True)
                self._thread.start()
            if deadline.at < self._wakes_at:
                self._changed.notify()

    def discard(self, deadline: _Deadline) -> None:
        with self._changed:
            self._pending.discard(deadline)  # the thread finds it gone when it next looks

    def _run(self) -> None:
        with self._changed:
            while True:
                for deadline in [each for each in self._pending if each.at <= time.monotonic()]:
                    self._pending.discard(deadline)
                    deadline.expire()
                self._wakes_at = min((each.at for each in self._pending), default=float("inf"))
                self._changed.wait(max(self._wakes_at - time.monotonic(), 0) if self._pending else None)


_DEADLINES = _DeadlineWatch()


def _renew_deadline_watch() -> None:
    """In a forked child: a watch of its own (the parent's thread does not exist there, its lock may be held)."""
    global _DEADLINES  # pylint: disable=global-statement
    _DEADLINES = _DeadlineWatch()


os.register_at_fork(after_in_child=_renew_deadline_watch)


def _shut_down(handle: socket.socket) -> None:
    """End both directions of ``handle``'s connection: a read blocked on it returns at once."""
    with contextlib.suppress(OSError):  # already closed by the other side
        handle.shutdown(socket.SHUT_RDWR)


#: The deadline of the request this thread is sending, read by the connections (see _watch).
_CURRENT = threading.local()


@contextlib.contextmanager
def _bounded_request(seconds: float) -> Iterator[_Deadline]:
    """Run one request of this thread under a deadline ``seconds`` from now."""
    with _Deadline(seconds) as deadline:
        _CURRENT.deadline = deadline
        try:
            yield deadline
        finally:
            _CURRENT.deadline = None


def _watch(sock: socket.socket | None) -> None:
    """Hand ``sock`` to the deadline of the request this thread is sending, if any."""
    deadline = getattr(_CURRENT, "deadline", None)
    if deadline is not None and sock is not None:
        deadline.watch(sock)


def _connected_and_watched(address: tuple[str, int], *args: Any) -> socket.socket:
    """``socket.create_connection``, then the socket handed to the request's deadline.

    At once, before the proxy's CONNECT and the TLS handshake, either of which could be sent a
    byte at a time.
    """
    sock = socket.create_connection(address, *args)
    _watch(sock)
    return sock


class _Tunnel:
    """Connects through an HTTP proxy's CONNECT tunnel to ``authority``; http.client then speaks TLS over it.

    Used as the connection's socket factory (for the address it is given, the API's, it connects
    to the proxy), in place of ``set_tunnel``, whose CONNECT line has no brackets around an IPv6
    address before Python 3.13 and refuses a non-ASCII name on 3.11.
    """

    def __init__(self, proxy: ProxySettings, authority: str, authorization: Mapping[str, str]) -> None:
        self._proxy_address = (proxy.host.strip("[]"), proxy.port)
        self._request = "\r\n".join(
            [f"CONNECT {authority} HTTP/1.1", f"Host: {authority}", *(f"{name}: {value}" for name, value in authorization.items()), "", ""]
        ).encode("latin-1")

    def __call__(self, _address: tuple[str, int], *args: Any) -> socket.socket:
        sock = _connected_and_watched(self._proxy_address, *args)
        try:
            self._open(sock)
        except BaseException:
            sock.close()
            raise
        return sock

    def _open(self, sock: socket.socket) -> None:
        sock.sendall(self._request)
        answer = http.client.HTTPResponse(sock, method="CONNECT")
        try:
            answer.begin()  # the status line and the headers; a tunnel's answer has no body to read
        finally:
            answer.close()  # its reader, not the socket
        if answer.status != 200:
            raise OSError(f"CONNECT was answered HTTP {answer.status} {answer.reason}".rstrip())


def _authority(host: str, port: int) -> str:
    """``host:port`` as a request line names it: an IPv6 address in brackets, a name in its ASCII (IDNA) form."""
    if ":" in host:
        return f"[{host}]:{port}"
    try:
        return f"{host.encode('idna').decode('ascii')}:{port}"
    except UnicodeError:
        raise DynectConfigError("host must be a host name or IP address: it is not a valid internationalised name") from None


def _dropped(sock: socket.socket) -> bool:
    """Whether a kept-alive connection can no longer carry a request: the server closed it (or sent unasked bytes)."""
    poll = select.poll()
    poll.register(sock, select.POLLIN)
    return bool(poll.poll(0))


#: The CA variables of requests and curl: not used (see the module's docstring), only named in the advice on a TLS failure.
REQUESTS_CA_VARIABLES = ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")


def tls_context(ca_path: str | None) -> ssl.SSLContext:
    """The context that checks the API server's certificate and host name.

    Without ``ca_path``: the system trust store exactly as ``ssl.create_default_context()`` loads
    it, which honours OpenSSL's ``SSL_CERT_FILE`` and ``SSL_CERT_DIR`` (read now, when the
    session is built). With ``ca_path``: only its CAs; the system store is not loaded at all.
    """
    context = ssl.create_default_context() if ca_path is None else _ca_path_context(ca_path)
    # create_default_context() guarantees both; checked because a context without them would
    # accept any certificate, or any certificate for any name, without a word.
    if context.verify_mode != ssl.CERT_REQUIRED or not context.check_hostname:
        raise DynectConfigError("Python's default TLS context does not verify certificates and host names")
    return context


def _ca_path_context(ca_path: str) -> ssl.SSLContext:
    """A context that trusts the CAs of ``ca_path`` alone: a PEM bundle, or a directory hashed as
    ``openssl rehash`` makes it (the collection accepted one from its start, so it keeps working)."""
    try:
        if os.path.isdir(ca_path):
            return ssl.create_default_context(capath=ca_path)
        return ssl.create_default_context(cafile=ca_path)
    except OSError as exc:  # ssl.SSLError too: a file with no PEM certificate in it
        reason = exc.strerror or str(exc) or type(exc).__name__
        raise DynectConfigError(f"ca_path {ca_path} is not a readable PEM file of CA certificates ({reason})") from None


def _unverified_context() -> ssl.SSLContext:
    """For ``validate_certs=False``: TLS without checking the certificate or the host name."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


class _ReplyHeaders(Mapping[str, str]):
    """A reply's headers by name, whatever the case the server wrote them in (a repeated one: its last value)."""

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        self._by_name = {name.lower(): value for name, value in pairs}

    def __getitem__(self, name: str) -> str:
        return self._by_name[name.lower()]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_name)

    def __len__(self) -> int:
        return len(self._by_name)


#: Sent with every request. A gzip body is unpacked here (and counted unpacked, see _read_body).
_ACCEPT_ENCODING = {"Accept-Encoding": "gzip"}

#: What a header value may hold: tabs and the printable characters of Latin-1, which HTTP carries as bytes.
_SENDABLE_HEADER_VALUE = re.compile(r"[\t\x20-\x7e\xa0-\xff]*")
#: Where a header's value comes from, as the refusal of an unsendable one names it.
_HEADER_SOURCES = {"Auth-Token": "the token given"}


class Transport:
    """Sends HTTP requests to one DynECT API endpoint over a kept-alive connection.

    :param pacer: paces every request sent (see :class:`RequestPacer`), or None to send each as soon
        as it is asked for.
    """

    def __init__(
        self,
        host: str,
        port: int,
        *,
        use_tls: bool,
        validate_certs: bool,
        ca_path: str | None,
        timeout: float,
        proxy: ProxySettings | None,
        pacer: RequestPacer | None,
        option_prefix: str = "",
    ) -> None:
        if ca_path is not None and not os.path.exists(ca_path):
            raise DynectConfigError(f"ca_path {ca_path} does not exist")
        if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not timeout > 0:
            # A socket would take 0 for "never wait" and refuse less.
            raise DynectConfigError(f"timeout must be a positive number of seconds, not {timeout!r}")
        bracketed = url_host(host)
        self.base_url = f"{'https' if use_tls else 'http'}://{bracketed}:{port}"
        self._address = (bracketed.strip("[]"), port)
        self._timeout = timeout
        self._proxy = proxy
        self._pacer = pacer

        # Verification needs a context only for HTTPS; it is built before any connection so that an
        # unusable ca_path is a configuration error, not a failed request.
        self._ssl_context = tls_context(ca_path) if use_tls and validate_certs else None
        self._tls = self._ssl_context or (_unverified_context() if use_tls else None)
        # The advice on a failure names the settings as the user wrote them (dyn_ca_path on a dynect host).
        self._option_prefix = option_prefix
        self._trust = f"the CAs in {option_prefix}ca_path" if ca_path is not None else "the system trust store"
        self._connection: http.client.HTTPConnection | None = None
        # HTTPS through the proxy goes through its tunnel; plain HTTP is sent to it (see _request_target).
        self._tunnel = _Tunnel(proxy, _authority(*self._address), self._proxy_authorization()) if proxy is not None and use_tls else None

    @property
    def paced_seconds(self) -> float:
        """Seconds the pacer has held this transport's requests back so far (0 without a pacer)."""
        return 0.0 if self._pacer is None else self._pacer.waited

    def send(self, method: str, path: str, *, body: bytes | None, headers: Mapping[str, str]) -> HttpReply:
        """Send one request and return the reply; redirects are returned, never followed.

        The request, from connecting to the reply's last byte, takes at most ``timeout`` seconds
        (:class:`RequestTimeout` otherwise; the pacer's wait before it does not count), and a
        reply larger than :data:`MAX_REPLY_BYTES` is refused (:class:`ReplyTooLarge`).
        """
        with self._pacer.turn() if self._pacer is not None else contextlib.nullcontext():
            with _bounded_request(self._timeout) as deadline:
                return self._bounded_send(method, path, body, headers, deadline)

    def _bounded_send(
        self, method: str, path: str, body: bytes | None, headers: Mapping[str, str], deadline: _Deadline
    ) -> HttpReply:
        try:
            reply = self._read_reply(method, path, body, headers)
        except (OSError, http.client.HTTPException, zlib.error) as exc:
            # A socket's own time-out (connecting, or one read) may come a moment before the timer.
            timed_out = deadline.passed or isinstance(_cause(exc), TimeoutError)
            failure = self._timed_out() if timed_out else TransportError(self._describe_failure(exc))
        else:
            if not deadline.passed:
                return reply
            failure = self._timed_out()  # what came before the deadline is cut short
        # Raised outside the except block, so that the socket's error does not ride along as its context.
        raise failure

    def _read_reply(self, method: str, path: str, body: bytes | None, headers: Mapping[str, str]) -> HttpReply:
        """The reply, its body read in pieces: neither its size nor its pace is up to the server.

        The connection is kept for the next request only when this one ended cleanly and the
        server keeps it open; otherwise it is closed (no draining of an unread body).
        """
        sent_headers = self._request_headers(headers)  # before connecting: a refusal sends nothing at all
        connection = self._open_connection()
        response = None
        try:
            connection.request(method, self._request_target(path), body=body, headers=sent_headers)
            response = connection.getresponse()
            reply = self._reply(response)
        except BaseException:
            if response is not None:  # a reply that ends with the connection holds the socket itself
                response.close()
            self._drop_connection()
            raise
        if response.will_close:
            self._drop_connection()
        return reply

    def _open_connection(self) -> http.client.HTTPConnection:
        """The kept-alive connection if the server still holds it open, else a new one, connected.

        Connecting includes the proxy's CONNECT and the TLS handshake; a failure there is marked
        (see :class:`_ConnectFailure`) so that it can be blamed on the proxy when there is one.
        """
        connection = self._connection
        if connection is not None and connection.sock is not None and not _dropped(connection.sock):
            _watch(connection.sock)
            return connection
        self._drop_connection()
        connection = self._connection = self._new_connection()
        try:
            connection.connect()
        except (OSError, http.client.HTTPException) as exc:  # the latter: a garbled answer to CONNECT
            self._drop_connection()
            raise _ConnectFailure(exc) from None
        return connection

    def _new_connection(self) -> http.client.HTTPConnection:
        """An unconnected connection to the API: directly, through the proxy's tunnel for HTTPS, or to the proxy for plain HTTP."""
        connection: http.client.HTTPConnection
        if self._tls is None:
            host, port = self._address if self._proxy is None else (self._proxy.host.strip("[]"), self._proxy.port)
            connection = http.client.HTTPConnection(host, port, timeout=self._timeout)
        else:
            connection = http.client.HTTPSConnection(*self._address, timeout=self._timeout, context=self._tls)
        # http.client connects through this attribute: the deadline needs the socket at once.
        connect = _connected_and_watched if self._tunnel is None else self._tunnel
        connection._create_connection = connect  # type: ignore[attr-defined]  # pylint: disable=protected-access
        return connection

    def _request_target(self, path: str) -> str:
        """The path; a plain-HTTP request through the proxy names the whole URL instead."""
        return self.base_url + path if self._proxy is not None and self._tls is None else path

    def _request_headers(self, headers: Mapping[str, str]) -> dict[str, str]:
        """The caller's headers, the encoding accepted, and the proxy's credentials on plain HTTP through it.

        :class:`DynectConfigError`, before anything is sent, for a value no header can carry (a
        token with a line break, say). The value is not repeated: it may be the token.
        """
        sent = {**_ACCEPT_ENCODING, **headers}
        if self._proxy is not None and self._tls is None:
            sent.update(self._proxy_authorization())
        for name, value in sent.items():
            if not _SENDABLE_HEADER_VALUE.fullmatch(value):
                raise DynectConfigError(
                    f"the request's {name} header cannot carry {_HEADER_SOURCES.get(name, 'the value given')}: it holds a line "
                    "break, a control character or a character beyond Latin-1, so nothing was sent"
                )
        return sent

    def _proxy_authorization(self) -> dict[str, str]:
        """The ``Proxy-Authorization`` header, if the proxy wants credentials (never in a URL or an error)."""
        authorization = self._proxy.authorization if self._proxy is not None else None
        return {} if authorization is None else {"Proxy-Authorization": authorization}

    def _drop_connection(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.close()

    def _reply(self, response: http.client.HTTPResponse) -> HttpReply:
        if response.status == 407:
            # Only a plain-HTTP request gets the proxy's own reply; over HTTPS, CONNECT fails instead.
            raise TransportError(f"the proxy refused the credentials for {self.base_url} (HTTP 407)")
        headers = _ReplyHeaders(response.getheaders())
        return HttpReply(status=response.status, headers=headers, body=self._read_body(response, headers))

    def _read_body(self, response: http.client.HTTPResponse, headers: Mapping[str, str]) -> bytes:
        """The whole body, unpacked, or :class:`ReplyTooLarge` as soon as it is known to exceed the cap."""
        declared = headers.get("Content-Length", "").strip()
        if declared.isdigit() and int(declared) > MAX_REPLY_BYTES:
            raise ReplyTooLarge(
                f"the reply from {self.base_url} announces {declared} bytes, more than the {_byte_size(MAX_REPLY_BYTES)} "
                "a reply may have; it was not read"
            )
        body = _CappedBody(self._unpacker(headers.get("Content-Encoding", "")), self._too_large)
        # Without a length (chunked, or up to the connection's end) the count decides; it counts
        # unpacked bytes, so a small gzip body that unpacks to gigabytes is cut too.
        while piece := response.read(_READ_CHUNK_BYTES):
            body.add(piece)
        return body.finish()

    def _unpacker(self, encoding: str) -> Any:
        """A zlib decompressor for a gzip body, None for a plain one; any other encoding was not asked for."""
        name = encoding.strip().lower()
        if name in ("", "identity"):
            return None
        if name in ("gzip", "x-gzip"):
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        raise UnreadableReply(f"the reply from {self.base_url} is encoded as {encoding!r}, which was not asked for")

    def _too_large(self) -> ReplyTooLarge:
        return ReplyTooLarge(
            f"the reply from {self.base_url} passed the {_byte_size(MAX_REPLY_BYTES)} a reply may have; the rest was not read"
        )

    def _timed_out(self) -> RequestTimeout:
        return RequestTimeout(
            f"no answer from {self.base_url} within {self._timeout:g} s "
            f"(the whole reply, from connecting to its last byte, must arrive within {self._option_prefix}timeout)"
        )

    def close(self) -> None:
        """Close the kept-alive connection."""
        self._drop_connection()

    def _describe_failure(self, exc: Exception) -> str:
        connecting = isinstance(exc, _ConnectFailure)
        cause = _cause(exc)
        if isinstance(cause, ssl.SSLError):
            return f"{TLS_FAILURE}{self.base_url} failed ({_text(cause)}); {self._tls_advice(cause)}"
        if isinstance(cause, zlib.error):
            return f"the reply from {self.base_url} could not be unpacked ({_text(cause)})"
        if connecting and self._proxy is not None:
            return f"the proxy refused or failed the connection to {self.base_url} ({_text(cause)})"
        via = " through the proxy" if self._proxy is not None else ""
        return f"unable to reach {self.base_url}{via} ({_text(cause)})"

    def _tls_advice(self, innermost: BaseException) -> str:
        prefix = self._option_prefix
        if not isinstance(innermost, ssl.SSLCertVerificationError):
            # No certificate was refused (a plain-HTTP port, no common TLS version): trust is not the cause.
            return f"check that {prefix}ssl and {prefix}port lead to the API's HTTPS port"
        advice = (
            f"the certificate was checked against {self._trust}: "
            f"give the CA with {prefix}ca_path, or turn {prefix}validate_certs off for a test server"
        )
        # Someone used to requests expects these to work: say that they do not. Only the names
        # are repeated, not the values.
        ignored = [name for name in REQUESTS_CA_VARIABLES if os.environ.get(name)]
        if ignored:
            verb = "is" if len(ignored) == 1 else "are"
            advice += f" ({' and '.join(ignored)} {verb} not used here: give that file as {prefix}ca_path)"
        return advice


class _ConnectFailure(OSError):
    """Connecting failed (to the API, or to the proxy and through its tunnel): ``cause`` says how."""

    def __init__(self, cause: OSError | http.client.HTTPException) -> None:
        super().__init__(str(cause))
        self.cause = cause


class _CappedBody:
    """A reply body gathered piece by piece, unpacked when it came packed, never past :data:`MAX_REPLY_BYTES`."""

    def __init__(self, unpacker: Any, too_large: Any) -> None:
        self._unpacker = unpacker
        self._too_large = too_large
        self._pieces: list[bytes] = []
        self._size = 0

    def add(self, piece: bytes) -> None:
        room = MAX_REPLY_BYTES - self._size
        # Unpacked at most one byte past the room: a small packed piece may stand for gigabytes.
        self._keep(piece if self._unpacker is None else self._unpacker.decompress(piece, room + 1))

    def finish(self) -> bytes:
        if self._unpacker is not None:
            self._keep(self._unpacker.flush())
        return b"".join(self._pieces)

    def _keep(self, data: bytes) -> None:
        self._size += len(data)
        if self._size > MAX_REPLY_BYTES:
            raise self._too_large()
        self._pieces.append(data)


def _cause(exc: BaseException) -> BaseException:
    """The socket's own error behind a failure to connect; any other error as it is."""
    return exc.cause if isinstance(exc, _ConnectFailure) else exc


def _text(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__
