# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The error classes: the SDK's names, one-sentence texts that carry the API's messages and the request."""

from __future__ import annotations

import pickle

import pytest

from ansible_collections.dyn.managed_dns.plugins.module_utils.errors import (
    DynectAuthError,
    DynectCreateError,
    DynectDeleteError,
    DynectError,
    DynectGetError,
    DynectInvalidArgumentError,
    DynectNodeNotFoundError,
    DynectQueryTimeout,
    DynectUpdateError,
    DynectZoneNotFoundError,
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


NO_SUCH_ZONE = [{"INFO": "zone: No such zone", "SOURCE": "API-B", "ERR_CD": "NOT_FOUND", "LVL": "ERROR"}]


def test_a_missing_zone_keeps_the_requests_words_and_names_the_zone():
    error = DynectZoneNotFoundError(zone="exmaple.com", messages=NO_SUCH_ZONE, method="GET", uri="/REST/Zone/exmaple.com/", http_status=404)
    assert isinstance(error, DynectError)
    assert str(error) == "GET /REST/Zone/exmaple.com/ failed (HTTP 404): zone: No such zone"
    assert (error.zone, error.error_codes) == ("exmaple.com", ["NOT_FOUND"])


def test_a_missing_node_names_its_zone_and_node():
    error = DynectNodeNotFoundError(zone="example.com", node="old.example.com", method="DELETE", uri="/REST/ARecord/x/", http_status=404)
    assert isinstance(error, DynectError)
    assert (error.zone, error.node) == ("example.com", "old.example.com")


@pytest.mark.parametrize(
    "error",
    [
        DynectZoneNotFoundError(zone="exmaple.com", messages=NO_SUCH_ZONE, method="GET", uri="/REST/Zone/exmaple.com/", http_status=404),
        DynectNodeNotFoundError(zone="example.com", node="old.example.com", method="GET", uri="/REST/ARecord/x/", http_status=404),
    ],
)
def test_a_not_found_error_survives_pickling(error):
    # multiprocessing and concurrent.futures carry errors between processes this way.
    copied = pickle.loads(pickle.dumps(error))
    assert copied.__class__ is error.__class__
    assert str(copied) == str(error)
    assert vars(copied) == vars(error)
