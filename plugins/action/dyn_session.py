# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The one action of the collection's ``dyn_*`` modules: the module's work in this process, or core's ``normal`` action.

``meta/runtime.yml`` routes every module but ``dyn_password_file`` here
(``plugin_routing: modules: <name>: action_plugin: dyn.managed_dns.dyn_session``), so the task keeps
its module as its resolved action, and module_defaults keyed by one module stay that module's. The
file carries dyn_session's name because ``ansible-test sanity`` (action-plugin-docs) wants every
action plugin named after a module, and this collection keeps no sanity ignore file.

When ansible-core would run the module on the controller with this very Python (the dynect
connection, whose modules always run with ansible-playbook's Python, or a local connection whose
interpreter is that Python, without become or async), the module's work runs in the task's worker
process (``plugins/plugin_utils/_in_process.py``). Anything else, and every task while the
``dyn_in_process`` host variable or the ``DYN_IN_PROCESS`` environment variable says false, runs
the module as ansible-core runs any module: this class is core's own ``normal`` action. What a
module refuses under ``async`` (dyn_session's ``return_token``) is refused first, whichever way the
module would then run.

``dyn_password_file`` keeps an action of its own (``plugins/action/dyn_password_file.py``): there the
action is the implementation and no module ever runs.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Mapping
from types import ModuleType
from typing import Any

from ansible import constants as C
from ansible.errors import AnsibleUndefinedConfigEntry
from ansible.module_utils.parsing.convert_bool import boolean
from ansible.plugins.action.normal import ActionModule as NormalAction
from ansible.utils.vars import transform_to_native_types

from ansible_collections.dyn.managed_dns.plugins.module_utils._module import ModuleSpec
from ansible_collections.dyn.managed_dns.plugins.plugin_utils._in_process import InProcessTask, run_in_process, task_environment

_COLLECTION = "dyn.managed_dns"
_MODULES_PACKAGE = "ansible_collections.dyn.managed_dns.plugins.modules"
# Modules whose action is their implementation: no module runs, so this action has nothing to run.
_OWN_ACTIONS = ("dyn_password_file",)
_DYNECT = "dyn.managed_dns.dynect"
_LOCAL = ("local", "ansible.builtin.local", "ansible.legacy.local")
SWITCH_VARIABLE = "dyn_in_process"
SWITCH_ENVIRONMENT = "DYN_IN_PROCESS"


class ActionRefusal(Exception):
    """A task this action refuses before running anything, in one sentence."""


class ActionModule(NormalAction):
    """Runs a ``dyn_*`` task's module: its work here where that is what the module would do, else as core's ``normal`` action."""

    def run(self, tmp: str | None = None, task_vars: dict[str, Any] | None = None) -> dict[str, Any]:
        task_vars = task_vars or {}
        try:
            module = served_module(self._task.resolved_action)
            self._refuse_under_async(module.SPEC)
            in_process = self._runs_in_process(_task_host_vars(self._task.delegate_to, task_vars))
        except ActionRefusal as refusal:
            return {"failed": True, "changed": False, "msg": str(refusal)}
        if not in_process:
            return super().run(tmp, task_vars)
        # Nothing of ActionBase.run applies here: this action supports check mode, and async never runs here.
        return self._run_here(module, task_vars)

    def _refuse_under_async(self, spec: ModuleSpec) -> None:
        """Under async, ansible-core keeps the module's result in a file: refuse what must never be there."""
        refused = spec.refusal_under_async(self._task.args) if self._task.async_val else None
        if refused is not None:
            raise ActionRefusal(refused)

    def _runs_in_process(self, host_vars: Mapping[str, Any]) -> bool:
        """Whether the module's work runs here: the switch allows it and the module would run with this Python."""
        return in_process_allowed(host_vars, self._templar.template) and self._runs_in_this_python(host_vars)

    def _runs_in_this_python(self, host_vars: Mapping[str, Any]) -> bool:
        """Whether ansible-core would run the module on this machine with this very Python."""
        if self._task.async_val or self._play_context.become:
            return False
        transport = self._connection.transport
        if transport == _DYNECT:
            return True  # its modules always run with ansible-playbook's Python
        if transport not in _LOCAL:
            return False
        interpreter = host_vars.get("ansible_python_interpreter")
        if not interpreter:
            return False  # interpreter discovery may pick another Python
        interpreter = self._templar.template(interpreter)
        return isinstance(interpreter, str) and _python_identity(interpreter) == _python_identity(sys.executable)

    def _run_here(self, module: ModuleType, task_vars: Mapping[str, Any]) -> dict[str, Any]:
        socket_path = self._connection.socket_path if self._connection.transport == _DYNECT else None
        task = InProcessTask(
            module_name=module.__name__.rpartition(".")[2], spec=module.SPEC, work=module.work, sent=_as_sent(self._task.args),
            check_mode=bool(self._task.check_mode), diff=bool(self._task.diff), no_log=bool(self._play_context.no_log),
            socket_path=socket_path, with_invocation=_injects_invocation(task_vars),
        )
        if socket_path:
            # Where ActionBase puts it for a module: core's strategy finds the play's persistent
            # connections in the tasks' _ansible_socket argument, and closes them (the helper logs
            # out) when the play ends.
            self._task.args["_ansible_socket"] = socket_path
        environment: dict[str, Any] = {}
        self._compute_environment_string(environment)
        with task_environment(environment):
            return run_in_process(task)


def _as_sent(arguments: Mapping[str, Any]) -> dict[str, Any]:
    """The task's arguments as a module process receives them: plain Python types, vaulted values decrypted.

    Templating leaves them tagged (origin, trust), and ansible-core's argument validator deep-copies
    what it is given, which for tagged values costs several times what it costs for plain ones: a
    task with a hundred record sets would spend more on that copy than on its own planning.
    """
    native: dict[str, Any] = transform_to_native_types(dict(arguments), redact=False)
    return native


def served_module(resolved_action: str | None) -> ModuleType:
    """The module of this collection that the task runs, imported; ActionRefusal for any other action."""
    collection, _dot, name = (resolved_action or "").rpartition(".")
    if collection == _COLLECTION and name.isidentifier() and name not in _OWN_ACTIONS:
        try:
            module = importlib.import_module(f"{_MODULES_PACKAGE}.{name}")
        except ModuleNotFoundError as error:
            if error.name != f"{_MODULES_PACKAGE}.{name}":
                raise  # a module of ours that fails to import is a bug to show, not an unknown action
        else:
            if isinstance(getattr(module, "SPEC", None), ModuleSpec) and callable(getattr(module, "work", None)):
                return module
    raise ActionRefusal(
        f"{resolved_action or 'This task'} is not a module that the shared action of {_COLLECTION} runs "
        f"(it runs the {_COLLECTION}.dyn_* modules that meta/runtime.yml routes to it); call one of those modules instead."
    )


def in_process_allowed(host_vars: Mapping[str, Any], template: Any) -> bool:
    """The switch: the ``dyn_in_process`` host variable (templated), else ``DYN_IN_PROCESS``, else on."""
    if SWITCH_VARIABLE in host_vars:
        return _switch_value(SWITCH_VARIABLE, template(host_vars[SWITCH_VARIABLE]))
    if SWITCH_ENVIRONMENT in os.environ:
        return _switch_value(SWITCH_ENVIRONMENT, os.environ[SWITCH_ENVIRONMENT])
    return True


def _switch_value(name: str, value: Any) -> bool:
    try:
        return boolean(value, strict=True)
    except TypeError:
        raise ActionRefusal(
            f"{name} must be true or false (it turns running the dyn_* modules' work in the controller's process on or off), not {str(value)!r}."
        ) from None


def _python_identity(path: str) -> tuple[str, str | None]:
    """What a Python started as ``path`` is: its executable, and the virtual environment whose libraries it loads.

    The executable alone does not say: every virtual environment of one Python links to the same
    file. Python finds its environment by a ``pyvenv.cfg`` beside the path as given, or one
    directory up, without following links; so does this.
    """
    folder = os.path.dirname(os.path.abspath(path))
    environment = next((each for each in (folder, os.path.dirname(folder)) if os.path.isfile(os.path.join(each, "pyvenv.cfg"))), None)
    return os.path.realpath(path), environment


def _task_host_vars(delegate_to: str | None, task_vars: Mapping[str, Any]) -> Mapping[str, Any]:
    """The variables of the host the task runs on: the delegated host's under delegate_to."""
    if not delegate_to:
        return task_vars
    return task_vars.get("ansible_delegated_vars", {}).get(delegate_to) or {}


def _injects_invocation(task_vars: Mapping[str, Any]) -> bool:
    """Whether a module's result would carry ``invocation``: always before ansible-core 2.21, then per INJECT_INVOCATION."""
    try:
        return bool(C.config.get_config_value("INJECT_INVOCATION", variables=task_vars))
    except AnsibleUndefinedConfigEntry:
        return True
