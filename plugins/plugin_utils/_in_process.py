# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Run a ``dyn_*`` module's work in the controller's worker process instead of a module process.

Private to this collection. Each module has an action plugin of the same name built on
:class:`InProcessModuleAction`. When the module would run on the controller with this very Python
(the dynect connection, whose modules always run with ansible-playbook's Python, or a local
connection whose interpreter is that Python, without become), the action validates the task's
arguments against the module's own :class:`ModuleSpec` with ansible-core's
``ArgumentSpecValidator`` and calls the module's work through :func:`run_task`, the very function
the module's entry point calls. Anything else (another interpreter, become, async, a remote host)
runs the module as ansible-core would. What a module refuses under ``async`` (dyn_session's
``return_token``) is refused here first, whichever way the module would then run.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator, Mapping
from typing import Any, ClassVar

from ansible import constants as C
from ansible.errors import AnsibleUndefinedConfigEntry
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.parameters import remove_values
from ansible.module_utils.errors import UnsupportedError
from ansible.plugins.action import ActionBase

from ansible_collections.dyn.managed_dns.plugins.module_utils._module import (
    ModuleSpec,
    SentRefusal,
    TaskRun,
    Work,
    missing_library,
    refusal_as_sent,
    run_task,
)

__all__ = ["InProcessModuleAction"]

_DYNECT = "dyn.managed_dns.dynect"
_LOCAL = ("local", "ansible.builtin.local", "ansible.legacy.local")


class InProcessModuleAction(ActionBase):
    """The action of one ``dyn_*`` module: its work in this process where that is what the module would do."""

    _supports_check_mode = True
    _supports_async = True

    MODULE_NAME: ClassVar[str]  # the module's short name, as AnsibleModule calls it in messages
    SPEC: ClassVar[ModuleSpec]
    WORK: ClassVar[Work]

    def run(self, tmp: str | None = None, task_vars: dict[str, Any] | None = None) -> dict[str, Any]:
        result = super().run(tmp, task_vars)
        task_vars = task_vars or {}
        # Before either way of running: under async, ansible-core keeps the module's result in a file.
        refused = self.SPEC.refusal_under_async(self._task.args) if self._task.async_val else None
        if refused is not None:
            result.update(failed=True, changed=False, msg=refused)
            return result
        if not self._runs_in_this_python(task_vars):
            wrap_async = bool(self._task.async_val) and not self._connection.has_native_async
            result.update(self._execute_module(task_vars=task_vars, wrap_async=wrap_async))
            if not wrap_async:
                self._remove_tmp_path(self._connection._shell.tmpdir)
            return result
        environment: dict[str, Any] = {}
        self._compute_environment_string(environment)
        with _environment(environment):
            result.update(self._run_here(_injects_invocation(task_vars)))
        return result

    def _runs_in_this_python(self, task_vars: Mapping[str, Any]) -> bool:
        """Whether ansible-core would run the module on this machine with this very Python."""
        if self._task.async_val or self._play_context.become:
            return False
        transport = self._connection.transport
        if transport == _DYNECT:
            return True  # its modules always run with ansible-playbook's Python
        if transport not in _LOCAL:
            return False
        host_vars = task_vars.get("ansible_delegated_vars", {}).get(self._task.delegate_to) if self._task.delegate_to else task_vars
        interpreter = (host_vars or {}).get("ansible_python_interpreter")
        if not interpreter:
            return False  # interpreter discovery may pick another Python
        interpreter = self._templar.template(interpreter)
        return isinstance(interpreter, str) and os.path.realpath(interpreter) == os.path.realpath(sys.executable)

    def _run_here(self, with_invocation: bool) -> dict[str, Any]:
        sent = dict(self._task.args)
        socket_path = self._connection.socket_path if self._connection.transport == _DYNECT else None
        if socket_path:
            # Where ActionBase puts it for a module: core's strategy finds the play's persistent
            # connections in the tasks' _ansible_socket argument, and closes them (the helper logs
            # out) when the play ends.
            self._task.args["_ansible_socket"] = socket_path
        refusal = refusal_as_sent(sent)
        spec = self.SPEC
        outcome = ArgumentSpecValidator(spec.argument_spec(hidden=refusal.hidden if refusal else ()), **spec.constraints()).validate(sent)
        no_log_values = outcome._no_log_values | spec.secrets_in(outcome.validated_parameters)
        warnings: list[str] = []
        params = outcome.validated_parameters
        failure = self._refusal_before_work(outcome, refusal)
        result: dict[str, Any] = {}
        if failure is None:
            task = TaskRun(
                params=params, sent=sent, argument_spec=spec.argument_spec(), check_mode=bool(self._task.check_mode),
                diff=bool(self._task.diff), no_log=bool(self._play_context.no_log),
                socket_path=socket_path,
                warn=warnings.append,
            )
            result, task_failure = run_task(spec, task, self.WORK)
            if task_failure is not None:
                result = {**task_failure.result, **result, "failed": True, "msg": task_failure.msg}
        else:
            result = {"failed": True, "msg": failure}
        if with_invocation:
            result["invocation"] = {"module_args": params}
        if warnings:
            result["warnings"] = warnings
        # The one masking point of the module path (AnsibleModule's exit_json) does the same.
        return remove_values(result, no_log_values)

    def _refusal_before_work(self, outcome: Any, refusal: SentRefusal | None) -> str | None:
        """What AnsibleModule and the module's entry point refuse before any work, worded alike and in the same order."""
        if outcome.error_messages:
            message = outcome.errors.msg
            if isinstance(outcome.errors[0], UnsupportedError):
                message = f"Unsupported parameters for ({self.MODULE_NAME}) module: {message}"
            return message
        if refusal is not None:
            return refusal.msg
        missing = missing_library()
        return None if missing is None else missing[0]


def _injects_invocation(task_vars: Mapping[str, Any]) -> bool:
    """Whether a module's result would carry ``invocation``: always before ansible-core 2.21, then per INJECT_INVOCATION."""
    try:
        return bool(C.config.get_config_value("INJECT_INVOCATION", variables=task_vars))
    except AnsibleUndefinedConfigEntry:
        return True


@contextlib.contextmanager
def _environment(variables: Mapping[str, Any]) -> Iterator[None]:
    """The task's ``environment`` in this process, as a module process would get it.

    The worker process runs this one task, but the variables are put back all the same.
    """
    saved = {name: os.environ.get(name) for name in variables}
    try:
        os.environ.update({name: str(value) for name, value in variables.items()})
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
