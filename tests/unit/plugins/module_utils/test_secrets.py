# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""No password or token in logs (at DEBUG, all loggers), history, errors, str/repr or session attributes."""

from __future__ import annotations

import json
import logging

import pytest

from ansible_collections.dyn.managed_dns.plugins.module_utils.errors import DynectError
from ansible_collections.dyn.managed_dns.plugins.module_utils.session import DynectMultiSession
from ansible_collections.dyn.managed_dns.tests.unit.plugins.module_utils.helpers import (
    GLOBEX_ADMIN,
    OPS,
    leaked,
    server_secrets,
)


def texts_of(value):
    """Everything a user could print about ``value``."""
    return [str(value), repr(value)]


def clear_strings_in(root, max_depth=8):
    """Every string reachable from ``root`` through attributes and containers."""
    seen, found, stack = set(), [], [(root, 0)]
    while stack:
        value, depth = stack.pop()
        if id(value) in seen or depth > max_depth:
            continue
        seen.add(id(value))
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, bytes):
            found.append(value.decode("latin-1"))
        elif isinstance(value, dict):
            stack.extend((item, depth + 1) for pair in value.items() for item in pair)
        elif isinstance(value, (list, tuple, set, frozenset)):
            stack.extend((item, depth + 1) for item in value)
        elif hasattr(value, "__dict__") and not isinstance(value, type):
            stack.extend((item, depth + 1) for item in vars(value).values())
    return found


def test_no_secret_anywhere_through_a_busy_session(connect, emulator, caplog):
    caplog.set_level(logging.DEBUG)  # every logger
    shown = []
    session = connect(cls=DynectMultiSession, history=True)
    session.new_user_session(*GLOBEX_ADMIN)
    session.update_password("Globex-Admin-10")
    for fault in ("expire_token", "job_redirect", "rate_limit", "task_blocked", "job_running"):
        emulator.fault(fault, match="GET /REST/Zone")
        session.execute("/Zone/", "GET", {"detail": "Y", "token": session.token})
    session.set_active_session("ops")
    session.permission_report()
    for failing in (
        lambda: session.new_user_session("acme", "reader", "Wrong-Password-1"),
        lambda: emulator.fault("server_error") or session.execute("/Zone/", "GET"),
        lambda: emulator.fault("expire_token", count=2) or session.execute("/Zone/", "GET"),
        lambda: emulator.fault("drop_connection", count=3, match="PUT /REST/Session") or session.keep_alive(),
    ):
        with pytest.raises(DynectError) as caught:
            failing()
        shown += texts_of(caught.value) + [json.dumps(caught.value.messages)]
    shown += texts_of(session) + texts_of(session.get_open_sessions()) + texts_of(session.current_open_session)
    shown.append(json.dumps([record._asdict() for record in session.history]))
    session.log_out()
    shown.append(caplog.text)

    secrets = server_secrets(emulator) + ["Wrong-Password-1"]
    assert len(secrets) > 8  # passwords of the accounts plus every token issued above
    assert leaked("\n".join(shown), secrets) == []
    assert "'token': '*****'" in caplog.text  # the token sent as an argument was masked, not dropped


def test_no_clear_password_is_kept_in_the_session(connect):
    session = connect(cls=DynectMultiSession)
    session.new_user_session(*GLOBEX_ADMIN)
    reachable = clear_strings_in(session)
    assert session.token in reachable  # the walk does reach the accounts
    assert not any(OPS[2] in text or GLOBEX_ADMIN[2] in text for text in reachable)


def test_the_proxy_password_is_not_shown(connect):
    session = connect(proxy_host="127.0.0.1", proxy_port=9, proxy_user="u", proxy_pass="Proxy-Pass-5", auto_auth=False)
    assert leaked(" ".join(texts_of(session)), ["Proxy-Pass-5"]) == []
