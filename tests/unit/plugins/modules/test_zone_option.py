# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The ``zone`` option: one spec entry per meaning (``_records.zone_option``), documented by the matching variant of
the ``dyn.managed_dns.zone`` doc fragment, used by every module that takes a zone."""

from __future__ import annotations

import importlib

import pytest
import yaml

from ansible_collections.dyn.managed_dns.plugins.doc_fragments.zone import ModuleDocFragment
from ansible_collections.dyn.managed_dns.plugins.module_utils._records import ZONE_OPTION_VARIANTS, zone_option

# Every module that takes a zone, and what the zone is to it.
MODULE_VARIANTS = {
    "dyn_record_set": "change",
    "dyn_record_sets": "change",
    "dyn_zone_changes": "change",
    "dyn_record_set_info": "read",
    "dyn_zone_info": "read_or_list",
    "dyn_permissions_info": "permission_scope",
}
_DOCUMENTED_KEYS = ("type", "required", "aliases")


def _fragment_zone(variant: str) -> dict:
    return yaml.safe_load(getattr(ModuleDocFragment, variant.upper()))["options"]["zone"]


def _module(name: str):
    return importlib.import_module(f"ansible_collections.dyn.managed_dns.plugins.modules.{name}")


@pytest.mark.parametrize("variant", ZONE_OPTION_VARIANTS)
def test_each_fragment_variant_documents_its_spec_entry(variant):
    documented = _fragment_zone(variant)
    assert {key: documented[key] for key in _DOCUMENTED_KEYS if key in documented} == zone_option(variant)


def test_the_variants_are_the_three_meanings_and_a_listing():
    assert ZONE_OPTION_VARIANTS == ("change", "read", "read_or_list", "permission_scope")


@pytest.mark.parametrize(("name", "variant"), MODULE_VARIANTS.items())
def test_every_module_takes_its_zone_from_the_one_spec_and_documents_it_with_the_fragment(name, variant):
    module = _module(name)
    documentation = yaml.safe_load(module.DOCUMENTATION)

    assert module.SPEC.options["zone"] == zone_option(variant)
    assert f"dyn.managed_dns.zone.{variant}" in documentation["extends_documentation_fragment"]
    assert "zone" not in (documentation.get("options") or {})  # the fragment is the one text


@pytest.mark.parametrize("variant", ZONE_OPTION_VARIANTS)
def test_the_entry_is_a_fresh_copy(variant):
    entry = zone_option(variant)
    entry.setdefault("aliases", []).append("domain")
    assert "domain" not in zone_option(variant).get("aliases", [])


@pytest.mark.parametrize("variant", ZONE_OPTION_VARIANTS)
def test_every_variant_tells_the_names_refused_before_anything_is_sent(variant):
    # The refusals of _records.zone_name (tests/unit/plugins/module_utils/test_records.py).
    text = " ".join(_fragment_zone(variant)["description"])
    for refusal in ("trailing dot are dropped", "a slash or a backslash", "an empty label", "longer than 63 octets", "longer than 253 octets"):
        assert refusal in text
