# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What the dynect helper does for tasks: the play's session and the operations tasks may ask of it (private).

The dynect connection (``plugins/connection/dynect.py``) keeps the helper's lifecycle, the
hand-over of a task's options and the account checks; once a task's call passed them, the call is
:meth:`HelperOperations.run` here: one of the allow-listed operations (``TASK_OPERATIONS``) in the
play's session, the recording of the API calls it made (for the task that asked and, with
``dyn_history``, for the play), the warnings a login over an unprotected transport owes the task,
and the keys that seal passwords and tokens between the task and the helper.

Nothing here needs a ``Connection``: it is given a way to make a session of the host's account,
the helper's sealed secret options, and callables for the little else it asks of the connection.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ansible_collections.dyn.managed_dns.plugins.module_utils._api import is_session_path
from ansible_collections.dyn.managed_dns.plugins.module_utils._batch import execute_in_order
from ansible_collections.dyn.managed_dns.plugins.module_utils._connection_rpc import TASK_OPERATIONS, error_to_rpc
from ansible_collections.dyn.managed_dns.plugins.module_utils._engine import SessionEngine, api_path
from ansible_collections.dyn.managed_dns.plugins.module_utils._rpc_seal import PASSWORD_WORKS, SEALED_TOKEN, UPDATE_PASSWORD, SealingKeys, seal, unseal
from ansible_collections.dyn.managed_dns.plugins.module_utils.errors import DynectConfigError, DynectError
from ansible_collections.dyn.managed_dns.plugins.plugin_utils._sealed_options import SealedOptions

__all__ = ["HelperOperations", "refusal_reply"]

# The methods the engine sends (it refuses others itself; a batch is refused whole, before its first call).
_METHODS = ("DELETE", "GET", "POST", "PUT")
# The secret option that holds the account's password (the connection's host variable).
_PASSWORD_OPTION = "dyn_password"


def refusal_reply(exc: DynectConfigError) -> dict[str, Any]:
    """The reply to a call refused before anything of the session (token, history, permissions) was touched."""
    return {"error": error_to_rpc(exc), "history": [], "warnings": []}


def _records(session: SessionEngine | None) -> list[dict[str, Any]]:
    if session is None:
        return []
    return [record._asdict() for record in (session.history or ())]


def _refuse_session_path(uri: str) -> None:
    if is_session_path(api_path(uri)):
        raise DynectConfigError("The dynect connection manages the session itself; use dyn.managed_dns.dyn_session to log in or out")


def _checked_call(call: Any) -> tuple[str, str, Mapping[str, Any] | None]:
    """One call of an execute_many batch as ``(uri, method, args)``; DynectConfigError for anything else, or a path the helper refuses."""
    if not isinstance(call, (list, tuple)) or len(call) != 3 or not all(isinstance(part, str) for part in call[:2]):
        raise DynectConfigError("Each call of an execute_many batch is [uri, method, args]")
    if call[1].upper() not in _METHODS:
        raise DynectConfigError(f"A call of an execute_many batch has the method {call[1]!r}, not one of {', '.join(_METHODS)}")
    if call[2] is not None and not isinstance(call[2], Mapping):
        raise DynectConfigError("The args of a call of an execute_many batch are a dict or null")
    _refuse_session_path(call[0])
    return call[0], call[1], call[2]


