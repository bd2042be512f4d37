# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The dyn_password_file action, run in-process as the task executor runs it, and its documentation stub."""

from __future__ import annotations

import json
import os
import pathlib
from typing import Any
from unittest.mock import MagicMock

import pytest

from ansible_collections.dyn.managed_dns.plugins.action.dyn_password_file import ActionModule
from ansible_collections.dyn.managed_dns.plugins.module_utils._password_file import ARGUMENT_SPEC, FORMAT
from ansible_collections.dyn.managed_dns.tests.unit.plugins.action.helpers import (
    ACCOUNT,
    CURRENT,
    NEW,
    STRANGER_UID,
    VAULT_PASSWORD,
    below_open_directory,
    leftover_temporary,
    mode,
    plant,
    read_record,
    secret_dir,
    vault_encrypt,
    vault_password_file,
)

_SECRETS = (CURRENT, NEW, VAULT_PASSWORD)


@pytest.fixture
def target(tmp_path: pathlib.Path) -> pathlib.Path:
    return secret_dir(tmp_path) / "acme-ops.vault"


@pytest.fixture
def run(tmp_path: pathlib.Path, target: pathlib.Path) -> Any:
    """``run(check_mode=False, **args)``: the action's result; path, account and vault password file filled in."""
    vault_file = str(vault_password_file(tmp_path))

    def run(*, check_mode: bool = False, **args: Any) -> dict[str, Any]:
        args = {"path": str(target), "account": ACCOUNT, "vault_password_file": vault_file, **args}
        args["path"] = str(args["path"])
        task = MagicMock(args=args, check_mode=check_mode, async_val=0, action="dyn.managed_dns.dyn_password_file")
        connection = MagicMock()
        connection._shell.tmpdir = None
        action = ActionModule(task, connection, MagicMock(), loader=None, templar=None, shared_loader_obj=None)
        result = action.run(task_vars={})
        shown = repr(result) + json.dumps(result)
        for secret in _SECRETS + tuple(str(args.get(key)) for key in ("current_password", "new_password") if args.get(key)):
            assert secret not in shown, "a password in the result"
        connection.exec_command.assert_not_called()
        connection.put_file.assert_not_called()
        return result

    return run


def _keys(result: dict[str, Any], *keys: str) -> tuple[Any, ...]:
    return tuple(result.get(key) for key in keys)


def test_inspected_without_a_file(run: Any) -> None:
    result = run(current_password=CURRENT)
    assert not result.get("failed"), result
    assert _keys(result, "changed", "exists", "encrypted", "has_confirmed", "has_pending") == (False, False, False, False, False)
    assert _keys(result, "current_is_confirmed", "current_is_pending") == (False, False)


def test_rotation_through_every_state(run: Any, target: pathlib.Path) -> None:
    result = run(state="pending", current_password=CURRENT, new_password=NEW)
    assert _keys(result, "changed", "resumed", "exists", "encrypted", "has_confirmed", "has_pending") == (True, False, True, True, True, True)
    assert mode(target) == 0o600
    assert read_record(target) == {"format": FORMAT, "account": ACCOUNT, "confirmed": CURRENT, "pending": NEW}
    result = run(state="pending", current_password=CURRENT, new_password="Other-Passw0rd")
    assert _keys(result, "changed", "resumed") == (False, True)
    assert read_record(target)["pending"] == NEW
    result = run(current_password=NEW)
    assert _keys(result, "has_confirmed", "has_pending", "current_is_confirmed", "current_is_pending") == (True, True, False, True)
    result = run(state="confirmed")
    assert _keys(result, "changed", "has_confirmed", "has_pending") == (True, True, False)
    assert read_record(target) == {"format": FORMAT, "account": ACCOUNT, "confirmed": NEW, "pending": None}
    assert _keys(run(state="confirmed"), "changed") == (False,)
    assert _keys(run(current_password=NEW), "current_is_confirmed", "current_is_pending") == (True, False)


def test_generated_pending_password_keeps_the_files_confirmed_one(run: Any, target: pathlib.Path) -> None:
    run(state="pending", current_password=CURRENT, new_password=NEW)
    run(state="confirmed")
    result = run(state="pending", current_password="not-what-the-file-says", length=12)
    assert _keys(result, "changed", "resumed") == (True, False)
    record = read_record(target)
    assert record["confirmed"] == NEW and len(record["pending"]) == 12 and record["pending"] != NEW


def test_empty_current_password_is_no_password(run: Any, target: pathlib.Path) -> None:
    """What the role passes when the account's password variable is unset."""
    assert _keys(run(current_password=""), "current_is_confirmed", "current_is_pending") == (False, False)
    result = run(state="pending", current_password="", new_password=NEW)
    assert _keys(result, "changed", "has_confirmed", "has_pending") == (True, False, True)
    assert read_record(target)["confirmed"] is None


def test_check_mode_writes_nothing(run: Any, target: pathlib.Path) -> None:
    result = run(state="pending", current_password=CURRENT, check_mode=True)
    assert _keys(result, "changed", "resumed", "has_pending") == (True, False, True)
    assert not target.exists()
    run(state="pending", current_password=CURRENT, new_password=NEW)
    before = target.read_bytes()
    assert _keys(run(state="confirmed", check_mode=True), "changed", "has_pending") == (True, False)
    assert target.read_bytes() == before


