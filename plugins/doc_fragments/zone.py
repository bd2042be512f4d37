# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The ``zone`` option, documented once for every module that takes one.

Use exactly one variant, the one that says what the zone is to the module: ``.change`` (a zone
whose records the module changes), ``.read`` (a zone the module reads), ``.read_or_list`` (a zone
to report, or none to list them all) or ``.permission_scope`` (a zone a permission check is
limited to). Each documents the argument spec entry ``_records.zone_option(<variant>)`` gives, so
the module's spec and its documentation cannot drift apart
(``tests/unit/plugins/modules/test_zone_option.py``). The texts are literal strings, as
ansible-test's documentation checks read them without running this file. What they say of a name
is ``_records.zone_name``'s rules; of a missing zone, ``_module.describe_missing_zone``'s sentence.
"""

from __future__ import annotations


class ModuleDocFragment:
    DOCUMENTATION = r"""
options: {}
"""

    CHANGE = r"""
options:
  zone:
    description:
      - The zone whose records the task changes, for example V(example.com).
      - Blanks around it and a trailing dot are dropped, and it is written in lower case. A name
        that is no DNS name is refused before anything is sent - empty once blanks and the trailing
        dot are dropped, holding a slash or a backslash, with an empty label (a dot at its start or
        two dots in a row), a label longer than 63 octets, or longer than 253 octets in all.
      - A zone the session's customer does not have fails the task with C(Zone <zone> does not
        exist in customer <customer>).
    type: str
    required: true
    aliases: [zone_name]
"""

    READ = r"""
options:
  zone:
    description:
      - The zone to read, for example V(example.com).
      - Blanks around it and a trailing dot are dropped, and it is written in lower case. A name
        that is no DNS name is refused before anything is sent - empty once blanks and the trailing
        dot are dropped, holding a slash or a backslash, with an empty label (a dot at its start or
        two dots in a row), a label longer than 63 octets, or longer than 253 octets in all.
      - A zone the session's customer does not have fails the task with C(Zone <zone> does not
        exist in customer <customer>).
    type: str
    required: true
    aliases: [zone_name]
"""

    READ_OR_LIST = r"""
options:
  zone:
    description:
      - The zone to report, for example V(example.com). Without it, the task lists the customer's zones.
      - Blanks around it and a trailing dot are dropped, and it is written in lower case. A name
        that is no DNS name is refused before anything is sent - empty once blanks and the trailing
        dot are dropped, holding a slash or a backslash, with an empty label (a dot at its start or
        two dots in a row), a label longer than 63 octets, or longer than 253 octets in all.
      - A zone the session's customer does not have fails the task with C(Zone <zone> does not
        exist in customer <customer>).
    type: str
    aliases: [zone_name]
"""

    PERMISSION_SCOPE = r"""
options:
  zone:
    description:
      - The zone a permission check is limited to, for example V(example.com), so that permissions
        limited to other zones do not count. The zone must exist in the session's customer.
      - Without it, the check is made for the account as a whole - permissions limited to some
        zones do not count.
      - Blanks around it and a trailing dot are dropped, and it is written in lower case. A name
        that is no DNS name is refused before anything is sent - empty once blanks and the trailing
        dot are dropped, holding a slash or a backslash, with an empty label (a dot at its start or
        two dots in a row), a label longer than 63 octets, or longer than 253 octets in all.
    type: str
"""
