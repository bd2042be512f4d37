# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What the ``dyn_*`` modules share: the API options, the sessions of one task, error reporting.

Private to this collection. A module declares its options in a :class:`ModuleSpec` and its work as
a function of a :class:`TaskRun` and the task's :class:`TaskSessions`. Two entry points run it: the
module's own :func:`run_module` (``AnsibleModule``), and the modules' one action, which
runs it in the controller's worker process (``plugins/plugin_utils/_in_process.py``). Both call
:func:`run_task`, which checks the options, logs out whatever the task logged in to, and turns the
session layer's typed errors into one failure.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Collection, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple, NoReturn

from ansible.module_utils.basic import AnsibleModule, _load_params, env_fallback, missing_required_lib

from ansible_collections.dyn.managed_dns.plugins.module_utils._connection_rpc import ConnectionSession, UnusableOptionsError, unusable_options
from ansible_collections.dyn.managed_dns.plugins.module_utils._crypto import CRYPTOGRAPHY_IMPORT_ERROR, HAS_CRYPTOGRAPHY
from ansible_collections.dyn.managed_dns.plugins.module_utils._envelope import is_blocked_user, is_login_problem
from ansible_collections.dyn.managed_dns.plugins.module_utils._option_values import url_host
from ansible_collections.dyn.managed_dns.plugins.module_utils._options import API_OPTIONS, ApiOption, option, transport_warnings
from ansible_collections.dyn.managed_dns.plugins.module_utils._protocol import TaskSession
from ansible_collections.dyn.managed_dns.plugins.module_utils._records import prefix_warnings
from ansible_collections.dyn.managed_dns.plugins.module_utils.errors import (
    TLS_FAILURE,
    DynectAuthError,
    DynectChangeNotMadeError,
    DynectChangesLostError,
    DynectConfigError,
    DynectError,
    DynectLoginError,
    DynectZoneNotFoundError,
)

if TYPE_CHECKING:
    from ansible_collections.dyn.managed_dns.plugins.module_utils._engine import SessionEngine

__all__ = [
    "SESSION_GONE", "SESSION_KEYS", "ModuleSpec", "SentRefusal", "TaskFailure", "TaskRun", "TaskSession", "TaskSessions", "Work",
    "describe_error", "describe_missing_zone", "is_refused_login", "missing_library", "proxy_host_refusal", "refusal_as_sent",
    "run_module", "run_task",
    "customer_words", "zone_absence",
]

SESSION_GONE = (
    "The DynECT session given to the task (its session or token option) is no longer valid (it expired or was "
    "logged out); log in again with dyn.managed_dns.dyn_session (return_token: true) and give the task the new "
    "session it returns (session: \"{{ login.session }}\")"
)
# Through the connection a dropped session is logged in to again, so this means that did not help.
_CONNECTION_SESSION_GONE = (
    "The play's DynECT session, held by the dyn.managed_dns.dynect connection, is no longer valid even "
    "after logging in again; check the host's dyn_* variables, or start over with meta: reset_connection"
)


class _Advice(NamedTuple):
    """What :func:`describe_error` tells the user to check, in the words of the task's route."""

    unusable: str  # the prefix of a refusal of the session's settings
    credentials: str
    api_version: str
    address: str
    network: str
    rate_limit: str  # the option that paces the task's requests


# On the direct route the task's options choose the account and API; through the dynect
# connection its dyn_* host variables do, and the module options are refused there.
_DIRECT_ADVICE = _Advice(
    "Unusable DynECT options", "customer, username and password", "api_version", "host and port",
    "host, port, ssl and the proxy options", "rate_limit",
)
_CONNECTION_ADVICE = _Advice(
    "Unusable dyn_* host variables", "dyn_customer, dyn_username and dyn_password", "dyn_api_version",
    "dyn_host and dyn_port", "dyn_host, dyn_port, dyn_ssl and the dyn_proxy_* host variables", "dyn_rate_limit",
)

#: A task whose calls the account's rate limit (429s waited out, the client's pacing) held back this
#: many seconds or more in all warns once (documented in guide_troubleshooting.rst).
RATE_LIMIT_WARN_SECONDS = 5.0


