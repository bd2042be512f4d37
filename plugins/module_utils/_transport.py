# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""HTTP transport of the DynECT client (private). This is the only code that speaks HTTP.

One ``requests.Session`` per DynECT session keeps the connection alive between calls. The
transport sends exactly one HTTP request per :meth:`Transport.send` and knows nothing about the
API: following jobs, retrying and re-logging in are decided one layer up, in ``_api``. Because every
request passes through :meth:`Transport.send`, this is also where the session paces itself to
stay under the account's rate limit (:class:`RequestPacer`).

Every request is bounded here too: ``timeout`` covers the whole request, from connecting to the last
byte of the reply (:class:`_Deadline`), and a reply larger than :data:`MAX_REPLY_BYTES` is refused
without being read into memory.

TLS trust is decided here as well (:func:`tls_context`): the system trust store as Python's
``ssl`` module builds it (so ``SSL_CERT_FILE`` and ``SSL_CERT_DIR`` apply), or only the CAs of
``ca_path``; never the ``certifi`` bundle that requests would use on its own, and never
``REQUESTS_CA_BUNDLE`` / ``CURL_CA_BUNDLE`` (like the rest of requests' environment: see
:class:`Transport`).
"""

from __future__ import annotations

import collections
import contextlib
import functools
import os
import socket
import ssl
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ansible_collections.dyn.managed_dns.plugins.module_utils._libraries import HAS_REQUESTS
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


@functools.lru_cache(maxsize=None)
def _watched_pool_classes() -> dict[str, type]:
    """urllib3's connection pools by URL scheme, with connections that hand their sockets to the deadline.

    A new connection's socket is handed over as soon as it is connected, before the proxy's
    CONNECT and the TLS handshake (either could be sent a byte at a time); a kept-alive one when
    the next reply on it is read.
    """
    from urllib3.connection import HTTPConnection, HTTPSConnection
    from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

    class _WatchedHTTPConnection(HTTPConnection):
        def _new_conn(self) -> socket.socket:
            sock = super()._new_conn()
            _watch(sock)
            return sock

        def getresponse(self, *args: Any, **kwargs: Any) -> Any:
            _watch(self.sock)
            return super().getresponse(*args, **kwargs)

    class _WatchedHTTPSConnection(_WatchedHTTPConnection, HTTPSConnection):
        """Both methods above, then HTTPSConnection's (its TLS, its tunnel), then HTTPConnection's."""

    class _WatchedHTTPPool(HTTPConnectionPool):
        ConnectionCls = _WatchedHTTPConnection

    class _WatchedHTTPSPool(HTTPSConnectionPool):
        ConnectionCls = _WatchedHTTPSConnection

    return {"http": _WatchedHTTPPool, "https": _WatchedHTTPSPool}


#: requests' own CA variables: not used (see :class:`Transport`), only named in the advice on a TLS failure.
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
    ``openssl rehash`` makes it (requests accepted one, so it keeps working)."""
    try:
        if os.path.isdir(ca_path):
            return ssl.create_default_context(capath=ca_path)
        return ssl.create_default_context(cafile=ca_path)
    except OSError as exc:  # ssl.SSLError too: a file with no PEM certificate in it
        reason = exc.strerror or str(exc) or type(exc).__name__
        raise DynectConfigError(f"ca_path {ca_path} is not a readable PEM file of CA certificates ({reason})") from None


