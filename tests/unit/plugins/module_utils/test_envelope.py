# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Decoding and reading reply envelopes (_envelope), including bodies the emulator never sends."""

from __future__ import annotations

import json

import pytest

from ansible_collections.dyn.managed_dns.plugins.module_utils._envelope import MalformedReply, decode_envelope

BLOCKED = {
    "status": "failure",
    "data": {},
    "job_id": 5,
    "msgs": [
        {"INFO": "zone: Operation blocked by current task", "SOURCE": "BLL", "ERR_CD": "ILLEGAL_OPERATION", "LVL": "ERROR"},
        {"INFO": "task_name: ProvisionZone", "SOURCE": "BLL", "ERR_CD": None, "LVL": "INFO"},
        {"INFO": "task_id: 39120953", "SOURCE": "BLL", "ERR_CD": None, "LVL": "INFO"},
    ],
}


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "empty body"),
        (b"  \n", "empty body"),
        (b"<html>Bad Gateway</html>", "not JSON"),
        (b"\xff\xfe", "not JSON"),
        (b"[1, 2]", "no status"),
        (b"42", "no status"),
        (b'{"data": {}}', "no status"),
    ],
)
def test_bodies_that_are_not_envelopes_are_refused_with_a_reason(body, reason):
    with pytest.raises(MalformedReply, match=reason):
        decode_envelope(body)


def test_a_one_element_array_is_unwrapped():
    assert decode_envelope(json.dumps([BLOCKED]).encode()).body == BLOCKED


def test_task_blocking_is_read_from_the_messages():
    envelope = decode_envelope(json.dumps(BLOCKED).encode())
    assert envelope.task_blocked
    assert envelope.blocking_task_id == "39120953"
    assert not envelope.session_invalid
    assert not envelope.rate_limited


def test_messages_without_err_cd_or_info_are_read_safely():
    # The SDK raised KeyError on a msg without ERR_CD.
    envelope = decode_envelope(b'{"status": "failure", "msgs": [{"INFO": "x"}, {"LVL": "INFO"}, "junk"]}')
    assert not envelope.rate_limited
    assert not envelope.task_blocked
    assert envelope.blocking_task_id is None
    assert envelope.messages == [{"INFO": "x"}, {"LVL": "INFO"}]
    assert envelope.job_id is None


def test_the_bare_incomplete_reply():
    envelope = decode_envelope(b'{"status": "incomplete", "data": null, "job_id": 966935380}')
    assert (envelope.status, envelope.job_id, envelope.messages, envelope.data) == ("incomplete", 966935380, [], None)
