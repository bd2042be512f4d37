# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The examples of dyn-python's session documentation, run as written.

Adapted only in the import line and the host (the emulator's host, port and ``ssl=False``); the
SDK's ``get_all_zones()`` helper, which the multi-session example calls, is given here the way the
SDK writes it: through the thread's session.
"""

from __future__ import annotations

import pytest

from ansible_collections.dyn.managed_dns.plugins.module_utils.session import DynectMultiSession, DynectSession
from ansible_collections.dyn.managed_dns.tests.unit.plugins.module_utils.helpers import requests_made


@pytest.fixture
def host(emulator):
    """The only adaptation: where the API is."""
    return {"host": emulator.host, "port": emulator.port, "ssl": False}


def get_all_zones():
    """As dyn.tm.zones.get_all_zones does it: with the thread's session."""
    return DynectSession.get_session().execute("/Zone/", "GET", {"detail": "Y"})["data"]


def test_the_basics(host, emulator):
    DynectSession("acme", "ops", "Ops-Passw0rd", **host)
    assert emulator.stats()["logins"] == 1


def test_permissions(host):
    s = DynectSession("acme", "ops", "Ops-Passw0rd", **host)
    assert s.permissions[:3] == ["ZoneGet", "ZoneAdd", "ZoneUpdate"]


def test_multiple_sessions_loop(host, capsys, emulator):
    s = DynectMultiSession("acme", "ops", "Ops-Passw0rd", **host)
    s.new_user_session("globex", "admin", "Globex-Admin-9")
    dynect_session = s

    current_sessions = dynect_session.get_open_sessions()
    # loop through all open sessions
    for session in current_sessions:
        dynect_session.set_active_session(session['user_name'], customer=session['customer'])
        print("Zones for {0}".format(dynect_session.username))
        print(get_all_zones())

    output = capsys.readouterr().out
    zone = "{{'zone_type': 'Primary', 'serial_style': 'increment', 'serial': 1, 'zone': '{0}'}}".format
    assert f"Zones for ops\n[{zone('example.com')}, {zone('example.net')}]" in output
    assert f"Zones for admin\n[{zone('globex.org')}]" in output
    dynect_session.log_out_active_session()
    assert dynect_session.current_open_session == {"customer": "acme", "username": "ops"}
    dynect_session.log_out()
    assert emulator.stats()["logouts"] == 2
    assert emulator.stats()["logins"] == 2


def test_context_manager(host, emulator):
    def permissions():
        with DynectSession("acme", "ops", "Ops-Passw0rd", **host) as s:
            return s.permissions

    assert "ZoneGet" in permissions()
    assert emulator.stats()["logouts"] == 1


def test_overriding_sessions(host, emulator):
    s = DynectSession("acme", "ops", "Ops-Passw0rd", **host)
    s = DynectSession.new_session("acme", "reader", "Read-Only-1", **host)
    assert s.username == "reader"
    assert emulator.stats()["logouts"] == 1  # the SDK leaked the first server session
    assert requests_made(emulator, "POST /REST/Session") == 2


def test_getting_sessions(host):
    DynectSession("acme", "ops", "Ops-Passw0rd", **host)
    assert DynectSession.get_session().username == 'ops'


def test_session_history(host):
    s = DynectSession("acme", "ops", "Ops-Passw0rd", history=True, **host)
    [(timestamp, uri, method, args, status)] = s.history
    assert (uri, method, status) == ('/REST/Session/', 'POST', 'success')
    assert args == {'customer_name': 'acme', 'password': '*****', 'user_name': 'ops'}
    assert timestamp.startswith("20")


def test_no_history_unless_asked(host):
    s = DynectSession("acme", "ops", "Ops-Passw0rd", **host)
    assert s.history is None
