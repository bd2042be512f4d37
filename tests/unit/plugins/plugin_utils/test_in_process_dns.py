# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The DNS modules through the one action: the module's work in the worker process, with the module's own result.

As in test_in_process.py, each case runs the module and the action on the same arguments against
the emulator and compares the two results. A case that changes the zone starts both runs from the
same emulator state: the emulator is reset, and the case's setup run, before each of them.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from typing import Any
from unittest.mock import MagicMock

import pytest

from ansible_collections.dyn.managed_dns.plugins.action import dyn_session as shared_action
from ansible_collections.dyn.managed_dns.plugins.modules import dyn_record_set as dyn_record_set_module
from ansible_collections.dyn.managed_dns.plugins.modules import dyn_record_set_info as dyn_record_set_info_module
from ansible_collections.dyn.managed_dns.plugins.modules import dyn_record_sets as dyn_record_sets_module
from ansible_collections.dyn.managed_dns.plugins.modules import dyn_rest as dyn_rest_module
from ansible_collections.dyn.managed_dns.plugins.modules import dyn_session as dyn_session_module
from ansible_collections.dyn.managed_dns.plugins.modules import dyn_zone_changes as dyn_zone_changes_module
from ansible_collections.dyn.managed_dns.plugins.modules import dyn_zone_info as dyn_zone_info_module
from ansible_collections.dyn.managed_dns.tests.unit.plugins.module_utils.helpers import OPS, leaked, server_secrets

CREDENTIALS = {"customer": OPS[0], "username": OPS[1], "password": OPS[2]}
EXAMPLE = {**CREDENTIALS, "zone": "example.com"}
# The DNS modules the shared action runs (dyn_session's cases are in test_in_process.py).
ACTIONS = ("dyn_record_set", "dyn_record_set_info", "dyn_record_sets", "dyn_rest", "dyn_zone_changes", "dyn_zone_info")
MODULES = {
    "dyn_record_set": dyn_record_set_module, "dyn_record_set_info": dyn_record_set_info_module, "dyn_rest": dyn_rest_module,
    "dyn_record_sets": dyn_record_sets_module,
    "dyn_zone_changes": dyn_zone_changes_module, "dyn_zone_info": dyn_zone_info_module, "dyn_session": dyn_session_module,
}


class _Templar:
    def template(self, value: Any) -> Any:
        return sys.executable if value == "{{ ansible_playbook_python }}" else value


def _run_action(name: str, args: dict[str, Any], *, check_mode: bool = False, diff: bool = False) -> dict[str, Any]:
    task = MagicMock(
        args=dict(args), check_mode=check_mode, diff=diff, async_val=0, delegate_to=None, environment=None,
        resolved_action=f"dyn.managed_dns.{name}",
    )
    connection = MagicMock(transport="local", socket_path=None)
    play_context = MagicMock(become=False, no_log=True)
    action = shared_action.ActionModule(task, connection, play_context, loader=None, templar=_Templar(), shared_loader_obj=None)
    action._execute_module = MagicMock(side_effect=AssertionError("the module was run instead of its work"))
    return action.run(task_vars={"ansible_python_interpreter": "{{ ansible_playbook_python }}"})


def _run_module(name: str, args: dict[str, Any], capsys: pytest.CaptureFixture[str], *, check_mode: bool = False, diff: bool = False) -> dict[str, Any]:
    from ansible.module_utils.testing import patch_module_args

    capsys.readouterr()
    with patch_module_args({**args, "_ansible_no_log": True, "_ansible_check_mode": check_mode, "_ansible_diff": diff}), pytest.raises(SystemExit):
        MODULES[name].main()
    return json.loads(capsys.readouterr().out)


def _comparable(result: dict[str, Any]) -> str:
    # Two runs differ in their calls' timestamps and the API's job ids (which count on across resets).
    shown = {key: value for key, value in result.items() if key not in ("invocation", "warnings")}
    text = json.dumps(shown, sort_keys=True)
    text = re.sub(r'"timestamp": "[^"]*"', '"timestamp": "*"', text)
    return re.sub(r'"job_id": \d+', '"job_id": "*"', text)


# --- the cases' setups: each returns arguments to add to the case's own -------------------------


