# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The action ``dyn_password_file``: keep the rotation's password file, in the controller's worker process.

No module is transferred or run, so no password ever lands in an AnsiballZ file or crosses a
connection; the result reports what the file holds as booleans, never a password. The module
``plugins/modules/dyn_password_file.py`` only documents the options (see ``ARGUMENT_SPEC``).
"""

from __future__ import annotations

import re
from typing import Any

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.parameters import remove_values
from ansible.module_utils.errors import UnsupportedError
from ansible.parsing.vault import VaultLib, VaultSecret
from ansible.plugins.action import ActionBase

from ansible_collections.dyn.managed_dns.plugins.module_utils._password_file import (
    ARGUMENT_SPEC,
    MIN_LENGTH,
    PasswordFileError,
    PasswordRecord,
    generate_password,
    load,
    read_vault_password_file,
    remove_leftover_temporaries,
    save,
)
from ansible_collections.dyn.managed_dns.plugins.plugin_utils._in_process import no_log_values

_ACCOUNT = re.compile(r"[^/\s]+/[^/\s]+")
_PLAINTEXT_FIX = "set vault_password_file, or allow_plaintext=true if a plaintext password file is acceptable"


class ActionModule(ActionBase):
    """Inspect the password file, store a pending password in it, or confirm the pending one."""

    TRANSFERS_FILES = False
    _requires_connection = False  # the work is all on the controller: no need to reach the host
    _supports_check_mode = True
    _supports_async = False

    def run(self, tmp: str | None = None, task_vars: dict[str, Any] | None = None) -> dict[str, Any]:
        result = super().run(tmp, task_vars)
        try:
            params = self._validated_args()
            result.update(_run_state(params, check_mode=bool(self._task.check_mode)))
        except PasswordFileError as error:
            result.update(failed=True, changed=False, msg=str(error))
        return result

    def _validated_args(self) -> dict[str, Any]:
        """The task's arguments checked against the one spec the documentation stub also uses."""
        outcome = ArgumentSpecValidator(ARGUMENT_SPEC).validate(dict(self._task.args))
        if outcome.error_messages:
            # A conversion error may quote a value: strip the no_log ones before anyone sees the message.
            message = remove_values(outcome.error_messages[0], no_log_values(ARGUMENT_SPEC, outcome.validated_parameters)).rstrip(".")
            prefix = "Unsupported parameters for " if isinstance(outcome.errors[0], UnsupportedError) else ""
            raise PasswordFileError(f"{prefix}dyn_password_file: {message}.")
        params = outcome.validated_parameters
        if not _ACCOUNT.fullmatch(params["account"]):
            raise PasswordFileError(f"account {params['account']!r} is not of the form customer/user; give both names joined by a slash.")
        if not params["vault_password_file"] and not params["allow_plaintext"]:
            raise PasswordFileError(f"{params['path']} would hold a password in plaintext; {_PLAINTEXT_FIX}.")
        return params


def _run_state(params: dict[str, Any], check_mode: bool) -> dict[str, Any]:
    # The vault password file is read first: a bad one stops the task before the password file is touched.
    vault = None
    if params["vault_password_file"]:
        vault = VaultLib([("default", VaultSecret(read_vault_password_file(params["vault_password_file"])))])
    record = load(
        params["path"],
        vault=vault,
        vault_required=vault is not None,
        allow_plaintext=params["allow_plaintext"],
        account=params["account"],
        plaintext_fix=_PLAINTEXT_FIX,
    )
    if not check_mode:  # load checked the directory: what is in it is ours
        remove_leftover_temporaries(params["path"])  # a killed run's, holding a password nobody needs
    state = params["state"]
    if state == "pending":
        return _make_pending(params, record, vault, check_mode)
    if state == "confirmed":
        return _confirm(params, record, vault, check_mode)
    return _describe(record, params["current_password"], changed=False)


def _make_pending(params: dict[str, Any], record: PasswordRecord | None, vault: VaultLib | None, check_mode: bool) -> dict[str, Any]:
    """Keep a pending password already in the file (a rotation to resume), else store a new one."""
    if record is not None and record.pending:
        return dict(_describe(record, params["current_password"], changed=False), resumed=True)
    # An empty current password (an unset role variable) is no password: stored as null.
    confirmed = (record.confirmed if record is not None else None) or params["current_password"] or None
    pending = _new_password(params, confirmed)
    updated = PasswordRecord(account=params["account"], confirmed=confirmed, pending=pending, encrypted=vault is not None)
    if not check_mode:
        save(params["path"], updated, vault=vault, allow_plaintext=params["allow_plaintext"], plaintext_fix=_PLAINTEXT_FIX)
    return dict(_describe(updated, params["current_password"], changed=True), resumed=False)


def _new_password(params: dict[str, Any], confirmed: str | None) -> str:
    given = params["new_password"]
    if not given:
        return generate_password(params["length"])
    if len(given) < MIN_LENGTH:
        raise PasswordFileError(f"new_password has fewer than {MIN_LENGTH} characters; give a longer one, or none to have one generated.")
    if given in (params["current_password"], confirmed):
        raise PasswordFileError("new_password is the current password; give a different one, or none to have one generated.")
    return given


def _confirm(params: dict[str, Any], record: PasswordRecord | None, vault: VaultLib | None, check_mode: bool) -> dict[str, Any]:
    """The pending password has been verified: it becomes the confirmed one."""
    if record is None or not record.pending:
        return _describe(record, params["current_password"], changed=False)
    updated = PasswordRecord(account=params["account"], confirmed=record.pending, pending=None, encrypted=vault is not None)
    if not check_mode:
        save(params["path"], updated, vault=vault, allow_plaintext=params["allow_plaintext"], plaintext_fix=_PLAINTEXT_FIX)
    return _describe(updated, params["current_password"], changed=True)


def _describe(record: PasswordRecord | None, current_password: str | None, *, changed: bool) -> dict[str, Any]:
    """What the file holds (or would hold, in check mode), as booleans only."""
    described: dict[str, Any] = {
        "changed": changed,
        "exists": record is not None,
        "encrypted": bool(record and record.encrypted),
        "has_confirmed": bool(record and record.confirmed),
        "has_pending": bool(record and record.pending),
    }
    if current_password is not None:  # even "": the caller then still finds the keys it tests
        described["current_is_confirmed"] = bool(record and record.confirmed == current_password)
        described["current_is_pending"] = bool(record and record.pending == current_password)
    return described
