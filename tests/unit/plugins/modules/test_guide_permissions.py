# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The permissions the "Changing records" guide's preflight asks for are those the permissions table gives its play's tasks.

The table (docs/docsite/rst/guide_preflight.rst) is proven against the emulator by
test_permissions_table.py; the guide's play (example ``records-one-play``) is run by the
guide_examples target. This holds the two together, so the guide's list cannot drift from the table.
"""

from __future__ import annotations

import re
from pathlib import Path

from ansible_collections.dyn.managed_dns.tests.unit.plugins.modules.test_permissions_table import ROWS, Row

GUIDE = Path(__file__).resolve().parents[4] / "docs" / "docsite" / "rst" / "guide_changing_records.rst"
_EXAMPLE = "records-one-play"
# The table's rows for what the example's play does: sets made pending (new names, other values, a
# TTL; replaced as a whole), then one publish of the zone.
_PLAYS_ROWS = (
    ("dyn_record_set", "``publish=false``: a set at a new name"),
    ("dyn_record_set", "``state=present``: other values in an existing set"),
    ("dyn_record_set", "``state=present``: only the TTL changes"),
    ("dyn_zone_changes", "``state=published``"),
)


def _example_permissions() -> list[str]:
    """The permission names of the example's ``preflight_zone_permissions`` line."""
    text = GUIDE.read_text(encoding="utf-8")
    block = text.split(f".. example-id: {_EXAMPLE}", 1)[1].split(".. example-id:", 1)[0]
    line = next(line for line in block.splitlines() if "preflight_zone_permissions:" in line)
    return re.findall(r"'(\w+)'", line)


def _row(key: tuple[str, str]) -> Row:
    found = [row for row in ROWS if row.key == key]
    assert found, f"the permissions table has no row {key}; update _PLAYS_ROWS"
    return found[0]


def test_the_guides_preflight_asks_for_what_the_table_gives_its_plays_tasks_and_no_more():
    needed = {permission for key in _PLAYS_ROWS for alternatives in _row(key).needs if len(alternatives) == 1 for permission in alternatives}
    asked = _example_permissions()
    assert len(asked) == len(set(asked)), asked
    assert set(asked) == needed
