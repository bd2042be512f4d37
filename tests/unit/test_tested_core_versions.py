# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The ansible-core versions we claim are the versions we test.

``meta/runtime.yml``'s ``requires_ansible`` is the claim; the Makefile's ``CORE_*_SPEC`` lines (one
virtualenv each, all run by ``make test``) are what is tested. Every minor version from the oldest
claimed to the newest tested must be tested, and the oldest claimed must be the oldest tested.
"""

from __future__ import annotations

import pathlib
import re

import pytest
import yaml
from packaging.specifiers import SpecifierSet
from packaging.version import Version

REPO = pathlib.Path(__file__).resolve().parents[2]
_SPEC_LINE = re.compile(r"^(CORE_(?:[A-Z0-9]+_)?SPEC)\s*:?=\s*ansible-core\s*(\S+)\s*$", re.MULTILINE)
# Every ansible-core release is 2.x; enough minors and patches to find any that a specifier admits.
_CANDIDATES = [((2, minor), [Version(f"2.{minor}.{patch}") for patch in range(100)]) for minor in range(100)]


def _minors_in(specifier: SpecifierSet) -> list[tuple[int, int]]:
    """The (major, minor) pairs of which the specifier admits at least one release."""
    return [minor for minor, releases in _CANDIDATES if any(release in specifier for release in releases)]


def _makefile() -> str:
    return (REPO / "Makefile").read_text()


def _tested_specs() -> dict[str, SpecifierSet]:
    specs = {name: SpecifierSet(spec) for name, spec in _SPEC_LINE.findall(_makefile())}
    assert specs, "no CORE_*_SPEC := ansible-core... line in the Makefile"
    return specs


def _tested_minors() -> dict[tuple[int, int], str]:
    minors = {}
    for name, spec in _tested_specs().items():
        covered = _minors_in(spec)
        # A virtualenv installs the newest release its spec admits: a spec spanning several
        # minors tests only one of them, so each spec must name exactly one.
        assert len(covered) == 1, f"Makefile {name} ({spec}) must admit exactly one minor version, admits {covered}"
        assert covered[0] not in minors, f"Makefile {name} and {minors.get(covered[0])} test the same minor version"
        minors[covered[0]] = name
    return minors


def _claimed() -> SpecifierSet:
    return SpecifierSet(yaml.safe_load((REPO / "meta" / "runtime.yml").read_text())["requires_ansible"])


def _text(minor: tuple[int, int]) -> str:
    return "%d.%d" % minor


def test_every_spec_is_installed_in_a_virtualenv():
    makefile = _makefile()
    for name in _tested_specs():
        uses = re.findall(r"pip install .*\$\(" + name + r"\)", makefile)
        assert uses, f"Makefile defines {name} but no virtualenv installs it"


def test_oldest_claimed_is_oldest_tested():
    claimed = _minors_in(_claimed())
    tested = sorted(_tested_minors())
    assert claimed, f"requires_ansible {_claimed()} admits no ansible-core release"
    assert claimed[0] == tested[0], (
        f"meta/runtime.yml claims ansible-core {_text(claimed[0])}, the oldest version make test tests is "
        f"{_text(tested[0])}"
    )


def test_every_claimed_minor_up_to_the_newest_tested_is_tested():
    claimed = _minors_in(_claimed())
    tested = _tested_minors()
    newest = max(tested)
    untested = [_text(minor) for minor in claimed if minor <= newest and minor not in tested]
    assert not untested, (
        f"meta/runtime.yml's requires_ansible {_claimed()} claims ansible-core {', '.join(untested)}, "
        "which no Makefile CORE_*_SPEC tests"
    )


def test_every_tested_minor_is_claimed():
    claimed = set(_minors_in(_claimed()))
    unclaimed = [f"{_text(minor)} ({name})" for minor, name in sorted(_tested_minors().items()) if minor not in claimed]
    assert not unclaimed, f"make test tests ansible-core {', '.join(unclaimed)}, which requires_ansible {_claimed()} excludes"


@pytest.mark.parametrize("document", ["README.md", "docs/docsite/rst/guide_getting_started.rst"])
def test_documents_state_the_oldest_claimed_version(document):
    oldest = _text(_minors_in(_claimed())[0])
    stated = re.findall(r"ansible-core (\d+\.\d+) or newer", (REPO / document).read_text())
    assert stated, f"{document} does not say which ansible-core it needs ('ansible-core X.Y or newer')"
    assert set(stated) == {oldest}, f"{document} says ansible-core {', '.join(sorted(set(stated)))} or newer, requires_ansible says {oldest}"
