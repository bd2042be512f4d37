# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Sealing secrets for the dynect connection's JSON-RPC socket."""

from __future__ import annotations

import pytest

from ansible_collections.dyn.managed_dns.plugins.module_utils._rpc_seal import SealingKeys, seal, unseal
from ansible_collections.dyn.managed_dns.plugins.module_utils.errors import DynectConfigError


def test_both_sides_derive_the_same_box_and_only_they_can_open():
    task, helper, stranger = SealingKeys(), SealingKeys(), SealingKeys()
    sealed = seal(task.box_with(helper.public), "Pässword-with-ümlauts-1")

    assert "Pässword" not in sealed
    assert unseal(helper.box_with(task.public), sealed) == "Pässword-with-ümlauts-1"
    with pytest.raises(DynectConfigError):
        unseal(stranger.box_with(task.public), sealed)


def test_each_seal_is_different():
    task, helper = SealingKeys(), SealingKeys()
    box = task.box_with(helper.public)
    assert seal(box, "same") != seal(box, "same")


def test_public_keys_are_public_and_keys_do_not_show():
    keys = SealingKeys()
    assert len(keys.public) == 44  # 32 raw bytes, base64
    assert repr(keys) == "<SealingKeys X25519>"


@pytest.mark.parametrize("peer", ["not base64!", "AAAA"])
def test_an_unusable_peer_key_is_a_clear_error(peer):
    with pytest.raises(DynectConfigError, match="unusable public key"):
        SealingKeys().box_with(peer)
