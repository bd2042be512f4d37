# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The requirements files hold floors and no needless upper bounds.

An upper bound in requirements.txt (``cryptography<49``) made ``pip install -r`` downgrade the
cryptography that ansible-core had brought along, and clashes with other collections sharing the
Python. Every requirement names its oldest usable release; an upper bound or a pin is allowed only
where the comment right above it says why, starting "pinned:" or "capped:".
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from packaging.requirements import Requirement

REPO = Path(__file__).resolve().parents[2]
FILES = ("requirements.txt", "requirements-test.txt", "tests/integration/requirements.txt")
_FLOORS = (">=", "~=", "==", "===")
_UPPER_BOUNDS = ("<", "<=", "~=", "==", "===")
_REASON = re.compile(r"\b(pinned|capped): \w", re.IGNORECASE)


def requirements(text: str) -> list[tuple[Requirement, str]]:
    """Each requirement with the comment block right above it (joined, "#" dropped)."""
    found, comment = [], []
    for raw in text.splitlines():
        line = raw.split(" #", 1)[0].strip()
        if raw.startswith("#"):
            comment.append(raw.lstrip("#").strip())
        elif line and not line.startswith("-"):
            found.append((Requirement(line), " ".join(comment)))
            comment = []
        else:
            comment = []
    return found


def _operators(requirement: Requirement) -> set[str]:
    return {specifier.operator for specifier in requirement.specifier}


def test_requirements_are_read():
    # The parser must see the collection's one library, or every test below passes on nothing
    # (HTTP is the standard library's: requests is no longer a requirement).
    names = {requirement.name for requirement, _comment in requirements((REPO / "requirements.txt").read_text())}
    assert names == {"cryptography"}


@pytest.mark.parametrize("name", FILES)
def test_every_requirement_has_a_floor(name):
    missing = [str(req) for req, _comment in requirements((REPO / name).read_text()) if not _operators(req) & set(_FLOORS)]
    assert missing == [], f"{name}: give these their oldest usable release (>=): {missing}"


@pytest.mark.parametrize("name", FILES)
def test_upper_bounds_only_with_a_reason(name):
    needless = [str(req) for req, comment in requirements((REPO / name).read_text())
                if _operators(req) & set(_UPPER_BOUNDS) and not _REASON.search(comment)]
    assert needless == [], f"{name}: drop these upper bounds, or say why above them ('# pinned: ...'): {needless}"
