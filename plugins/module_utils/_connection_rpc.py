# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Both ends of the calls between a task and the ``dyn.managed_dns.dynect`` connection (private).

The connection plugin (in ``ansible-connection``) holds the play's session (a :class:`SessionEngine`); a module
that runs through it gets a :class:`ConnectionSession`, which offers the same methods the modules
use on a session engine and forwards them over ansible-core's JSON-RPC socket. Errors come back
as the same :class:`DynectError` classes, so the modules treat both routes alike.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ansible.module_utils.connection import Connection, ConnectionError as RpcConnectionError

from ansible_collections.dyn.managed_dns.plugins.module_utils import errors
from ansible_collections.dyn.managed_dns.plugins.module_utils._protocol import ApiCall, BatchOutcome
from ansible_collections.dyn.managed_dns.plugins.module_utils._rpc_seal import PASSWORD_WORKS, SEALED_TOKEN, UPDATE_PASSWORD, SealingKeys, seal, unseal


class HelperAnswerLostError(errors.DynectConfigError):
    """A call to the dynect connection's helper whose answer never came back: what it did is unknown."""


class UnusableOptionsError(errors.DynectConfigError):
    """A :class:`DynectConfigError` about the settings a session was given (options or ``dyn_*`` host variables).

    Raised where those settings are handed to the session engine, so that only these failures,
    not every configuration error (no active session, a refusal of the connection), are told as
    unusable options. Private, and a DynectConfigError still, so callers of the public API see no change.
    """


def unusable_options(exc: errors.DynectConfigError, reason: str | None = None) -> UnusableOptionsError:
    """``exc`` (the session's refusal of its settings) as an :class:`UnusableOptionsError`, its reason replaced by ``reason``."""
    return UnusableOptionsError(reason if reason is not None else exc.reason)


# What a task may ask of the play's session, by name: the one allow-list of the helper's dyn_call
# (connection plugin, methods _op_<name>) and of the calls ConnectionSession makes.
TASK_OPERATIONS = frozenset(
    (
        "session_info",
        "is_alive",
        "keep_alive",
        "log_out",
        "execute",
        "execute_many",
        "pending_in_session",
        "predict_pending",
        "permission_report",
        "check_permissions",
        "seal_key",
        "update_password",
        "password_works",
        "sealed_token",
        "play_history",
    )
)

# The error fields that cross the socket; none of them ever holds a secret (see errors.py). The last
# two are the not-found errors' own (where nothing was found); other classes send them as None.
_ERROR_FIELDS = ("reason", "messages", "method", "uri", "http_status", "outcome_unknown", "zone", "node")
_STANDARD_ERRORS = {
    cls.__name__: cls
    for cls in (
        errors.DynectError,
        errors.DynectAuthError,
        errors.DynectChangeNotMadeError,
        errors.DynectChangesLostError,
        errors.DynectConfigError,
        errors.DynectCreateError,
        errors.DynectDeleteError,
        errors.DynectGetError,
        errors.DynectLoginError,
        errors.DynectQueryTimeout,
        errors.DynectUpdateError,
        errors.DynectZoneNotFoundError,
        errors.DynectNodeNotFoundError,
        UnusableOptionsError,
    )
}


def error_to_rpc(exc: errors.DynectError) -> dict[str, Any]:
    """``exc`` as JSON for the socket."""
    if type(exc).__name__ not in _STANDARD_ERRORS:
        return {"class": "DynectError", "reason": str(exc), "outcome_unknown": exc.outcome_unknown}
    return {"class": type(exc).__name__, **{field: getattr(exc, field, None) for field in _ERROR_FIELDS}}


def error_from_rpc(data: dict[str, Any]) -> errors.DynectError:
    """The error :func:`error_to_rpc` sent, as its own class again."""
    cls = _STANDARD_ERRORS.get(str(data.get("class")), errors.DynectError)
    return cls(data.get("reason"), **{field: data[field] for field in _ERROR_FIELDS[1:] if data.get(field) is not None})


# Most calls one execute_many sends to the helper at once. A batch is one socket call, which must end
# within the connection's persistent_command_timeout (600 s by default), and pacing (300 requests a
# minute) alone makes 100 writes take up to 20 s; more go in further socket calls.
BATCH_LIMIT = 100


