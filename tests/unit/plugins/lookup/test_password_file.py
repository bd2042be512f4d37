# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The password_file lookup, loaded through ansible-core's plugin loader as a play loads it."""

from __future__ import annotations

import os
import pathlib
from typing import Any

import pytest

from ansible_collections.dyn.managed_dns.plugins.module_utils import _password_file as pf
from ansible_collections.dyn.managed_dns.tests.unit.plugins.action.helpers import (
    ACCOUNT,
    CURRENT,
    NEW,
    STRANGER_UID,
    VAULT_PASSWORD,
    below_open_directory,
    make_vault,
    plant,
    secret_dir,
    vault_encrypt,
    vault_password_file,
    vault_secrets,
)


@pytest.fixture
def target(tmp_path: pathlib.Path) -> pathlib.Path:
    return secret_dir(tmp_path) / "acme-ops.vault"


@pytest.fixture
def lookup(tmp_path: pathlib.Path) -> Any:
    """``lookup(*paths, play_vault=None, variables=None, **options)`` -> the lookup's list of values."""
    from ansible.parsing.dataloader import DataLoader
    from ansible.plugins.loader import lookup_loader

    def lookup(*paths: str, play_vault: str | None = None, variables: dict[str, Any] | None = None, **options: Any) -> list[Any]:
        loader = DataLoader()
        if play_vault:
            loader.set_vault_secrets(vault_secrets(play_vault))
        plugin = lookup_loader.get("dyn.managed_dns.password_file", loader=loader, templar=None)
        return plugin.run(list(paths), variables if variables is not None else {"playbook_dir": str(tmp_path)}, **options)

    return lookup


def _write(target: pathlib.Path, confirmed: str | None = CURRENT, pending: str | None = None) -> None:
    record = pf.PasswordRecord(account=ACCOUNT, confirmed=confirmed, pending=pending)
    pf.save(str(target), record, vault=make_vault(), allow_plaintext=False)


def _error(lookup: Any, *args: Any, **options: Any) -> str:
    from ansible.errors import AnsibleLookupError

    with pytest.raises(AnsibleLookupError) as raised:
        lookup(*args, **options)
    message = str(raised.value)
    for secret in (CURRENT, NEW, VAULT_PASSWORD, "OldPassw0rd"):
        assert secret not in message
    return message


def test_confirmed_and_pending_with_a_vault_password_file(lookup: Any, target: pathlib.Path, tmp_path: pathlib.Path) -> None:
    _write(target, pending=NEW)
    vault_file = str(vault_password_file(tmp_path))
    assert lookup(str(target), vault_password_file=vault_file) == [CURRENT]
    assert lookup(str(target), vault_password_file=vault_file, field="pending", account=ACCOUNT) == [NEW]


def test_the_plays_vault_secrets_decrypt(lookup: Any, target: pathlib.Path) -> None:
    _write(target)
    assert lookup(str(target), play_vault=VAULT_PASSWORD) == [CURRENT]
    assert lookup(str(target), play_vault=VAULT_PASSWORD, vault_password_file="", allow_plaintext=False) == [CURRENT]
    assert "cannot be decrypted with the vault password given" in _error(lookup, str(target), play_vault="another")
    assert "no vault password is given" in _error(lookup, str(target))