def _argument_spec(api_option: ApiOption) -> dict[str, Any]:
    """One shared option's spec, read from ``DYN_<NAME>`` when the task does not set it."""
    spec: dict[str, Any] = {"type": api_option.type, "fallback": (env_fallback, [api_option.env])}
    if api_option.default is not None:
        spec["default"] = api_option.default
    if api_option.no_log:
        spec["no_log"] = True
    if api_option.aliases:
        spec["aliases"] = list(api_option.aliases)
    return spec


# plugins/doc_fragments/api.py documents these (validate-modules compares the two).
_API_OPTIONS: dict[str, dict[str, Any]] = {api_option.name: _argument_spec(api_option) for api_option in API_OPTIONS}

# Options handed to the session engine as they are; the same for every session a task opens.
_SESSION_OPTIONS = tuple(api_option.name for api_option in API_OPTIONS if api_option.session_keyword)

_CREDENTIAL_ENV = {name: option(name).env for name in ("customer", "username", "password")}

# What a ``session`` value (returned by dyn_session) carries: the token and everything that decides
# where the token goes and how ("route"), so that one option takes a task to the session's own
# endpoint, plus what it names of the account ("named"; see ApiOption.in_session).
SESSION_KEYS = tuple(api_option.name for api_option in API_OPTIONS if api_option.in_session)
_SESSION_ROUTE = tuple(api_option.name for api_option in API_OPTIONS if api_option.in_session == "route")
_SESSION_OPTION: dict[str, Any] = {
    "type": "dict",
    "options": {
        name: {
            "type": _API_OPTIONS[name]["type"],
            **({"no_log": True} if name == "token" else {}),
            **({"required": True} if option(name).session_requires else {}),
        }
        for name in SESSION_KEYS
    },
}

# Through the dynect connection, its host variables say which account and API a task uses; a task
# that names its own would act on an account other than the one its host stands for.
# (``history`` stays the task's own choice.)
_CONNECTION_OWNED_OPTIONS = (
    "customer", "username", "password", "token", "session", *(name for name in _SESSION_OPTIONS if name != "history"),
)


@dataclasses.dataclass(frozen=True)
class ModuleSpec:
    """A module's own options and rules, on top of the shared API options.

    The one declaration both entry points validate with: the module's ``AnsibleModule`` and the
    modules' one action, which runs the module's work in the controller's worker process.
    ``non_empty`` names module options that are refused when given as an empty string (Ansible
    only checks types). With ``history_fact``, ``history=true`` also sets ``dyn_api_history``.
    """

    options: dict[str, dict[str, Any]]
    non_empty: tuple[str, ...] = ()
    required_by: dict[str, str] = dataclasses.field(default_factory=dict)
    history_fact: bool = False
    # More of the rules both validators take: mutually_exclusive, required_one_of, required_if.
    rules: dict[str, list[Any]] = dataclasses.field(default_factory=dict)
    # Values in the task's parameters that are secrets although no option is no_log (a password
    # inside dyn_rest's body): both entry points mask them wherever no_log values are masked.
    secret_values: Callable[[Mapping[str, Any]], set[str]] | None = None
    # Why the task's arguments (as the task sent them) cannot run under ``async``, or None; the
    # action asks before it runs anything (see plugins/action/dyn_session.py).
    async_refusal: Callable[[Mapping[str, Any]], str | None] | None = None

    def secrets_in(self, params: Mapping[str, Any]) -> set[str]:
        return set(self.secret_values(params)) if self.secret_values else set()

    def refusal_under_async(self, sent: Mapping[str, Any]) -> str | None:
        return self.async_refusal(sent) if self.async_refusal else None

    def argument_spec(self, *, hidden: Collection[str] = ()) -> dict[str, dict[str, Any]]:
        """The whole argument spec; ``hidden`` names refused options to mask whole (see :func:`refusal_as_sent`)."""
        options = {**_API_OPTIONS, "session": _SESSION_OPTION, **self.options}
        return {**options, **{name: _HIDDEN_OPTIONS[name] for name in hidden}}

    def constraints(self) -> dict[str, Any]:
        """The keyword arguments that ``AnsibleModule`` and ``ArgumentSpecValidator`` share.

        proxy_user and proxy_pass are paired after validation instead (see :func:`_unpaired_proxy_credentials`).
        """
        return {"required_by": {"proxy_host": "proxy_port", **self.required_by}, **self.rules}


