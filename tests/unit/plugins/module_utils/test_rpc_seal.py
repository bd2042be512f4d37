# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Sealing secrets for the dynect connection's JSON-RPC socket."""

from __future__ import annotations

import pytest

from ansible_collections.dyn.managed_dns.plugins.module_utils._rpc_seal import (
    PASSWORD_WORKS,
    PURPOSES,
    SEALED_TOKEN,
    UPDATE_PASSWORD,
    SealingKeys,
    seal,
    unseal,
)
from ansible_collections.dyn.managed_dns.plugins.module_utils.errors import DynectConfigError


def test_both_sides_derive_the_same_box_and_only_they_can_open():
    task, helper, stranger = SealingKeys(), SealingKeys(), SealingKeys()
    sealed = seal(task.box_with(helper.public), "Pässword-with-ümlauts-1", UPDATE_PASSWORD)

    assert "Pässword" not in sealed
    assert unseal(helper.box_with(task.public), sealed, UPDATE_PASSWORD) == "Pässword-with-ümlauts-1"
    with pytest.raises(DynectConfigError):
        unseal(stranger.box_with(task.public), sealed, UPDATE_PASSWORD)


def test_each_seal_is_different():
    task, helper = SealingKeys(), SealingKeys()
    box = task.box_with(helper.public)
    assert seal(box, "same", SEALED_TOKEN) != seal(box, "same", SEALED_TOKEN)


def test_public_keys_are_public_and_keys_do_not_show():
    keys = SealingKeys()
    assert len(keys.public) == 44  # 32 raw bytes, base64
    assert repr(keys) == "<SealingKeys X25519>"


@pytest.mark.parametrize("peer", ["not base64!", "AAAA"])
def test_an_unusable_peer_key_is_a_clear_error(peer):
    with pytest.raises(DynectConfigError, match="unusable public key"):
        SealingKeys().box_with(peer)


@pytest.mark.parametrize("made_for", PURPOSES)
@pytest.mark.parametrize("opened_for", PURPOSES)
def test_a_seal_opens_only_for_the_call_and_direction_it_was_made_for(made_for, opened_for):
    # Both directions share one key: the associated data is what keeps a token sealed for a task
    # from being sent back as a new password, or a sealed password from being replayed elsewhere.
    task, helper = SealingKeys(), SealingKeys()
    sealed = seal(task.box_with(helper.public), "Secret-Value-1", made_for)
    if made_for == opened_for:
        assert unseal(helper.box_with(task.public), sealed, opened_for) == "Secret-Value-1"
    else:
        with pytest.raises(DynectConfigError, match=f"not for {opened_for}") as refused:
            unseal(helper.box_with(task.public), sealed, opened_for)
        assert "Secret-Value-1" not in str(refused.value)


def test_purposes_name_the_direction_and_the_call():
    assert UPDATE_PASSWORD == "task->helper/update_password"
    assert PASSWORD_WORKS == "task->helper/password_works"
    assert SEALED_TOKEN == "helper->task/sealed_token"


def test_an_unknown_purpose_is_never_sealed_under():
    box = SealingKeys().box_with(SealingKeys().public)
    with pytest.raises(ValueError, match="unknown seal purpose"):
        seal(box, "x", "task->helper/anything")


@pytest.mark.parametrize("sealed", ["not base64!", ""])
def test_a_sealed_value_that_is_not_one_is_refused(sealed):
    box = SealingKeys().box_with(SealingKeys().public)
    with pytest.raises(DynectConfigError, match="refusing it"):
        unseal(box, sealed, SEALED_TOKEN)
