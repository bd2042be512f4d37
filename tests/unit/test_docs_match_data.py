# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Docs that mirror data say what the data says: the collection's contents and the emulator's accounts.

Each test reads the doc and the data it mirrors, so a doc that drifts fails here: the README's and
the getting-started guide's lists of what the collection holds (against plugins/ and roles/), every
``dyn.managed_dns.<name>`` any doc names (it must exist), a doc's claim that no module covers
something (against plugins/modules), and the emulator README's accounts table (against
tests/emulator/accounts.json).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
GETTING_STARTED = REPO / "docs" / "docsite" / "rst" / "guide_getting_started.rst"
EMULATOR_README = REPO / "tests" / "emulator" / "README.md"
# Every doc a user or contributor reads; each may name the collection's plugins.
DOCS = sorted([REPO / "README.md", EMULATOR_README, REPO / "tests" / "integration" / "README.md"]
              + list((REPO / "docs").rglob("*.md")) + list((REPO / "docs").rglob("*.rst")))
_PLUGIN_DIRS = {"module": "plugins/modules", "lookup": "plugins/lookup", "connection": "plugins/connection"}
# A README table row's label -> the kind of plugin it lists.
_README_ROW_KINDS = {"Modules": "module", "Lookup plugin": "lookup", "Connection plugin": "connection", "Roles": "role"}
# "dyn.managed_dns.X" not preceded by "ansible_collections." (a Python path or a docsite label),
# and not a pattern such as "dyn.managed_dns.dyn_*".
_NAMED = re.compile(r"(?<!ansible_collections\.)\bdyn\.managed_dns\.(\w+)\b(?![*.\w])")
_TYPED = re.compile(r":ans(?:plugin|opt):`dyn\.managed_dns\.(\w+)#(\w+)")
_NO_MODULE_FOR = re.compile(r"no module (?:for|covers) (\w+)", re.IGNORECASE)


def _stems(folder: str) -> set[str]:
    return {path.stem for path in (REPO / folder).glob("*.py") if path.stem != "__init__"}


def collection_contents() -> dict[str, set[str]]:
    """What the collection holds, by plugin type, as the directories say."""
    contents = {kind: _stems(folder) for kind, folder in _PLUGIN_DIRS.items()}
    contents["role"] = {path.name for path in (REPO / "roles").iterdir() if path.is_dir()}
    return contents


def nameable() -> set[str]:
    """Every name ``dyn.managed_dns.<name>`` may stand for: plugins, roles, doc fragments, playbooks, action groups."""
    names = set().union(*collection_contents().values()) | _stems("plugins/doc_fragments")
    names |= {path.stem for path in (REPO / "playbooks").glob("*.yml")}
    return names | set(yaml.safe_load((REPO / "meta" / "runtime.yml").read_text())["action_groups"])


def readme_table_rows(text: str) -> dict[str, str]:
    """The README's "What | Name" table: row label -> the row's names cell."""
    lines = text[text.index("| What | Name |"):].splitlines()
    rows = {}
    for line in lines[2:]:
        if not line.startswith("|"):
            break
        label, names = (cell.strip() for cell in line.strip("|").split("|", 1))
        rows[label] = names
    return rows


def readme_lists(text: str) -> dict[str, set[str]]:
    """The README table's names, by plugin kind."""
    rows = readme_table_rows(text)
    return {kind: set(_NAMED.findall(rows.get(label, ""))) for label, kind in _README_ROW_KINDS.items()}


def section(text: str, title: str) -> str:
    """The body of a reStructuredText section, up to the next title of the same underline."""
    match = re.search(rf"^{re.escape(title)}\n(-+)\n(.*?)(?=^[^\n]+\n-+\n|\Z)", text, re.MULTILINE | re.DOTALL)
    assert match, f"no section {title!r}"
    return match.group(2)


def typed_references(text: str) -> dict[str, set[str]]:
    """``:ansplugin:`` and ``:ansopt:`` references, by plugin type."""
    found: dict[str, set[str]] = {}
    for name, kind in _TYPED.findall(text):
        found.setdefault(kind, set()).add(name)
    return found