class HelperOperations:
    """The play's session of one account, and the allow-listed operations tasks run in it.

    :param new_session: makes a session of the host's account with this password, not logged in.
    :param secrets: the helper's sealed secret options: the password to log in with, and where a
        changed password is confirmed.
    :param check_login_options: raises :class:`DynectConfigError` when the options a login needs are missing.
    :param play_history_on: whether the play keeps every call (the connection's ``dyn_history``).
    :param transport_warnings: what a login over the host's transport leaves unprotected.
    :param queue: queues a message (level, text) for the next hand-over to show.
    :param on_login: told once the play's session logged in.
    """

    def __init__(
        self,
        new_session: Callable[[str | None], SessionEngine],
        secrets: SealedOptions,
        *,
        check_login_options: Callable[[], None],
        play_history_on: Callable[[], bool],
        transport_warnings: Callable[[], list[str]],
        queue: Callable[[str, str], None],
        on_login: Callable[[], None] = lambda: None,
    ) -> None:
        self._make_session = new_session
        self._secrets = secrets
        self._check_login_options = check_login_options
        self._play_history_on = play_history_on
        self._transport_warnings = transport_warnings
        self._queue = queue
        self._on_login = on_login
        self._session: SessionEngine | None = None
        self._sealing_keys: SealingKeys | None = None
        # With dyn_history: every API call of every session this helper held, for ansible_facts.dyn_api_history.
        self._play_history: list[dict[str, Any]] = []
        self._sessions_made_by_call: list[SessionEngine] = []
        # Check mode's prediction, kept apart from the session's real record: zones this play's check-mode tasks would have left changes pending in.
        self._predicted_pending: set[str] = set()
        #: Whether the current call records its API calls (sessions it makes are made recording or not).
        self.recording = False

    @property
    def session(self) -> SessionEngine | None:
        """The play's session, or None while none is logged in."""
        return self._session

    def run(self, operation: str, args: tuple[Any, ...], task_history: bool) -> dict[str, Any]:
        """Run ``operation`` for a task: ``{"result": ...}`` or ``{"error": ...}``, with ``history``, ``warnings`` and ``rate_limit_waited``.

        ``history`` holds the API calls this very call made when the task asked for them
        (``task_history``); ``warnings`` what the task must tell about them (a login over an
        unprotected transport). Calls are recorded only when the task asked or the play keeps them.
        An operation outside ``TASK_OPERATIONS`` raises :class:`DynectConfigError` before anything runs.
        """
        if operation not in TASK_OPERATIONS:
            raise DynectConfigError(f"The dynect connection offers no operation {operation!r} to tasks")
        play_history = self._play_history_on()
        session_before = self._start_call(recording=task_history or play_history)
        token_before = session_before.token if session_before is not None else None
        waited_before = session_before.rate_limit_waited if session_before is not None else 0.0
        try:
            reply: dict[str, Any] = {"result": getattr(self, f"_op_{operation}")(*args)}
        except DynectError as exc:
            reply = {"error": error_to_rpc(exc)}
        calls = self._calls_of_this_call(session_before)
        if play_history:
            self._play_history.extend(calls)
        reply["history"] = calls if task_history else []
        reply["warnings"] = self._transport_warnings() if self._logged_in_during_call(session_before, token_before) else []
        reply["rate_limit_waited"] = self._rate_limit_waited_in_call(session_before, waited_before)
        return reply

    def log_out_at_close(self) -> None:
        """Log the play's session out, once; a failure is queued as a warning, not raised."""
        session, self._session = self._session, None
        if session is not None and session.token is not None:
            try:
                session.log_out()
            except DynectError as exc:
                self._queue("warning", f"Could not log out of DynECT as {session.customer}/{session.username}: {exc}")

    # --- the operations (TASK_OPERATIONS), through run only ----------------------------------

    def _op_session_info(self) -> dict[str, Any]:
        """Who this session is, logging in first if this is the play's first API task."""
        session = self._session_for_task()
        return {
            "customer": session.customer,
            "username": session.username,
            "api": session.identity[0],
            "server_version": session.server_version,
        }

    def _op_is_alive(self) -> bool:
        """Whether the play's session is open; never logs in to find out."""
        return self._session is not None and self._session.is_alive()

    def _op_keep_alive(self) -> None:
        self._session_for_task().keep_alive()

    def _op_log_out(self) -> bool:
        """End the server session now; the play's next API task logs in again. False when none was open.

        Check mode's prediction goes with it: a logout discards the changes a session has pending,
        so what check-mode tasks predicted pending would be gone too (dyn_session logs out in check
        mode as well).
        """
        self._predicted_pending.clear()
        session = self._session
        if session is None or session.token is None:
            return False
        self._session = None
        session.log_out()
        return True

    def _op_execute(self, uri: str, method: str, args: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """One API call in the play's session; a path the helper refuses is refused before any login."""
        _refuse_session_path(uri)
        return self._session_for_task().execute(uri, method, args)

    def _op_execute_many(self, calls: list[Any]) -> dict[str, Any]:
        """API calls ``[uri, method, args]`` in order in the play's session, stopping at the first that fails.

        ``{"replies": [the reply of each call that succeeded], "error": the failing call's error or None}``:
        the task learns which call failed and what was done before it. Each call is checked as
        :meth:`_op_execute` checks one, all of them before the first is sent.
        """
        if not isinstance(calls, list):
            raise DynectConfigError("execute_many takes a list of calls")
        outcome = execute_in_order(self._op_execute, [_checked_call(call) for call in calls])
        return {"replies": outcome.replies, "error": None if outcome.error is None else error_to_rpc(outcome.error)}

    def _op_pending_in_session(self, zone: str) -> bool | None:
        """The play's session's own record of changes to ``zone`` pending; without a session, none (never logs in)."""
        return self._session.pending_in_session(zone) if self._session is not None else False

    def _op_predict_pending(self, zone: str, pending: bool) -> bool:
        """Check mode: whether a task would have left changes to ``zone`` pending, from now on; answers what was predicted before.

        A check-mode record task that would change the zone predicts ``True``; a check-mode publish
        or discard takes the prediction (``False``), as the real one would take the changes. Never
        mixed with the session's record of real changes, and never an API call.
        """
        name = zone.rstrip(".").lower()
        predicted = name in self._predicted_pending
        if pending:
            self._predicted_pending.add(name)
        else:
            self._predicted_pending.discard(name)
        return predicted

    def _op_permission_report(self, user_name: str | None = None) -> dict[str, Any]:
        return self._session_for_task().permission_report(user_name=user_name)

    def _op_check_permissions(self, permissions: list[str], zone_name: str | None = None) -> dict[str, Any]:
        return self._session_for_task().check_permissions(permissions, zone_name=zone_name)

    def _op_seal_key(self) -> str:
        """The helper's public key, for tasks that seal a secret for it or open one from it."""
        return self._keys().public

    def _op_update_password(self, task_public_key: str, sealed_password: str) -> None:
        """Change the password; the session keeps working, and every later login of the helper uses the new one.

        Once the change is confirmed, the new password outlives the hand-overs of later tasks,
        which carry the inventory's old one.
        """
        new_password = unseal(self._keys().box_with(task_public_key), sealed_password, UPDATE_PASSWORD)
        self._session_for_task().update_password(new_password)
        self._secrets.confirm(_PASSWORD_OPTION, new_password)

    def _op_password_works(self, task_public_key: str, sealed_password: str) -> bool:
        """Whether the account's password already is this one: a throw-away login, logged out again."""
        password = unseal(self._keys().box_with(task_public_key), sealed_password, PASSWORD_WORKS)
        return self._new_session(None).password_works(password)

    def _op_sealed_token(self, task_public_key: str) -> str:
        """The session token, sealed for the task that asked (dyn_session return_token)."""
        session = self._session_for_task()
        if session.read_token() is None:  # a login again failed in an earlier task: the token asked for is a new one
            session.authenticate()
        return seal(self._keys().box_with(task_public_key), str(session.read_token()), SEALED_TOKEN)

    def _op_play_history(self) -> list[dict[str, Any]] | None:
        """Every API call of the play's sessions so far (secrets masked), oldest first; None unless dyn_history is on."""
        return self._play_history if self._play_history_on() else None

    # --- helpers -------------------------------------------------------------------------------

    def _start_call(self, recording: bool) -> SessionEngine | None:
        """Set up the recording of one call's API calls; the play's session as the call starts."""
        self.recording = recording
        self._sessions_made_by_call = []
        if self._session is not None:
            # The play's session serves every task; only some ask for their calls.
            self._session.restart_history(recording)
        return self._session

    def _calls_of_this_call(self, session_before: SessionEngine | None) -> list[dict[str, Any]]:
        """The calls of the session the call started with, then those of every session it made (a login, trial logins)."""
        made = (record for session in self._sessions_made_by_call for record in _records(session))
        return _records(session_before) + sorted(made, key=lambda record: record["timestamp"])

    def _rate_limit_waited_in_call(self, session_before: SessionEngine | None, waited_before: float) -> float:
        """Seconds the account's rate limit held this call back, in every session it used: the task warns when they add up."""
        made = sum(session.rate_limit_waited for session in self._sessions_made_by_call)
        return made + (0.0 if session_before is None else session_before.rate_limit_waited - waited_before)

    def _logged_in_during_call(self, session_before: SessionEngine | None, token_before: str | None) -> bool:
        """Whether the call sent the password: a new session, trial logins, or a login again in the play's session."""
        if self._sessions_made_by_call:
            return True
        return session_before is not None and session_before.token not in (None, token_before)

    def _session_for_task(self) -> SessionEngine:
        """The play's session for this host's account: logged in on first use, then reused."""
        if self._session is None:
            self._check_login_options()
            session = self._new_session(self._secrets.get(_PASSWORD_OPTION))
            session.authenticate()  # kept only once logged in, so a failed login is retried by the next task
            self._session = session
            self._on_login()
        return self._session

    def _new_session(self, password: str | None) -> SessionEngine:
        """A session of the account, not logged in, whose calls this call's reply carries."""
        session = self._make_session(password)
        self._sessions_made_by_call.append(session)
        return session

    def _keys(self) -> SealingKeys:
        if self._sealing_keys is None:
            self._sealing_keys = SealingKeys()
        return self._sealing_keys
