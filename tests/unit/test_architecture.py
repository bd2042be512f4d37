# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""docs/architecture.md's import rules hold: its tables are read here, so the map cannot drift from the code."""

from __future__ import annotations

import ast
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
PLUGINS = ROOT / "plugins"
PAGE = ROOT / "docs" / "architecture.md"
OURS = "ansible_collections.dyn.managed_dns.plugins."


def _table(heading: str) -> list[list[str]]:
    """The rows of the first Markdown table after ``heading`` on the page, cells stripped."""
    text = PAGE.read_text(encoding="utf-8")
    lines = text[text.index(heading):].splitlines()[1:]
    start = next(index for index, line in enumerate(lines) if line.startswith("|"))
    rows = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows[2:]  # header and separator


def _names(cell: str) -> list[str]:
    return re.findall(r"`([^`]+)`", cell)


def _module_utils_layers() -> dict[str, tuple[int, bool]]:
    """File stem -> (layer, whether it may import ansible-core), from the page's layer table."""
    layers = {}
    for row in _table("## The layers of module_utils"):
        layer, files = int(row[0]), _names(row[2])
        # "yes": every file of the layer; "no": none; else the files the cell names.
        with_core = set(files) if row[3].lower().startswith("yes") else set(_names(row[3]))
        for stem in files:
            assert stem not in layers, f"{stem} is listed twice on the page"
            layers[stem] = (layer, stem in with_core)
    return layers


def _imports(path: pathlib.Path) -> set[str]:
    """Every module ``path`` imports (absolute names, relative ones resolved against the collection)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _ours(imported: set[str], folder: str) -> set[str]:
    """The files of plugins/<folder> among ``imported``."""
    prefix = f"{OURS}{folder}."
    return {name[len(prefix):].split(".")[0] for name in imported if name.startswith(prefix)}


def _python_files(folder: str) -> list[pathlib.Path]:
    return sorted(path for path in (PLUGINS / folder).glob("*.py") if path.name != "__init__.py")


def test_every_module_utils_file_is_on_the_page_once():
    listed = set(_module_utils_layers())
    present = {path.stem for path in _python_files("module_utils")}
    assert listed == present, f"on the page only: {sorted(listed - present)}; in the code only: {sorted(present - listed)}"


@pytest.mark.parametrize("path", _python_files("module_utils"), ids=lambda path: path.stem)
def test_a_module_utils_file_imports_only_lower_layers(path):
    layers = _module_utils_layers()
    layer, may_use_core = layers[path.stem]
    imported = _imports(path)
    for stem in _ours(imported, "module_utils"):
        assert layers[stem][0] < layer, f"{path.stem} (layer {layer}) imports {stem} (layer {layers[stem][0]})"
    for folder in ("plugin_utils", "action", "connection", "lookup", "modules", "doc_fragments"):
        assert not _ours(imported, folder), f"{path.stem} imports plugins/{folder}"
    if not may_use_core:
        core = sorted(name for name in imported if name == "ansible" or name.startswith("ansible."))
        assert not core, f"{path.stem} is ansible-core-free on the page but imports {core}"


def _folder_rules() -> dict[str, set[str]]:
    return {_names(row[0])[0]: set(_names(row[1])) for row in _table("## Which plugin folder may import which")}


def test_every_plugin_folder_is_on_the_page():
    folders = {path.name for path in PLUGINS.iterdir() if path.is_dir() and not path.name.startswith("__")}
    assert set(_folder_rules()) == folders


@pytest.mark.parametrize(
    "path", sorted(path for path in PLUGINS.rglob("*.py") if "__pycache__" not in path.parts), ids=lambda path: str(path.relative_to(PLUGINS))
)
def test_a_plugin_file_imports_only_the_folders_its_folder_may(path):
    allowed = _folder_rules()[path.parent.name] | {path.parent.name}
    imported = _imports(path)
    for folder in _folder_rules():
        if _ours(imported, folder):
            assert folder in allowed, f"{path.relative_to(PLUGINS)} imports plugins/{folder}"
