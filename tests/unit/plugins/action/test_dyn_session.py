# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The one action of the dyn_* modules: which modules reach it, which module it runs, and which way.

How the work runs in this process, compared with the module's own result, is tested in
tests/unit/plugins/plugin_utils/test_in_process*.py.
"""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys
from typing import Any
from unittest.mock import MagicMock

import pytest
import yaml
from ansible.plugins.action.normal import ActionModule as NormalAction

from ansible_collections.dyn.managed_dns.plugins.action import dyn_session as shared_action

ROOT = pathlib.Path(shared_action.__file__).resolve().parents[2]
SHARED_ACTION = "dyn.managed_dns.dyn_session"
OWN_ACTION_MODULES = {"dyn_password_file"}  # its action is its implementation
DYNECT = "dyn.managed_dns.dynect"
THIS_PYTHON = {"ansible_python_interpreter": "{{ ansible_playbook_python }}"}


class _Templar:
    """Templates the few expressions these tests use."""

    VALUES = {"{{ ansible_playbook_python }}": sys.executable, "{{ in_process_off }}": False, "{{ in_process_on }}": "yes"}

    def template(self, value: Any) -> Any:
        return self.VALUES.get(value, value) if isinstance(value, str) else value


def _action(resolved: str | None = "dyn.managed_dns.dyn_session", *, transport: str = "local", args: dict[str, Any] | None = None,
            delegate_to: str | None = None) -> Any:
    task = MagicMock(
        args=dict(args or {"state": "absent"}), check_mode=False, diff=False, async_val=0, delegate_to=delegate_to,
        environment=None, resolved_action=resolved, action=resolved,
    )
    connection = MagicMock(transport=transport, socket_path="/tmp/dyn-helper-socket" if transport == DYNECT else None)
    action = shared_action.ActionModule(task, connection, MagicMock(become=False, no_log=True), loader=None, templar=_Templar(), shared_loader_obj=None)
    action._run_here = MagicMock(return_value={"ran": "in-process"})
    action._execute_module = MagicMock(return_value={"ran": "module process"})
    return action


@pytest.fixture(autouse=True)
def _no_switch_in_the_environment(monkeypatch):
    monkeypatch.delenv("DYN_IN_PROCESS", raising=False)


# --- Routing: every module but dyn_password_file reaches the one action ----------------------------


def _module_names() -> set[str]:
    return {path.stem for path in (ROOT / "plugins" / "modules").glob("*.py") if path.stem != "__init__"}


def test_every_module_but_dyn_password_file_is_routed_to_the_one_action():
    runtime = yaml.safe_load((ROOT / "meta" / "runtime.yml").read_text(encoding="utf-8"))
    routing = runtime["plugin_routing"]["modules"]

    routed = {name for name, route in routing.items() if route.get("action_plugin") == SHARED_ACTION}

    assert routed == _module_names() - OWN_ACTION_MODULES
    assert not set(runtime["plugin_routing"].get("action", {})) & _module_names()  # an action redirect would rename the task's action


def test_no_module_has_an_action_file_of_its_own_but_dyn_password_file():
    actions = {path.stem for path in (ROOT / "plugins" / "action").glob("*.py") if path.stem != "__init__"}

    assert actions == {SHARED_ACTION.rpartition(".")[2]} | OWN_ACTION_MODULES


@pytest.mark.parametrize("module", sorted(_module_names() - OWN_ACTION_MODULES))
def test_the_action_runs_the_module_the_task_resolved_to(module):
    action = _action(f"dyn.managed_dns.{module}", transport=DYNECT)

    action.run(task_vars={})

    assert action._run_here.call_args.args[0].__name__ == f"ansible_collections.dyn.managed_dns.plugins.modules.{module}"


@pytest.mark.parametrize(
    "resolved",
    [
        "dyn.managed_dns.dyn_password_file",  # has an action of its own
        "dyn.managed_dns.dyn_session_extra",  # no such module
        "dyn.managed_dns.dynect",  # a plugin of ours, but no module
        "community.dns.dyn_rest",  # another collection's
        "dyn.managed_dns.__init__",
        None,
    ],
)
def test_an_action_that_is_not_one_of_its_modules_fails_in_one_sentence(resolved):
    action = _action(resolved, transport=DYNECT)

    result = action.run(task_vars={})

    assert result["failed"] is True
    assert result["msg"].endswith("call one of those modules instead.")
    assert "is not a module that the shared action of dyn.managed_dns runs" in result["msg"]
    action._run_here.assert_not_called()
    action._execute_module.assert_not_called()


def test_the_work_gets_the_arguments_as_a_module_process_gets_them(monkeypatch):
    """Plain Python types, as JSON would bring them to a module process; not the tagged ones templating leaves."""
    from ansible.parsing.utils.yaml import from_yaml

    tagged = from_yaml("zone: example.com\nrecord_sets: [{prefix: www, ttl: 300, value: [192.0.2.1]}]", file_name="/play.yml")
    sent = []
    monkeypatch.setattr(shared_action, "run_in_process", lambda task: sent.append(task.sent) or {"ran": "in-process"})
    action = _action("dyn.managed_dns.dyn_record_sets", transport=DYNECT, args=tagged)
    del action._run_here  # the real one, up to run_in_process

    action.run(task_vars={})

    assert sent == [{"zone": "example.com", "record_sets": [{"prefix": "www", "ttl": 300, "value": ["192.0.2.1"]}]}]
    assert _types_in(sent[0]) == {dict, list, str, int}


def _types_in(value: Any) -> set[type]:
    if isinstance(value, dict):
        return {type(value)}.union(*(_types_in(item) for item in [*value, *value.values()]))
    if isinstance(value, list):
        return {type(value)}.union(*(_types_in(item) for item in value))
    return {type(value)}


# --- The fallback is core's own normal action ------------------------------------------------------


def test_elsewhere_the_task_runs_as_core_normal_action_runs_it(monkeypatch):
    seen = []
    monkeypatch.setattr(NormalAction, "run", lambda self, tmp=None, task_vars=None: seen.append(task_vars) or {"ran": "normal"})
    action = _action(transport="ssh")

    result = action.run(task_vars={"inventory_hostname": "web1"})

    assert issubclass(shared_action.ActionModule, NormalAction)
    assert result == {"ran": "normal"}
    assert seen == [{"inventory_hostname": "web1"}]
    action._run_here.assert_not_called()


# --- The switch: dyn_in_process (host variable) and DYN_IN_PROCESS ---------------------------------


@pytest.mark.parametrize("transport", [DYNECT, "local"])
def test_by_default_the_work_runs_in_process(transport):
    action = _action(transport=transport)

    assert action.run(task_vars=THIS_PYTHON) == {"ran": "in-process"}


@pytest.mark.parametrize("value", [False, "false", "no", "off", 0, "{{ in_process_off }}"])
@pytest.mark.parametrize("transport", [DYNECT, "local"])
def test_the_host_variable_turns_in_process_execution_off(transport, value):
    action = _action(transport=transport)

    result = action.run(task_vars={**THIS_PYTHON, "dyn_in_process": value})

    assert result["ran"] == "module process"
    action._run_here.assert_not_called()


@pytest.mark.parametrize("transport", [DYNECT, "local"])
def test_the_environment_variable_turns_in_process_execution_off(transport, monkeypatch):
    monkeypatch.setenv("DYN_IN_PROCESS", "false")
    action = _action(transport=transport)

    assert action.run(task_vars=THIS_PYTHON)["ran"] == "module process"


@pytest.mark.parametrize(
    ("environment", "value", "ran"),
    [("false", True, "in-process"), ("false", "{{ in_process_on }}", "in-process"), ("true", False, "module process")],
)
def test_the_host_variable_wins_over_the_environment_variable(environment, value, ran, monkeypatch):
    monkeypatch.setenv("DYN_IN_PROCESS", environment)
    action = _action(transport=DYNECT)

    assert action.run(task_vars={"dyn_in_process": value})["ran"] == ran


@pytest.mark.parametrize("value", [True, "true", "yes", "on", "1", 1])
def test_the_host_variable_takes_ansible_booleans(value, monkeypatch):
    monkeypatch.setenv("DYN_IN_PROCESS", "no")
    action = _action(transport=DYNECT)

    assert action.run(task_vars={"dyn_in_process": value}) == {"ran": "in-process"}


def test_on_a_delegated_task_the_switch_is_the_delegated_host_variable():
    action = _action(delegate_to="localhost")
    task_vars = {"dyn_in_process": True, "ansible_delegated_vars": {"localhost": {**THIS_PYTHON, "dyn_in_process": False}}}

    assert action.run(task_vars=task_vars)["ran"] == "module process"


def test_the_switch_on_does_not_make_another_interpreter_run_in_process():
    action = _action()

    result = action.run(task_vars={"ansible_python_interpreter": "/usr/bin/python3", "dyn_in_process": True})

    assert result["ran"] == "module process"


def test_another_virtualenv_of_the_same_python_is_another_interpreter(tmp_path):
    # Its python links to the same executable as this one, but it loads its own libraries.
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(tmp_path / "other")], check=True)
    other = tmp_path / "other" / "bin" / "python"
    assert os.path.realpath(other) == os.path.realpath(sys.executable)
    action = _action()

    result = action.run(task_vars={"ansible_python_interpreter": str(other), "dyn_in_process": True})

    assert result["ran"] == "module process"


def test_a_link_to_this_python_outside_its_virtualenv_is_another_interpreter(tmp_path):
    # Started through a link elsewhere, Python finds no pyvenv.cfg: it runs without this one's libraries.
    if sys.prefix == sys.base_prefix:
        pytest.skip("the tests do not run in a virtualenv")
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "python").symlink_to(sys.executable)
    action = _action()

    result = action.run(task_vars={"ansible_python_interpreter": str(tmp_path / "bin" / "python"), "dyn_in_process": True})

    assert result["ran"] == "module process"


def test_the_path_ansible_playbook_runs_with_is_this_interpreter():
    action = _action()

    assert action.run(task_vars={"ansible_python_interpreter": sys.executable, "dyn_in_process": True})["ran"] == "in-process"


@pytest.mark.parametrize("value", ["maybe", "", "2", ["false"]])
def test_an_invalid_host_variable_fails_naming_it(value):
    action = _action(transport=DYNECT)

    result = action.run(task_vars={"dyn_in_process": value})

    assert result["failed"] is True
    assert result["msg"].startswith("dyn_in_process must be true or false ")
    action._run_here.assert_not_called()
    action._execute_module.assert_not_called()


@pytest.mark.parametrize("value", ["maybe", ""])
def test_an_invalid_environment_variable_fails_naming_it(value, monkeypatch):
    monkeypatch.setenv("DYN_IN_PROCESS", value)
    action = _action(transport=DYNECT)

    result = action.run(task_vars={})

    assert result["failed"] is True
    assert result["msg"].startswith("DYN_IN_PROCESS must be true or false ")
    action._execute_module.assert_not_called()
