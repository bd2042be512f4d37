# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Run a ``dyn_*`` module's work in the controller's worker process, with the result its module would return.

Private to this collection; the one action of the modules (``plugins/action/dyn_session.py``)
decides when, this file only how: validate the task's arguments against the module's own
:class:`ModuleSpec` with ansible-core's ``ArgumentSpecValidator``, call the work through
:func:`run_task` (the very function the module's entry point calls), and mask the result as
``AnsibleModule`` masks a module's.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
from collections.abc import Iterator, Mapping
from typing import Any

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator, ValidationResult
from ansible.module_utils.common.parameters import remove_values
from ansible.module_utils.errors import UnsupportedError

from ansible_collections.dyn.managed_dns.plugins.module_utils._module import (
    ModuleSpec,
    SentRefusal,
    TaskRun,
    Work,
    missing_library,
    refusal_as_sent,
    run_task,
)

__all__ = ["InProcessTask", "no_log_values", "run_in_process", "task_environment"]


@dataclasses.dataclass(frozen=True)
class InProcessTask:
    """One task of a module, as its work sees it in this process."""

    module_name: str  # the module's short name, as AnsibleModule calls it in messages
    spec: ModuleSpec
    work: Work
    sent: dict[str, Any]  # the task's arguments, module_defaults included
    check_mode: bool
    diff: bool
    no_log: bool
    socket_path: str | None  # the dynect connection's helper, or None
    with_invocation: bool  # whether a module's result would carry ``invocation``


def run_in_process(task: InProcessTask) -> dict[str, Any]:
    """The task's result, worded and masked as the module's own would be."""
    refusal = refusal_as_sent(task.sent)
    argument_spec = task.spec.argument_spec(hidden=refusal.hidden if refusal else ())
    outcome = ArgumentSpecValidator(argument_spec, **task.spec.constraints()).validate(task.sent)
    params = outcome.validated_parameters
    warnings: list[str] = []
    failure = _refusal_before_work(task.module_name, outcome, refusal)
    result = {"failed": True, "msg": failure} if failure is not None else _work_result(task, params, warnings.append)
    if task.with_invocation:
        result["invocation"] = {"module_args": params}
    if warnings:
        result["warnings"] = warnings
    # The one masking point of the module path (AnsibleModule's exit_json) does the same.
    return remove_values(result, no_log_values(argument_spec, params) | task.spec.secrets_in(params))


def _work_result(task: InProcessTask, params: dict[str, Any], warn: Any) -> dict[str, Any]:
    run = TaskRun(
        params=params, sent=task.sent, argument_spec=task.spec.argument_spec(), check_mode=task.check_mode,
        diff=task.diff, no_log=task.no_log, socket_path=task.socket_path, warn=warn,
    )
    result, failure = run_task(task.spec, run, task.work)
    if failure is None:
        return result
    return {**failure.result, **result, "failed": True, "msg": failure.msg}


def _refusal_before_work(module_name: str, outcome: ValidationResult, refusal: SentRefusal | None) -> str | None:
    """What AnsibleModule and the module's entry point refuse before any work, worded alike and in the same order."""
    if outcome.error_messages:
        message: str = outcome.errors.msg
        if isinstance(outcome.errors[0], UnsupportedError):
            message = f"Unsupported parameters for ({module_name}) module: {message}"
        return message
    if refusal is not None:
        return refusal.msg
    missing = missing_library()
    return None if missing is None else missing[0]


def no_log_values(argument_spec: Mapping[str, Mapping[str, Any]], params: Mapping[str, Any]) -> set[str]:
    """Every string the no_log options (sub-options too) hold in validated ``params``.

    ansible-core's validator collects the same set, but only in a private attribute
    (``ValidationResult._no_log_values``) that it offers no public accessor for. Validated
    parameters already hold what aliases, ``DYN_*`` fallbacks and defaults gave, under the
    options' own names, so reading the spec's no_log options from them finds the same values.
    """
    found: set[str] = set()
    for name, option_spec in argument_spec.items():
        value = params.get(name)
        if option_spec.get("no_log"):
            found |= _strings_in(value)
        elif option_spec.get("options") and value is not None:
            for sub_params in value if isinstance(value, list) else [value]:
                if isinstance(sub_params, Mapping):
                    found |= no_log_values(option_spec["options"], sub_params)
    return found


def _strings_in(value: Any) -> set[str]:
    """The non-empty strings a no_log value holds, as ansible-core masks them (numbers as text, booleans not)."""
    if value is None or isinstance(value, bool) or value == "":
        return set()
    if isinstance(value, Mapping):
        return set().union(*(_strings_in(item) for item in value.values()))
    if isinstance(value, (list, tuple, set, frozenset)):
        return set().union(*(_strings_in(item) for item in value))
    if isinstance(value, bytes):
        return {value.decode("utf-8", "surrogateescape")}
    return {str(value)}


@contextlib.contextmanager
def task_environment(variables: Mapping[str, Any]) -> Iterator[None]:
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
