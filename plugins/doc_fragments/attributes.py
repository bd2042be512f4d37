# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The ``attributes`` shared by this collection's modules.

Use ``dyn.managed_dns.attributes`` (the descriptions) together with ``.action_group`` and, for
modules that never change anything, ``.info_module``; each module adds its own ``support`` levels.
"""

from __future__ import annotations


class ModuleDocFragment:
    DOCUMENTATION = r"""
options: {}
attributes:
  check_mode:
    description: Can run in C(check_mode) and return changed status prediction without modifying target.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in C(check_mode)), when in diff mode.
"""

    ACTION_GROUP = r"""
options: {}
attributes:
  action_group:
    description: Use C(group/dyn.managed_dns.dyn) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - dyn.managed_dns.dyn
"""

    INFO_MODULE = r"""
options: {}
attributes:
  check_mode:
    support: full
    details:
      - This action only reads; it behaves the same in check mode.
  diff_mode:
    support: N/A
    details:
      - This action does not modify state.
"""
