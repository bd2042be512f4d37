# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Release metadata adds up: one collection version, and every other version string agrees with it.

galaxy.yml's ``version`` is the version of the collection built from this checkout: the newest
release of changelogs/changelog.yaml, or the next one while changelog fragments wait for it. Every
``version_added`` (plugins, their options and return values, doc fragments, roles) names a release
or that next version, never a later one.
"""

from __future__ import annotations

import ast
import pathlib
import re
from collections.abc import Iterator

import pytest
import yaml

REPO = pathlib.Path(__file__).resolve().parents[2]
_SEMVER = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")
# The documentation blocks of plugins; doc fragments also name their variants in upper case.
_PLUGIN_DOC_BLOCKS = ("DOCUMENTATION", "RETURN")


def _version(text: object) -> tuple[int, int, int]:
    match = _SEMVER.fullmatch(str(text))
    assert match, f"{text!r} is not a version X.Y.Z"
    major, minor, patch = (int(part) for part in match.groups())
    return major, minor, patch


def _load_yaml(path: pathlib.Path) -> dict:
    return yaml.safe_load(path.read_text())


def _galaxy_version() -> tuple[int, int, int]:
    return _version(_load_yaml(REPO / "galaxy.yml")["version"])


def _released_versions() -> list[tuple[int, int, int]]:
    releases = _load_yaml(REPO / "changelogs" / "changelog.yaml").get("releases") or {}
    return sorted(_version(release) for release in releases)


def _pending_fragments() -> list[str]:
    return sorted(path.name for path in (REPO / "changelogs" / "fragments").glob("*.y*ml"))


def _string_constants(body: list[ast.stmt], names_wanted) -> Iterator[tuple[str, str]]:
    for node in body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            if names_wanted(name) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                yield name, node.value.value


def _plugin_doc_blocks() -> Iterator[tuple[str, str]]:
    """(where, YAML text) of every plugin's documentation blocks and every doc fragment's."""
    for path in sorted((REPO / "plugins").rglob("*.py")):
        tree = ast.parse(path.read_text())
        relative = path.relative_to(REPO)
        for name, text in _string_constants(tree.body, _PLUGIN_DOC_BLOCKS.__contains__):
            yield f"{relative} {name}", text
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and node.name == "ModuleDocFragment":
                for name, text in _string_constants(node.body, str.isupper):
                    yield f"{relative} {name}", text


def _role_specs() -> Iterator[tuple[str, dict]]:
    for path in sorted((REPO / "roles").glob("*/meta/argument_specs.yml")):
        yield str(path.relative_to(REPO)), _load_yaml(path)


def _version_added(where: str, tree: object) -> Iterator[tuple[str, object]]:
    """Every ``version_added`` value in a documentation tree, with the path that leads to it."""
    if isinstance(tree, dict):
        for key, value in tree.items():
            if key == "version_added":
                yield where, value
            else:
                yield from _version_added(f"{where}.{key}", value)
    elif isinstance(tree, list):
        for index, value in enumerate(tree):
            yield from _version_added(f"{where}[{index}]", value)


def _all_version_added() -> list[tuple[str, object]]:
    found = []
    for where, text in _plugin_doc_blocks():
        found.extend(_version_added(where, yaml.safe_load(text)))
    for where, spec in _role_specs():
        found.extend(_version_added(where, spec))
    return found


def test_galaxy_version_is_the_newest_release_or_the_next_one():
    galaxy, released = _galaxy_version(), _released_versions()
    assert released, "changelogs/changelog.yaml records no release"
    assert galaxy >= released[-1], f"galaxy.yml's version {galaxy} is older than the release {released[-1]}"


def test_pending_fragments_wait_for_an_unreleased_version():
    """Fragments describe the next release: galaxy.yml must already name it, not a published one."""
    pending = _pending_fragments()
    if pending:
        assert _galaxy_version() not in _released_versions(), (
            f"fragments {pending} wait for a release, but galaxy.yml's version is released already: raise it"
        )


def test_version_added_values_are_found():
    """The walk below sees the plugins' and roles' documentation (a test that finds nothing proves nothing)."""
    places = {where.split(" ")[0].split(".")[0] for where, _value in _all_version_added()}
    assert any(place.startswith("plugins/modules/") for place in places)
    assert any(place.startswith("roles/") for place in places)


@pytest.mark.parametrize(("where", "value"), _all_version_added(), ids=str)
def test_version_added_is_a_release_or_the_version_being_prepared(where, value):
    galaxy = _galaxy_version()
    version = _version(value)
    assert version <= galaxy, f"{where}: version_added {value} is above galaxy.yml's version"
    assert version in (*_released_versions(), galaxy), f"{where}: version_added {value} names no release"


def test_readme_builds_the_version_galaxy_names():
    built = re.findall(r"dyn-managed_dns-([0-9.]+)\.tar\.gz", (REPO / "README.md").read_text())
    assert built, "README no longer names the built artefact; drop this test"
    assert {_version(version) for version in built} == {_galaxy_version()}


def _authors() -> Iterator[tuple[str, object]]:
    for where, text in _plugin_doc_blocks():
        if where.endswith(" DOCUMENTATION") and not where.startswith("plugins/doc_fragments/"):  # fragments name no author
            yield where, (yaml.safe_load(text) or {}).get("author")
    for where, spec in _role_specs():
        for entry_point, options in spec["argument_specs"].items():
            yield f"{where} {entry_point}", options.get("author")
    for path in sorted((REPO / "roles").glob("*/meta/main.yml")):
        yield str(path.relative_to(REPO)), _load_yaml(path)["galaxy_info"]["author"]


@pytest.mark.parametrize(("where", "author"), list(_authors()), ids=str)
def test_authors_are_the_collections_authors(where, author):
    """No author handle of its own anywhere: every plugin and role names galaxy.yml's authors.

    ansible-test's validate-modules needs a module author to carry a GitHub handle or the marker
    ``(!UNKNOWN)``; the collection has no account, so its modules carry the marker.
    """
    authors = [author] if isinstance(author, str) else author
    stripped = [name.removesuffix(" (!UNKNOWN)") for name in authors or []]
    assert stripped == _load_yaml(REPO / "galaxy.yml")["authors"], where
