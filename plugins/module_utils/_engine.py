# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The session engine (private): one endpoint, the account its calls go out for, and every call made.

Login, a login again when the server drops the session (with the stored password, kept sealed),
API calls through the request pipeline (``_api.py``), the zones changed and not yet published
(``_changeset.py``), password changes (also when their reply is lost), permissions and the call
history. No per-thread singleton and no SDK surface: the modules and the dynect connection use a
:class:`SessionEngine` directly, and ``session.py``'s ``DynectSession`` and ``DynectMultiSession``
are the SDK-compatible facade over one.

An engine switches between accounts (:meth:`SessionEngine.switch_to`) instead of a multi-session
holding one engine per account: the SDK's multi-session is one session object, so its accounts
share one connection pool, one request pacer and one history, and a switch stays a pointer move.
"""

from __future__ import annotations

import contextlib
import hmac
import logging
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ansible_collections.dyn.managed_dns.plugins.module_utils._api import (
    SESSION_PATH,
    ApiClient,
    RetryPolicy,
    checked_path,
    is_session_path,
)
from ansible_collections.dyn.managed_dns.plugins.module_utils._batch import execute_in_order
from ansible_collections.dyn.managed_dns.plugins.module_utils._changeset import PendingZones
from ansible_collections.dyn.managed_dns.plugins.module_utils._crypto import SecretBox
from ansible_collections.dyn.managed_dns.plugins.module_utils._envelope import is_login_problem
from ansible_collections.dyn.managed_dns.plugins.module_utils._history import HistoryRecord
from ansible_collections.dyn.managed_dns.plugins.module_utils._option_values import DEFAULT_RATE_LIMIT, ProxySettings, proxy_settings, tcp_port
from ansible_collections.dyn.managed_dns.plugins.module_utils._protocol import ApiCall, BatchOutcome
from ansible_collections.dyn.managed_dns.plugins.module_utils._transport import Transport, request_pacer
from ansible_collections.dyn.managed_dns.plugins.module_utils.errors import (
    DynectAuthError,
    DynectChangeNotMadeError,
    DynectConfigError,
    DynectError,
    DynectInvalidArgumentError,
    DynectLoginError,
)

__all__ = ["URI_ROOT", "AccountSession", "Credentials", "Endpoint", "SessionEngine", "api_path", "engine_from_options"]

_LOG = logging.getLogger("ansible_collections.dyn.managed_dns.session")

#: Root of every API path; :func:`api_path` puts it in front of URIs that lack it.
URI_ROOT = "/REST"
_VALID_METHODS = ("DELETE", "GET", "POST", "PUT")
_PASSWORD_PATH = "/REST/Password/"
_USER_PERMISSION_REPORT_PATH = "/REST/UserPermissionReport/"
_CHECK_PERMISSION_REPORT_PATH = "/REST/CheckPermissionReport/"


def api_path(uri: str) -> str:
    """``uri`` from the root (``/REST/...``); DynectConfigError when a server could read it as another path.

    ``"Zone/"``, ``"/Zone/"`` and ``"/REST/Zone/"`` are the same path.
    """
    path = checked_path(uri if uri.startswith("/") else "/" + uri)
    if path != URI_ROOT and not path.startswith(URI_ROOT + "/"):
        path = URI_ROOT + path
    return path


def _valid_method(method: str) -> str:
    upper = method.upper() if isinstance(method, str) else method
    if upper not in _VALID_METHODS:
        raise DynectInvalidArgumentError("method", method, _VALID_METHODS)
    return upper


def _same_secret(given: str, stored: str) -> bool:
    """Whether two secrets are equal, in a time that does not tell how much of them matched."""
    return hmac.compare_digest(given.encode("utf-8", "surrogatepass"), stored.encode("utf-8", "surrogatepass"))


@dataclass(frozen=True)
class Credentials:
    """Who logs in, as given: the engine seals the password at once and keeps no reference to this value.

    ``password`` may be None with ``token`` (an adopted server session, which cannot be logged in again).
    """

    customer: str | None
    username: str | None
    password: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.password is not None and not isinstance(self.password, str):
            raise DynectInvalidArgumentError("password", f"<{type(self.password).__name__}>", ["a string", "None"])


@dataclass(frozen=True)
class Endpoint:
    """Where the calls go and how: the API's address and the transport's settings (see ``DynectSession``'s parameters)."""

    host: str = "api.dynect.net"
    port: int = 443
    ssl: bool = True
    api_version: str = "current"
    validate_certs: bool = True
    ca_path: str | None = None
    timeout: float = 30.0
    proxy: ProxySettings | None = None
    rate_limit: int | None = DEFAULT_RATE_LIMIT
    # Put before the option names a TLS failure's advice and a timeout's message name (dyn_ on the connection).
    option_prefix: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "port", tcp_port("port", self.port))  # digits as text are a port too

    @classmethod
    def from_options(
        cls,
        *,
        proxy_host: str | None = None,
        proxy_port: int | None = None,
        proxy_user: str | None = None,
        proxy_pass: str | None = None,
        **settings: Any,
    ) -> Endpoint:
        """The endpoint of flat options, named as the modules' options are; the proxy options are checked here."""
        endpoint = cls(**settings)  # the port is checked before the proxy, as the constructor always did
        proxy = proxy_settings(proxy_host, proxy_port, proxy_user, proxy_pass)
        return endpoint if proxy is None else replace(endpoint, proxy=proxy)

    @property
    def api(self) -> str:
        """``host:port``: the API part of an account's identity."""
        return f"{self.host}:{self.port}"

    def transport(self) -> Transport:
        """A new transport to this endpoint; DynectConfigError for settings it cannot use."""
        return Transport(
            self.host,
            self.port,
            use_tls=self.ssl,
            validate_certs=self.validate_certs,
            ca_path=self.ca_path,
            timeout=self.timeout,
            proxy=self.proxy,
            pacer=request_pacer(self.rate_limit),
            option_prefix=self.option_prefix,
        )


