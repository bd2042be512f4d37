# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""DynECT Managed DNS sessions: the public Python API of this collection.

:class:`DynectSession` and :class:`DynectMultiSession` keep the surface of dyn-python's
``dyn.tm.session`` (constructor, ``execute()``, ``permissions``, ``history``, the per-thread
singleton, the context manager, the multi-account switching), so the SDK's documented examples work
after changing the import line. Options the SDK did not have are keyword-only.

They are the SDK's surface (positional signature, per-thread singleton, account switching, context
manager, :meth:`DynectSession.from_env`) over a private engine (``_engine.SessionEngine``) that logs
in, makes the calls and keeps the password sealed; the collection's modules and dynect connection
use the engine directly, so the per-thread session stays the script's own.

Example::

    from ansible_collections.dyn.managed_dns.plugins.module_utils.session import DynectSession

    with DynectSession("customer", "user", "password") as session:
        zones = session.execute("/Zone/", "GET")["data"]

From a plain Python script (outside Ansible), the directory that holds ``ansible_collections``
must be on ``sys.path`` (``PYTHONPATH``): ``~/.ansible/collections`` after ``ansible-galaxy
collection install dyn.managed_dns``. This module needs ``cryptography``, not ansible-core (it
speaks HTTP with Python's standard library, ``http.client`` and ``ssl``).
:meth:`DynectSession.from_env` builds a session from the ``DYN_*`` environment variables the
collection's modules read::

    with DynectSession.from_env() as session:  # DYN_CUSTOMER, DYN_USERNAME, DYN_PASSWORD, DYN_HOST, ...
        zones = session.execute("/Zone/", "GET")["data"]

Where dyn-python 1.8.6 behaves differently:

- ``with DynectSession(...) as s`` binds the session (the SDK bound a generator).
- Calling the class with another account in the same thread raises instead of silently returning
  the first session; ``new_session()`` logs the replaced session out on the server.
- Jobs (307 redirects, ``incomplete``, a job already running on the session) are polled every
  ``poll_interval`` seconds up to ``job_timeout``; a failed job raises the error of the original
  request's method (the SDK slept 10 s per poll, without bound, and raised ``DynectGetError``).
- Requests are paced to stay under the account's rate limit (``rate_limit``, 300 per minute by
  default), so a burst of calls does not lock the account out with 429s.
- Throttling and zone-task blocking are retried a bounded number of times; an expired session is
  logged in again once, transparently; a GET or keep-alive is re-sent after a lost connection.
- A request that changes state is never sent twice unless the API refused it outright; when no
  verdict on it comes back, its error has ``outcome_unknown`` set, and ``update_password()`` logs
  in with the new (and the old) password to find out whether the change was carried out.
- The password is kept encrypted with AES-256-GCM; without the ``cryptography`` library the session
  refuses to start (the SDK kept it in clear text without PyCrypto, and failed with pycryptodome).