def test_relative_paths_are_refused_naming_the_absolute_path(
    lookup: Any, target: pathlib.Path, tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Taken relative to the playbook's directory, an inventory's relative path finds nothing and would give default (the old password)."""
    _write(target)
    elsewhere = {"playbook_dir": str(tmp_path / "playbooks")}
    message = _error(lookup, "secrets/acme-ops.vault", play_vault=VAULT_PASSWORD, variables=elsewhere, default="the old password")
    assert message == (
        f"secrets/acme-ops.vault is a relative path, which would mean {tmp_path}/playbooks/secrets/acme-ops.vault (relative to the "
        "playbook's directory, wherever the inventory is); give an absolute path, for example "
        "'{{ inventory_dir }}/secrets/acme-ops.vault' in inventory."
    )
    # Refused even where it would find the file: the same inventory must not work from one playbook only.
    assert f"which would mean {target}" in _error(lookup, "secrets/acme-ops.vault", play_vault=VAULT_PASSWORD)
    assert f"which would mean {target}" in _error(lookup, "./secrets/../secrets/acme-ops.vault", play_vault=VAULT_PASSWORD)
    monkeypatch.setenv("HOME", str(tmp_path))  # a path from home is absolute
    assert lookup("~/secrets/acme-ops.vault", play_vault=VAULT_PASSWORD, variables={}) == [CURRENT]


def test_missing_file_gives_the_default_or_an_error(lookup: Any, target: pathlib.Path) -> None:
    assert lookup(str(target), default="from-inventory") == ["from-inventory"]
    assert lookup(str(target), default="from-inventory", field="pending") == ["from-inventory"]
    assert "does not exist; write it with dyn.managed_dns.dyn_password_file first, or give default=" in _error(lookup, str(target))


def test_legacy_file_has_no_confirmed_password(lookup: Any, target: pathlib.Path) -> None:
    target.write_bytes(vault_encrypt("OldPassw0rd\n"))
    target.chmod(0o600)
    assert lookup(str(target), play_vault=VAULT_PASSWORD, default="from-inventory") == ["from-inventory"]
    assert lookup(str(target), play_vault=VAULT_PASSWORD, field="pending") == ["OldPassw0rd"]
    assert "holds no confirmed password yet" in _error(lookup, str(target), play_vault=VAULT_PASSWORD)
    message = _error(lookup, str(target), play_vault=VAULT_PASSWORD, field="pending", account=ACCOUNT, default="from-inventory")
    assert f"{target} has no account label" in message


def test_hard_linked_file_refused(lookup: Any, target: pathlib.Path, tmp_path: pathlib.Path) -> None:
    _write(target)
    os.link(target, tmp_path / "other-name")
    assert f"{target} has 2 hard links" in _error(lookup, str(target), play_vault=VAULT_PASSWORD, default="x")


def test_directory_above_writable_by_others_refused(lookup: Any, tmp_path: pathlib.Path) -> None:
    target = below_open_directory(tmp_path, sticky=True)
    _write(target)
    target.parent.parent.chmod(0o777)  # the sticky bit gone: others may now rename secrets/ away
    message = _error(lookup, str(target), play_vault=VAULT_PASSWORD, default="x")
    assert f"{target.parent.parent} is writable by others without the sticky bit" in message
    target.parent.parent.chmod(0o1777)
    assert lookup(str(target), play_vault=VAULT_PASSWORD) == [CURRENT]


def test_nothing_pending_is_an_error_even_with_a_default(lookup: Any, target: pathlib.Path) -> None:
    _write(target)
    assert "holds no pending password" in _error(lookup, str(target), play_vault=VAULT_PASSWORD, field="pending", default="x")


def test_plaintext_only_when_allowed(lookup: Any, target: pathlib.Path, tmp_path: pathlib.Path) -> None:
    pf.save(str(target), pf.PasswordRecord(account=ACCOUNT, confirmed=CURRENT), vault=None, allow_plaintext=True)
    message = _error(lookup, str(target), play_vault=VAULT_PASSWORD)
    assert "is not encrypted with Ansible Vault and plaintext is not allowed; give vault_password_file" in message
    assert lookup(str(target), allow_plaintext=True) == [CURRENT]
    vault_file = str(vault_password_file(tmp_path))
    assert "although a vault password is in force" in _error(lookup, str(target), vault_password_file=vault_file, allow_plaintext=True)


def test_untrusted_files_refused(lookup: Any, target: pathlib.Path, tmp_path: pathlib.Path) -> None:
    plant(target, "OldPassw0rd\n", 0o640)
    assert "readable or writable by group or others" in _error(lookup, str(target), allow_plaintext=True, default="x")
    target.chmod(0o600)
    os.chown(target, STRANGER_UID, -1)
    assert f"is owned by uid {STRANGER_UID}" in _error(lookup, str(target), allow_plaintext=True)
    target.unlink()
    target.symlink_to(plant(tmp_path / "elsewhere", "OldPassw0rd\n"))
    assert "is a symbolic link" in _error(lookup, str(target), allow_plaintext=True, default="x")
    target.unlink()
    target.parent.chmod(0o775)
    assert "writable by group or others" in _error(lookup, str(target), default="x")


def test_other_accounts_file_refused(lookup: Any, target: pathlib.Path) -> None:
    _write(target)
    assert "belongs to account acme/ops, not acme/other" in _error(lookup, str(target), play_vault=VAULT_PASSWORD, account="acme/other")


def test_unusable_vault_password_file_is_an_error(lookup: Any, target: pathlib.Path, tmp_path: pathlib.Path) -> None:
    assert "holds no vault password" in _error(lookup, str(target), vault_password_file=str(vault_password_file(tmp_path, "\n")), default="x")