class ConnectionSession:
    """The play's session, as seen from a module running through the ``dynect`` connection.

    :param socket_path: the module's ``_socket_path``.
    :param history: the task's ``history`` option: the helper then records this task's calls and
        sends them back (it records nothing else unless the connection's ``dyn_history`` is on).
    :param warn: shows the task's warnings; the helper sends one with each call that logged in over
        an unprotected transport.
    """

    def __init__(self, socket_path: str, history: bool = False, warn: Callable[[str], None] | None = None) -> None:
        self._connection = Connection(socket_path)
        self._info: dict[str, Any] | None = None
        self._sealing_keys: SealingKeys | None = None
        self._history = history
        self._warn = warn
        #: The API calls this task made through the connection, oldest first (with ``history`` only).
        self.task_history: list[dict[str, Any]] = []
        #: Seconds the account's rate limit held this task's calls back in the helper (429s and pacing).
        self.rate_limit_waited = 0.0

    # --- what a session engine offers the modules ------------------------------------------------

    @property
    def customer(self) -> str:
        return self._session_info()["customer"]

    @property
    def username(self) -> str:
        return self._session_info()["username"]

    @property
    def server_version(self) -> str | None:
        return self._session_info()["server_version"]

    def read_token(self) -> str:
        """The session token, fetched sealed (two calls to the helper and a key agreement); only for a task that returns it on request."""
        keys = self._keys()
        sealed = self._call("sealed_token", keys.public)
        return unseal(keys.box_with(self._helper_public_key()), sealed, SEALED_TOKEN)

    def is_alive(self) -> bool:
        return self._call("is_alive")

    def keep_alive(self) -> None:
        self._call("keep_alive")

    def log_out(self) -> bool:
        """End the play's session now (the next task logs in again); False when none was open."""
        self._info = None
        return self._call("log_out")

    def execute(self, uri: str, method: str, args: dict[str, Any] | None = None) -> dict[str, Any]:
        return self._call("execute", uri, method, args)

    def execute_many(self, calls: Sequence[ApiCall]) -> BatchOutcome:
        """Run ``calls`` in order in the play's session, in one call to the helper per :data:`BATCH_LIMIT` calls.

        The helper stops at the first call that fails, and so does this: the outcome holds the
        replies of the calls before it and its error, so a task can tell what was done. A failure
        of the socket itself is raised, as for every call (then the outcome of the batch is unknown).
        """
        replies: list[dict[str, Any]] = []
        for start in range(0, len(calls), BATCH_LIMIT):
            outcome = self._call("execute_many", [list(call) for call in calls[start : start + BATCH_LIMIT]])
            replies += outcome["replies"]
            if outcome.get("error") is not None:
                return BatchOutcome(replies, error_from_rpc(outcome["error"]))
        return BatchOutcome(replies, None)

    def pending_in_session(self, zone: str) -> bool | None:
        """Whether the play's session has changes to ``zone`` pending, by the helper's record (no API call)."""
        return self._call("pending_in_session", zone)

    def predict_pending(self, zone: str, pending: bool) -> bool:
        """Check mode: record whether changes to ``zone`` would be pending in the play's session; what was predicted before."""
        return self._call("predict_pending", zone, pending)

    def permission_report(self, user_name: str | None = None) -> dict[str, Any]:
        return self._call("permission_report", user_name)

    def check_permissions(self, permissions: list[str], zone_name: str | None = None) -> dict[str, Any]:
        return self._call("check_permissions", list(permissions), zone_name)

    def update_password(self, new_password: str) -> None:
        self._call("update_password", *self._sealed(new_password, UPDATE_PASSWORD))

    def password_works(self, password: str) -> bool:
        return self._call("password_works", *self._sealed(password, PASSWORD_WORKS))

    def play_history(self) -> list[dict[str, Any]] | None:
        """Every API call of the play's session so far, oldest first; None unless the connection's ``dyn_history`` is on."""
        return self._call("play_history")

    # --- internals ----------------------------------------------------------------------------

    def _session_info(self) -> dict[str, Any]:
        if self._info is None:
            self._info = self._call("session_info")
        return self._info

    def _keys(self) -> SealingKeys:
        if self._sealing_keys is None:
            self._sealing_keys = SealingKeys()
        return self._sealing_keys

    def _helper_public_key(self) -> str:
        return self._call("seal_key")

    def _sealed(self, secret: str, purpose: str) -> tuple[str, str]:
        """``(our public key, secret sealed for the helper's call purpose)``: what a call that carries a secret sends."""
        keys = self._keys()
        return keys.public, seal(keys.box_with(self._helper_public_key()), secret, purpose)

    def _call(self, operation: str, *args: Any) -> Any:
        """Run ``operation`` (one of TASK_OPERATIONS) in the helper: its result, or its error raised here."""
        try:
            # Every call says whether the task wants its calls, so the helper records only then.
            reply = self._connection.dyn_call(operation, *args, task_history=self._history)
        except RpcConnectionError as exc:
            raise HelperAnswerLostError(_describe_connection_error(operation, exc)) from None
        self.task_history.extend(reply.get("history") or ())
        self.rate_limit_waited += float(reply.get("rate_limit_waited") or 0.0)
        for warning in reply.get("warnings") or ():
            if self._warn is not None:
                self._warn(warning)
        if "error" in reply:
            raise error_from_rpc(reply["error"])
        return reply.get("result")


def _describe_connection_error(name: str, exc: RpcConnectionError) -> str:
    """One sentence about a failed call to the helper, without the call's arguments.

    ansible-core's own message for an undecodable reply repeats the call with all its arguments;
    ours never does, even though secrets are sealed before they are sent.
    """
    text = str(exc)
    if text.startswith("Unable to decode JSON from response to"):
        text = "its reply could not be decoded"
    return f"The dyn.managed_dns.dynect connection could not run {name}: {text}"
