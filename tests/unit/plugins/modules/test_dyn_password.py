# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""dyn_password, run in-process against the emulator."""

from __future__ import annotations

import json

import pytest

from ansible_collections.dyn.managed_dns.plugins.modules import dyn_session
from ansible_collections.dyn.managed_dns.plugins.modules.dyn_password import main
from ansible_collections.dyn.managed_dns.tests.unit.plugins.module_utils.helpers import (
    DEPLOY,
    leaked,
    requests_made,
    server_secrets,
)

ACCOUNT = {"customer": DEPLOY[0], "username": DEPLOY[1]}
OLD_PASSWORD = DEPLOY[2]
NEW_PASSWORD = "Rotated-Key-43"


@pytest.fixture
def can_log_in(run_module):
    """``can_log_in(password)``: whether the account accepts that password now."""

    def can_log_in(password: str) -> bool:
        return not run_module(dyn_session.main, password=password, **ACCOUNT).get("failed")

    return can_log_in


@pytest.fixture
def token(run_module):
    return run_module(dyn_session.main, return_token=True, password=OLD_PASSWORD, **ACCOUNT)["token"]


class TestAlways:
    def test_changes_the_password(self, run_module, emulator, can_log_in):
        result = run_module(main, password=OLD_PASSWORD, new_password=NEW_PASSWORD, **ACCOUNT)

        assert result["changed"] is True
        assert requests_made(emulator, "PUT /REST/Password") == 1
        assert emulator.stats()["open_sessions"] == 0
        assert can_log_in(NEW_PASSWORD) and not can_log_in(OLD_PASSWORD)

    def test_check_mode_checks_the_login_and_sends_nothing(self, run_module, emulator, can_log_in):
        result = run_module(main, check_mode=True, password=OLD_PASSWORD, new_password=NEW_PASSWORD, **ACCOUNT)

        assert result["changed"] is True
        assert requests_made(emulator, "PUT /REST/Password") == 0
        assert emulator.stats()["logins"] == 1
        assert can_log_in(OLD_PASSWORD)

    def test_check_mode_still_refuses_a_wrong_login(self, run_module):
        result = run_module(main, check_mode=True, password="Wrong-Key-1", new_password=NEW_PASSWORD, **ACCOUNT)

        assert result["failed"] is True
        assert result["msg"].startswith("DynECT refused the login: ")

    def test_diff_hides_both_passwords(self, run_module, emulator):
        result = run_module(main, diff=True, password=OLD_PASSWORD, new_password=NEW_PASSWORD, **ACCOUNT)

        assert result["diff"]["before"] != result["diff"]["after"]
        assert leaked(json.dumps(result), server_secrets(emulator)) == []

    def test_token_keeps_working_and_later_logins_need_the_new_password(
        self, run_module, emulator, token, can_log_in
    ):
        result = run_module(main, token=token, new_password=NEW_PASSWORD)

        assert result["changed"] is True
        assert run_module(dyn_session.main, token=token)["changed"] is False  # still alive
        assert requests_made(emulator, "POST /REST/Session") == 1  # the fixture's login only
        assert can_log_in(NEW_PASSWORD)


