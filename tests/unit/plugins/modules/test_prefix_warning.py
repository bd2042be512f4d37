# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Issue #25 (4): a prefix that already ends with the zone's name warns and suggests record, in both record modules."""

from __future__ import annotations

import pytest

from ansible_collections.dyn.managed_dns.plugins.modules import dyn_record_set, dyn_record_sets
from ansible_collections.dyn.managed_dns.tests.unit.plugins.module_utils.helpers import OPS

AS_OPS = {"customer": OPS[0], "username": OPS[1], "password": OPS[2]}
DOUBLED = (
    "prefix www.example.com already ends with the zone's name example.com, and a prefix is relative to the zone: the record "
    "set is www.example.com.example.com. To mean www.example.com, give it as record: www.example.com instead."
)


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts the module passes to ``module.warn`` (in-process, ansible-core shows them instead of returning them)."""
    from ansible.module_utils.basic import AnsibleModule

    seen: list[str] = []
    monkeypatch.setattr(AnsibleModule, "warn", lambda self, warning, *args, **kwargs: seen.append(warning))
    return seen


def test_dyn_record_set_warns_about_a_prefix_that_holds_the_zone(run_module, warnings):
    result = run_module(dyn_record_set.main, zone="example.com", prefix="www.example.com", type="A", value=["192.0.2.1"], **AS_OPS)

    assert result["changed"] is True  # a valid name: it is still made, as asked
    assert warnings == [DOUBLED]


def test_dyn_record_sets_names_the_entry_whose_prefix_holds_the_zone(run_module, warnings):
    sets = [
        {"prefix": "www", "type": "A", "value": ["192.0.2.1"]},
        {"prefix": "WWW.Example.com.", "type": "TXT", "value": ["x"]},
        {"prefix": "example.com", "type": "TXT", "value": ["y"]},
    ]
    result = run_module(dyn_record_sets.main, zone="example.com", record_sets=sets, **AS_OPS)

    assert "failed" not in result, result
    assert warnings == [
        "record_sets[1]: prefix WWW.Example.com. already ends with the zone's name example.com, and a prefix is relative to the "
        "zone: the record set is www.example.com.example.com. To mean www.example.com, give it as record: www.example.com instead.",
        "record_sets[2]: prefix example.com already ends with the zone's name example.com, and a prefix is relative to the "
        "zone: the record set is example.com.example.com. To mean example.com, give it as record: example.com instead (or prefix: @).",
    ]


@pytest.mark.parametrize("prefix", ["www", "@", "", "www.example.org", "notexample.com"])
def test_a_prefix_that_does_not_hold_the_zone_is_silent(run_module, warnings, prefix):
    result = run_module(dyn_record_set.main, zone="example.com", prefix=prefix, type="TXT", value=["z"], **AS_OPS)

    assert "failed" not in result, result
    assert warnings == []