def test_readme_table_lists_every_plugin_and_role():
    assert readme_lists((REPO / "README.md").read_text()) == collection_contents()


def test_getting_started_lists_every_plugin_and_role():
    listed = typed_references(section(GETTING_STARTED.read_text(), "What is in the collection"))
    assert listed == collection_contents()


@pytest.mark.parametrize("doc", DOCS, ids=lambda doc: str(doc.relative_to(REPO)))
def test_docs_name_only_what_exists(doc):
    text = doc.read_text()
    assert set(_NAMED.findall(text)) - nameable() == set()
    contents = collection_contents()
    wrong = {(name, kind) for kind, names in typed_references(text).items() for name in names if name not in contents.get(kind, ())}
    assert wrong == set()


@pytest.mark.parametrize("doc", DOCS, ids=lambda doc: str(doc.relative_to(REPO)))
def test_docs_claim_no_module_only_where_none_exists(doc):
    """"no module for zones yet" outlived dyn_zone: a claim of absence is checked against plugins/modules."""
    claims = [word.rstrip("s").lower() for word in _NO_MODULE_FOR.findall(doc.read_text())]
    modules = collection_contents()["module"]
    assert [(claim, sorted(m for m in modules if claim in m)) for claim in claims if any(claim in m for m in modules)] == []


# --- the emulator's accounts ----------------------------------------------------------------------


def _words(cell: str) -> set[str]:
    return set(cell.split())


def _zone_permissions(cell: str) -> dict[str, set[str]]:
    """"RecordUpdate: example.com; ZoneGet: a.org, b.org" -> {permission: zones}."""
    parsed = {}
    for part in filter(None, (part.strip() for part in cell.split(";"))):
        permission, zones = part.split(":", 1)
        parsed[permission.strip()] = {zone.strip() for zone in zones.split(",")}
    return parsed


def accounts_table(text: str) -> dict[tuple[str, str], dict]:
    """The emulator README's default accounts table: (customer, user) -> what its row says."""
    lines = text[text.index("| customer (zones) | user |"):].splitlines()
    table, customer = {}, ""
    for line in lines[2:]:
        if not line.startswith("|"):
            break
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        head = re.fullmatch(r"(\w+)(?: \((.*)\))?", cells[0])
        assert head, f"customer cell {cells[0]!r}"
        customer = head.group(1)
        table[customer, cells[1]] = {
            "zones": {zone.strip() for zone in head.group(2).split(",")} if head.group(2) else None,
            "password": cells[2], "status": cells[3], "permissions": _words(cells[4]),
            "zone_permissions": _zone_permissions(cells[5]), "forbidden": _words(cells[6]),
        }
    return table


def accounts_data(path: Path) -> dict[tuple[str, str], dict]:
    """The same, from the accounts file (with its defaults filled in)."""
    data = {}
    for customer in json.loads(path.read_text())["customers"]:
        for user in customer.get("users", []):
            data[customer["name"], user["user_name"]] = {
                "zones": set(customer.get("zones", [])), "password": user["password"],
                "status": user.get("status", "active"), "permissions": set(user.get("permissions", [])),
                "zone_permissions": {name: set(zones) for name, zones in user.get("zone_permissions", {}).items()},
                "forbidden": set(user.get("forbidden", [])),
            }
    return data


def with_zones_on_every_row(table: dict) -> dict:
    """The table names a customer's zones on its first row only: copy them to the customer's other rows."""
    zones = {customer: row["zones"] for (customer, _user), row in table.items() if row["zones"] is not None}
    return {key: {**row, "zones": zones.get(key[0])} for key, row in table.items()}


def test_emulator_readme_accounts_table_is_accounts_json():
    """Every user, password, status and permission granted or forbidden, as accounts.json has it."""
    table = accounts_table(EMULATOR_README.read_text())
    data = accounts_data(EMULATOR_README.with_name("accounts.json"))
    assert with_zones_on_every_row(table) == data
