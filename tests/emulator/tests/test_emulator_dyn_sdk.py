# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The original SDK, dyn-python 1.8.6, driven unmodified against the emulator.

Paths the SDK cannot take because of its known bugs (spec a.9) are exercised over plain HTTP in the
other test files instead: C7 with status ``running`` and 200-``incomplete`` (Q4: the SDK sleeps a
fixed 10 s before polling, too slow for this suite -- see test_emulator_faults.py), and a 429 (Q7:
it retries every 5 s without bound -- see test_emulator_rate_limit.py).
"""

from __future__ import annotations

import time

import pytest
from dyn.tm.errors import DynectAuthError, DynectGetError
from dyn.tm.session import DynectSession
from emulator_client import OPS, READER

# The SDK's constructor calls an API deprecated since Python 3.11; not ours to fix.
pytestmark = pytest.mark.filterwarnings("ignore:'locale.getdefaultlocale' is deprecated:DeprecationWarning")

SDK_PERMISSIONS_OF_OPS = ["ZoneGet", "ZoneAdd", "ZoneUpdate", "ZoneDelete", "ZonePublish", "RecordAdd", "RecordGet",
                          "RecordUpdate", "RecordDelete", "UserGet", "PermissionGet"]


@pytest.fixture(autouse=True)
def _no_sdk_singleton_left():
    """The SDK keeps one session per thread: never let one leak from a test into the next."""
    DynectSession.close_session()
    yield
    DynectSession.close_session()


def _sdk_session(emulator, customer: str, user: str, password: str, **kwargs) -> DynectSession:
    return DynectSession(customer, user, password, host=emulator.host, port=emulator.port, ssl=False, **kwargs)


def test_login_permissions_password_change_history_and_logout(emulator):
    session = _sdk_session(emulator, *OPS, history=True)
    assert session.permissions == SDK_PERMISSIONS_OF_OPS
    assert session.user_permissions_report("reader") == ["ZoneGet", "RecordGet", "RecordUpdate"]
    session.update_password("Brand-New-2")
    assert session.password == "Brand-New-2"  # stored in clear because pycryptodome is not installed
    session.log_out()

    assert [(uri, method, status) for _time, uri, method, _args, status in session.history] == [
        ("/REST/Session/", "POST", "success"),
        ("/REST/UserPermissionReport/", "POST", "success"),
        ("/REST/UserPermissionReport/", "POST", "success"),
        ("/REST/Password/", "PUT", "success"),
        ("/REST/Session/", "DELETE", "success"),
    ]
    assert all("Brand-New-2" not in str(entry) and OPS[2] not in str(entry) for entry in session.history)
    assert emulator.stats() == {
        "requests": {"POST /REST/Session": 1, "POST /REST/UserPermissionReport": 2, "PUT /REST/Password": 1,
                     "DELETE /REST/Session": 1},
        "logins": 1, "failed_logins": 0, "logouts": 1, "open_sessions": 0,
    }
    assert DynectSession.get_session() is None  # log_out() closed the singleton

    relogin = _sdk_session(emulator, "acme", "ops", "Brand-New-2")  # the new password works
    relogin.log_out()


def test_a_307_job_is_followed_to_its_result(emulator):
    session = _sdk_session(emulator, *READER)
    emulator.fault("job_redirect", match="POST /REST/UserPermissionReport")
    started = time.monotonic()
    assert session.permissions == ["ZoneGet", "RecordGet", "RecordUpdate"]
    assert time.monotonic() - started >= 1  # the SDK waited a second per 307, then fetched the job
    assert emulator.stats()["requests"]["GET /REST/Job"] >= 1
    session.log_out()


def test_a_login_turned_into_a_307_job(emulator):
    emulator.fault("job_redirect", match="POST /REST/Session")
    session = _sdk_session(emulator, *OPS)  # the SDK polls the Location without a token, then adopts the token
    assert session.permissions == SDK_PERMISSIONS_OF_OPS
    session.log_out()
    assert emulator.stats()["logouts"] == 1


def test_bad_credentials_and_expired_tokens_surface_as_sdk_errors(emulator):
    with pytest.raises(DynectAuthError, match="Credentials you entered did not match"):
        _sdk_session(emulator, "acme", "ops", "wrong-password-1")
    session = _sdk_session(emulator, *OPS)
    emulator.fault("expire_token")
    with pytest.raises(DynectGetError, match="login: Bad or expired credentials"):
        session.execute("/Session/", "GET")


def test_task_blocked_is_retried_by_the_sdk(emulator):
    session = _sdk_session(emulator, *OPS)
    emulator.fault("task_blocked", match="GET /REST/Zone")
    started = time.monotonic()
    assert session.execute("/Zone/example.com/", "GET")["data"]["zone"] == "example.com"
    assert time.monotonic() - started >= 1  # first back-off step of the SDK: 1 s, found through task_id
    session.log_out()


def test_context_manager_logs_out(emulator):
    """Q1: ``with`` binds a generator, not the session; the logout on exit still happens."""
    with _sdk_session(emulator, *OPS) as bound:
        assert type(bound).__name__ == "generator"
    assert emulator.stats()["logouts"] == 1


def test_a_dropped_connection_is_recovered_by_the_sdk(emulator):
    """The SDK's socket-error path: reconnect, verify the session, replay the request once."""
    session = _sdk_session(emulator, *OPS)
    emulator.fault("drop_connection", match="GET /REST/Zone")
    assert session.execute("/Zone/example.com/", "GET")["data"]["zone"] == "example.com"
    requests = emulator.stats()["requests"]
    assert (requests["GET /REST/Zone"], requests["GET /REST/Session"]) == (2, 1)
    session.log_out()