@dataclasses.dataclass
class TaskRun:
    """What a module's work sees of its task, in whichever process it runs.

    ``sent`` holds the arguments as the task sent them (its module_defaults included), without
    defaults or values from ``DYN_*`` variables.
    """

    params: dict[str, Any]
    sent: Mapping[str, Any]
    argument_spec: dict[str, dict[str, Any]]
    check_mode: bool
    diff: bool
    no_log: bool
    socket_path: str | None
    warn: Callable[[str], None]


Work = Callable[[TaskRun, "TaskSessions"], dict[str, Any]]


def is_refused_login(exc: BaseException | None) -> bool:
    """Whether ``exc`` is the API itself refusing a login's credentials (not a lost or unreadable reply)."""
    return isinstance(exc, DynectLoginError) and is_login_problem(exc.messages)


def missing_library() -> tuple[str, str] | None:
    """The message and traceback for a library the session layer needs and this Python lacks, or None."""
    # HTTP is the standard library's (http.client and ssl): cryptography is the one library to check.
    if not HAS_CRYPTOGRAPHY:
        return missing_required_lib("cryptography"), CRYPTOGRAPHY_IMPORT_ERROR or ""
    return None


def run_module(spec: ModuleSpec, work: Work) -> NoReturn:
    """The module's entry point: validate with ``AnsibleModule``, run ``work``, exit with its result."""
    # (ansible-test's argument-spec introspection runs this with no module arguments at all.)
    # The one place the collection reads ansible-core's private module attributes, because core
    # offers no public way: _load_params, the module's arguments as sent, before AnsibleModule
    # validates them against a spec that here depends on what was sent (refused options are hidden
    # whole); _diff and _socket_path, the task's diff flag and the persistent connection's socket
    # (ansible.netcommon's modules read _socket_path the same way).
    sent = _load_params() or {}
    refusal = refusal_as_sent(sent)
    module = AnsibleModule(
        argument_spec=spec.argument_spec(hidden=refusal.hidden if refusal else ()), supports_check_mode=True, **spec.constraints()
    )
    module.no_log_values.update(spec.secrets_in(module.params))
    if refusal is not None:
        module.fail_json(msg=refusal.msg)
    missing = missing_library()
    if missing is not None:
        module.fail_json(msg=missing[0], exception=missing[1])
    task = TaskRun(
        params=module.params, sent=sent, argument_spec=module.argument_spec, check_mode=module.check_mode,
        diff=module._diff, no_log=module.no_log, socket_path=module._socket_path, warn=module.warn,
    )
    result, failure = run_task(spec, task, work)
    if failure is not None:
        module.fail_json(msg=failure.msg, **failure.result, **result)
    module.exit_json(**result)


def _refusal(spec: ModuleSpec, task: TaskRun) -> str | None:
    """Why the task's validated options cannot be used, in one sentence; None when they can."""
    params = task.params
    empty = [name for name in spec.non_empty if isinstance(params[name], str) and not params[name].strip()]
    if empty:
        optional = not all(task.argument_spec[name].get("required") for name in empty)
        pronoun = "it" if len(empty) == 1 else "them"
        return (
            f"{_enumerate(empty)} must not be empty (an undefined variable or unset environment variable "
            f"may have given ''); set {pronoun}{f', or leave {pronoun} out' if optional else ''}."
        )
    if task.socket_path:
        given = _account_options_given(task)
        if given:
            return (
                f"This task runs through the dyn.managed_dns.dynect connection, whose host variables say which "
                f"DynECT account to use; remove {_enumerate(given)} from the task and its module_defaults, or run "
                "it on another connection (for example with delegate_to: localhost)."
            )
        return None
    if params["session"] is not None:
        refusal = _adopt_session_option(task)
        if refusal is not None:
            return refusal
    return _unpaired_proxy_credentials(params)