class TestOnMismatch:
    def test_second_run_changes_nothing(self, run_module, emulator):
        args = {"password": OLD_PASSWORD, "new_password": NEW_PASSWORD, "update_password": "on_mismatch", **ACCOUNT}

        first = run_module(main, **args)
        second = run_module(main, **args)  # the old password would no longer log in: it is not needed

        assert (first["changed"], second["changed"]) == (True, False)
        assert requests_made(emulator, "PUT /REST/Password") == 1
        assert emulator.stats()["open_sessions"] == 0

    def test_check_mode_predicts_exactly(self, run_module, emulator):
        args = {"password": OLD_PASSWORD, "new_password": NEW_PASSWORD, "update_password": "on_mismatch", **ACCOUNT}

        before = run_module(main, check_mode=True, **args)
        run_module(main, **args)
        after = run_module(main, check_mode=True, **args)

        assert (before["changed"], after["changed"]) == (True, False)
        assert requests_made(emulator, "PUT /REST/Password") == 1

    def test_with_a_token_the_trial_login_is_logged_out(self, run_module, emulator, token):
        result = run_module(
            main, token=token, new_password=NEW_PASSWORD, update_password="on_mismatch", history=True, **ACCOUNT
        )

        assert result["changed"] is True
        assert [(call["method"], call["uri"], call["status"]) for call in result["history"]] == [
            ("POST", "/REST/Session/", "failure"),
            ("PUT", "/REST/Password/", "success"),
        ]
        assert emulator.stats()["open_sessions"] == 1  # only the token's

        again = run_module(main, token=token, new_password=NEW_PASSWORD, update_password="on_mismatch", **ACCOUNT)

        assert again["changed"] is False
        assert emulator.stats()["open_sessions"] == 1

    def test_needs_to_know_whose_password_it_is(self, run_module, emulator, token):
        result = run_module(main, token=token, new_password=NEW_PASSWORD, update_password="on_mismatch")

        assert result["failed"] is True
        assert result["msg"] == (
            "Trying a password is a login, which needs customer and username (or DYN_CUSTOMER and DYN_USERNAME), "
            "even when a token is given."
        )

    def test_history_masks_every_password(self, run_module, emulator):
        result = run_module(
            main, password=OLD_PASSWORD, new_password=NEW_PASSWORD, update_password="on_mismatch", history=True, **ACCOUNT
        )

        assert [call["method"] for call in result["history"]] == ["POST", "POST", "PUT", "DELETE"]
        assert result["history"][2]["args"] == {"password": "*****"}
        assert leaked(json.dumps(result), server_secrets(emulator)) == []


class TestBadInput:
    @pytest.mark.parametrize("new_password", ["", "   "])
    def test_an_empty_new_password_is_refused_before_any_request(self, run_module, emulator, new_password):
        result = run_module(main, new_password=new_password, password=OLD_PASSWORD, **ACCOUNT)

        assert result["failed"] is True
        assert result["msg"].startswith("new_password must not be empty")
        assert result["msg"].endswith("; set it.")
        assert emulator.stats()["requests"] == {}