@dataclass(eq=False)  # accounts are compared by identity: two logins of one user are two accounts
class AccountSession:
    """One DynECT user's credentials (the password sealed) and server session."""

    customer: str | None
    username: str | None
    sealed_password: bytes | None = field(repr=False)
    token: str | None = field(default=None, repr=False)
    # The zones changed in the server session of ``token`` and not yet published (see _changeset.py).
    pending: PendingZones = field(default_factory=PendingZones, repr=False, compare=False)


class SessionEngine:
    """Calls to one endpoint for the active account, logging in (again) when needed; not logged in when made.

    :param credentials: the first account, made the active one.
    :param endpoint: where the calls go and how.
    :param policy: how long and how often a call waits for the server.
    :param key: the key the stored passwords are sealed with (see ``DynectSession``'s ``key``).
    :param history: record every HTTP exchange in :attr:`history`.
    """

    def __init__(
        self,
        credentials: Credentials,
        endpoint: Endpoint,
        policy: RetryPolicy = RetryPolicy(),
        *,
        key: str | bytes | None = None,
        history: bool = False,
    ) -> None:
        self.endpoint = endpoint
        self._vault = SecretBox(key)
        self._account: AccountSession | None = self.open_account(credentials)
        self._server_version: str | None = None
        self._api = ApiClient(
            endpoint.transport(), api_version=endpoint.api_version, policy=policy, keep_history=history, token=lambda: self.token
        )

    # --- identity and state -------------------------------------------------------------------

    @property
    def customer(self) -> str | None:
        return None if self._account is None else self._account.customer

    @property
    def username(self) -> str | None:
        return None if self._account is None else self._account.username

    @property
    def token(self) -> str | None:
        """The active account's session token, or None when not logged in."""
        return None if self._account is None else self._account.token

    def read_token(self) -> str | None:
        """The active account's session token, or None when not logged in."""
        return self.token

    @property
    def server_version(self) -> str | None:
        """The API version the server reported at the last login (``data.version``)."""
        return self._server_version

    @property
    def identity(self) -> tuple[str, str | None, str | None]:
        """``("host:port", customer, username)``: what tells two sessions' accounts apart."""
        return (self.endpoint.api, self.customer, self.username)

    @property
    def history(self) -> list[HistoryRecord] | None:
        """The HTTP exchanges so far (secrets masked as ``*****``), or None unless recording."""
        return None if self._api.history is None else list(self._api.history)

    @property
    def rate_limit_waited(self) -> float:
        """Seconds the account's rate limit has held this session's calls back so far (429s and pacing)."""
        return self._api.rate_limit_waited

    def restart_history(self, recording: bool) -> None:
        """Record the calls from now on in an empty history (``recording``), or record nothing."""
        self._api.history = [] if recording else None

    # --- accounts -----------------------------------------------------------------------------

    @property
    def account(self) -> AccountSession | None:
        """The account requests are sent for, or None when none is active."""
        return self._account

    def active_account(self) -> AccountSession:
        """The active account; DynectConfigError when none is."""
        if self._account is None:
            raise DynectConfigError("No active session: choose one with set_active_session()")
        return self._account

    def open_account(self, credentials: Credentials) -> AccountSession:
        """A new account of ``credentials`` (password sealed), not yet active."""
        sealed = None if credentials.password is None else self._vault.seal(credentials.password)
        return AccountSession(credentials.customer, credentials.username, sealed, credentials.token)

    def switch_to(self, account: AccountSession | None) -> None:
        """Send requests for ``account`` from now on (None: for nobody)."""
        self._account = account

    @contextlib.contextmanager
    def acting_as(self, account: AccountSession) -> Iterator[None]:
        """Send requests for ``account`` for a moment, without making it the active account."""
        active = self._account
        self._account = account
        try:
            yield
        finally:
            self._account = active

    def presents_credentials_of(self, account: AccountSession, password: str | None, token: str | None) -> bool:
        """Whether ``password`` and ``token`` are ``account``'s: each one given must match, and one must be given.

        Compared in constant time; the stored password is unsealed only for the comparison.
        """
        if password is None and token is None:
            return False
        if token is not None and (account.token is None or not _same_secret(token, account.token)):
            return False
        if password is None:
            return True
        if not isinstance(password, str) or account.sealed_password is None:
            return False
        return _same_secret(password, self._vault.open(account.sealed_password))

    # --- the server session -------------------------------------------------------------------

    def authenticate(self) -> None:
        """Log in with the stored credentials, first ending the current server session if any."""
        if self.token is not None:
            self.end_server_session()
        self._login()

    def log_out(self) -> None:
        """End the server session and close the connections; safe to call more than once."""
        if self.token is not None:
            self.end_server_session()
        self._api.close()

    def end_server_session(self) -> None:
        """DELETE the active account's server session; one the server already dropped counts as ended."""
        try:
            self._api.call("DELETE", SESSION_PATH, None)
        except DynectAuthError:
            _LOG.debug("%s: the server had already ended the session", self)
        self.active_account().token = None
        self.active_account().pending.session_ended()

    def is_alive(self) -> bool:
        """Whether the server still knows this session (never logs in again to find out)."""
        if self.token is None:
            return False
        try:
            self._api.call("GET", SESSION_PATH, None)
        except DynectAuthError:
            return False
        return True

    def keep_alive(self) -> None:
        """Extend the server session's validity (``PUT /REST/Session/``), logging in again as any call does."""
        self._call("PUT", SESSION_PATH, None)

    # --- calls --------------------------------------------------------------------------------

    def execute_many(self, calls: Sequence[ApiCall]) -> BatchOutcome:
        """Make ``calls`` in order, stopping at the first that fails: the replies before it, and its error (not raised)."""
        return execute_in_order(self.execute, calls)

    def execute(self, uri: str, method: str, args: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Call the API and return the whole reply envelope; see ``DynectSession.execute``."""
        path = api_path(uri)
        method = _valid_method(method)
        if args is None:
            args = {}
        elif not isinstance(args, Mapping):
            raise DynectInvalidArgumentError("args", type(args).__name__, ["a dict", "None"])
        if not is_session_path(path):
            return self._call(method, path, args)
        # Session calls manage the token themselves, so they are never preceded by a login.
        reply = self._api.call(method, path, args)
        if method == "POST":
            self._adopt_login(reply)
        elif method == "DELETE":
            self.active_account().token = None
            self.active_account().pending.session_ended()
        return reply

    def pending_in_session(self, zone: str) -> bool | None:
        """Whether this session made changes to ``zone`` not yet published, by its own record; None when it cannot know.

        It cannot know for a session adopted with its token: its earlier changes were made by
        another process. Costs no call, and needs no permission (unlike ``GET /REST/ZoneChanges/``).
        """
        return self.active_account().pending.holds(zone)

    def permission_report(self, user_name: str | None = None) -> dict[str, Any]:
        """The API's permission report for ``user_name`` (default: the current user), zones kept."""
        user_name = user_name or self.active_account().username
        return self._call("POST", _USER_PERMISSION_REPORT_PATH, {"user_name": user_name}).get("data") or {}

    def check_permissions(self, permissions: Sequence[str], zone_name: str | None = None) -> dict[str, Any]:
        """Which of ``permissions`` the current user has (on ``zone_name``, when given)."""
        args: dict[str, Any] = {"permission": list(permissions)}
        if zone_name is not None:
            args["zone_name"] = zone_name
        return self._call("POST", _CHECK_PERMISSION_REPORT_PATH, args).get("data") or {}

    # --- passwords ----------------------------------------------------------------------------

    def update_password(self, new_password: str) -> None:
        """Change the current user's password, never sending it twice; see ``DynectSession.update_password``."""
        sealed_new = self._vault.seal(new_password)
        try:
            self._call("PUT", _PASSWORD_PATH, {"password": new_password})
        except DynectError as exc:
            if not exc.outcome_unknown:
                raise
            self._settle_lost_change(sealed_new, exc)
        self.active_account().sealed_password = sealed_new

    def password_works(self, password: str) -> bool:
        """Whether ``password`` logs the active account in now (a throw-away login; this session stays as it is)."""
        return self._login_refusal(self._vault.seal(password)) is None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.customer}, {self.username} at {self.endpoint.api}>"

    # --- internals ----------------------------------------------------------------------------

    def _call(self, method: str, path: str, args: Mapping[str, Any] | None) -> dict[str, Any]:
        """An API call that needs a session: log in first if there is none, and again if it is dropped.

        A publish is refused, before it is sent or sent again, when a new login has dropped
        changes to the zone that were pending in the earlier server session.
        """
        if self.token is None:
            self._login()
        account = self.active_account()
        account.pending.check(method, path, args)
        noted = account.pending.note_change(method, path)

        def relogin(refused_session_still_open: bool) -> None:
            # The ending session's changes are gone. The server refused this request with that
            # session, so it did not run there: it goes again, in the new session.
            self._relogin(refused_session_still_open)
            if noted is not None:
                account.pending.carry_over(noted)
            account.pending.check(method, path, args)

        try:
            reply = self._api.call(method, path, args, relogin=relogin if account.sealed_password is not None else None)
        except DynectError as exc:
            if noted is not None and not exc.outcome_unknown:
                account.pending.forget(noted)
            raise
        account.pending.record(method, path, args)
        return reply

    def _login_refusal(self, sealed_password: bytes) -> DynectLoginError | None:
        """The API's refusal of a throw-away login with this password, or None when it logs in.

        An error that says nothing about the password (no answer, throttling) is raised.
        """
        account = self.active_account()
        probe = AccountSession(account.customer, account.username, sealed_password)
        with self.acting_as(probe):
            try:
                self._login()
            except DynectLoginError as exc:
                if not is_login_problem(exc.messages):
                    raise  # no answer, or a refusal that says nothing about the password
                return exc
            self.end_server_session()
        return None

    def _settle_lost_change(self, sealed_new: bytes, lost: DynectError) -> None:
        """Find out by logging in whether a password change without verdict was carried out.

        Returns when the new password logs in; raises what the logins tell otherwise, and ``lost``
        itself when they cannot tell (see ``DynectSession.update_password``).
        """
        account = self.active_account()
        sealed_old = account.sealed_password
        if not (account.customer and account.username):
            raise lost  # a login cannot be tried, so nothing can be found out
        try:
            new_refused = self._login_refusal(sealed_new)
            old_refused = None if new_refused is None or sealed_old is None else self._login_refusal(sealed_old)
        except DynectError:
            raise lost from None  # a login without verdict tells nothing either
        if new_refused is None:
            return
        if old_refused is None:
            old = "the old one still works" if sealed_old is not None else "no old one is stored to try"
            raise DynectChangeNotMadeError(
                f"no verdict came back ({lost.reason or 'no reason given'}), and a login with the new password "
                f"is refused while {old}: the change was not carried out",
                method=lost.method,
                uri=lost.uri,
                http_status=lost.http_status,
            ) from lost
        raise DynectLoginError(
            f"neither the old nor the new password logs in (the answer to {lost.method} {lost.uri} was lost)",
            messages=new_refused.messages,
            method=new_refused.method,
            uri=new_refused.uri,
            http_status=new_refused.http_status,
        ) from lost

    def _relogin(self, refused_session_still_open: bool) -> None:
        """Log in again after the server refused the session; end the refused one if it is still open."""
        refused = AccountSession(self.customer, self.username, None, self.token)
        self._login()
        if refused_session_still_open and refused.token is not None:
            # Best effort: the server refused it for our address, so it may refuse the DELETE too;
            # then it expires on its own (idle timeout) and nothing more can be done from here.
            with self.acting_as(refused):
                try:
                    self.end_server_session()
                except DynectError as exc:
                    _LOG.debug("%s: could not end the session refused for the client's address: %s", self, exc)

    def _login(self) -> None:
        account = self.active_account()
        if account.sealed_password is None:
            raise DynectLoginError("no password is stored to log in with", method="POST", uri=SESSION_PATH)
        account.token = None  # a dead token must not ride along on the login request
        credentials = {
            "customer_name": account.customer,
            "user_name": account.username,
            "password": self._vault.open(account.sealed_password),
        }
        self._adopt_login(self._api.call("POST", SESSION_PATH, credentials))
        _LOG.debug("%s: logged in", self)

    def _adopt_login(self, reply: Mapping[str, Any]) -> None:
        data = reply.get("data")
        data = data if isinstance(data, dict) else {}
        token = data.get("token")
        if not isinstance(token, str) or not token:
            raise DynectLoginError("the login reply carries no token", method="POST", uri=SESSION_PATH)
        self.active_account().token = token
        self._server_version = data.get("version")
        # A new server session: whatever the account's earlier one had pending is gone.
        self.active_account().pending.session_ended()


def engine_from_options(credentials: Credentials, options: Mapping[str, Any], *, option_prefix: str = "") -> SessionEngine:
    """An engine, not logged in, from options named as the modules' (``_options.API_OPTIONS``: host, port, key, history, proxy_*, ...).

    An option left out takes the default of :class:`Endpoint` (``key`` None, ``history`` off).
    """
    settings = dict(options)
    key = settings.pop("key", None)
    history = bool(settings.pop("history", False))
    endpoint = Endpoint.from_options(option_prefix=option_prefix, **settings)
    return SessionEngine(credentials, endpoint, key=key, history=history)