@pytest.mark.parametrize("state", ["inspected", "pending", "confirmed"])
def test_file_without_account_label_refused(run: Any, target: pathlib.Path, state: str) -> None:
    """A file written by hand does not say whose it is: the action, which always names an account, never trusts it."""
    target.write_bytes(vault_encrypt("OldPassw0rd\n"))
    target.chmod(0o600)
    before = target.read_bytes()
    result = run(state=state, current_password=CURRENT)
    assert result["failed"] and f"{target} has no account label" in result["msg"] and "OldPassw0rd" not in result["msg"]
    assert target.read_bytes() == before


def test_hard_linked_file_refused(run: Any, target: pathlib.Path, tmp_path: pathlib.Path) -> None:
    run(state="pending", current_password=CURRENT, new_password=NEW)
    os.link(target, tmp_path / "other-name")
    before = target.read_bytes()
    result = run(state="confirmed")
    assert result["failed"] and f"{target} has 2 hard links" in result["msg"]
    assert target.read_bytes() == before


def test_directory_above_writable_by_others_refused(run: Any, tmp_path: pathlib.Path) -> None:
    target = below_open_directory(tmp_path)
    result = run(path=target, state="pending", current_password=CURRENT, new_password=NEW)
    assert result["failed"] and f"{target.parent.parent} is writable by others without the sticky bit" in result["msg"]
    assert not target.exists()
    target.parent.parent.chmod(0o1777)
    assert not run(path=target, state="pending", current_password=CURRENT, new_password=NEW).get("failed")


@pytest.mark.parametrize("state", ["inspected", "pending", "confirmed"])
def test_the_next_run_removes_a_killed_runs_temporary(run: Any, target: pathlib.Path, state: str) -> None:
    run(state="pending", current_password=CURRENT, new_password=NEW)
    leftover = leftover_temporary(target)
    assert not run(state=state, check_mode=True).get("failed")
    assert leftover.exists(), "check mode removes nothing"
    assert not run(state=state).get("failed")
    assert os.listdir(target.parent) == [target.name]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ({"state": "pending", "new_password": "Sh0rt"}, "new_password has fewer than 8 characters"),
        ({"state": "pending", "new_password": CURRENT, "current_password": CURRENT}, "new_password is the current password"),
        ({"state": "pending", "length": 7}, "at least 8 characters, not 7"),
        ({"account": "acme"}, "is not of the form customer/user"),
        ({"path": "secrets/acme-ops.vault"}, "is not an absolute path"),
        ({"state": "renamed"}, "value of state must be one of"),
        ({"length": "many", "current_password": CURRENT}, "length"),
        ({"unknown": 1}, "Unsupported parameters"),
        ({"vault_password_file": ""}, "would hold a password in plaintext; set vault_password_file, or allow_plaintext=true"),
        ({"vault_password_file": "/nonexistent/vault_pass"}, "cannot be used as vault password file"),
    ],
)
def test_failures_are_one_clear_sentence(run: Any, target: pathlib.Path, args: dict[str, Any], expected: str) -> None:
    result = run(**args)
    assert result["failed"] is True and result["changed"] is False
    assert expected in result["msg"] and result["msg"].endswith(".")
    assert not target.exists()


def test_refuses_files_it_did_not_write(run: Any, target: pathlib.Path) -> None:
    plant(target, "OldPassw0rd\n")
    assert "not encrypted with Ansible Vault although a vault password is in force" in run(state="pending")["msg"]
    assert "is not encrypted with Ansible Vault and plaintext is not allowed" not in run(state="pending")["msg"]
    target.chmod(0o644)
    assert "readable or writable by group or others" in run()["msg"]
    target.chmod(0o600)
    target.parent.chmod(0o777)
    assert "writable by group or others" in run()["msg"]
    target.parent.chmod(0o700)
    os.chown(target, STRANGER_UID, -1)
    assert f"is owned by uid {STRANGER_UID}" in run(state="pending")["msg"]
    assert target.read_text() == "OldPassw0rd\n"


def test_other_accounts_file_refused(run: Any, target: pathlib.Path) -> None:
    run(state="pending", current_password=CURRENT, new_password=NEW, account="acme/other")
    result = run(state="confirmed")
    assert result["failed"] and "belongs to account acme/other, not acme/ops" in result["msg"]


def test_plaintext_only_when_allowed(run: Any, target: pathlib.Path) -> None:
    result = run(state="pending", current_password=CURRENT, new_password=NEW, vault_password_file="", allow_plaintext=True)
    assert _keys(result, "changed", "encrypted") == (True, False)
    assert read_record(target)["pending"] == NEW and mode(target) == 0o600
    assert "would hold a password in plaintext" in run(vault_password_file="")["msg"]


def test_stub_module_refuses_to_run(capsys: pytest.CaptureFixture[str]) -> None:
    from ansible.module_utils.testing import patch_module_args

    from ansible_collections.dyn.managed_dns.plugins.modules import dyn_password_file

    with patch_module_args({"path": "/x/y", "account": ACCOUNT, "current_password": CURRENT}), pytest.raises(SystemExit):
        dyn_password_file.main()
    result = json.loads(capsys.readouterr().out)
    assert result["failed"] and "runs only as an action on the Ansible controller" in result["msg"]
    assert CURRENT not in json.dumps(result)


def test_stub_documents_exactly_the_spec() -> None:
    import yaml

    from ansible_collections.dyn.managed_dns.plugins.modules import dyn_password_file

    options = yaml.safe_load(dyn_password_file.DOCUMENTATION)["options"]
    assert sorted(options) == sorted(ARGUMENT_SPEC)
    for name, spec in ARGUMENT_SPEC.items():
        assert options[name]["type"] == spec["type"], name
        assert options[name].get("default") == spec.get("default"), name
    assert {name for name, spec in ARGUMENT_SPEC.items() if spec.get("no_log")} == {"current_password", "new_password"}