class TestFailedChange:
    """A failed change must leave the old password working, and say so."""

    @pytest.mark.parametrize(
        ("new_password", "reason"),
        [
            pytest.param("short", "at least 8 characters", id="policy"),
            pytest.param(OLD_PASSWORD, "must be different from the current password", id="unchanged"),
        ],
    )
    def test_refused_by_the_server(self, run_module, can_log_in, new_password, reason):
        result = run_module(main, password=OLD_PASSWORD, new_password=new_password, **ACCOUNT)

        assert result["failed"] is True
        assert result["msg"].startswith("The password was not changed, the old password is still valid: ")
        assert reason in result["msg"]
        assert can_log_in(OLD_PASSWORD)

    def test_server_error_page_is_resolved_by_a_login_with_the_new_password(self, run_module, emulator, can_log_in):
        emulator.fault("server_error", match="PUT /REST/Password")

        result = run_module(main, password=OLD_PASSWORD, new_password=NEW_PASSWORD, history=True, **ACCOUNT)

        assert result["failed"] is True
        assert result["credentials_refused"] is False
        assert result["msg"].startswith("The password was not changed, the old password is still valid: ")
        assert "HTTP 500" in result["msg"]
        assert "a login with the new password is refused while the old one still works" in result["msg"]
        # Issue #25 (4): an error page without a verdict is not "refused", and two logins reached the API.
        assert "DynECT refused the request" not in result["msg"]
        assert result["msg"].endswith("the change was not carried out; nothing was changed, so the task can run again.")
        # The change, the probe with the new password (refused), the probe with the old one and its logout, the logout.
        assert [call["method"] for call in result["history"]] == ["POST", "PUT", "POST", "POST", "DELETE", "DELETE"]
        assert can_log_in(OLD_PASSWORD) and not can_log_in(NEW_PASSWORD)

    def test_lost_answer_is_resolved_by_a_login_with_the_new_password(self, run_module, emulator, can_log_in):
        emulator.fault("drop_connection", match="PUT /REST/Password")

        result = run_module(main, password=OLD_PASSWORD, new_password=NEW_PASSWORD, history=True, **ACCOUNT)

        assert result["failed"] is True
        assert "the old password is still valid" in result["msg"]
        # Issue #25 (4): the API answered both logins that settled it, so neither host, port nor proxy is in question.
        assert "check host" not in result["msg"] and "proxy" not in result["msg"]
        assert result["msg"].endswith("the change was not carried out; nothing was changed, so the task can run again.")
        assert [(call["method"], call["status"]) for call in result["history"]] == [
            ("POST", "success"),
            ("PUT", "transport error"),
            ("POST", "failure"),
            ("POST", "success"),
            ("DELETE", "success"),
            ("DELETE", "success"),
        ]
        assert emulator.stats()["open_sessions"] == 0
        assert can_log_in(OLD_PASSWORD)

    def test_refusal_in_a_token_session_does_not_claim_to_know_the_old_password(self, run_module, token, can_log_in):
        # The task never logged in with the old password, so it says nothing about one.
        result = run_module(main, token=token, new_password="short")

        assert result["failed"] is True
        assert result["msg"].startswith(
            "The password was not changed, so the account keeps the password it had before this task "
            "(which this task never used: it works in a token's session): "
        )
        assert "old password is still valid" not in result["msg"]
        assert can_log_in(OLD_PASSWORD)

    def test_lost_answer_without_a_way_to_tell(self, run_module, emulator, token):
        emulator.fault("drop_connection", match="PUT /REST/Password")

        result = run_module(main, token=token, new_password=NEW_PASSWORD)

        assert result["failed"] is True
        assert result["msg"].startswith("It is unknown whether the password was changed")
        assert "try logging in with the new password, or run the task again with update_password=on_mismatch" in result["msg"]
        assert result["credentials_refused"] is False

    def test_session_ended_while_polling_the_change_is_not_replayed(self, run_module, emulator, can_log_in):
        # Issue #12 (a): the change ran, the job poll found the session expired. Before, the PUT was
        # sent again after a new login and the task said the old password was still valid.
        emulator.fault("job_redirect", match="PUT /REST/Password")
        emulator.fault("expire_token", match="GET /REST/Job")

        result = run_module(main, password=OLD_PASSWORD, new_password=NEW_PASSWORD, **ACCOUNT)

        assert result["changed"] is True, result.get("msg")
        assert requests_made(emulator, "PUT /REST/Password") == 1
        assert emulator.stats()["open_sessions"] == 0
        assert can_log_in(NEW_PASSWORD) and not can_log_in(OLD_PASSWORD)

    def test_neither_password_logging_in_is_said_and_flagged(self, run_module, emulator):
        emulator.fault("slow", seconds=0.01, match="POST /REST/Session")  # the module's own login passes
        emulator.fault("server_error", match="PUT /REST/Password")
        emulator.fault("expire_token", count=2, match="POST /REST/Session")  # both probes refused

        result = run_module(main, password=OLD_PASSWORD, new_password=NEW_PASSWORD, **ACCOUNT)

        assert result["failed"] is True
        assert result["msg"].startswith("The password was not changed: DynECT refused the login: ")
        assert "neither the old nor the new password logs in" in result["msg"]
        assert result["credentials_refused"] is True


class TestCredentialsRefused:
    """A failed result says whether the API refused the credentials, so a role can tell that from "could not check"."""

    def test_both_passwords_refused_in_check_mode(self, run_module):
        result = run_module(
            main, check_mode=True, password="Wrong-Key-1", new_password=NEW_PASSWORD, update_password="on_mismatch", **ACCOUNT
        )

        assert result["failed"] is True
        assert result["credentials_refused"] is True

    def test_a_login_without_answer_is_not_a_refusal(self, run_module, emulator):
        emulator.fault("drop_connection", count=3, match="POST /REST/Session")

        result = run_module(main, password=OLD_PASSWORD, new_password=NEW_PASSWORD, **ACCOUNT)

        assert result["failed"] is True
        assert result["credentials_refused"] is False

    def test_a_login_error_page_is_not_a_refusal(self, run_module, emulator):
        emulator.fault("server_error", match="POST /REST/Session")

        result = run_module(main, password=OLD_PASSWORD, new_password=NEW_PASSWORD, **ACCOUNT)

        assert result["failed"] is True
        assert result["credentials_refused"] is False

    def test_a_policy_refusal_is_not_a_credentials_refusal(self, run_module):
        result = run_module(main, password=OLD_PASSWORD, new_password="short", **ACCOUNT)

        assert result["failed"] is True
        assert result["credentials_refused"] is False

    def test_success_carries_no_flag(self, run_module):
        result = run_module(main, password=OLD_PASSWORD, new_password=NEW_PASSWORD, **ACCOUNT)

        assert "credentials_refused" not in result
