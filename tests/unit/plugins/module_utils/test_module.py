# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""describe_error: the one sentence a failed task shows, for each kind of failure and route."""

from __future__ import annotations

import pytest

from ansible_collections.dyn.managed_dns.plugins.module_utils._module import describe_error
from ansible_collections.dyn.managed_dns.plugins.module_utils.errors import (
    DynectAuthError,
    DynectConfigError,
    DynectGetError,
)

LOGIN = {"method": "POST", "uri": "/REST/Session/"}
C1 = [
    {"INFO": "login: Credentials you entered did not match those in our database. Please try again", "ERR_CD": "INVALID_DATA"},
    {"INFO": "login: Login failed", "ERR_CD": None},
]
C4 = [{"INFO": "login: Bad or expired credentials", "ERR_CD": "INVALID_DATA"}]


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        pytest.param(
            DynectAuthError(messages=C1, http_status=400, **LOGIN),
            "DynECT refused the login: POST /REST/Session/ failed (HTTP 400): login: Credentials you entered did "
            "not match those in our database. Please try again; login: Login failed; check customer, username and password.",
            id="credentials-refused",
        ),
        pytest.param(
            DynectAuthError(
                messages=[{"INFO": "user_name: required field missing", "ERR_CD": "MISSING_DATA"}], http_status=400, **LOGIN
            ),
            "DynECT refused the login: POST /REST/Session/ failed (HTTP 400): user_name: required field missing; "
            "check customer, username and password.",
            id="field-missing",
        ),
        pytest.param(
            DynectAuthError(messages=[{"INFO": "version: unknown", "ERR_CD": "INVALID_VERSION"}], http_status=400, **LOGIN),
            "DynECT refused the login: POST /REST/Session/ failed (HTTP 400): version: unknown; check api_version.",
            id="api-version",
        ),
        pytest.param(
            DynectAuthError(messages=[{"INFO": "request: not recognized", "ERR_CD": "INVALID_REQUEST"}], http_status=400, **LOGIN),
            "DynECT refused the login: POST /REST/Session/ failed (HTTP 400): request: not recognized.",
            id="other-api-refusal",
        ),
        pytest.param(
            DynectAuthError("body is not JSON", http_status=500, **LOGIN),
            "The DynECT login failed: POST /REST/Session/ failed (HTTP 500): body is not JSON; check host and port, "
            "or try again later.",
            id="error-page",
        ),
        pytest.param(
            DynectAuthError("Unable to access the API host: refused", **LOGIN),
            "POST /REST/Session/ failed: Unable to access the API host: refused; check host, port, ssl and the proxy options.",
            id="no-answer",
        ),
        pytest.param(
            DynectConfigError("port must be a TCP port number from 1 to 65535, not 0"),
            "Unusable DynECT options: port must be a TCP port number from 1 to 65535, not 0.",
            id="options",
        ),
        pytest.param(
            DynectGetError(messages=[{"INFO": "zone: No such zone"}], method="GET", uri="/REST/Zone/x/", http_status=404),
            "DynECT refused the request: GET /REST/Zone/x/ failed (HTTP 404): zone: No such zone.",
            id="request-refused",
        ),
    ],
)
def test_one_sentence_per_failure(error, expected):
    assert describe_error(error) == expected


def test_a_dropped_session_is_told_by_route():
    dropped = DynectAuthError(messages=C4, method="GET", uri="/REST/Zone/", http_status=400)

    direct = describe_error(dropped)
    through_connection = describe_error(dropped, through_connection=True)

    assert direct.startswith("The DynECT session of the given token is no longer valid")
    assert through_connection.startswith("The play's DynECT session, held by the dyn.managed_dns.dynect connection")
    assert "token" not in through_connection
    assert direct.endswith(": GET /REST/Zone/ failed (HTTP 400): login: Bad or expired credentials.")
    assert through_connection.endswith(": GET /REST/Zone/ failed (HTTP 400): login: Bad or expired credentials.")
