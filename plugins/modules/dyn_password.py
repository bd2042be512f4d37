#!/usr/bin/python
# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: dyn_password
short_description: Change the password of the DynECT user that is logged in
version_added: 0.1.0
author:
  - dyn.managed_dns contributors (!UNKNOWN)
description:
  - Changes the password of the session's own user (C(PUT /REST/Password/)).
  - The session the change is made in stays valid, so a play that passes O(session) to its tasks
    keeps working; every later login needs O(new_password).
  - The change is all or nothing on the server. It is sent a second time only after the API
    refused it without running it (an expired session, logged in to again). When the API refuses
    it, the old password is still the valid one and the error says so.
  - When no verdict from the API comes back (a timeout, a lost connection, a server error page, a
    job whose polling fails or finds the session ended), the change may or may not have been made.
    The module then logs in with O(new_password), and if that is refused with the old password, to
    find out. When the new one works the task reports C(changed), and later logins (also those of
    the P(dyn.managed_dns.dynect#connection) connection) use it; otherwise the error says whether
    the old one still works or neither does. Only when those logins cannot tell either (no answer,
    or no O(customer) and O(username) to log in with) does the error say that the outcome is unknown.
requirements:
  - cryptography
extends_documentation_fragment:
  - dyn.managed_dns.api
  - dyn.managed_dns.attributes
  - dyn.managed_dns.attributes.action_group
attributes:
  check_mode:
    support: full
    details:
      - Logs in (or checks the session of O(session) or O(token)) but never sends the password change.
      - With O(update_password=on_mismatch) it still tries O(new_password), so the prediction is exact.
  diff_mode:
    support: full
    details:
      - The diff says whether the password changes; it never shows a password.
options:
  new_password:
    description:
      - The password to set. It must satisfy the account's password policy and differ from the
        current one.
    type: str
    required: true
  update_password:
    description:
      - V(always) sends the change on every run; the task always reports C(changed).
      - V(on_mismatch) first logs in with O(new_password) (in a separate session it logs out
        again). When that works the password is already set, nothing is sent and the task reports
        no change; otherwise the change is sent as with V(always). This needs O(customer) and
        O(username) even when O(token) is given, and it opens a second session, which a play that
        must log in exactly once should avoid.
    type: str
    choices: [always, on_mismatch]
    default: always
notes:
  - With O(update_password=on_mismatch), O(password) may already be outdated on a second run,
    because the first run changed it. The module then never needs it, since the login with
    O(new_password) succeeds first.
seealso:
  - module: dyn.managed_dns.dyn_session
  - module: dyn.managed_dns.dyn_permissions_info
  - plugin: dyn.managed_dns.dynect
    plugin_type: connection
"""

EXAMPLES = r"""
- name: Rotate the password, only when it is not already the new one
  dyn.managed_dns.dyn_password:
    customer: acme
    username: ops
    password: "{{ vault_dyn_old_password }}"
    new_password: "{{ vault_dyn_new_password }}"
    update_password: on_mismatch

- name: Rotate the password inside the play's session, without another login
  dyn.managed_dns.dyn_password:
    session: "{{ dyn_login.session }}"
    new_password: "{{ vault_dyn_new_password }}"

- name: See whether a rotation would change anything (no password is shown)
  dyn.managed_dns.dyn_password:
    customer: acme
    username: ops
    password: "{{ vault_dyn_old_password }}"
    new_password: "{{ vault_dyn_new_password }}"
    update_password: on_mismatch
  check_mode: true
  diff: true
"""

RETURN = r"""
credentials_refused:
  description:
    - Whether the task failed because the API refused a login's credentials (for example a wrong
      O(password), or neither the old nor the new password logging in).
    - V(false) when the failure is anything else, such as no answer, a server error page or a
      refused password change; then nothing is known about the password.
  returned: on failure
  type: bool
  sample: false
history:
  description: This task's API calls, oldest first, with passwords and tokens masked.
  returned: when O(history=true)
  type: list
  elements: dict
  sample: [{"timestamp": "2026-11-28T07:45:01.123456", "uri": "/REST/Password/", "method": "PUT",
            "args": {"password": "*****"}, "status": "success"}]
"""

from typing import Any

from ansible_collections.dyn.managed_dns.plugins.module_utils._module import (
    ModuleSpec,
    TaskFailure,
    TaskRun,
    TaskSessions,
    is_refused_login,
    run_module,
)
from ansible_collections.dyn.managed_dns.plugins.module_utils.errors import DynectError

SPEC = ModuleSpec(
    {
        "new_password": {"type": "str", "required": True, "no_log": True},
        # A mode, not a secret: says so, or Ansible warns about a password-like name.
        "update_password": {"type": "str", "choices": ["always", "on_mismatch"], "default": "always", "no_log": False},
    },
    non_empty=("new_password",),
)

# What the diff shows instead of passwords.
_CURRENT = "(current password, hidden)"
_NEW = "(new password, hidden)"
_NOT_CHANGED = "The password was not changed, the old password is still valid"
_NO_LOGIN = "The password was not changed"
# A token's session was opened by someone else: this task never logged in with the old password.
_NOT_CHANGED_IN_TOKEN_SESSION = (
    "The password was not changed, so the account keeps the password it had before this task "
    "(which this task never used: it works in a token's session)"
)
_UNKNOWN = (
    "It is unknown whether the password was changed (no verdict came back, and logging in could not tell), "
    "so either the old or the new one is valid; try logging in with the new password, or run the task "
    "again with update_password=on_mismatch"
)


def _change(sessions: TaskSessions, new_password: str) -> None:
    """Send the change; on failure, say what the session layer found out about it."""
    try:
        sessions.open().update_password(new_password)
    except DynectError as exc:
        # The session layer settles a lost verdict by logging in; only its outcome is worded here.
        if exc.outcome_unknown:
            prefix = _UNKNOWN
        elif is_refused_login(exc):  # neither password logs in, or the re-login was refused
            prefix = _NO_LOGIN
        elif sessions.adopted and not sessions.through_connection:
            prefix = _NOT_CHANGED_IN_TOKEN_SESSION
        else:
            prefix = _NOT_CHANGED
        raise TaskFailure(f"{prefix}: {sessions.describe_error(exc)}") from exc


def work(task: TaskRun, sessions: TaskSessions) -> dict[str, Any]:
    """Change the password, or find out that it is already set (update_password=on_mismatch)."""
    new_password = task.params["new_password"]
    # Tried before the main session, whose login needs the old password: after a rotation,
    # a rerun still has to find out that there is nothing to do.
    changed = not (task.params["update_password"] == "on_mismatch" and sessions.password_works(new_password))
    if changed:
        # Opening the session checks the credentials (or the token), in check mode too.
        sessions.open()
        if not task.check_mode:
            _change(sessions, new_password)
    result: dict[str, Any] = {"changed": changed}
    if task.diff:
        result["diff"] = {"before": {"password": _CURRENT}, "after": {"password": _NEW if changed else _CURRENT}}
    return result


def main() -> None:
    run_module(SPEC, work)


if __name__ == "__main__":
    main()