def _adopt_session_option(task: TaskRun) -> str | None:
    """Take the token, endpoint and TLS/proxy settings from ``session`` into the task's params.

    The session's values win over defaults and ``DYN_*`` variables: a token goes only to the
    endpoint it was issued by. A value the task itself sets (in its arguments or module_defaults)
    must agree, since one of the two would otherwise be silently ignored. Returns why the session
    cannot be used, or None.
    """
    params = task.params
    session = params["session"]
    taken = {name: session[name] for name in SESSION_KEYS if name in _SESSION_ROUTE or session[name] is not None}
    clashing = [name for name, value in taken.items() if _was_sent(task, name) and params[name] != value]
    if clashing:
        return (
            f"The task sets {_enumerate(clashing)} to other values than the session given in session belongs to; "
            f"remove {'it' if len(clashing) == 1 else 'them'} from the task and its module_defaults (session carries "
            "its own), or log in again with these settings."
        )
    params.update(taken)
    if params["proxy_user"] and not params["proxy_pass"]:
        return (
            "The session given in session goes through a proxy that needs proxy_user's password, which a "
            "session never carries: set proxy_pass (or DYN_PROXY_PASS) on the task or in its module_defaults."
        )
    return None


def _unpaired_proxy_credentials(params: Mapping[str, Any]) -> str | None:
    """Why proxy_user and proxy_pass do not make a pair, or None.

    Checked once a ``session`` is adopted (not by Ansible's ``required_together``, which runs
    before): the session carries proxy_user, and the task or its module_defaults give proxy_pass.
    """
    if params["proxy_user"] is not None and params["proxy_pass"] is None:
        return "proxy_user is set without proxy_pass: set proxy_pass (or DYN_PROXY_PASS) too, or remove proxy_user."
    if params["proxy_pass"] is not None and params["proxy_user"] is None:
        return (
            "proxy_pass is set without proxy_user (neither the task nor its session gives one): set proxy_user "
            "(or DYN_PROXY_USER) too, or remove proxy_pass."
        )
    return None


class SentRefusal(NamedTuple):
    """Why the task's arguments are refused as the task sent them, before validation."""

    msg: str
    hidden: tuple[str, ...]  # the refused options, masked whole wherever Ansible masks no_log values


def refusal_as_sent(sent: Mapping[str, Any]) -> SentRefusal | None:
    """The first refusal of the arguments as sent (:func:`proxy_host_refusal`, :func:`session_refusal`), or None.

    Looked at before the arguments are validated: every failure validation reports (another
    option's type error too) repeats the arguments in the result's ``invocation``. Each refused
    option is then taken as it is and marked no_log (see ``_HIDDEN_OPTIONS``), so that Ansible masks
    its value in the whole result, whichever failure the task reports.
    """
    proxy_host = proxy_host_refusal(sent)
    refused = {
        "proxy_host": None if proxy_host is None else describe_error(unusable_options(proxy_host)),
        "session": session_refusal(sent),
    }
    messages = [msg for msg in refused.values() if msg is not None]
    if not messages:
        return None
    return SentRefusal(messages[0], tuple(name for name, msg in refused.items() if msg is not None))


def session_refusal(sent: Mapping[str, Any]) -> str | None:
    """Why the task's ``session`` is not a session value, or None.

    A string (the bare token, say) or a list is refused before validation: Ansible's ``dict`` type
    would parse a string as JSON or as ``key=value`` pairs (a base64 token ends in ``=``) and name
    the parts it found, a token among them, in its error message.
    """
    value = sent.get("session")
    if value is None or isinstance(value, Mapping):
        return None
    return (
        f"session must be the session value that dyn.managed_dns.dyn_session returns with return_token=true "
        f"(a dictionary of the token and its endpoint), for example session: \"{{{{ login.session }}}}\", not {_kind_of(value)}."
    )


