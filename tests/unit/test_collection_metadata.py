# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Collection-wide consistency: metadata, documentation blocks and the built artefact."""

from __future__ import annotations

import ast
import pathlib
import subprocess
import sys
import tarfile

import pytest
import yaml

REPO = pathlib.Path(__file__).resolve().parents[2]
MODULES = sorted(p.stem for p in (REPO / "plugins" / "modules").glob("*.py") if p.stem != "__init__")
_DOC_BLOCKS = ("DOCUMENTATION", "EXAMPLES", "RETURN")
# Modules that take no API options, so they stay out of the dyn action group.
NOT_IN_ACTION_GROUP = ("dyn_password_file",)


def _load_yaml(relative: str) -> dict:
    return yaml.safe_load((REPO / relative).read_text())


def _module_doc_blocks(module: str) -> dict[str, str]:
    tree = ast.parse((REPO / "plugins" / "modules" / f"{module}.py").read_text())
    blocks = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            if node.targets[0].id in _DOC_BLOCKS and isinstance(node.value, ast.Constant):
                blocks[node.targets[0].id] = node.value.value
    return blocks


def test_galaxy_metadata():
    galaxy = _load_yaml("galaxy.yml")
    assert (galaxy["namespace"], galaxy["name"]) == ("dyn", "managed_dns")
    assert galaxy["license"] == ["GPL-3.0-or-later"]
    for key in ("readme", "description", "authors", "tags"):
        assert galaxy.get(key), key


def test_roles_require_what_the_collection_requires():
    # requires_ansible itself is tied to the tested versions by test_tested_core_versions.py.
    minimum = _load_yaml("meta/runtime.yml")["requires_ansible"].removeprefix(">=").rsplit(".", 1)[0]
    for role in ("preflight", "rotate_password"):
        assert _load_yaml(f"roles/{role}/meta/main.yml")["galaxy_info"]["min_ansible_version"] == minimum, role


def test_action_group_lists_exactly_the_modules():
    group = _load_yaml("meta/runtime.yml")["action_groups"]["dyn"] or []
    assert sorted(group) == [module for module in MODULES if module not in NOT_IN_ACTION_GROUP]


@pytest.mark.parametrize("module", MODULES)
def test_module_has_documentation_blocks(module):
    blocks = _module_doc_blocks(module)
    assert set(blocks) == set(_DOC_BLOCKS), f"{module} lacks {set(_DOC_BLOCKS) - set(blocks)}"
    documentation = yaml.safe_load(blocks["DOCUMENTATION"])
    assert documentation["module"] == module
    assert documentation["short_description"]
    assert yaml.safe_load(blocks["EXAMPLES"]), f"{module} has empty EXAMPLES"


def test_built_collection_holds_no_scratch_files(tmp_path):
    """The release artefact carries the collection only: no virtualenv, test output or build leftovers."""
    ansible_galaxy = pathlib.Path(sys.executable).with_name("ansible-galaxy")
    subprocess.run(
        [ansible_galaxy, "collection", "build", "--output-path", tmp_path, REPO],
        check=True, capture_output=True,
    )
    version = _load_yaml("galaxy.yml")["version"]
    artefact = tmp_path / f"dyn-managed_dns-{version}.tar.gz"
    with tarfile.open(artefact) as tar:
        names = tar.getnames()
    assert "MANIFEST.json" in names and "FILES.json" in names
    assert any(name.startswith("plugins/") for name in names)
    forbidden = (".venv", ".tmp", ".git", "tests/output", "collections/", "__pycache__", ".pytest_cache", ".ci")
    leaked = [name for name in names if name.startswith(forbidden) or "/__pycache__" in name or name.endswith((".pyc", ".tar.gz"))]
    assert leaked == []


@pytest.mark.parametrize(
    ("plugin_type", "name"),
    [("module", f"dyn.managed_dns.{module}") for module in MODULES]
    + [("connection", "dyn.managed_dns.dynect")]
    + [("lookup", "dyn.managed_dns.password_file")]
    + [("role", f"dyn.managed_dns.{role.name}") for role in sorted((REPO / "roles").iterdir()) if role.is_dir()],
)
def test_ansible_doc_renders(plugin_type, name):
    """What users read first: ansible-doc must render every plugin and role of the collection."""
    ansible_doc = pathlib.Path(sys.executable).with_name("ansible-doc")
    shown = subprocess.run([ansible_doc, "-t", plugin_type, name], check=True, capture_output=True, text=True)
    assert name in shown.stdout
    assert "ERROR" not in shown.stderr