def _nothing(run: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    return {}


def _existing_set(run: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    """A published www A set (192.0.2.1, TTL 300)."""
    run("dyn_record_set", {**EXAMPLE, "prefix": "www", "type": "A", "ttl": 300, "value": ["192.0.2.1"]})
    return {}


def _token(run: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    return {"token": run("dyn_session", {**CREDENTIALS, "return_token": True})["token"]}


def _pending(run: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    """A token whose session has two changes pending to example.com."""
    token = _token(run)
    for prefix in ("one", "two"):
        args = {**token, "zone": "example.com", "prefix": prefix, "type": "A", "value": ["192.0.2.1"], "publish": False}
        assert run("dyn_record_set", args)["pending"] is True
    return token


RECORD = {**EXAMPLE, "prefix": "www", "type": "A", "value": ["192.0.2.9"]}
SET = {"prefix": "www", "type": "A", "value": ["192.0.2.9"]}
SETS = {**EXAMPLE, "record_sets": [SET, {"prefix": "@", "type": "MX", "value": ["10 mail.example.com"]}]}
FREEZE = {"method": "PUT", "path": "Zone/example.com/", "body": {"freeze": True}}
CHECK, DIFF = {"check_mode": True}, {"diff": True}
Case = tuple[str, Callable[..., dict[str, Any]], dict[str, Any], dict[str, bool], str]
# name: (module, setup, args, modes, outcome): outcome ("changed", "unchanged" or "failed") is what the
# module's run must come to, so that each case does test what its name says.
CASES: dict[str, Case] = {
    "record_set create, with history and diff": ("dyn_record_set", _nothing, {**RECORD, "history": True}, DIFF, "changed"),
    "record_set replace in check mode": ("dyn_record_set", _existing_set, RECORD, {**CHECK, **DIFF}, "changed"),
    "record_set unchanged": ("dyn_record_set", _existing_set, {**RECORD, "value": ["192.0.2.1"]}, {}, "unchanged"),
    "record_set delete": ("dyn_record_set", _existing_set, {**RECORD, "state": "absent", "value": None}, {}, "changed"),
    "record_set keep_and_fail": ("dyn_record_set", _existing_set, {**RECORD, "on_existing": "keep_and_fail"}, {}, "failed"),
    "record_set keep_and_warn": ("dyn_record_set", _existing_set, {**RECORD, "on_existing": "keep_and_warn"}, {}, "unchanged"),
    "record_set publish=false on a self-login task": ("dyn_record_set", _nothing, {**RECORD, "publish": False}, {}, "failed"),
    "record_set publish=false with a token": (
        "dyn_record_set", _token, {**RECORD, "publish": False, "customer": None, "password": None}, {}, "changed",
    ),
    "record_set bad value": ("dyn_record_set", _nothing, {**RECORD, "value": ["192.0.2.300"]}, {}, "failed"),
    "record_set missing zone": ("dyn_record_set", _nothing, {**RECORD, "zone": "exmaple.com"}, {}, "failed"),
    "record_set without value": ("dyn_record_set", _nothing, {**RECORD, "value": None}, {}, "failed"),
    "record_set value equal to the password": ("dyn_record_set", _nothing, {**RECORD, "type": "TXT", "value": [OPS[2]]}, DIFF, "changed"),
    "record_sets create, with history and diff": ("dyn_record_sets", _nothing, {**SETS, "history": True}, DIFF, "changed"),
    "record_sets unchanged": ("dyn_record_sets", _existing_set, {**SETS, "record_sets": [{**SET, "ttl": 300, "value": ["192.0.2.1"]}]}, {}, "unchanged"),
    "record_sets prune in check mode": ("dyn_record_sets", _existing_set, {**SETS, "record_sets": [], "prune": True}, {**CHECK, **DIFF}, "changed"),
    "record_sets entry without a name": ("dyn_record_sets", _nothing, {**SETS, "record_sets": [{"type": "A", "value": ["192.0.2.1"]}]}, {}, "failed"),
    "record_sets CNAME beside the A set": (
        "dyn_record_sets", _existing_set, {**SETS, "record_sets": [{**SET, "type": "CNAME", "value": ["web.example.net"]}]}, {}, "failed",
    ),
    "record_set_info one set": ("dyn_record_set_info", _existing_set, {**EXAMPLE, "prefix": "www", "type": "A"}, {}, "unchanged"),
    "record_set_info whole zone, with history": ("dyn_record_set_info", _existing_set, {**EXAMPLE, "history": True}, {}, "unchanged"),
    "record_set_info type without a name": ("dyn_record_set_info", _nothing, {**EXAMPLE, "type": "A"}, {}, "failed"),
    "zone_info list": ("dyn_zone_info", _nothing, CREDENTIALS, {}, "unchanged"),
    "zone_info one zone with pending changes": ("dyn_zone_info", _pending, {"zone": "example.com"}, {}, "unchanged"),
    "zone_info missing zone": ("dyn_zone_info", _nothing, {**CREDENTIALS, "zone": "exmaple.com"}, {}, "failed"),
    "zone_changes pending": ("dyn_zone_changes", _pending, {"zone": "example.com"}, {}, "unchanged"),
    "zone_changes published with notes": ("dyn_zone_changes", _pending, {"zone": "example.com", "state": "published", "notes": "R42"}, {}, "changed"),
    "zone_changes published in check mode": ("dyn_zone_changes", _pending, {"zone": "example.com", "state": "published"}, CHECK, "changed"),
    "zone_changes discarded on a self-login task": ("dyn_zone_changes", _nothing, {**EXAMPLE, "state": "discarded"}, {}, "failed"),
    "rest GET": ("dyn_rest", _nothing, {**CREDENTIALS, "path": "/REST/Zone/example.com/"}, {}, "unchanged"),
    "rest PUT": ("dyn_rest", _nothing, {**CREDENTIALS, **FREEZE}, {}, "changed"),
    "rest PUT in check mode": ("dyn_rest", _nothing, {**CREDENTIALS, **FREEZE}, CHECK, "changed"),
    "rest Session refused": ("dyn_rest", _token, {"method": "DELETE", "path": "Session/"}, {}, "failed"),
    "rest secret in the body refused": ("dyn_rest", _nothing, {**CREDENTIALS, "method": "PUT", "path": "Password/", "body": {"password": "x"}}, {}, "failed"),
}


def _outcome(result: dict[str, Any]) -> str:
    if result.get("failed"):
        return "failed"
    return "changed" if result["changed"] else "unchanged"


def _both(case: Case, emulator: Any, capsys: pytest.CaptureFixture[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The module's and the action's results of one case, each run from the same emulator state."""
    name, setup, args, modes, _outcome_wanted = case
    address = {"host": emulator.host, "port": emulator.port, "ssl": emulator.ssl}

    def run(module: str, module_args: dict[str, Any]) -> dict[str, Any]:
        return _run_module(module, {**address, **module_args}, capsys)

    def task_args() -> dict[str, Any]:
        emulator.reset()
        full = {**address, **args, **setup(run)}
        return {key: value for key, value in full.items() if value is not None}

    from_module = _run_module(name, task_args(), capsys, **modes)
    from_action = _run_action(name, task_args(), **modes)
    return from_module, from_action


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_action_returns_what_the_module_returns(case, emulator, capsys):
    from_module, from_action = _both(CASES[case], emulator, capsys)

    assert _outcome(from_module) == CASES[case][4], from_module
    assert _comparable(from_action) == _comparable(from_module)
    # In-process, the module's warnings go to the display instead of its result (see the warning test below).
    assert sorted(set(from_action) - {"warnings"}) == sorted(from_module)
    assert from_action.get("changed") == from_module.get("changed")
    assert from_action.get("invocation") == from_module.get("invocation")
    assert leaked(json.dumps(from_action), server_secrets(emulator)) == []


def test_each_dns_module_has_a_case():
    assert {case[0] for case in CASES.values()} == set(ACTIONS)


def test_the_action_changes_the_zone_as_the_module_does(emulator, capsys):
    from_module, from_action = _both(CASES["record_set create, with history and diff"], emulator, capsys)

    zone = emulator.zone("example.com")  # after the action's run
    assert (from_module["changed"], from_action["changed"]) == (True, True)
    assert (from_module["serial"], from_action["serial"], zone["serial"]) == (2, 2, 2)
    assert [record["rdata"] for record in zone["records"] if record["fqdn"] == "www.example.com"] == [{"address": "192.0.2.9"}]
    assert [call["method"] for call in from_action["history"]] == ["POST", "GET", "PUT", "PUT", "DELETE"]


def test_a_value_equal_to_a_no_log_option_is_masked_alike(emulator, capsys):
    # The TXT text is the password: both entry points mask it wherever the result repeats it.
    from_module, from_action = _both(CASES["record_set value equal to the password"], emulator, capsys)

    assert from_module["record_set"]["value"] == from_action["record_set"]["value"] == ["VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"]
    assert from_module["diff"]["after"] == from_action["diff"]["after"] == from_module["record_set"]
    if "invocation" in from_action:  # injected before ansible-core 2.21, then per INJECT_INVOCATION
        assert from_action["invocation"]["module_args"]["password"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    assert OPS[2] not in json.dumps(from_module) and OPS[2] not in json.dumps(from_action)


def test_a_warning_of_the_work_is_returned_by_the_action(emulator, capsys, monkeypatch):
    from ansible.module_utils.basic import AnsibleModule

    warned: list[str] = []
    monkeypatch.setattr(AnsibleModule, "warn", lambda self, warning, *args, **kwargs: warned.append(warning))

    from_module, from_action = _both(CASES["record_set keep_and_warn"], emulator, capsys)

    assert (from_module["changed"], from_action["changed"]) == (False, False)
    assert from_action["warnings"] == warned == [
        "The A record set www.example.com exists with other values (192.0.2.1, TTL 300); on_existing=keep_and_warn leaves it."
    ]
