# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The error classes: the SDK's names, one-sentence texts that carry the API's messages and the request."""

from __future__ import annotations

import pytest

from ansible_collections.dyn.managed_dns.plugins.module_utils.errors import (
    DynectAuthError,
    DynectCreateError,
    DynectDeleteError,
    DynectError,
    DynectGetError,
    DynectInvalidArgumentError,
    DynectQueryTimeout,
    DynectUpdateError,
    error_class_for_method,
)

EXPIRED = [
    {"INFO": "login: Bad or expired credentials", "SOURCE": "BLL", "ERR_CD": "INVALID_DATA", "LVL": "ERROR"},
    {"INFO": "login: There was a problem with your credentials", "SOURCE": "BLL", "ERR_CD": None, "LVL": "INFO"},
]


def test_str_carries_method_path_status_and_every_api_message():
    error = DynectGetError(messages=EXPIRED, method="GET", uri="/REST/Zone/", http_status=400)
    assert str(error) == (
        "GET /REST/Zone/ failed (HTTP 400): login: Bad or expired credentials; "
        "login: There was a problem with your credentials"
    )
    assert error.message == str(error)
    assert error.error_codes == ["INVALID_DATA"]
    assert error.messages == EXPIRED


def test_reason_comes_before_the_api_messages():
    error = DynectCreateError("still blocked", messages=EXPIRED[:1], method="POST", uri="/REST/Zone/x/")
    assert str(error) == "POST /REST/Zone/x/ failed: still blocked; login: Bad or expired credentials"


@pytest.mark.parametrize("messages", [[], [{"INFO": None}], [{"SOURCE": "BLL"}]])
def test_no_message_still_gives_a_string(messages):
    # The SDK's DynectQueryTimeout({}) made str() raise TypeError, and an empty POST msgs list IndexError.
    error = DynectQueryTimeout(messages=messages, method="PUT", uri="/REST/Job/1/")
    assert str(error) == "PUT /REST/Job/1/ failed: the API gave no message"
    assert isinstance(repr(error), str)


def test_an_error_without_request_is_just_its_reason():
    assert str(DynectError("nothing sent")) == "nothing sent"
    assert DynectError("x").http_status is None


def test_invalid_argument_keeps_the_sdk_signature_and_is_a_value_error():
    error = DynectInvalidArgumentError("method", "PATCH", ("GET", "PUT"))
    assert isinstance(error, ValueError)
    assert str(error) == "Invalid argument (method, PATCH) :: valid values are: GET, PUT"
    assert str(DynectInvalidArgumentError("ttl", -1)) == "Invalid argument (ttl, -1)"


@pytest.mark.parametrize(
    ("method", "error_class"),
    [("POST", DynectCreateError), ("put", DynectUpdateError), ("GET", DynectGetError), ("DELETE", DynectDeleteError)],
)
def test_error_class_for_method_is_the_sdks_mapping(method, error_class):
    assert error_class_for_method(method) is error_class


def test_every_error_is_a_dynect_error():
    for error_class in (DynectAuthError, DynectCreateError, DynectQueryTimeout, DynectInvalidArgumentError):
        assert issubclass(error_class, DynectError)


def test_outcome_unknown_is_false_unless_the_raiser_says_so():
    assert DynectUpdateError("refused", method="PUT", uri="/REST/Password/").outcome_unknown is False
    assert DynectInvalidArgumentError("ttl", -1).outcome_unknown is False
    lost = DynectUpdateError("no answer within 1 s", method="PUT", uri="/REST/Password/", outcome_unknown=True)
    assert lost.outcome_unknown is True
    assert str(lost) == "PUT /REST/Password/ failed: no answer within 1 s"  # the text does not change


def test_outcome_unknown_is_keyword_only():
    with pytest.raises(TypeError):
        positional_outcome = DynectError("x", (), "PUT", "/REST/Password/", None, True)
        assert positional_outcome is None  # not reached