def _kind_of(value: Any) -> str:
    """What ``value`` is, in words; never the value itself."""
    if isinstance(value, (str, bytes)):
        return "a string"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, (list, tuple, set)):
        return "a list"
    return "a value of another type"


def proxy_host_refusal(sent: Mapping[str, Any]) -> DynectConfigError | None:
    """The host check's refusal of the task's proxy_host (or ``DYN_PROXY_HOST``), or None.

    Looked at before the arguments are validated (see :func:`refusal_as_sent`): a refused value
    may be ``user:password@proxy``.
    """
    value = sent.get("proxy_host")
    if value is None:
        value = os.environ.get("DYN_PROXY_HOST")  # the option's env fallback
    if value is None or value == "":
        return None
    try:
        url_host(str(value), "proxy_host")
    except DynectConfigError as exc:
        return exc
    return None


# The spec of an option refused as sent (see refusal_as_sent). Only for a refused value: a valid
# proxy_host is a plain host name, and a valid session's endpoint and names are useful to see in the
# output (its token is no_log anyway). A refused session is taken as it is ("raw"), so that no
# conversion error or sub-option check names a part of it; no_log masks every string in it.
_HIDDEN_OPTIONS: dict[str, dict[str, Any]] = {
    "proxy_host": {**_API_OPTIONS["proxy_host"], "no_log": True},
    "session": {"type": "raw", "no_log": True},
}


def _warn_about_transport(task: TaskRun) -> None:
    """Warn when the task's own route leaves the API's identity or the password and token unprotected."""
    params = task.params
    for warning in transport_warnings(params["host"], params["ssl"], params["validate_certs"]):
        task.warn(warning)


def _account_options_given(task: TaskRun) -> list[str]:
    """The account options the task itself sets (in its arguments or module_defaults).

    Only the arguments as the task sent them tell these apart from values that came from
    ``DYN_*`` environment variables or defaults, which are ambient and therefore ignored.
    """
    return [name for name in _CONNECTION_OWNED_OPTIONS if _was_sent(task, name)]


def _was_sent(task: TaskRun, name: str) -> bool:
    return any(key in task.sent for key in (name, *task.argument_spec[name].get("aliases", ())))


class TaskFailure(Exception):
    """The task cannot succeed; ``msg`` and ``result`` become its ``fail_json``.

    Raised by a module's work function instead of calling ``fail_json`` itself, so that the
    sessions the task opened are still logged out before the module exits.
    """

    def __init__(self, msg: str, **result: Any) -> None:
        super().__init__(msg)
        self.msg = msg
        self.result = result


