# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The dyn_* modules through the one action: the module's work in the worker process, with the module's own result.

The module and the action share the module's one spec and one work function; these tests tie the two entry
points together by running both on the same arguments against the emulator and comparing.
"""

from __future__ import annotations

import json
import re
import sys
import time
from typing import Any
from unittest.mock import MagicMock

import pytest
from ansible.module_utils.basic import env_fallback

from ansible_collections.dyn.managed_dns.plugins.action import dyn_session as shared_action
from ansible_collections.dyn.managed_dns.plugins.modules import dyn_session as dyn_session_module
from ansible_collections.dyn.managed_dns.plugins.modules import dyn_password as dyn_password_module
from ansible_collections.dyn.managed_dns.plugins.modules import dyn_permissions_info as dyn_permissions_info_module
from ansible_collections.dyn.managed_dns.tests.unit.plugins.module_utils.helpers import OPS, leaked, server_secrets

CREDENTIALS = {"customer": OPS[0], "username": OPS[1], "password": OPS[2]}
# Shaped like a DynECT token (base64, padded): Ansible's dict type would read it as key=value.
FAKE_TOKEN = "U2Vzc2lvbi1Ub2tlbi1Gb3ItSXNzdWUtMjItT2YtVGhpcy1Db2xsZWN0aW9uLU5vdC1JbnNpZGUtQW55LU91dHB1dA=="
DYNECT = "dyn.managed_dns.dynect"
HELPER_SOCKET = "/tmp/dyn-helper-socket"
MODULES = {"dyn_session": dyn_session_module, "dyn_password": dyn_password_module, "dyn_permissions_info": dyn_permissions_info_module}


class _Templar:
    def template(self, value: Any) -> Any:
        return sys.executable if value == "{{ ansible_playbook_python }}" else value


def _action(name: str, args: dict[str, Any], *, transport: str = "local", become: bool = False, async_val: int = 0) -> Any:
    task = MagicMock(
        args=args, check_mode=False, diff=False, async_val=async_val, delegate_to=None, environment=None,
        resolved_action=f"dyn.managed_dns.{name}",
    )
    connection = MagicMock(transport=transport, socket_path=None)
    if transport == DYNECT:
        connection.socket_path = HELPER_SOCKET  # the play's helper, found by the connection or started by core
    play_context = MagicMock(become=become, no_log=True)
    return shared_action.ActionModule(task, connection, play_context, loader=None, templar=_Templar(), shared_loader_obj=None)


def _run_action(name: str, args: dict[str, Any]) -> dict[str, Any]:
    action = _action(name, args)
    action._execute_module = MagicMock(side_effect=AssertionError("the module was run instead of its work"))
    return action.run(task_vars={"ansible_python_interpreter": "{{ ansible_playbook_python }}"})


def _run_module(name: str, args: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    from ansible.module_utils.testing import patch_module_args

    capsys.readouterr()
    with patch_module_args({**args, "_ansible_no_log": True}), pytest.raises(SystemExit):
        MODULES[name].main()
    return json.loads(capsys.readouterr().out)


def _comparable(result: dict[str, Any]) -> str:
    # The module's exit_json adds invocation and warnings; a session's token differs between two logins,
    # a call's timestamp between two runs, and in-process AnsibleModule names itself after its test runner.
    shown = {key: value for key, value in result.items() if key not in ("invocation", "token", "session", "warnings")}
    text = json.dumps(shown, sort_keys=True).replace("(basic.py)", "(dyn_session)")
    return re.sub(r'"timestamp": "[^"]*"', '"timestamp": "*"', text)


CASES = {
    "credential check": ("dyn_session", {**CREDENTIALS, "history": True}),
    "wrong password": ("dyn_session", {**CREDENTIALS, "password": "Wrong-Passw0rd"}),
    "unknown option": ("dyn_session", {**CREDENTIALS, "colour": "blue"}),
    "bad type": ("dyn_session", {**CREDENTIALS, "timeout": "soon"}),
    "proxy_host with credentials": ("dyn_session", {**CREDENTIALS, "proxy_host": "user:Proxy-Secret-1@proxy", "proxy_port": 3128}),
    "return_token with absent": ("dyn_session", {**CREDENTIALS, "state": "absent", "return_token": True}),
    "empty new_password": ("dyn_password", {**CREDENTIALS, "new_password": " "}),
    "permission check": ("dyn_permissions_info", {**CREDENTIALS, "required": ["RecordGet", "UserAdd"], "zone": "example.com"}),
    "zone without required": ("dyn_permissions_info", {**CREDENTIALS, "zone": "example.com"}),
    # Issue #22: a session that is not a mapping is refused and masked whole; proxy_user and proxy_pass
    # are paired after validation.
    "session string": ("dyn_session", {"session": FAKE_TOKEN}),
    "session list": ("dyn_permissions_info", {"session": [FAKE_TOKEN], "required": ["RecordGet"]}),
    "session string and a bad type": ("dyn_session", {"session": FAKE_TOKEN, "timeout": "soon"}),
    "proxy_user alone": ("dyn_session", {**CREDENTIALS, "proxy_host": "127.0.0.1", "proxy_port": 3128, "proxy_user": "squid"}),
    "proxy_pass alone": ("dyn_session", {**CREDENTIALS, "proxy_host": "127.0.0.1", "proxy_port": 3128, "proxy_pass": "Proxy-Secret-1"}),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_action_returns_what_the_module_returns(case, emulator, capsys):
    name, args = CASES[case]
    args = {"host": emulator.host, "port": emulator.port, "ssl": emulator.ssl, **args}

    from_module = _run_module(name, args, capsys)
    from_action = _run_action(name, args)

    assert _comparable(from_action) == _comparable(from_module)
    assert from_action.get("invocation") == from_module.get("invocation")
    assert leaked(json.dumps(from_action), [*server_secrets(emulator), "Proxy-Secret-1", FAKE_TOKEN.rstrip("=")]) == []


def test_a_session_opened_in_process_is_usable_by_a_module(emulator, capsys):
    address = {"host": emulator.host, "port": emulator.port, "ssl": emulator.ssl}
    login = _run_action("dyn_session", {**address, **CREDENTIALS, "return_token": True})

    logout = _run_module("dyn_session", {"state": "absent", "session": login["session"]}, capsys)

    assert (logout["changed"], logout["logged_out"]) == (False, True)
    assert emulator.stats()["open_sessions"] == 0


def test_the_task_environment_is_seen_as_a_module_process_would_see_it(emulator, monkeypatch):
    monkeypatch.delenv("DYN_CUSTOMER", raising=False)
    action = _action("dyn_session", {"host": emulator.host, "port": emulator.port, "ssl": emulator.ssl, "username": OPS[1], "password": OPS[2]})
    action._compute_environment_string = lambda out: out.update(DYN_CUSTOMER=OPS[0])

    result = action.run(task_vars={"ansible_python_interpreter": "{{ ansible_playbook_python }}"})

    assert result["customer"] == OPS[0]
    assert "DYN_CUSTOMER" not in __import__("os").environ


@pytest.mark.parametrize(
    ("settings", "task_vars", "in_process"),
    [
        pytest.param({"transport": DYNECT}, {}, True, id="dynect"),
        pytest.param({}, {"ansible_python_interpreter": "{{ ansible_playbook_python }}"}, True, id="local-this-python"),
        pytest.param({}, {"ansible_python_interpreter": "/usr/bin/python3"}, False, id="local-other-python"),
        pytest.param({}, {}, False, id="local-discovered-python"),
        pytest.param({"become": True}, {"ansible_python_interpreter": "{{ ansible_playbook_python }}"}, False, id="become"),
        pytest.param({"async_val": 30}, {"ansible_python_interpreter": "{{ ansible_playbook_python }}"}, False, id="async"),
        pytest.param({"transport": "ssh"}, {"ansible_python_interpreter": "{{ ansible_playbook_python }}"}, False, id="ssh"),
    ],
)
def test_the_work_runs_here_only_where_the_module_would_run_with_this_python(settings, task_vars, in_process):
    action = _action("dyn_session", {}, **settings)
    assert action._runs_in_this_python(task_vars) is in_process


def test_elsewhere_the_module_itself_runs():
    action = _action("dyn_session", {"state": "absent"}, transport="ssh")
    action._execute_module = MagicMock(return_value={"changed": False, "ran": "module"})

    result = action.run(task_vars={})

    assert result["ran"] == "module"
    action._execute_module.assert_called_once()


# --- Issue #15: the work on a dynect host uses the play's helper -----------------------------------


def test_the_work_of_a_dynect_task_gets_the_helper_socket_which_core_closes_at_the_end_of_the_play(monkeypatch):
    action = _action("dyn_session", {}, transport=DYNECT)
    seen = []

    def work(task: Any, sessions: Any) -> dict[str, Any]:
        seen.append(task.socket_path)
        return {"ran": "here"}

    monkeypatch.setattr(dyn_session_module, "work", work)
    result = action.run(task_vars={})

    assert result["ran"] == "here"
    assert seen == [HELPER_SOCKET]
    assert action._task.args["_ansible_socket"] == HELPER_SOCKET  # where core's strategy finds the helper to close


# --- Issue #22: a session value that is not a mapping, return_token under async, proxy_pass beside a session


@pytest.mark.parametrize("session", [FAKE_TOKEN, [FAKE_TOKEN]], ids=["string", "list"])
def test_a_session_that_is_not_a_mapping_is_refused_and_masked_in_process(session, emulator):
    from ansible_collections.dyn.managed_dns.plugins.module_utils._module import session_refusal

    action = _action("dyn_session", {"session": session})
    action._execute_module = MagicMock(side_effect=AssertionError("the module was run instead of its work"))
    # ansible-core 2.21 adds invocation only when asked to (INJECT_INVOCATION); before, always.
    result = action.run(task_vars={"ansible_python_interpreter": "{{ ansible_playbook_python }}", "ansible_inject_invocation": True})

    assert result["failed"] is True
    assert result["msg"] == session_refusal({"session": session})
    assert result["msg"].startswith("session must be the session value that dyn.managed_dns.dyn_session returns")
    assert "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER" in json.dumps(result["invocation"]["module_args"]["session"])
    assert FAKE_TOKEN.rstrip("=") not in json.dumps(result)
    assert emulator.stats()["requests"] == {}


@pytest.mark.parametrize(
    "settings",
    [
        pytest.param({"transport": DYNECT}, id="dynect"),
        pytest.param({}, id="local-this-python"),
        pytest.param({"transport": "ssh"}, id="ssh"),
    ],
)
@pytest.mark.parametrize("return_token", [True, "yes"])
def test_return_token_under_async_is_refused_before_either_way_of_running(settings, return_token, emulator):
    action = _action("dyn_session", {**CREDENTIALS, "return_token": return_token}, async_val=30, **settings)
    action._execute_module = MagicMock(side_effect=AssertionError("the module was run"))
    action._run_here = MagicMock(side_effect=AssertionError("the work was run in-process"))

    result = action.run(task_vars={"ansible_python_interpreter": "{{ ansible_playbook_python }}"})

    assert result["failed"] is True
    assert result["msg"] == dyn_session_module.RETURN_TOKEN_UNDER_ASYNC
    assert result["msg"].startswith("return_token cannot be used with async: ")
    assert emulator.stats()["requests"] == {}


def test_under_async_without_return_token_the_module_runs():
    action = _action("dyn_session", {"state": "absent", "return_token": False}, async_val=30)
    action._connection.has_native_async = False
    action._execute_module = MagicMock(return_value={"ansible_job_id": "1.2", "started": 1})

    result = action.run(task_vars={"ansible_python_interpreter": "{{ ansible_playbook_python }}"})

    assert result["ansible_job_id"] == "1.2"
    assert bool(action._execute_module.call_args.kwargs["wrap_async"]) is True


@pytest.fixture(scope="module")
def auth_proxy(tmp_path_factory):
    """proxy.py with basic auth (as the dyn_session integration target runs it)."""
    from ansible_collections.dyn.managed_dns.tests.unit.plugins.module_utils.test_transport import Proxy

    proxy = Proxy(tmp_path_factory.mktemp("auth-proxy"), f"squid:{PROXY_PASSWORD}")
    yield proxy
    proxy.stop()


PROXY_PASSWORD = "Proxy-Secret-22"


@pytest.mark.parametrize("entry_point", ["action", "module"])
def test_proxy_pass_beside_a_session_through_an_authenticating_proxy(entry_point, emulator, auth_proxy, capsys):
    # As the sessions guide says: the login's session carries proxy_user, the task (or its
    # module_defaults) gives proxy_pass. Ansible's required_together refused this before the session was read.
    proxy = {"proxy_host": "127.0.0.1", "proxy_port": auth_proxy.port, "proxy_user": "squid", "proxy_pass": PROXY_PASSWORD}
    address = {"host": emulator.host, "port": emulator.port, "ssl": emulator.ssl}
    login = _run_action("dyn_session", {**address, **CREDENTIALS, **proxy, "return_token": True})
    assert login["session"]["proxy_user"] == "squid"
    args = {"session": login["session"], "proxy_pass": PROXY_PASSWORD, "state": "absent"}
    check = f"GET 127.0.0.1:{emulator.port}/REST/Session/"  # the task's is_alive, before its logout
    checks_before = auth_proxy.wait_for_access("").count(check)

    result = _run_action("dyn_session", args) if entry_point == "action" else _run_module("dyn_session", args, capsys)

    assert not result.get("failed"), result
    assert result["logged_out"] is True
    assert emulator.stats()["open_sessions"] == 0
    assert _proxy_log_count(auth_proxy, check, checks_before + 1) == checks_before + 1
    assert leaked(json.dumps([login, result]), [PROXY_PASSWORD]) == []


def _proxy_log_count(proxy: Any, line: str, expected: int) -> int:
    """How often the proxy's log shows ``line``, once it shows it ``expected`` times or after 10 s."""
    deadline = time.monotonic() + 10
    while (count := proxy.wait_for_access("").count(line)) < expected and time.monotonic() < deadline:
        time.sleep(0.1)
    return count


