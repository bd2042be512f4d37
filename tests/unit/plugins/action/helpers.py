# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Password-file test helpers shared by the tests of _password_file, the action and the lookup."""

from __future__ import annotations

import os
import pathlib
from typing import Any

ACCOUNT = "acme/ops"
VAULT_PASSWORD = "correct horse battery staple"
CURRENT = "Current-Passw0rd"
NEW = "Brand-New-Passw0rd"
# Not the invoking user: the tests run as root, so chown to this uid makes a file "someone else's".
STRANGER_UID = 65534


def secret_dir(tmp_path: pathlib.Path) -> pathlib.Path:
    """A directory as the documentation asks for: the user's own, mode 0700."""
    directory = tmp_path / "secrets"
    directory.mkdir(mode=0o700)
    directory.chmod(0o700)
    return directory


def below_open_directory(tmp_path: pathlib.Path, sticky: bool = False) -> pathlib.Path:
    """A password file's path in a directory of one's own (0700), itself in a directory anyone may write to."""
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777 if sticky else 0o777)
    return secret_dir(shared) / "acme-ops.vault"


def leftover_temporary(target: pathlib.Path, name: str | None = None) -> pathlib.Path:
    """What a run killed between writing its temporary file and renaming it leaves beside ``target``."""
    from ansible_collections.dyn.managed_dns.plugins.module_utils import _password_file as pf

    temporary = target.parent / name if name else pathlib.Path(pf._temporary_name(str(target)))  # the writer's own naming
    return plant(temporary, '{"pending": "a password nobody needs"}\n')


def vault_password_file(tmp_path: pathlib.Path, text: str = VAULT_PASSWORD + "\n") -> pathlib.Path:
    path = tmp_path / "vault_pass"
    path.write_text(text)
    path.chmod(0o600)
    return path


def plant(path: pathlib.Path, text: str, mode: int = 0o600) -> pathlib.Path:
    """A file written by hand (as a user or an attacker would)."""
    path.write_text(text)
    path.chmod(mode)
    return path


def vault_secrets(password: str = VAULT_PASSWORD) -> list[tuple[str, Any]]:
    """Vault secrets as the play's loader holds them."""
    from ansible.parsing.vault import VaultSecret

    return [("default", VaultSecret(password.encode()))]


def make_vault(password: str = VAULT_PASSWORD) -> Any:
    """ansible-core's own vault, as the plugins hand it to _password_file."""
    from ansible.parsing.vault import VaultLib

    return VaultLib(vault_secrets(password))


def vault_encrypt(text: str, password: str = VAULT_PASSWORD) -> bytes:
    return make_vault(password).encrypt(text.encode())


def read_record(path: pathlib.Path, password: str = VAULT_PASSWORD) -> dict[str, Any]:
    """The JSON record of a file, decrypted by ansible-core's own vault code."""
    import json

    data = path.read_bytes()
    if data.startswith(b"$ANSIBLE_VAULT"):
        data = make_vault(password).decrypt(data)
    return json.loads(data)


def mode(path: pathlib.Path | str) -> int:
    return os.lstat(path).st_mode & 0o777
