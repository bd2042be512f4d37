# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The dynect helper's sealed secret options (issue #22, items 3 and 5)."""

from __future__ import annotations

from ansible_collections.dyn.managed_dns.plugins.plugin_utils._sealed_options import SealedOptions

SECRETS = ("dyn_password", "dyn_key")


def test_a_hand_over_leaves_no_clear_secret_in_the_table():
    sealed = SealedOptions(SECRETS)
    table = {"dyn_password": "Old-Pw-1", "dyn_key": None, "dyn_customer": "acme"}
    sealed.take_from(table)
    assert table == {"dyn_password": None, "dyn_key": None, "dyn_customer": "acme"}
    assert sealed.get("dyn_password") == "Old-Pw-1" and sealed.get("dyn_key") is None
    assert "Old-Pw-1" not in repr(sealed) + repr(vars(sealed))


def test_a_confirmed_value_outlives_every_later_hand_over():
    sealed = SealedOptions(SECRETS)
    sealed.take_from({"dyn_password": "Old-Pw-1"})
    sealed.confirm("dyn_password", "New-Pw-2")
    for handed in ({"dyn_password": "Old-Pw-1"}, {"dyn_password": None}, {}):
        sealed.take_from(dict(handed))
        assert sealed.get("dyn_password") == "New-Pw-2"


def test_a_refused_hand_over_is_undone():
    sealed = SealedOptions(SECRETS)
    sealed.take_from({"dyn_password": "Old-Pw-1"})
    before = sealed.handed()
    sealed.take_from({"dyn_password": "Refused-3"})
    sealed.restore(before)
    assert sealed.get("dyn_password") == "Old-Pw-1"


def test_nothing_handed_reads_as_none():
    assert SealedOptions(SECRETS).get("dyn_password") is None
