# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: password_file
short_description: Read a DynECT account's password from the file the rotate_password role keeps
version_added: 0.1.0
author:
  - dyn.managed_dns contributors (!UNKNOWN)
description:
  - Returns the confirmed password (known to work) held by a password file that the action
    M(dyn.managed_dns.dyn_password_file) wrote, for example during a rotation by the role
    C(dyn.managed_dns.rotate_password); with O(field=pending), the new password not verified yet.
  - Meant for inventory, so that the account's password comes from the file once it was rotated, and
    from the original secret before; see the example.
  - The file is trusted only when it could have been written by that action. The lookup fails when the
    file's directory is C(/), is not owned by the user running Ansible or is writable by
    group or others, when a directory above it is writable by others without the sticky bit, or when
    the file is a symbolic link, is not a regular file, has more than one hard link, is owned by
    someone else or is readable or writable by group or others.
  - A file written by an earlier version of the role (one password, optionally vault-encrypted) holds
    a pending password and no confirmed one. It carries no account label, so it is refused when
    O(account) is given.
  - No error message ever holds a password.
options:
  _terms:
    description:
      - Absolute paths of password files, one password is returned for each; C(~) is expanded.
      - A relative path is refused, with a message showing the absolute path it would mean (relative
        to the playbook's directory, wherever the inventory is), because a file that is looked for in
        the wrong place rightly does not exist and would silently give O(default). In inventory, start
        the path with C({{ inventory_dir }}); unlike P(ansible.builtin.file#lookup), no C(files/)
        folder is searched.
    type: list
    elements: path
    required: true
  field:
    description:
      - V(confirmed) returns the password known to work.
      - V(pending) returns the new password of a rotation that is not verified yet; the lookup fails
        when nothing is pending.
    type: str
    choices: [confirmed, pending]
    default: confirmed
  default:
    description:
      - Returned when the file (or its directory) does not exist or, with O(field=confirmed), holds no
        confirmed password
        (a file of an earlier version of the role).
      - Without it, those cases are errors.
    type: raw
  vault_password_file:
    description:
      - A file holding the Ansible Vault password the password file is encrypted with (trailing
        whitespace ignored; vault password client scripts are not supported).
      - With it, a file that is not vault-encrypted is refused, whatever O(allow_plaintext) says.
      - Without it (or with V("")), the play's own vault passwords (C(--vault-password-file),
        C(--ask-vault-pass), C(--vault-id)) decrypt the file.
      - Of type C(str), not C(path), so that an empty value stays empty rather than naming the
        current directory; C(~) is expanded.
    type: str
    default: ""
  allow_plaintext:
    description:
      - Allow a password file that is not encrypted with Ansible Vault, when O(vault_password_file) is
        not set.
    type: bool
    default: false
  account:
    description:
      - When given, as V(customer/user), a file written for another account is refused.
    type: str
notes:
  - The role C(dyn.managed_dns.rotate_password) requires an absolute path for its file; give the lookup
    the same absolute path.
seealso:
  - module: dyn.managed_dns.dyn_password_file
"""

EXAMPLES = r"""
# In inventory (host_vars/acme-ops.yml): the rotated password once there is one, the vaulted
# original before; run the playbook with the vault password that encrypts both. The file is in
# secrets/ beside the inventory: a relative path would be refused.
dyn_password: "{{ lookup('dyn.managed_dns.password_file', inventory_dir ~ '/secrets/' ~ inventory_hostname ~ '.vault', default=vault_acme_ops) }}"

# The password of a rotation that was interrupted after the new password was stored.
new_password: >-
  {{ lookup('dyn.managed_dns.password_file', '/home/ops/secrets/acme-ops.vault',
            field='pending', vault_password_file='/home/ops/.vault_pass') }}
"""

RETURN = r"""
_raw:
  description:
    - One password (or O(default)) for each path.
  type: list
  elements: str
"""

import os
from typing import Any

from ansible.errors import AnsibleLookupError
from ansible.parsing.vault import VaultLib, VaultSecret
from ansible.plugins.lookup import LookupBase

from ansible_collections.dyn.managed_dns.plugins.module_utils._password_file import (
    PasswordFileError,
    PasswordRecord,
    load,
    read_vault_password_file,
)

_PLAINTEXT_FIX = "give vault_password_file or run the play with the vault password the file was written with, or set allow_plaintext=true"


class LookupModule(LookupBase):
    """Read one password from each password file, trusting only files we could have written."""

    def run(self, terms: list[Any], variables: dict[str, Any] | None = None, **kwargs: Any) -> list[Any]:
        self.set_options(var_options=variables, direct=kwargs)
        has_default = "default" in kwargs
        try:
            vault, vault_required = self._vault()
            return [self._read_one(self._absolute(str(term), variables or {}), vault, vault_required, has_default) for term in terms]
        except PasswordFileError as error:
            raise AnsibleLookupError(str(error)) from None

    def _vault(self) -> tuple[VaultLib | None, bool]:
        """The vault to decrypt with, and whether it makes an encrypted file compulsory."""
        vault_password_file = self.get_option("vault_password_file")
        if vault_password_file:
            password = read_vault_password_file(os.path.expanduser(vault_password_file))
            return VaultLib([("default", VaultSecret(password))]), True
        # The play's own vault secrets, as --vault-password-file, --ask-vault-pass or --vault-id gave them.
        # DataLoader keeps them in a private attribute and offers no public way to read them.
        play_vault = getattr(self._loader, "_vault", None)
        return (play_vault if getattr(play_vault, "secrets", None) else None), False

    def _absolute(self, path: str, variables: dict[str, Any]) -> str:
        """``path`` with ``~`` expanded; a relative path is refused, naming the absolute path it would mean.

        Relative to the playbook's directory it rightly does not exist when the inventory meant its own
        directory, and the lookup would silently give ``default`` (the old password): refused instead.
        """
        expanded = os.path.expanduser(path)
        if os.path.isabs(expanded):
            return expanded
        base = variables.get("playbook_dir") or self._loader_basedir()
        meant = os.path.normpath(os.path.join(str(base), expanded))
        raise AnsibleLookupError(
            f"{path} is a relative path, which would mean {meant} (relative to the playbook's directory, wherever the inventory is); "
            f"give an absolute path, for example '{{{{ inventory_dir }}}}/{path}' in inventory."
        )

    def _loader_basedir(self) -> str:
        """The directory core resolves relative paths against: the loader's, else (as a new loader's) the current one."""
        return os.getcwd() if self._loader is None else self._loader.get_basedir()

    def _read_one(self, path: str, vault: VaultLib | None, vault_required: bool, has_default: bool) -> Any:
        record = None
        # No directory yet, so no file: inventory must work before the first rotation created either.
        if os.path.lexists(os.path.dirname(path)):
            record = load(
                path,
                vault=vault,
                vault_required=vault_required,
                allow_plaintext=self.get_option("allow_plaintext"),
                account=self.get_option("account") or None,
                plaintext_fix=_PLAINTEXT_FIX,
            )
        field = self.get_option("field")
        password = _field(record, field)
        if password:
            return password
        if has_default and (record is None or field == "confirmed"):
            return self.get_option("default")
        raise AnsibleLookupError(_missing(path, record, field))


def _field(record: PasswordRecord | None, field: str) -> str | None:
    if record is None:
        return None
    return record.pending if field == "pending" else record.confirmed


def _missing(path: str, record: PasswordRecord | None, field: str) -> str:
    """Why no password can be returned, in one sentence with the fix."""
    if record is None:
        return f"{path} does not exist; write it with dyn.managed_dns.dyn_password_file first, or give default= for this case."
    if field == "pending":
        return f"{path} holds no pending password; there is no rotation to resume."
    return f"{path} holds no confirmed password yet; finish the rotation that left a pending one, or give default= for this case."