class TaskSessions:
    """Every DynECT session one module task uses, and the logouts the task owes the server.

    The task's main session (:meth:`open`) adopts ``token`` when one is given: such a session
    belongs to whoever logged it in, so it is left open. Otherwise the task logs in itself, and
    every session it logged in to is logged out by :meth:`close`, unless the module hands the
    token back to the play (:meth:`keep_open`).
    """

    def __init__(self, task: TaskRun) -> None:
        self._params = task.params
        self._warn = task.warn
        # Through the dynect connection the task works in the play's session, held by the connection.
        self._connection = ConnectionSession(task.socket_path, history=task.params["history"], warn=task.warn) if task.socket_path else None
        self._main: TaskSession | None = None
        self._opened: list[SessionEngine] = []  # every session of this task, for its history
        self._to_log_out: list[SessionEngine] = []

    @property
    def through_connection(self) -> bool:
        """Whether the task runs through the dynect connection (and works in the play's session)."""
        return self._connection is not None

    @property
    def username(self) -> str | None:
        """The user the task works as (through the connection, the connection's user)."""
        return self._connection.username if self._connection is not None else self._params["username"]

    @property
    def adopted(self) -> bool:
        """Whether the task works in a session somebody else opened (the connection's, or ``token``'s).

        An empty token counts as none, so that ``DYN_TOKEN=`` or an unset variable defaulting to
        ``''`` falls back to logging in.
        """
        return self.through_connection or bool(self._params["token"])

    def open(self) -> TaskSession:
        """The session the task works in: the connection's, adopted, or logged in to on the first call."""
        if self._main is None:
            if self._connection is not None:
                self._main = self._connection
            elif self.adopted:
                # No password: if the token is dead, the session layer would otherwise log in
                # again on its own and leave a session open that nobody logs out.
                self._main = self._new_session(None, token=self._params["token"])
            else:
                self._main = self.log_in(self._params["password"])
        return self._main

    def log_in(self, password: str | None) -> SessionEngine:
        """Log in as the task's customer and user with ``password``; logged out by :meth:`close`."""
        self._require_login_settings(password)
        # Created without logging in, so that a failed login still shows in the task's history.
        session = self._new_session(password)
        session.authenticate()
        self._to_log_out.append(session)
        return session

    def password_works(self, password: str) -> bool:
        """Whether the task's user can log in with ``password`` (a trial session, logged out again)."""
        if self._connection is not None:
            return self._connection.password_works(password)
        missing = self._missing_login_settings(password)
        if missing:
            raise TaskFailure(
                f"Trying a password is a login, which needs {_enumerate(missing)} (or "
                f"{_enumerate([_CREDENTIAL_ENV[name] for name in missing])}), even when a token is given."
            )
        return self._new_session(None).password_works(password)

    def _require_login_settings(self, password: str | None) -> None:
        missing = self._missing_login_settings(password)
        if missing:
            raise TaskFailure(
                f"Cannot log in to DynECT without {_enumerate(missing)}: set {'it' if len(missing) == 1 else 'them'} "
                f"(or {_enumerate([_CREDENTIAL_ENV[name] for name in missing])}), or give the token of an open session."
            )

    def _missing_login_settings(self, password: str | None) -> list[str]:
        missing = [name for name in ("customer", "username") if not self._params[name]]
        return missing + ([] if password else ["password"])

    def where_pending(self, exc: DynectError, *, several: bool = False) -> str:
        """Where the changes the task made before ``exc`` are now, in the words of its route ("" when ``exc`` says)."""
        if isinstance(exc, DynectChangesLostError):
            return ""  # the error itself says what to do: publishing again would be refused again
        they, them = ("They are", "them") if several else ("It is", "it")
        if self.adopted:
            return (
                f" {they} pending in this session: publish {them} with dyn.managed_dns.dyn_zone_changes (state=published), "
                f"or drop {them} (state=discarded)."
            )
        return f" DynECT drops {them} with this task's session, so nothing of {them} is live."

    def predict_pending(self, zone: str) -> None:
        """Check mode: the task would have left changes to ``zone`` pending; the play's session remembers the prediction.

        Only through the dynect connection, whose helper outlives the task: on the direct route each
        task is a process of its own, and a check-mode task leaves no trace on the server.
        """
        if self._connection is not None:
            self._connection.predict_pending(zone, True)

    def take_predicted_pending(self, zone: str) -> bool | None:
        """Check mode: whether the play's check-mode tasks would have left changes to ``zone`` pending; None on the direct route.

        The prediction is taken, as a publish or discard takes the changes, so a second check-mode
        publish of the zone predicts nothing, as the real one would publish nothing.
        """
        return None if self._connection is None else self._connection.predict_pending(zone, False)

    def describe_error(self, exc: DynectError) -> str:
        """:func:`describe_error` for this task's route; a missing zone named with the customer of the session it was missing from."""
        if isinstance(exc, DynectZoneNotFoundError):
            return describe_missing_zone(exc, self._main.customer if self._main is not None else None)
        return describe_error(exc, through_connection=self.through_connection)

    def keep_open(self, session: TaskSession) -> None:
        """Leave ``session`` open when the task ends: its token now belongs to the play."""
        if session in self._to_log_out:
            self._to_log_out.remove(session)

    def log_out(self, session: TaskSession) -> None:
        """Log ``session`` out now (the task will not try to log it out again)."""
        if session in self._to_log_out:
            self._to_log_out.remove(session)
        session.log_out()

    def close(self) -> None:
        """Log out every session this task logged in to and still holds.

        A failed logout cannot undo the task's work, so it becomes a warning, not a failure.
        """
        while self._to_log_out:
            session = self._to_log_out.pop()
            try:
                session.log_out()
            except DynectError as exc:
                self._warn(f"Could not log out the DynECT session this task opened: {self.describe_error(exc)}")
        self._warn_about_rate_limit_pauses()

    def _warn_about_rate_limit_pauses(self) -> None:
        """Warn once when the account's rate limit held the task back long enough to look like a stall."""
        waited = sum(session.rate_limit_waited for session in self._opened)
        if self._connection is not None:
            waited += self._connection.rate_limit_waited
        if waited >= RATE_LIMIT_WARN_SECONDS:
            self._warn(rate_limit_warning(waited, self._account_words(), through_connection=self.through_connection))

    def _account_words(self) -> str:
        """``customer C, user U`` of the task's account, without asking the API anything."""
        if self._connection is not None:
            return f"customer {self._connection.customer}, user {self._connection.username}"
        return f"{customer_words(self._params['customer'])}, user {self._params['username'] or '(not given)'}"

    @property
    def history_wanted(self) -> bool:
        """The task's ``history`` option (the dynect connection's ``dyn_history`` does not make a task return its calls)."""
        return bool(self._params["history"])

    def history(self) -> list[dict[str, Any]]:
        """This task's API calls, oldest first."""
        if self._connection is not None:
            return list(self._connection.task_history)
        records = [record for session in self._opened for record in session.history or ()]
        return [record._asdict() for record in sorted(records, key=lambda record: record.timestamp)]

    def play_history(self) -> list[dict[str, Any]]:
        """The play's API calls so far when the dynect connection records them (``dyn_history``), or else this task's."""
        recorded = self._connection.play_history() if self._connection is not None else None
        return self.history() if recorded is None else recorded

    def _new_session(self, password: str | None, token: str | None = None) -> SessionEngine:
        # Imported here: a task through the dynect connection never builds an engine (see
        # docs/architecture.md, "what a task's worker imports").
        from ansible_collections.dyn.managed_dns.plugins.module_utils._engine import Credentials, engine_from_options

        params = self._params
        try:
            session = engine_from_options(
                Credentials(params["customer"], params["username"], password, token),
                {name: params[name] for name in _SESSION_OPTIONS},
            )
        except DynectConfigError as exc:
            # Here, and only here, the session judges the task's options.
            raise unusable_options(exc) from None
        self._opened.append(session)
        return session


