# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""DynectMultiSession: several accounts, switched without new logins, all logged out at the end."""

from __future__ import annotations

import json

import pytest

from ansible_collections.dyn.managed_dns.plugins.module_utils.errors import (
    DynectAuthError,
    DynectConfigError,
    DynectInvalidArgumentError,
)
from ansible_collections.dyn.managed_dns.plugins.module_utils.session import DynectMultiSession, DynectSession
from ansible_collections.dyn.managed_dns.tests.unit.plugins.module_utils.helpers import (
    DEPLOY,
    GLOBEX_ADMIN,
    READER,
    requests_made,
)

LOGINS = "POST /REST/Session"
LOGOUTS = "DELETE /REST/Session"


@pytest.fixture
def multi(connect):
    """A multi-session with acme/ops (first), globex/admin and initech/deploy (active) open."""
    session = connect(cls=DynectMultiSession)
    session.new_user_session(*GLOBEX_ADMIN)
    session.new_user_session(*DEPLOY)
    return session


def zone_names(session):
    return sorted(uri.split("/")[3] for uri in session.execute("/Zone/", "GET")["data"])


def test_new_user_session_logs_in_and_becomes_active(multi, emulator):
    assert multi.current_open_session == {"customer": "initech", "username": "deploy"}
    assert requests_made(emulator, LOGINS) == 3
    assert emulator.stats()["open_sessions"] == 3


def test_set_active_session_switches_without_logging_in(multi, emulator):
    multi.set_active_session("admin")
    assert (multi.customer, multi.username) == ("globex", "admin")
    assert zone_names(multi) == ["globex.org"]
    multi.set_active_session("ops", customer="acme")
    assert zone_names(multi) == ["example.com", "example.net"]
    assert requests_made(emulator, LOGINS) == 3


def test_permissions_cache_is_dropped_on_switch(multi, emulator):
    multi.set_active_session("admin")
    admin_permissions = multi.permissions
    multi.set_active_session("deploy")
    assert multi.permissions != admin_permissions
    assert "UserAdd" in admin_permissions
    assert requests_made(emulator, "POST /REST/UserPermissionReport") == 2


def test_get_open_sessions_names_accounts_without_secrets(multi):
    open_sessions = multi.get_open_sessions()
    assert open_sessions == [
        {"user_name": "ops", "customer": "acme"},
        {"user_name": "admin", "customer": "globex"},
        {"user_name": "deploy", "customer": "initech"},
    ]
    text = json.dumps(open_sessions) + json.dumps(multi.current_open_session)
    assert multi.token not in text
    assert "Passw0rd" not in text


def test_a_failed_new_user_session_keeps_the_previous_account_active(multi, emulator):
    token = multi.token
    with pytest.raises(DynectAuthError):
        multi.new_user_session("acme", "reader", "wrong")
    assert multi.current_open_session == {"customer": "initech", "username": "deploy"}
    assert multi.token == token
    assert len(multi.get_open_sessions()) == 3
    assert requests_made(emulator, LOGINS) == 4  # the failed one only: no login to switch back


def test_reopening_an_open_account_replaces_its_server_session(multi, emulator):
    multi.new_user_session(*GLOBEX_ADMIN)
    assert len(multi.get_open_sessions()) == 3
    assert requests_made(emulator, LOGOUTS) == 1
    assert emulator.stats()["open_sessions"] == 3


def test_set_active_session_for_an_unknown_user_is_an_error(multi):
    with pytest.raises(DynectInvalidArgumentError) as caught:
        multi.set_active_session("nobody")
    assert isinstance(caught.value, ValueError)
    assert "acme/ops" in str(caught.value)
    with pytest.raises(DynectInvalidArgumentError):
        multi.set_active_session("admin", customer="acme")


def test_log_out_active_session_with_one_left_activates_it(connect, emulator):
    session = connect(cls=DynectMultiSession)
    session.new_user_session(*READER)
    session.log_out_active_session()
    assert session.current_open_session == {"customer": "acme", "username": "ops"}
    assert requests_made(emulator, LOGOUTS) == 1
    assert session.execute("/Zone/", "GET")["status"] == "success"
    assert requests_made(emulator, LOGINS) == 2


def test_log_out_active_session_with_several_left_needs_a_choice(multi, emulator):
    multi.log_out_active_session()
    assert multi.current_open_session is None
    assert len(multi.get_open_sessions()) == 2
    with pytest.raises(DynectConfigError, match="set_active_session"):
        multi.execute("/Zone/", "GET")
    multi.set_active_session("admin")
    assert zone_names(multi) == ["globex.org"]
    assert requests_made(emulator, LOGINS) == 3


def test_log_out_ends_every_session_without_logging_in(multi, emulator):
    multi.log_out()
    assert requests_made(emulator, LOGOUTS) == 3
    assert requests_made(emulator, LOGINS) == 3
    assert emulator.stats()["open_sessions"] == 0
    assert multi.get_open_sessions() == []
    assert multi.token is None
    assert DynectMultiSession.get_session() is None


def test_the_multi_session_is_the_threads_session(multi, connect):
    assert DynectSession.get_session() is multi
    assert connect(cls=DynectMultiSession) is multi  # acme/ops is open
    assert connect(*GLOBEX_ADMIN) is multi  # a DynectSession call finds it too, switched to that account
    assert multi.current_open_session == {"customer": "globex", "username": "admin"}
    with pytest.raises(DynectConfigError):
        connect(*READER, cls=DynectMultiSession)


def test_a_plain_session_is_not_returned_for_a_multi_session_call(connect):
    connect()
    with pytest.raises(DynectConfigError, match="DynectMultiSession.new_session"):
        connect(cls=DynectMultiSession)


def test_an_open_account_is_not_handed_to_a_wrong_password(multi, emulator):
    """Issue #13: each open account of a multi-session is checked against its own password."""
    logins = requests_made(emulator, LOGINS)
    with pytest.raises(DynectConfigError) as caught:
        multi.__class__(GLOBEX_ADMIN[0], GLOBEX_ADMIN[1], "Wrong-Passw0rd", host=multi.host, port=multi.port, ssl=multi.ssl)
    assert "Wrong-Passw0rd" not in str(caught.value)
    assert GLOBEX_ADMIN[2] not in str(caught.value)
    # The refused call switched nothing and logged nobody in.
    assert multi.current_open_session == {"customer": DEPLOY[0], "username": DEPLOY[1]}
    assert requests_made(emulator, LOGINS) == logins