@functools.lru_cache(maxsize=None)
def _adapter_class() -> type:
    """The requests adapter class, defined on first use (see HAS_REQUESTS)."""
    from requests.adapters import HTTPAdapter

    class _TransportAdapter(HTTPAdapter):
        """requests' adapter with our TLS trust and, when the proxy wants them, the proxy's credentials.

        :param ssl_context: verifies the server (see :func:`tls_context`); None when certificates
            are not verified (``validate_certs=False``, or plain HTTP).
        :param proxy_authorization: the ``Proxy-Authorization`` header. requests only knows proxy
            credentials embedded in the proxy URL; this keeps them out of it. The header goes on the
            CONNECT request for HTTPS and on every proxied request for plain HTTP.
        """

        def __init__(self, ssl_context: ssl.SSLContext | None, proxy_authorization: str | None) -> None:
            # Set before HTTPAdapter.__init__, which builds the direct pool manager.
            self._ssl_context = ssl_context
            self._proxy_authorization = proxy_authorization
            super().__init__()

        def init_poolmanager(self, connections: int, maxsize: int, block: bool = False, **pool_kwargs: Any) -> None:
            super().init_poolmanager(connections, maxsize, block, **self._with_context(pool_kwargs))
            self.poolmanager.pool_classes_by_scheme = _watched_pool_classes()

        def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
            # The pools behind the proxy's CONNECT tunnels take the same context and deadline as the direct ones.
            manager = super().proxy_manager_for(proxy, **self._with_context(proxy_kwargs))
            manager.pool_classes_by_scheme = _watched_pool_classes()
            return manager

        def proxy_headers(self, proxy: str) -> dict[str, str]:
            if self._proxy_authorization is None:
                return {}
            return {"Proxy-Authorization": self._proxy_authorization}

        def cert_verify(self, conn: Any, url: str, verify: Any, cert: Any) -> None:
            """Point the connection pool at our context alone.

            requests would set the pool's ``ca_certs`` to certifi's bundle (or to the ``verify`` path),
            and urllib3 would then load those CAs into our context on top of the trust it already holds.
            """
            if self._ssl_context is None or not url.lower().startswith("https:"):
                super().cert_verify(conn, url, verify, cert)
                return
            conn.cert_reqs = "CERT_REQUIRED"
            conn.ca_certs = None
            conn.ca_cert_dir = None

        def _with_context(self, kwargs: dict[str, Any]) -> dict[str, Any]:
            if self._ssl_context is None:
                return kwargs
            return {**kwargs, "ssl_context": self._ssl_context}

    return _TransportAdapter


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
        if not HAS_REQUESTS:
            raise DynectConfigError(
                "The 'requests' Python library is required to talk to the DynECT API "
                "(pip install requests)"
            )
        if ca_path is not None and not os.path.exists(ca_path):
            raise DynectConfigError(f"ca_path {ca_path} does not exist")
        if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not timeout > 0:
            # requests would take 0 or less for "no timeout" or fail deep inside urllib3.
            raise DynectConfigError(f"timeout must be a positive number of seconds, not {timeout!r}")
        self.base_url = f"{'https' if use_tls else 'http'}://{url_host(host)}:{port}"
        self._timeout = timeout
        self._proxied = proxy is not None
        self._pacer = pacer

        # Verification needs a context only for HTTPS; it is built before any connection so that an
        # unusable ca_path is a configuration error, not a failed request.
        self._ssl_context = tls_context(ca_path) if use_tls and validate_certs else None
        # The advice on a failure names the settings as the user wrote them (dyn_ca_path on a dynect host).
        self._option_prefix = option_prefix
        self._trust = f"the CAs in {option_prefix}ca_path" if ca_path is not None else "the system trust store"
        self._session = self._requests_session(validate_certs, proxy)

    def _requests_session(self, validate_certs: bool, proxy: ProxySettings | None) -> Any:
        try:
            import requests
        except ImportError as exc:  # installed, yet broken
            raise DynectConfigError(f"The 'requests' Python library cannot be imported ({exc})") from None

        session = requests.Session()
        # Only the options given here count: no proxy, credentials or CA bundle from the environment
        # (HTTP(S)_PROXY, NO_PROXY, .netrc, REQUESTS_CA_BUNDLE, CURL_CA_BUNDLE). With trust_env on,
        # requests would also turn REQUESTS_CA_BUNDLE into the ``verify`` of every request.
        session.trust_env = False
        # True only makes requests ask for verification; what is trusted is the adapter's context.
        session.verify = validate_certs
        adapter = _adapter_class()(self._ssl_context, proxy.authorization if proxy is not None else None)
        session.mount("https://", adapter)
        session.mount("http://", adapter)
        if proxy is not None:
            session.proxies = {"http": proxy.url, "https": proxy.url}
        return session

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
        import requests  # imported already by __init__ (see HAS_REQUESTS)

        try:
            reply = self._read_reply(method, path, body, headers)
        except requests.exceptions.RequestException as exc:
            # A socket's own time-out (connecting, or one read) may come a moment before the timer.
            timed_out = deadline.passed or isinstance(_innermost_error(exc), TimeoutError)
            failure = self._timed_out() if timed_out else TransportError(self._describe_failure(exc))
        else:
            if not deadline.passed:
                return reply
            failure = self._timed_out()  # what came before the deadline is cut short
        # Raised outside the except block: the requests exception holds the prepared request, its
        # Auth-Token header included, and must not stay reachable as this error's context.
        raise failure

    def _read_reply(self, method: str, path: str, body: bytes | None, headers: Mapping[str, str]) -> HttpReply:
        """The reply, its body read in pieces: neither its size nor its pace is up to the server."""
        response = self._session.request(
            method,
            self.base_url + path,
            data=body,
            headers=dict(headers),
            timeout=self._timeout,
            allow_redirects=False,
            stream=True,
        )
        # Leaving the block closes the connection unless the body was read to its end (no draining).
        with response:
            if response.status_code == 407:
                # Only a plain-HTTP request gets the proxy's own reply; over HTTPS, CONNECT fails instead.
                raise TransportError(f"the proxy refused the credentials for {self.base_url} (HTTP 407)")
            content = self._read_body(response)
        return HttpReply(status=response.status_code, headers=response.headers, body=content)

    def _read_body(self, response: Any) -> bytes:
        """The whole body, or :class:`ReplyTooLarge` as soon as it is known to exceed the cap."""
        cap = _byte_size(MAX_REPLY_BYTES)
        declared = response.headers.get("Content-Length", "").strip()
        if declared.isdigit() and int(declared) > MAX_REPLY_BYTES:
            raise ReplyTooLarge(
                f"the reply from {self.base_url} announces {declared} bytes, more than the {cap} a reply may have; it was not read"
            )
        pieces: list[bytes] = []
        size = 0
        # Without a length (chunked, or up to the connection's end) the count decides; it counts
        # decoded bytes, so a small gzip body that unpacks to gigabytes is cut too.
        for piece in response.iter_content(_READ_CHUNK_BYTES):
            size += len(piece)
            if size > MAX_REPLY_BYTES:
                raise ReplyTooLarge(f"the reply from {self.base_url} passed the {cap} a reply may have; the rest was not read")
            pieces.append(piece)
        return b"".join(pieces)

    def _timed_out(self) -> RequestTimeout:
        return RequestTimeout(
            f"no answer from {self.base_url} within {self._timeout:g} s "
            f"(the whole reply, from connecting to its last byte, must arrive within {self._option_prefix}timeout)"
        )

    def close(self) -> None:
        """Close the pooled connections."""
        self._session.close()

    def _describe_failure(self, exc: Exception) -> str:
        import requests

        if isinstance(exc, requests.exceptions.SSLError):
            innermost = _innermost_error(exc)
            return f"{TLS_FAILURE}{self.base_url} failed ({_text(innermost)}); {self._tls_advice(innermost)}"
        if isinstance(exc, requests.exceptions.ProxyError):
            return f"the proxy refused or failed the connection to {self.base_url} ({_innermost_reason(exc)})"
        via = " through the proxy" if self._proxied else ""
        return f"unable to reach {self.base_url}{via} ({_innermost_reason(exc)})"

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


def _innermost_reason(exc: BaseException) -> str:
    """The most specific message in the chain requests builds around urllib3's and the socket's errors."""
    return _text(_innermost_error(exc))


def _innermost_error(exc: BaseException) -> BaseException:
    """The most specific error in the chain requests builds around urllib3's and the socket's errors."""
    for _depth in range(10):  # the chains are a few links long; the bound only guards against a cycle
        wrapped = _wrapped_error(exc)
        if wrapped is None:
            break
        exc = wrapped
    return exc


def _text(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__


def _wrapped_error(exc: BaseException) -> BaseException | None:
    reason = getattr(exc, "reason", None)  # urllib3's MaxRetryError and ProxyError keep it here
    if isinstance(reason, BaseException):
        return reason
    # requests' errors carry urllib3's as an argument; other layers chain it as the context.
    wrapped = next((arg for arg in exc.args if isinstance(arg, BaseException)), exc.__context__)
    return None if wrapped is exc else wrapped
