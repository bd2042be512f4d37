# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Secret masking for history and logs (_history)."""

from __future__ import annotations

import json

import pytest

from ansible_collections.dyn.managed_dns.plugins.module_utils._history import HistoryRecord, mask_secrets


@pytest.mark.parametrize(
    "key", ["password", "new_password", "Password", "token", "Auth-Token", "proxy_pass", "passwd", "client_secret", "key"]
)
def test_secret_keys_are_masked(key):
    assert mask_secrets({key: "s3cret", "user_name": "ops"}) == {key: "*****", "user_name": "ops"}


def test_masking_reaches_any_depth_and_leaves_the_original_alone():
    args = {"a": [{"b": {"token": "t"}}, ("x", {"new_password": "p"})], "zone": "example.com"}
    masked = mask_secrets(args)
    assert masked == {"a": [{"b": {"token": "*****"}}, ["x", {"new_password": "*****"}]], "zone": "example.com"}
    assert args["a"][0]["b"]["token"] == "t"


def test_a_history_record_is_a_json_serialisable_named_tuple():
    record = HistoryRecord("2026-01-01T00:00:00+00:00", "/REST/Session/", "POST", {"password": "*****"}, "success")
    timestamp, uri, method, args, status = record
    assert (uri, method, status) == ("/REST/Session/", "POST", "success")
    assert json.loads(json.dumps(record._asdict()))["args"] == {"password": "*****"}
