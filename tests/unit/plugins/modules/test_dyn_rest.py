# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""dyn_rest, run in-process against the emulator."""

from __future__ import annotations

import json

import pytest

from ansible_collections.dyn.managed_dns.plugins.modules import dyn_session
from ansible_collections.dyn.managed_dns.plugins.modules.dyn_rest import main
from ansible_collections.dyn.managed_dns.tests.unit.plugins.module_utils.helpers import (
    OPS,
    READER,
    leaked,
    requests_made,
    server_secrets,
)

AS_OPS = {"customer": OPS[0], "username": OPS[1], "password": OPS[2]}
AS_READER = {"customer": READER[0], "username": READER[1], "password": READER[2]}
ZONE_OBJECT = {"zone_type": "Primary", "serial_style": "increment", "serial": 1, "zone": "example.com"}


@pytest.fixture
def token(run_module):
    """The token of an acme/ops session opened by dyn_session (return_token=true)."""
    return run_module(dyn_session.main, return_token=True, **AS_OPS)["token"]


class TestGet:
    def test_returns_data_msgs_and_job_id_without_a_change(self, run_module, emulator):
        result = run_module(main, path="Zone/example.com/", **AS_OPS)

        assert result["changed"] is False
        assert result["status"] == "success"
        assert result["data"] == ZONE_OBJECT
        assert [(msg["INFO"], msg["ERR_CD"]) for msg in result["msgs"]] == [("get: Your zone, example.com", None)]
        assert isinstance(result["job_id"], int) and result["job_id"] > 0
        assert requests_made(emulator, "GET /REST/Zone") == 1
        assert emulator.stats()["open_sessions"] == 0

    @pytest.mark.parametrize("path", ["/REST/Zone/example.com/", "REST/Zone/example.com", "/Zone/example.com", "rest/Zone/example.com/"])
    def test_a_leading_slash_or_rest_prefix_is_accepted(self, run_module, emulator, path):
        result = run_module(main, path=path, **AS_OPS)

        assert result["data"] == ZONE_OBJECT
        assert requests_made(emulator, "GET /REST/Zone") == 1

    def test_body_arguments_of_a_get(self, run_module):
        plain = run_module(main, path="SOARecord/example.com/example.com/", **AS_OPS)
        detailed = run_module(main, path="SOARecord/example.com/example.com/", body={"detail": "Y"}, **AS_OPS)

        assert plain["data"][0].startswith("/REST/SOARecord/example.com/example.com/")
        assert detailed["data"][0]["rdata"]["rname"] == "admin@example.com."

    def test_check_mode_sends_a_get(self, run_module, emulator):
        result = run_module(main, check_mode=True, path="Zone/", **AS_OPS)

        assert result["changed"] is False
        assert result["data"] == ["/REST/Zone/example.com/", "/REST/Zone/example.net/"]
        assert requests_made(emulator, "GET /REST/Zone") == 1

    def test_a_refused_request_fails_the_task(self, run_module, emulator):
        result = run_module(main, path="Zone/exmaple.com/", **AS_OPS)

        assert result["failed"] is True
        assert result["msg"].startswith("DynECT refused the request: ")
        assert "No such zone" in result["msg"]
        assert emulator.stats()["open_sessions"] == 0


class TestChanges:
    def test_put_reports_a_change(self, run_module, emulator):
        result = run_module(main, method="PUT", path="Zone/example.com/", body={"freeze": True}, **AS_OPS)

        assert result["changed"] is True
        assert [msg["INFO"] for msg in result["msgs"]] == ["freeze: Your zone is now frozen"]
        assert emulator.zone("example.com")["frozen"] is True

        thawed = run_module(main, method="PUT", path="Zone/example.com/", body={"thaw": True}, **AS_OPS)

        assert thawed["changed"] is True
        assert emulator.zone("example.com")["frozen"] is False

    def test_post_and_delete_in_a_token_session(self, run_module, emulator, token):
        added = run_module(main, token=token, method="POST", path="ARecord/example.com/www.example.com/", body={"rdata": {"address": "192.0.2.1"}, "ttl": 60})
        assert (added["changed"], added["data"]["rdata"], added["data"]["record_id"]) == (True, {"address": "192.0.2.1"}, 0)
        assert emulator.zone("example.com")["pending_changes"] == 1

        published = run_module(main, token=token, method="PUT", path="Zone/example.com/", body={"publish": True})
        assert (published["changed"], published["data"]["serial"]) == (True, 2)

        deleted = run_module(main, token=token, method="DELETE", path="ARecord/example.com/www.example.com/")
        assert deleted["changed"] is True
        assert emulator.zone("example.com")["pending_changes"] == 1

    @pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
    def test_check_mode_sends_nothing_else(self, run_module, emulator, method):
        result = run_module(main, check_mode=True, method=method, path="Zone/example.com/", body={"freeze": True}, **AS_OPS)

        assert result["changed"] is True
        assert "data" not in result and "msgs" not in result
        assert emulator.stats()["requests"] == {}
        assert emulator.zone("example.com")["frozen"] is False

    def test_a_failed_put(self, run_module, emulator):
        result = run_module(main, method="PUT", path="Zone/example.com/", body={"freeze": True}, **AS_READER)

        assert result["failed"] is True
        assert "ZoneFreeze is required on zone example.com" in result["msg"]
        assert emulator.zone("example.com")["frozen"] is False


