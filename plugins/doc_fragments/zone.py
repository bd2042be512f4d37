# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The ``zone`` option, documented once for every module that takes one.

Use exactly one variant, the one that says what the zone is to the module: ``.change`` (a zone
whose records the module changes), ``.read`` (a zone the module reads), ``.read_or_list`` (a zone
to report, or none to list them all) or ``.permission_scope`` (a zone a permission check is
limited to). Each documents the argument spec entry ``_records.zone_option(<variant>)`` gives, so
the module's spec and its documentation cannot drift apart.
"""

from __future__ import annotations


# What the variants say of every zone name (the refusals are _records.zone_name's) and of a zone
# that is not there (the sentence _module.describe_missing_zone writes).
_NAME_RULES = """
      - Blanks around it and a trailing dot are dropped, and it is written in lower case. A name
        that is no DNS name is refused before anything is sent - empty once blanks and the trailing
        dot are dropped, holding a slash or a backslash, with an empty label (a dot at its start or
        two dots in a row), a label longer than 63 octets, or longer than 253 octets in all."""
_NO_SUCH_ZONE = """
      - A zone the session's customer does not have fails the task with C(Zone <zone> does not
        exist in customer <customer>)."""
_REQUIRED = """
    required: true"""
_ALIASES = """
    aliases: [zone_name]"""


def _zone(description: str, *lines: str) -> str:
    """The fragment text of a ``zone`` option: its description's first item, then the other lines."""
    return f"""
options:
  zone:
    description:
      - {description}{''.join(lines)}
    type: str
"""


class ModuleDocFragment:
    DOCUMENTATION = r"""
options: {}
"""

    CHANGE = _zone("The zone whose records the task changes, for example V(example.com).", _NAME_RULES, _NO_SUCH_ZONE) + _REQUIRED + _ALIASES

    READ = _zone("The zone to read, for example V(example.com).", _NAME_RULES, _NO_SUCH_ZONE) + _REQUIRED + _ALIASES

    READ_OR_LIST = _zone(
        "The zone to report, for example V(example.com). Without it, the task lists the customer's zones.", _NAME_RULES, _NO_SUCH_ZONE
    ) + _ALIASES

    PERMISSION_SCOPE = _zone(
        "The zone a permission check is limited to, for example V(example.com), so that permissions limited to other zones do not "
        "count. The zone must exist in the session's customer.",
        """
      - Without it, the check is made for the account as a whole - permissions limited to some
        zones do not count.""",
        _NAME_RULES,
    )