def _enumerate(words: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def describe_error(exc: DynectError, *, through_connection: bool = False) -> str:
    """One sentence for the task's ``msg``: what failed, why, and which settings to look at.

    Through the dynect connection the settings are its ``dyn_*`` host variables, so those are named.
    The session layer's errors never carry secrets, so their text is used as it is.
    """
    advice = _CONNECTION_ADVICE if through_connection else _DIRECT_ADVICE
    text = str(exc).rstrip(". ")
    if isinstance(exc, UnusableOptionsError):
        return f"{advice.unusable}: {text}."
    if isinstance(exc, (DynectConfigError, DynectChangesLostError)):
        # Not about the options (no active session, a refusal of the connection, a lost batch).
        return f"{text}."
    if isinstance(exc, DynectChangeNotMadeError):
        # Found out by logging in: the API was reached, and nothing changed.
        return f"{text}; nothing was changed, so the task can run again."
    if exc.http_status is None:
        if TLS_FAILURE in text:
            return f"{text}."  # the transport's advice names the settings at fault (the trust, or ssl and port)
        return f"{text}; check {advice.network}."
    if isinstance(exc, DynectLoginError):
        return _describe_failed_login(exc, text, advice)
    if isinstance(exc, DynectAuthError):
        return f"{_CONNECTION_SESSION_GONE if through_connection else SESSION_GONE}: {text}."
    if exc.http_status >= 500 and not exc.messages:
        # A server error page: no verdict on the request, which is not "refused".
        return f"The DynECT server failed without a verdict on the request: {text}; try again later (check {advice.address} if it persists)."
    return f"DynECT refused the request: {text}."


def rate_limit_warning(waited: float, account: str, *, through_connection: bool) -> str:
    """The one warning of a task that the account's rate limit held back ``waited`` seconds in all."""
    option = (_CONNECTION_ADVICE if through_connection else _DIRECT_ADVICE).rate_limit
    return (
        f"DynECT's rate limit held this task back {waited:.0f} s in all ({account}): a customer's requests per minute "
        f"are counted for all its users and sessions together, so share them out: give each host or task of this "
        f"customer a part of the limit in {option} (e.g. 150 each for two of them), or run fewer of them at once (forks, serial)."
    )


def customer_words(customer: str | None) -> str:
    """``customer <customer>``, or for a session adopted from a token without the customer option, which does not know it, ``the session's customer``."""
    return f"customer {customer}" if customer else "the session's customer"


def zone_absence(zone: str, customer: str | None) -> str:
    """``zone <zone> does not exist in customer <customer>``: the one wording of a zone the customer lacks."""
    return f"zone {zone} does not exist in {customer_words(customer)}"


def describe_missing_zone(exc: DynectZoneNotFoundError, customer: str | None) -> str:
    """The task's sentence for the DNS layer's :class:`DynectZoneNotFoundError`: which zone, where, and what to check."""
    absence = zone_absence(exc.zone or "(no name)", customer)
    return f"{absence[:1].upper()}{absence[1:]} ({exc}); check the zone's name."


def _describe_failed_login(exc: DynectError, text: str, advice: _Advice) -> str:
    """Only the API's verdict on the credentials sends the user off to check them."""
    if is_blocked_user(exc.messages):
        return (
            f"DynECT refused the login: {text}; the user is blocked, which no change of the credentials undoes: "
            "ask an administrator of the customer's DynECT account to unblock it."
        )
    if is_login_problem(exc.messages) or "MISSING_DATA" in exc.error_codes:
        return f"DynECT refused the login: {text}; check {advice.credentials}."
    if "INVALID_VERSION" in exc.error_codes:
        return f"DynECT refused the login: {text}; check {advice.api_version}."
    if exc.messages:
        return f"DynECT refused the login: {text}."
    # No API messages: an error page of the server or of something in between, not a verdict on the options.
    return f"The DynECT login failed: {text}; check {advice.address}, or try again later."


def run_task(spec: ModuleSpec, task: TaskRun, work: Work) -> tuple[dict[str, Any], TaskFailure | None]:
    """Run ``work`` with the task's sessions: its result, and its failure or None.

    ``work`` returns the task's result or raises :class:`TaskFailure` / ``DynectError``. With the
    ``history`` option the result carries ``history`` (and ``ansible_facts.dyn_api_history`` when
    the spec's ``history_fact`` is set) whether the task succeeded or not. A failure of the work
    carries ``credentials_refused``: whether the API itself refused a login's credentials, which a
    role needs to tell a wrong password from a check that could not be made.
    """
    refusal = _refusal(spec, task)
    if refusal is not None:
        return {}, TaskFailure(refusal)
    if not task.socket_path:
        # Through the connection, the connection warns about its own settings (once per play).
        _warn_about_transport(task)
    for warning in prefix_warnings(task.params):  # dyn_record_set's prefix, dyn_record_sets' record_sets[].prefix
        task.warn(warning)
    sessions = TaskSessions(task)
    result: dict[str, Any] = {}
    failure: TaskFailure | None = None
    try:
        try:
            result = work(task, sessions)
        finally:
            sessions.close()
    except TaskFailure as exc:
        # A module that words the failure itself raises it from the session layer's error.
        failure = TaskFailure(exc.msg, **exc.result, credentials_refused=is_refused_login(exc.__cause__))
    except DynectError as exc:
        failure = TaskFailure(sessions.describe_error(exc), credentials_refused=is_refused_login(exc))

    if sessions.history_wanted:
        result["history"] = sessions.history()
        if spec.history_fact:
            result["ansible_facts"] = {"dyn_api_history": sessions.play_history()}
    return result, failure
