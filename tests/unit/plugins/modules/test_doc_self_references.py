# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Issue #25 (4): a module's documentation names its own options as O(option), never in the long form.

ansible-doc renders O(dyn.managed_dns.dyn_session#module:return_token) as "return_token (of module
dyn.managed_dns.dyn_session)", which reads oddly on that module's own page. A doc fragment is part of
every module that extends it, so a fragment may name no option of a module that uses it that way.
"""

from __future__ import annotations

import importlib
import pathlib
import re
from typing import Any

import pytest
import yaml

COLLECTION = "dyn.managed_dns"
MODULES = pathlib.Path(__file__).parents[4] / "plugins" / "modules"
MODULE_NAMES = sorted(path.stem for path in MODULES.glob("*.py") if path.stem != "__init__")


def _fragment_text(name: str) -> str:
    """The text of the doc fragment ``dyn.managed_dns.<fragment>[.<variant>]``."""
    fragment, _dot, variant = name.removeprefix(f"{COLLECTION}.").partition(".")
    module = importlib.import_module(f"ansible_collections.dyn.managed_dns.plugins.doc_fragments.{fragment}")
    text = getattr(module.ModuleDocFragment, (variant or "documentation").upper())
    assert isinstance(yaml.safe_load(text), dict), name  # a rewording must leave it YAML (a ": " in a plain line does not)
    return text


def _documentation(module_name: str) -> str:
    """The module's DOCUMENTATION and RETURN with the text of every fragment it extends."""
    module: Any = importlib.import_module(f"ansible_collections.dyn.managed_dns.plugins.modules.{module_name}")
    fragments = yaml.safe_load(module.DOCUMENTATION).get("extends_documentation_fragment") or []
    own = [name for name in fragments if name.startswith(f"{COLLECTION}.")]
    return "\n".join([module.DOCUMENTATION, getattr(module, "RETURN", "")] + [_fragment_text(name) for name in own])


def _self_references(module_name: str, text: str) -> list[str]:
    pattern = re.compile(rf"\b(?:O|RV)\({re.escape(COLLECTION)}\.{re.escape(module_name)}#module:[^)]*\)")
    return pattern.findall(text)


def test_every_module_is_scanned():
    assert {"dyn_session", "dyn_record_set", "dyn_zone_changes"} <= set(MODULE_NAMES)
    assert "dyn.managed_dns.api" in yaml.safe_load(importlib.import_module(
        "ansible_collections.dyn.managed_dns.plugins.modules.dyn_session").DOCUMENTATION)["extends_documentation_fragment"]


def test_the_scan_finds_a_long_form_self_reference():
    text = "Set O(dyn.managed_dns.dyn_session#module:return_token=true) (its RV(dyn.managed_dns.dyn_session#module:session))."
    assert len(_self_references("dyn_session", text)) == 2
    assert _self_references("dyn_session", "Set O(return_token=true); see O(dyn.managed_dns.dyn_zone#module:state).") == []


@pytest.mark.parametrize("module_name", MODULE_NAMES)
def test_a_module_names_its_own_options_plainly(module_name):
    assert _self_references(module_name, _documentation(module_name)) == []