- Proxy authentication sends a valid ``Basic`` header (the SDK's was broken on Python 3).
- Errors always have a string text naming the request; no token or password is ever logged.
- ``permissions`` is fetched again after switching accounts; switching accounts and logging out of
  a multi-session never log in again.
"""

from __future__ import annotations

import dataclasses
import decimal
import inspect
import logging
import os
from collections.abc import Iterable, Mapping, Sequence
from types import TracebackType
from typing import Any

from ansible_collections.dyn.managed_dns.plugins.module_utils import _registry
from ansible_collections.dyn.managed_dns.plugins.module_utils._api import RetryPolicy
from ansible_collections.dyn.managed_dns.plugins.module_utils._crypto import (
    CRYPTOGRAPHY_IMPORT_ERROR,
    HAS_CRYPTOGRAPHY,
)
from ansible_collections.dyn.managed_dns.plugins.module_utils._engine import (
    URI_ROOT,
    AccountSession,
    Credentials,
    Endpoint,
    SessionEngine,
)
from ansible_collections.dyn.managed_dns.plugins.module_utils._history import HistoryRecord
from ansible_collections.dyn.managed_dns.plugins.module_utils._libraries import HAS_REQUESTS, REQUESTS_IMPORT_ERROR
from ansible_collections.dyn.managed_dns.plugins.module_utils._option_values import DEFAULT_RATE_LIMIT, tcp_port
from ansible_collections.dyn.managed_dns.plugins.module_utils._options import API_OPTIONS, option as api_option
from ansible_collections.dyn.managed_dns.plugins.module_utils._protocol import ApiCall, BatchOutcome
from ansible_collections.dyn.managed_dns.plugins.module_utils.errors import (
    DynectConfigError,
    DynectError,
    DynectInvalidArgumentError,
)

__all__ = [
    "ApiCall",
    "BatchOutcome",
    "CRYPTOGRAPHY_IMPORT_ERROR",
    "HAS_CRYPTOGRAPHY",
    # Deprecated, removed in 1.0.0: the collection no longer needs requests (see _libraries.py);
    # kept for scripts that read them.
    "HAS_REQUESTS",
    "REQUESTS_IMPORT_ERROR",
    "DynectMultiSession",
    "DynectSession",
    "HistoryRecord",
]

_LOG = logging.getLogger("ansible_collections.dyn.managed_dns.session")
_DEFAULTS = RetryPolicy()
_POLICY_FIELDS = tuple(field.name for field in dataclasses.fields(RetryPolicy))


# What DynectSession.from_env() reads: the DYN_* variables the modules fall back to, with the
# modules' option types.
_ENV_TYPES: dict[str, str] = {declared.name: declared.type for declared in API_OPTIONS}
# Never repeated in an error: secrets, and proxy_host, which may be written as user:password@proxy.
_ENV_SECRETS = frozenset({declared.name for declared in API_OPTIONS if declared.no_log} | {"proxy_host"})
# Ansible's boolean words (ansible.module_utils.parsing.convert_bool), so a value the modules take works here.
_TRUE_WORDS = frozenset({"y", "yes", "on", "1", "true", "t"})
_FALSE_WORDS = frozenset({"n", "no", "off", "0", "false", "f"})


def _env_variable(name: str) -> str:
    return api_option(name).env


def _env_value(option: str, text: str) -> Any:
    """``text`` of ``DYN_<OPTION>`` converted as the modules convert that option; DynectConfigError naming the variable."""
    kind = _ENV_TYPES[option]
    if kind == "bool" and text.strip().lower() in _TRUE_WORDS | _FALSE_WORDS:
        return text.strip().lower() in _TRUE_WORDS
    if kind == "int":
        try:
            number = decimal.Decimal(text.strip())
            if number == int(number):  # "30" and "30.0" as the modules take them, not "2.5"
                return int(number)
        except (ArithmeticError, ValueError):  # not a number; NaN; Infinity
            pass
    if kind == "path":
        return os.path.expanduser(os.path.expandvars(text))
    if kind == "str":
        return text
    shown = "its value" if option in _ENV_SECRETS else repr(text)
    wanted = "a whole number" if kind == "int" else "a boolean (yes/no, true/false, on/off, 1/0)"
    raise DynectConfigError(f"{_env_variable(option)} must be {wanted}, not {shown}")


def _options_from_env(environ: Mapping[str, str]) -> dict[str, Any]:
    """The constructor options the ``DYN_*`` variables of ``environ`` set; an empty variable counts as unset."""
    options = {option: _env_value(option, environ[_env_variable(option)]) for option in _ENV_TYPES
               if environ.get(_env_variable(option), "") != ""}
    # The constructor checks these too, but its errors would name the option, not the variable.
    for option in ("port", "proxy_port"):
        if option in options:
            tcp_port(_env_variable(option), options[option])
    return options


def _require_credentials(options: Mapping[str, Any], caller: str) -> None:
    """DynectConfigError naming every missing credential: customer, user name, and a password or a token."""
    needed = ["customer", "username"] + ([] if options.get("token") is not None else ["password"])
    missing = [option for option in needed if options.get(option) in (None, "")]
    if missing:
        variables = " and ".join(_env_variable(option) for option in missing)
        arguments = " and ".join(missing)
        raise DynectConfigError(
            f"{caller}.from_env() cannot log in without {variables}: set {'it' if len(missing) == 1 else 'them'} "
            f"in the environment, or pass {arguments} to from_env()"
        )


def _engine_of(arguments: Mapping[str, Any]) -> SessionEngine:
    """The engine for :class:`DynectSession`'s constructor arguments (``auto_auth`` is the facade's own)."""
    settings = {name: value for name, value in arguments.items() if name != "auto_auth"}
    credentials = Credentials(*(settings.pop(name) for name in ("customer", "username", "password", "token")))
    waits = {name: settings.pop(name) for name in _POLICY_FIELDS}
    policy = RetryPolicy(**{**waits, "task_backoff": tuple(waits["task_backoff"])})
    key, history = settings.pop("key"), settings.pop("history")
    return SessionEngine(credentials, Endpoint.from_options(**settings), policy, key=key, history=history)


class DynectSession(metaclass=_registry.PerThreadSingleton):
    """A logged-in DynECT REST API session; one per thread, as in the SDK.

    Calling the class again in the same thread with the same identity (API host and port,
    customer, user), the same ``ssl`` and the same credentials (the password, the token, or both,
    whichever are given; at least one) returns the existing session without logging in again;
    anything else is an error (use :meth:`new_session` to replace the session, or
    :class:`DynectMultiSession`).
    As in the SDK, this class and :class:`DynectMultiSession` share the thread's one slot, so
    ``DynectSession.get_session()`` also returns a multi-session.

    Every automatic re-login uses the stored password: the one given, or the one a successful
    :meth:`update_password` set (also when its reply was lost and a login proved it set).

    The positional parameters are the SDK's:

    :param customer: DynECT customer name.
    :param username: DynECT user name.
    :param password: the user's password; kept encrypted in memory (AES-256-GCM) to log in again
        when the server drops the session. May be None with ``token``; then no re-login is possible.
    :param host: API host.
    :param port: API port.
    :param ssl: use HTTPS.
    :param api_version: value of the ``API-Version`` header.
    :param auto_auth: log in now; when False, the first API call logs in.
    :param key: key to encrypt the stored password with: text (hashed to 256 bits), 32 raw bytes,
        or None for a random per-process key.
    :param history: record every HTTP exchange in :attr:`history`.
    :param proxy_host: HTTP proxy host (HTTPS goes through it with CONNECT).
    :param proxy_port: HTTP proxy port; required with ``proxy_host``.
    :param proxy_user: proxy user name for Basic proxy authentication.
    :param proxy_pass: proxy password for Basic proxy authentication.

    Keyword-only options, added by this collection:

    :param validate_certs: check the API's TLS certificate.
    :param ca_path: CA bundle (PEM file) to check the certificate against instead of the system's.
    :param timeout: seconds one HTTP request may take in all, from connecting to the last byte of its
        answer (a reply over 64 MiB is refused).
    :param job_timeout: most seconds to wait for a call that turned into a job (307, ``incomplete``,
        another job running on the session) before :class:`DynectQueryTimeout`.
    :param token: adopt this existing session token instead of logging in.
    :param poll_interval: seconds between two polls of a pending job.
    :param task_backoff: seconds to wait before each retry of a call blocked by a zone task.
    :param rate_limit_retries: how many times a rate-limited call is retried.
    :param rate_limit_wait: seconds to wait after a rate-limited reply without ``Retry-After``.
    :param transport_retries: how many times a GET or keep-alive is re-sent after a lost connection.
    :param transport_retry_wait: seconds to wait before such a re-send.
    :param rate_limit: most requests this session sends in any minute (DynECT's default account
        limit is 300). A burst goes at full speed until the limit is reached, then each request
        waits until it fits under the limit again. None or 0 turn pacing off. The limit is the
        account's, shared by all its users and sessions: give each session its share when several
        work on one account at once.
    :param option_prefix: put before the option names that a TLS failure's advice and a timeout's
        message name, for callers whose users set the options under other names (the dynect
        connection passes ``dyn_``, so that the advice says ``dyn_ca_path`` where the user set it).
    """

    #: Root of every API path; ``execute()`` puts it in front of URIs that lack it.
    uri_root = URI_ROOT

    def __init__(
        self,
        customer: str,
        username: str,
        password: str | None,
        host: str = "api.dynect.net",
        port: int = 443,
        ssl: bool = True,
        api_version: str = "current",
        auto_auth: bool = True,
        key: str | bytes | None = None,
        history: bool = False,
        proxy_host: str | None = None,
        proxy_port: int | None = None,
        proxy_user: str | None = None,
        proxy_pass: str | None = None,
        *,
        validate_certs: bool = True,
        ca_path: str | None = None,
        timeout: float = 30.0,
        job_timeout: float = _DEFAULTS.job_timeout,
        token: str | None = None,
        poll_interval: float = _DEFAULTS.poll_interval,
        task_backoff: Iterable[float] = _DEFAULTS.task_backoff,
        rate_limit_retries: int = _DEFAULTS.rate_limit_retries,
        rate_limit_wait: float = _DEFAULTS.rate_limit_wait,
        transport_retries: int = _DEFAULTS.transport_retries,
        transport_retry_wait: float = _DEFAULTS.transport_retry_wait,
        rate_limit: int | None = DEFAULT_RATE_LIMIT,
        option_prefix: str = "",
    ) -> None:
        # Every parameter, by name (locals() holds only them here): the SDK's flat signature, sorted
        # into the engine's account, endpoint and retry policy.
        arguments = {name: value for name, value in locals().items() if name != "self"}
        # The engine logs in, calls and keeps the password sealed; this class adds the SDK's surface.
        self._engine = _engine_of(arguments)
        self._permissions: list[str] | None = None
        if auto_auth and token is None:
            self.authenticate()

    # --- the per-thread singleton -------------------------------------------------------------

    @classmethod
    def new_session(cls, *args: Any, **kwargs: Any) -> DynectSession:
        """Replace this thread's session: log the current one out on the server, then create a new one."""
        current = _registry.registered(cls)
        if current is not None:
            try:
                current.log_out()
            except DynectError as exc:
                _LOG.warning("Could not log %s out before replacing it: %s", current, exc)
                _registry.unregister(cls, current)
        return cls(*args, **kwargs)

    @classmethod
    def get_session(cls) -> DynectSession | None:
        """This thread's session, or None."""
        return _registry.registered(cls)

    @classmethod
    def close_session(cls) -> DynectSession | None:
        """Forget this thread's session without logging it out, and return it."""
        return _registry.unregister(cls)

    @classmethod
    def from_env(cls, **overrides: Any) -> DynectSession:
        """A session configured from the ``DYN_*`` environment variables the collection's modules read.

        ``DYN_CUSTOMER``, ``DYN_USERNAME``, ``DYN_PASSWORD``, ``DYN_TOKEN``, ``DYN_HOST``,
        ``DYN_PORT``, ``DYN_SSL``, ``DYN_VALIDATE_CERTS``, ``DYN_CA_PATH``, ``DYN_API_VERSION``,
        ``DYN_KEY``, ``DYN_HISTORY``, ``DYN_PROXY_HOST``, ``DYN_PROXY_PORT``, ``DYN_PROXY_USER``,
        ``DYN_PROXY_PASS``, ``DYN_TIMEOUT`` and ``DYN_RATE_LIMIT`` give the constructor parameter of
        the same name, converted as the modules convert them: numbers are whole numbers, booleans
        are ``yes``/``no``, ``true``/``false``, ``on``/``off``, ``1``/``0`` (any case), ``~`` and
        ``$VARS`` in ``DYN_CA_PATH`` are expanded. An unset or empty variable leaves the
        constructor's default. The constructor itself (the SDK's) never reads the environment.

        :param overrides: constructor arguments (any, keyword-only ones too, such as
            ``job_timeout`` or ``auto_auth``); they win over the environment.
        :raises DynectConfigError: naming the variable, for a value of the wrong type (a secret's
            value is never repeated), or when the customer, the user name, or both the password and
            the token are missing. Login errors are the constructor's.
        """
        options = {"password": None, **_options_from_env(os.environ), **overrides}  # a token may stand in for it
        _require_credentials(options, cls.__name__)
        return cls(**options)

    @classmethod
    def _reuse(cls, existing: DynectSession, *args: Any, **kwargs: Any) -> DynectSession:
        """Called by the metaclass instead of creating a second session in this thread.

        The existing session is handed out only to a caller that could have logged it in itself:
        same API endpoint, account and credentials. Matching the user name alone would give a
        logged-in session to anyone who knows it, with any password, in a long-lived process.
        """
        requested = inspect.signature(DynectSession.__init__).bind(existing, *args, **kwargs)
        requested.apply_defaults()
        wanted = requested.arguments
        api = f"{wanted['host']}:{int(wanted['port'])}"
        account = existing._open_account(api, wanted["customer"], wanted["username"])
        if (
            not isinstance(existing, cls)
            or account is None
            or bool(wanted["ssl"]) != bool(existing.ssl)
            or not existing._engine.presents_credentials_of(account, wanted["password"], wanted["token"])
        ):
            # The same words whatever differs, so that the error tells nothing about a password.
            raise DynectConfigError(
                f"This thread already has {existing}; it cannot also hold a session for "
                f"{wanted['customer']}, {wanted['username']} at {api} with these credentials and settings. "
                f"Use {cls.__name__}.new_session() to replace it, or DynectMultiSession to work with several accounts."
            )
        existing._activate(account)
        return existing

    # --- identity and state -------------------------------------------------------------------

    @property
    def host(self) -> str:
        return self._engine.endpoint.host

    @property
    def port(self) -> int:
        return self._engine.endpoint.port

    @property
    def ssl(self) -> bool:
        return self._engine.endpoint.ssl

    @property
    def api_version(self) -> str:
        return self._engine.endpoint.api_version

    @property
    def customer(self) -> str | None:
        return self._engine.customer

    @property
    def username(self) -> str | None:
        return self._engine.username

    @property
    def token(self) -> str | None:
        """The session token, or None when not logged in (the only way to read it)."""
        return self._engine.token

    def read_token(self) -> str | None:
        """The session token, or None when not logged in: :attr:`token`, as every task session offers it (``_protocol.TaskSession``)."""
        return self.token

    @property
    def server_version(self) -> str | None:
        """The API version the server reported at the last login (``data.version``)."""
        return self._engine.server_version

    @property
    def identity(self) -> tuple[str, str | None, str | None]:
        """``("host:port", customer, username)``: what tells two sessions' accounts apart."""
        return self._engine.identity

    @property
    def history(self) -> list[HistoryRecord] | None:
        """The HTTP exchanges so far (secrets masked as ``*****``), or None unless ``history=True``."""
        return self._engine.history

    def restart_history(self, recording: bool) -> None:
        """Record the calls from now on in an empty history (``recording``), or record nothing.

        ``history`` is fixed when the session is made; a session that serves several callers, each
        wanting its own calls or none, restarts it per caller.
        """
        self._engine.restart_history(recording)

    # --- SDK members --------------------------------------------------------------------------

    def authenticate(self) -> None:
        """Log in with the stored credentials, first ending the current server session if any."""
        self._engine.authenticate()

    def log_out(self) -> None:
        """End the server session and forget this thread's session; safe to call more than once."""
        self._engine.log_out()
        self._permissions = None
        _registry.unregister(type(self), self)

    def execute(self, uri: str, method: str, args: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Call the API and return the whole reply envelope (``status``, ``data``, ``job_id``, ``msgs``).

        ``uri`` may leave out the leading ``/`` and the ``/REST`` root: ``"Zone/"``, ``"/Zone/"`` and
        ``"/REST/Zone/"`` are the same. A ``uri`` a server could read as another path (a ``.`` or
        ``..`` segment, ``?``, ``#``, ``\\``, an encoded ``.``, ``/`` or ``\\``, a control character)
        raises :class:`DynectConfigError` before anything is sent. Jobs, throttling, blocked tasks
        and an expired session are handled on the way; a failure raises the :class:`DynectError`
        subclass for ``method``.
        """
        return self._engine.execute(uri, method, args)

    def execute_many(self, calls: Sequence[ApiCall]) -> BatchOutcome:
        """Make ``calls`` (each an :class:`ApiCall` or a ``(uri, method[, args])`` tuple) in order, as :meth:`execute` makes each.

        Stops at the first call that fails and returns, rather than raises, what happened:
        ``BatchOutcome(replies, error)``, the reply envelope of each call made, in order, and the
        :class:`DynectError` of the one that failed (None when none did). Not in dyn-python.
        """
        return self._engine.execute_many(calls)

    @property
    def permissions(self) -> list[str]:
        """Names of the current user's permissions; fetched once per identity, then cached."""
        if self._permissions is None:
            self._permissions = self.user_permissions_report()
        return list(self._permissions)

    def user_permissions_report(self, user_name: str | None = None) -> list[str]:
        """Names of the permissions ``user_name`` (default: the current user) is allowed."""
        allowed = self.permission_report(user_name).get("allowed") or []
        return [entry["name"] for entry in allowed if isinstance(entry, dict) and "name" in entry]

    def update_password(self, new_password: str) -> None:
        """Change the current user's password; later automatic logins use the new one.

        The change is never sent twice. When no verdict on it comes back (no reply, an error page,
        a job that cannot be followed to its end), logins tell what happened:

        - the new password logs in: the change was carried out; it returns normally.
        - the new one is refused and the stored old one logs in (or no old one is stored, as with
          an adopted token): :class:`DynectUpdateError` saying the change was not carried out.
        - neither logs in: :class:`DynectLoginError` (a refused login) saying exactly that.
        - a login brings no verdict either, or cannot be tried (no customer or user name, as with
          an adopted token): the original error, whose ``outcome_unknown`` is True.
        """
        self._engine.update_password(new_password)

    # --- additions used by the modules and the connection plugin -----------------------------

    def is_alive(self) -> bool:
        """Whether the server still knows this session (never logs in again to find out)."""
        return self._engine.is_alive()

    def keep_alive(self) -> None:
        """Extend the server session's validity (``PUT /REST/Session/``).

        Like any other call, it logs in again when the server dropped the session and a password
        is stored; with an adopted token and no password, a dropped session raises
        :class:`DynectAuthError`.
        """
        self._engine.keep_alive()

    def pending_in_session(self, zone: str) -> bool | None:
        """Whether this session made changes to ``zone`` not yet published, by its own record (no request); None for an adopted token."""
        return self._engine.pending_in_session(zone)

    def permission_report(self, user_name: str | None = None) -> dict[str, Any]:
        """The API's permission report for ``user_name`` (default: the current user), zones kept."""
        return self._engine.permission_report(user_name)

    def check_permissions(self, permissions: Sequence[str], zone_name: str | None = None) -> dict[str, Any]:
        """Which of ``permissions`` the current user has (on ``zone_name``, when given)."""
        return self._engine.check_permissions(permissions, zone_name)

    def password_works(self, password: str) -> bool:
        """Whether ``password`` logs this account in now.

        The probe's server session is ended at once; this session's token and stored password stay
        as they are. An error that says nothing about the password (no answer, throttling) is raised.
        """
        return self._engine.password_works(password)

    # --- context manager and text -------------------------------------------------------------

    def __enter__(self) -> DynectSession:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            self.log_out()
        except DynectError as exc:
            if exc_type is None:
                raise
            # Do not let a failed logout hide the error that ended the block.
            _LOG.warning("Could not log %s out: %s", self, exc)

    def __str__(self) -> str:
        return f"<{type(self).__name__}>: {self.customer}, {self.username}"

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.customer}, {self.username} at {self.host}:{self.port}>"

    # --- internals ----------------------------------------------------------------------------

    def _activate(self, account: AccountSession | None) -> None:
        """Make ``account`` the one requests are sent for; cached permissions were the old one's."""
        if account is not self._engine.account:
            self._engine.switch_to(account)
            self._permissions = None

    def _open_account(self, api: str, customer: str, username: str) -> AccountSession | None:
        """The account of this session matching an identity, or None."""
        if (api, customer, username) == self.identity:
            return self._engine.account
        return None


class DynectMultiSession(DynectSession):
    """A session that holds several accounts' server sessions and switches between them.

    It takes the same arguments as :class:`DynectSession`; the first account is logged in as
    there. Switching with :meth:`set_active_session` reuses the stored token (no new login), and
    :meth:`log_out` ends every server session without logging in again.

    All the accounts share one engine (one connection pool, request pacer and history, as they
    shared the SDK's one session object): a switch tells the engine which account to send for.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._open_sessions: list[AccountSession] = [self._engine.active_account()]

    def new_user_session(self, customer: str, username: str, password: str) -> None:
        """Log in a further account and make it the active one.

        If the login fails, the previous account stays active (with its token, no new login).
        Opening an account that is already open replaces its server session.
        """
        previous = self._engine.account
        stale = self._open_account(self.identity[0], customer, username)
        account = self._engine.open_account(Credentials(customer, username, password))
        if stale is not None:
            account.pending = stale.pending  # its login ends the stale session's pending changes
        self._activate(account)
        try:
            self._engine.authenticate()
        except DynectError:
            self._open_sessions.remove(account)
            self._activate(previous)
            raise
        if stale is not None:
            self._end_session_of(stale)
            self._open_sessions.remove(stale)

    def set_active_session(self, username: str, customer: str | None = None) -> None:
        """Make the open session of ``username`` (of ``customer``, if several) the active one."""
        matches = [
            account
            for account in self._open_sessions
            if account.username == username and customer in (None, account.customer)
        ]
        if not matches:
            open_identities = [f"{account.customer}/{account.username}" for account in self._open_sessions]
            raise DynectInvalidArgumentError("username", username if customer is None else f"{customer}/{username}", open_identities)
        if len(matches) > 1:
            raise DynectInvalidArgumentError("customer", customer, [account.customer for account in matches])
        self._activate(matches[0])

    def get_open_sessions(self) -> list[dict[str, str | None]]:
        """The open sessions' ``user_name`` and ``customer`` (no password, no token)."""
        return [{"user_name": account.username, "customer": account.customer} for account in self._open_sessions]

    @property
    def current_open_session(self) -> dict[str, str | None] | None:
        """The active session's ``customer`` and ``username``, or None when none is active."""
        account = self._engine.account
        if account is None:
            return None
        return {"customer": account.customer, "username": account.username}

    def log_out_active_session(self) -> None:
        """End the active session only.

        When exactly one session remains it becomes active; when several remain none is active
        until :meth:`set_active_session` picks one (the SDK did the same).
        """
        if len(self._open_sessions) <= 1:
            self.log_out()
            return
        self._engine.end_server_session()
        self._open_sessions.remove(self._engine.active_account())
        self._activate(self._open_sessions[0] if len(self._open_sessions) == 1 else None)

    def log_out(self) -> None:
        """End every open server session (one DELETE each, no new login) and forget this session."""
        for account in list(self._open_sessions):
            if account.token is not None:
                self._end_session_of(account)
            self._open_sessions.remove(account)
        self._activate(None)
        super().log_out()

    def _activate(self, account: AccountSession | None) -> None:
        super()._activate(account)
        if account is not None and account not in self._open_sessions:
            self._open_sessions.append(account)

    def _open_account(self, api: str, customer: str, username: str) -> AccountSession | None:
        if api != self.identity[0]:
            return None
        for account in self._open_sessions:
            if (account.customer, account.username) == (customer, username):
                return account
        return None

    def _end_session_of(self, account: AccountSession) -> None:
        with self._engine.acting_as(account):
            self._engine.end_server_session()
