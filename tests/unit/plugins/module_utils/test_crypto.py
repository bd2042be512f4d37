# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The stored password's encryption (_crypto) and the session's use of it."""

from __future__ import annotations

import os

import pytest

from ansible_collections.dyn.managed_dns.plugins.module_utils._crypto import SecretBox
from ansible_collections.dyn.managed_dns.plugins.module_utils.errors import DynectConfigError

PASSWORD = "Ops-Passw0rd-ünïcode"


@pytest.mark.parametrize("key", [None, "any text key", os.urandom(32)], ids=["random per process", "text", "32 raw bytes"])
def test_seal_and_open_round_trip(key):
    box = SecretBox(key)
    sealed = box.seal(PASSWORD)
    assert PASSWORD.encode() not in sealed
    assert box.seal(PASSWORD) != sealed  # a fresh nonce every time
    assert box.open(sealed) == PASSWORD


def test_key_none_is_one_random_key_per_process():
    assert SecretBox().open(SecretBox().seal(PASSWORD)) == PASSWORD


def test_another_key_cannot_open_the_password():
    sealed = SecretBox("first key").seal(PASSWORD)
    with pytest.raises(DynectConfigError, match="cannot be decrypted"):
        SecretBox("second key").open(sealed)


@pytest.mark.parametrize(("key", "message"), [("", "must not be empty"), (b"short", "exactly 32 bytes"), (42, "not int")])
def test_an_unusable_key_is_a_clear_error(key, message):
    with pytest.raises(DynectConfigError, match=message):
        SecretBox(key)


def test_an_unusable_key_fails_the_session_before_any_request(connect, emulator):
    with pytest.raises(DynectConfigError):
        connect(key=b"too short")
    assert emulator.stats()["requests"] == {}


def test_a_session_with_a_key_logs_in_again_with_the_decrypted_password(connect, emulator):
    session = connect(key="my own key")
    emulator.fault("expire_token", match="GET /REST/Zone")
    assert session.execute("/Zone/", "GET")["status"] == "success"
    assert emulator.stats()["failed_logins"] == 0
