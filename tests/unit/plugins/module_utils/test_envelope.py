# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Decoding and reading reply envelopes (_envelope), including bodies the emulator never sends (too deep, not UTF-8)."""

from __future__ import annotations

import json
import random
import time

import pytest

from ansible_collections.dyn.managed_dns.plugins.module_utils._envelope import (
    MAX_JSON_DEPTH,
    MalformedReply,
    _nesting_depth,
    decode_envelope,
)

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


# --- bodies that would make the decoder recurse (issue #22) ------------------------------------------------

TOO_DEEP = "body nests JSON arrays or objects more than 100 levels deep"


def nested(depth, inner=b"1"):
    """An envelope whose ``data`` is a list nested so that the whole body is ``depth`` levels deep."""
    lists = depth - 1  # the envelope itself is the first level
    return b'{"status": "success", "data": ' + b"[" * lists + inner + b"]" * lists + b"}"


@pytest.mark.parametrize(
    "body",
    [b"[" * 100000, b'{"a": ' * 100000, b'{"status": "success", "data": ' + b"[{" * 50000],
    ids=["arrays", "objects", "unclosed-mix"],
)
def test_a_body_nested_past_the_limit_is_refused_before_it_is_decoded(body):
    # json's decoder would recurse once per level, into Python's recursion limit (RecursionError).
    with pytest.raises(MalformedReply, match=TOO_DEEP):
        decode_envelope(body)


def test_the_limit_counts_nesting_not_the_brackets_inside_strings():
    assert MAX_JSON_DEPTH == 100
    assert decode_envelope(nested(100)).status == "success"
    with pytest.raises(MalformedReply, match=TOO_DEEP):
        decode_envelope(nested(101))
    # Brackets and escaped quotes inside strings are text: they neither count...
    bracketed = json.dumps({"status": "success", "data": "[" * 300 + '\\"{' * 300}).encode()
    assert decode_envelope(bracketed).data.startswith("[[[")
    # ...nor hide the nesting that follows a string full of closing ones.
    with pytest.raises(MalformedReply, match=TOO_DEEP):
        decode_envelope(b'{"msgs": "' + b"]}" * 300 + b'", "status": "success", "data": ' + b"[" * 100 + b"1" + b"]" * 100 + b"}")


def reference_depth(body):
    """How deep json's decoder would nest reading ``body``, one character at a time, up to a stray backslash.

    The decoder stops at its first error; a backslash outside a string is the one error after
    which the fast scan may read strings differently, so the comparison stops there too.
    """
    depth = deepest = 0
    inside = escaped = False
    for character in body.decode("latin-1"):
        if escaped:
            escaped = False
        elif inside:
            escaped = character == "\\"
            inside = character != '"'
        elif character == "\\":
            return deepest, True
        elif character == '"':
            inside = True
        elif character in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif character in "]}":
            depth -= 1
    return deepest, False


def test_the_nesting_scan_sees_strings_where_the_decoder_does():
    rng = random.Random(22)
    for _case in range(20000):
        body = bytes(rng.choice(b'[]{}""\\\\a') for _byte in range(rng.randint(0, 40)))
        expected, stopped_early = reference_depth(body)
        found = max(_nesting_depth(body), 0)
        if stopped_early:
            assert found >= expected, body  # counted past the decoder's stop: never shallower
        else:
            assert found == expected, body


def test_the_nesting_scan_is_quick_on_a_big_zone():
    record = {"zone": "example.com", "ttl": 300, "fqdn": "", "record_type": "TXT", "rdata": {"txtdata": 'v=1 "[x]"'}, "record_id": 1}
    records = [dict(record, fqdn=f"host{number}.example.com") for number in range(50000)]
    body = json.dumps({"status": "success", "data": {"txt_records": records}, "job_id": 1, "msgs": []}).encode()
    started = time.monotonic()
    assert _nesting_depth(body) == 5
    assert time.monotonic() - started < 1  # bytes operations, not a Python loop per character


@pytest.mark.parametrize(
    ("body", "accepted"),
    [
        (json.dumps(BLOCKED).encode("utf-16"), False),
        (json.dumps(BLOCKED).encode("utf-32"), False),
        (b"\xef\xbb\xbf" + json.dumps(BLOCKED).encode(), True),
    ],
    ids=["utf-16", "utf-32", "utf-8-with-bom"],
)
def test_only_utf8_is_decoded(body, accepted):
    # In UTF-16 or UTF-32 a quote or bracket byte may be part of another character: the scan could
    # not tell where strings are, so such bodies (which the API never sends) are refused.
    if accepted:
        assert decode_envelope(body).body == BLOCKED
    else:
        with pytest.raises(MalformedReply, match=r"body is not JSON \(not UTF-8\)"):
            decode_envelope(body)