class TestRefusals:
    @pytest.mark.parametrize("path", ["Session/", "Session", "/REST/Session/", "session", "REST/SESSION/"])
    @pytest.mark.parametrize("method", ["GET", "DELETE"])
    def test_the_session_resource_is_refused_before_any_request(self, run_module, emulator, token, path, method):
        requests = emulator.stats()["requests"]

        result = run_module(main, token=token, method=method, path=path)

        assert result["failed"] is True
        assert result["msg"] == "dyn_rest does not call Session/: log in, keep alive and log out with dyn.managed_dns.dyn_session."
        assert emulator.stats()["requests"] == requests
        assert emulator.stats()["open_sessions"] == 1

    @pytest.mark.parametrize("path", ["REST/REST/Session/", "REST//Session/"])
    def test_the_session_resource_is_refused_whatever_the_spelling(self, run_module, emulator, token, path):
        result = run_module(main, token=token, method="DELETE", path=path)

        assert requests_made(emulator, "DELETE /REST/Session") == 0
        assert emulator.stats()["open_sessions"] == 1
        assert result["failed"] is True

    @pytest.mark.parametrize(
        ("path", "problem"),
        [
            ("Zone/../Session/", "has a '..' segment, which the HTTP client resolves before sending"),
            ("Session/?x", "holds '?', which starts a query string"),
            ("Session/.", "has a '.' segment"),
            ("Session/./", "has a '.' segment"),
            ("%2e%2e/Session/", "holds '%2e', an encoded '.'"),
            ("Zone/%2E%2E/Session/", "holds '%2E'"),
            ("Zone%2FSession/", "holds '%2F'"),
            ("Zone/example.com/#x", "holds '#'"),
            ("Zone/\x01/", "holds the control character '\\x01'"),
        ],
    )
    @pytest.mark.parametrize("method", ["GET", "DELETE"])
    def test_a_path_the_server_could_read_as_another_is_refused_before_any_request(self, run_module, emulator, token, path, problem, method):
        before = emulator.stats()

        result = run_module(main, token=token, method=method, path=path)

        assert result["failed"] is True
        assert result["msg"].startswith("The API path ")
        assert problem in result["msg"]
        assert emulator.stats() == before  # nothing sent: the token's session is neither used nor logged out

    def test_a_refused_path_costs_no_login(self, run_module, emulator):
        result = run_module(main, path="Zone/../Session/", **AS_OPS)

        assert result["msg"] == (
            "The API path 'Zone/../Session/' has a '..' segment, which the HTTP client resolves before sending "
            "(Zone/../Session/ is sent as Session/); write the resource's own path, for example Zone/example.com/."
        )
        assert emulator.stats()["requests"] == {}

    @pytest.mark.parametrize("path", ["%53ession/", "Sess%69on/", "Session;x/", "Session/extra/"])
    def test_session_spelled_with_encoded_letters_or_parameters_is_still_the_session(self, run_module, emulator, token, path):
        before = emulator.stats()

        result = run_module(main, token=token, method="DELETE", path=path)

        assert result["msg"] == "dyn_rest does not call Session/: log in, keep alive and log out with dyn.managed_dns.dyn_session."
        assert emulator.stats() == before

    @pytest.mark.parametrize(
        ("body", "where"),
        [
            ({"password": "x"}, "body.password"),
            ({"new_password": "Secret-Value-1"}, "body.new_password"),
            ({"user": {"Auth_Token": "Secret-Value-2"}}, "body.user.Auth_Token"),
            ({"items": [{"ok": 1}, {"client_secret": "Secret-Value-3"}]}, "body.items[1].client_secret"),
            ({"key": "Secret-Value-4", "passwd": "Secret-Value-5"}, "body.key, body.passwd"),
        ],
    )
    def test_a_body_with_a_secret_is_refused_before_any_request(self, run_module, emulator, body, where):
        result = run_module(main, method="PUT", path="Password/", body=body, **AS_OPS)

        assert result["failed"] is True
        assert result["msg"].startswith(f"dyn_rest refuses to send {where}: a secret in a task's arguments")
        assert emulator.stats()["requests"] == {}

    def test_a_body_with_a_secret_is_refused_in_check_mode_too(self, run_module, emulator):
        result = run_module(main, check_mode=True, method="PUT", path="Password/", body={"password": "Other-Passw0rd"}, **AS_OPS)

        assert result["failed"] is True
        assert emulator.stats()["requests"] == {}

    @pytest.mark.parametrize(("args", "words"), [({"path": ""}, "path must not be empty"), ({"method": "PATCH", "path": "Zone/"}, "method")])
    def test_bad_options(self, run_module, emulator, args, words):
        result = run_module(main, **args, **AS_OPS)

        assert result["failed"] is True
        assert words in result["msg"]
        assert emulator.stats()["requests"] == {}


class TestSecrets:
    def test_no_password_or_token_in_the_results(self, run_module, emulator, token):
        results = [
            run_module(main, history=True, path="Zone/example.com/", **AS_OPS),
            run_module(main, history=True, token=token, method="PUT", path="Zone/example.com/", body={"freeze": True}),
            run_module(main, history=True, method="PUT", path="Password/", body={"password": OPS[2]}, **AS_OPS),
        ]

        assert [call["uri"] for call in results[0]["history"]] == ["/REST/Session/", "/REST/Zone/example.com/", "/REST/Session/"]
        assert leaked(json.dumps(results), server_secrets(emulator)) == []


def test_a_refused_secret_in_the_body_is_masked_in_the_result(run_module, emulator):
    # The result's invocation repeats the task's arguments; a secret under a secret-named key of
    # body must not be in it (ModuleSpec.secret_values, the module's masking point).
    result = run_module(main, method="POST", path="User/someone/", body={"user": {"password": "Body-Secret-771"}}, **AS_OPS)

    assert result["failed"] is True
    assert "Body-Secret-771" not in json.dumps(result)
    if "invocation" in result:  # ansible-core 2.21 adds it only with INJECT_INVOCATION
        assert result["invocation"]["module_args"]["body"]["user"]["password"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    assert emulator.stats()["requests"] == {}