@pytest.mark.parametrize("entry_point", ["action", "module"])
def test_a_session_through_an_authenticating_proxy_still_needs_proxy_pass(entry_point, emulator, capsys):
    session = {
        "token": FAKE_TOKEN, "host": emulator.host, "port": emulator.port, "ssl": emulator.ssl,
        "proxy_host": "127.0.0.1", "proxy_port": 3128, "proxy_user": "squid",
    }
    args = {"session": session}

    result = _run_action("dyn_session", args) if entry_point == "action" else _run_module("dyn_session", args, capsys)

    assert result["failed"] is True
    assert "which a session never carries: set proxy_pass (or DYN_PROXY_PASS)" in result["msg"]
    assert emulator.stats()["requests"] == {}


# --- Issue #23: the no_log values, read from the spec and the validated parameters (no private attribute of core)


_NO_LOG_SPEC = {
    "secret": {"type": "str", "no_log": True, "aliases": ["pw"]},
    "default_secret": {"type": "str", "no_log": True, "default": "Default-Secret-1"},
    "env_secret": {"type": "str", "no_log": True, "fallback": (env_fallback, ["DYN_TEST_ENV_SECRET"])},
    "pin": {"type": "int", "no_log": True},
    "flag": {"type": "bool", "no_log": True},
    "raw": {"type": "raw", "no_log": True},
    "plain": {"type": "str"},
    "many": {
        "type": "list", "elements": "dict",
        "options": {
            "key": {"type": "str", "no_log": True},
            "name": {"type": "str"},
            "deeper": {"type": "dict", "options": {"code": {"type": "str", "no_log": True, "default": "Sub-Default-2"}}},
        },
    },
}
_NO_LOG_PARAMS = {
    "alias, default, fallback, number, nested": {
        "pw": "Alias-Secret-1", "pin": 1234, "flag": True, "raw": {"a": ["Raw-Secret-1", 5, None]}, "plain": "shown",
        "many": [{"key": "Key-Secret-1", "name": "n", "deeper": {}}, {"key": "", "name": "m"}],
    },
    "a value of the wrong type": {"secret": "Alias-Secret-1", "pin": "not-a-number"},
    "nothing given": {},
}


