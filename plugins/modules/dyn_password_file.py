#!/usr/bin/python
# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: dyn_password_file
short_description: Keep a DynECT account's password file on the controller, safely
version_added: 0.1.0
author:
  - dyn.managed_dns contributors (!UNKNOWN)
description:
  - Maintains the password file of one DynECT account on the Ansible controller, as the role
    C(dyn.managed_dns.rotate_password) does
    during a password rotation; the lookup P(dyn.managed_dns.password_file#lookup) reads it.
  - The file holds the confirmed password (known to work) and a pending one (sent, or about to be
    sent, and not verified yet), Ansible-Vault encrypted with O(vault_password_file). Its format is an
    internal detail of this collection.
  - The file is written to a new temporary file beside it, created with mode C(0600) (it is never
    readable by anyone else, whatever the umask), synced, and renamed over the old one. A temporary file
    that a killed run left beside it (C(.<name>.<16 hex digits>.tmp)) is removed by the next task on
    the file, whatever its O(state), except in check mode.
  - The file is trusted only when it could have been written by this action. Before anything is read
    or written, the task fails when O(path) is not absolute, its directory is missing, is C(/), is not
    owned by the user running Ansible or is writable by group or others, when a directory above it is
    writable by others without the sticky bit, or when an existing file is a symbolic link, is not a
    regular file, has more than one hard link, is owned by someone else or is readable or writable by
    group or others. With O(vault_password_file), a file that is not vault-encrypted is refused too.
  - A file written for another O(account) is refused, and so is a file without an account label, such
    as one written by an earlier version of the role (one password, optionally vault-encrypted).
  - This is an action that runs only on the controller, in Ansible's own process; no module is
    transferred to or run on any host. The result never holds a password.
options:
  path:
    description:
      - Absolute path of the password file on the controller.
    type: path
    required: true
  account:
    description:
      - The account the file belongs to, as V(customer/user).
      - Stored in the file; a file written for another account, or without an account, is refused.
    type: str
    required: true
  state:
    description:
      - V(inspected) checks the directory, the file and the vault settings, and reads the file when it
        exists. Nothing is written (a temporary file a killed run left is removed, see above).
      - V(pending) makes sure the file holds a pending password. When it already holds one (a rotation
        that was interrupted), nothing is written and RV(resumed) is V(true); O(new_password) is then
        ignored. Otherwise the pending password is O(new_password), or a generated one of O(length)
        characters; the confirmed password stays the file's, or becomes O(current_password) when the
        file has none.
      - V(confirmed) records that the pending password works, so it becomes the confirmed one and nothing
        is pending any more. Without a pending password nothing is written.
    type: str
    choices: [inspected, pending, confirmed]
    default: inspected
  vault_password_file:
    description:
      - A file holding the Ansible Vault password that encrypts the password file, as given to
        C(ansible-vault --vault-password-file). It must be a readable regular file holding a non-empty
        password; trailing whitespace is ignored. Executable vault password client scripts are not
        supported.
      - It is read before anything else happens, so a wrong setting stops the task early.
      - Without it, the file is written and read in plaintext, which is refused unless O(allow_plaintext=true).
    type: path
    default: ""
  allow_plaintext:
    description:
      - Allow a password file that is not encrypted, when O(vault_password_file) is not set.
      - Has no effect with O(vault_password_file), where a plaintext file is always refused.
    type: bool
    default: false
  current_password:
    description:
      - The account's password before the rotation.
      - With O(state=pending), it becomes the confirmed password when the file holds none.
      - When given, RV(current_is_confirmed) and RV(current_is_pending) tell whether the file holds it.
    type: str
  new_password:
    description:
      - The new password to store as pending with O(state=pending); at least 8 characters and different
        from the current password.
      - Without it, a password is generated.
    type: str
  length:
    description:
      - The length of a generated password, at least 8. Generated passwords use letters, digits and
        C(-_.:+=!@^*~), with at least one letter and one digit.
    type: int
    default: 24
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
attributes:
  action:
    support: full
  async:
    support: none
  bypass_host_loop:
    support: none
  check_mode:
    support: full
    details:
      - All checks run and the vault password file is read; nothing is written.
  diff_mode:
    support: none
  platform:
    platforms: posix
notes:
  - The task runs on the controller whatever the host; use C(run_once) when one account is maintained
    for several hosts.
  - The module never sets C(ansible_facts). Register its result, and use the lookup
    P(dyn.managed_dns.password_file#lookup) where a password is needed, so that no password is ever
    stored in a registered variable or a fact.
seealso:
  - plugin: dyn.managed_dns.password_file
    plugin_type: lookup
  - module: dyn.managed_dns.dyn_password
"""

EXAMPLES = r"""
- name: Check the password file before changing anything
  dyn.managed_dns.dyn_password_file:
    path: /home/ops/secrets/acme-ops.vault
    account: acme/ops
    vault_password_file: /home/ops/.vault_pass
    current_password: "{{ dyn_password }}"
  register: password_file

- name: Store a new pending password, or keep the one an interrupted rotation left
  dyn.managed_dns.dyn_password_file:
    path: /home/ops/secrets/acme-ops.vault
    account: acme/ops
    vault_password_file: /home/ops/.vault_pass
    current_password: "{{ dyn_password }}"
    state: pending
    length: 32

- name: Send the pending password to DynECT
  dyn.managed_dns.dyn_password:
    new_password: >-
      {{ lookup('dyn.managed_dns.password_file', '/home/ops/secrets/acme-ops.vault',
                field='pending', vault_password_file='/home/ops/.vault_pass') }}
  no_log: true

- name: The new password works; record it as confirmed
  dyn.managed_dns.dyn_password_file:
    path: /home/ops/secrets/acme-ops.vault
    account: acme/ops
    vault_password_file: /home/ops/.vault_pass
    state: confirmed
"""

RETURN = r"""
exists:
  description: Whether the file exists (after the task; in check mode, as it would).
  returned: success
  type: bool
  sample: true
encrypted:
  description: Whether the file is encrypted with Ansible Vault.
  returned: success
  type: bool
  sample: true
has_confirmed:
  description: Whether the file holds a confirmed password.
  returned: success
  type: bool
  sample: true
has_pending:
  description: Whether the file holds a pending password, not verified yet.
  returned: success
  type: bool
  sample: false
current_is_confirmed:
  description: Whether O(current_password) is the file's confirmed password.
  returned: success, when O(current_password) is given
  type: bool
  sample: true
current_is_pending:
  description: Whether O(current_password) is the file's pending password (the new password was set on the account, but not confirmed in the file).
  returned: success, when O(current_password) is given
  type: bool
  sample: false
resumed:
  description:
    - With O(state=pending), V(true) when the file already held a pending password, which was kept;
      V(false) when a new pending password was stored.
  returned: success, with O(state=pending)
  type: bool
  sample: false
"""

from copy import deepcopy

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.dyn.managed_dns.plugins.module_utils._password_file import ARGUMENT_SPEC


def main() -> None:
    """Only reached when the module is run by hand: the action plugin of the same name does the work."""
    module = AnsibleModule(argument_spec=deepcopy(ARGUMENT_SPEC), supports_check_mode=True)
    module.fail_json(
        msg="dyn.managed_dns.dyn_password_file runs only as an action on the Ansible controller, never as a module "
        "on a host; use it as a task in a playbook."
    )


if __name__ == "__main__":
    main()