@pytest.mark.parametrize("case", sorted(_NO_LOG_PARAMS))
def test_no_log_values_are_those_core_validator_collects(case, monkeypatch):
    from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

    from ansible_collections.dyn.managed_dns.plugins.plugin_utils._in_process import no_log_values

    monkeypatch.setenv("DYN_TEST_ENV_SECRET", "Env-Secret-1")
    outcome = ArgumentSpecValidator(_NO_LOG_SPEC).validate(dict(_NO_LOG_PARAMS[case]))

    assert no_log_values(_NO_LOG_SPEC, outcome.validated_parameters) == outcome._no_log_values  # core's own, private set


@pytest.mark.parametrize("case", sorted(CASES))
def test_no_log_values_of_each_module_case_are_those_core_validator_collects(case, monkeypatch):
    from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

    from ansible_collections.dyn.managed_dns.plugins.module_utils._module import refusal_as_sent
    from ansible_collections.dyn.managed_dns.plugins.plugin_utils._in_process import no_log_values

    monkeypatch.setenv("DYN_PROXY_PASS", "Proxy-Secret-From-Env")
    name, args = CASES[case]
    spec = MODULES[name].SPEC
    refusal = refusal_as_sent(args)
    argument_spec = spec.argument_spec(hidden=refusal.hidden if refusal else ())
    outcome = ArgumentSpecValidator(argument_spec, **spec.constraints()).validate(dict(args))

    assert no_log_values(argument_spec, outcome.validated_parameters) == outcome._no_log_values
