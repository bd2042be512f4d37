# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The session engine on its own (issue #23): its settings values, its calls, its accounts, its secrets.

The SDK's surface over it is tested through DynectSession (test_session.py, test_multisession.py,
test_sdk_docs.py); these tests hold what the modules and the dynect connection rely on when they
build an engine directly.
"""

from __future__ import annotations

import dataclasses

import pytest

from ansible_collections.dyn.managed_dns.plugins.module_utils._api import RetryPolicy
from ansible_collections.dyn.managed_dns.plugins.module_utils._engine import (
    Credentials,
    Endpoint,
    SessionEngine,
    api_path,
    engine_from_options,
)
from ansible_collections.dyn.managed_dns.plugins.module_utils.errors import (
    DynectAuthError,
    DynectConfigError,
    DynectInvalidArgumentError,
    DynectLoginError,
    DynectUpdateError,
)
from ansible_collections.dyn.managed_dns.plugins.module_utils.session import DynectSession
from ansible_collections.dyn.managed_dns.tests.unit.plugins.module_utils.helpers import (
    DEPLOY,
    FAST_WAITS,
    GLOBEX_ADMIN,
    OPS,
    READER,
    leaked,
    requests_made,
)
from ansible_collections.dyn.managed_dns.tests.unit.plugins.module_utils.test_secrets import clear_strings_in

FAST = RetryPolicy(**FAST_WAITS)


def make_engine(server, customer=OPS[0], username=OPS[1], password=OPS[2], token=None, **settings):
    endpoint = Endpoint(host=server.host, port=server.port, ssl=server.ssl, **settings)
    return SessionEngine(Credentials(customer, username, password, token), endpoint, FAST, history=True)


# --- the settings values ----------------------------------------------------------------------


def test_credentials_never_show_the_password_or_the_token():
    credentials = Credentials("acme", "ops", "Cred-Secret-1", "Token-Secret-2")
    assert leaked(repr(credentials) + str(credentials), ["Cred-Secret-1", "Token-Secret-2"]) == []
    assert "acme" in repr(credentials)


def test_credentials_refuse_a_password_that_is_no_text():
    with pytest.raises(DynectInvalidArgumentError, match="password"):
        Credentials("acme", "ops", b"bytes-password")


def test_an_endpoint_takes_a_port_as_digits_and_refuses_anything_else():
    assert Endpoint(port="8443").port == 8443
    assert Endpoint(port="8443").api == "api.dynect.net:8443"
    with pytest.raises(DynectConfigError, match="port must be a TCP port number"):
        Endpoint(port=0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        Endpoint().port = 1  # type: ignore[misc]


def test_an_endpoint_checks_the_proxy_options_together():
    with pytest.raises(DynectConfigError, match="proxy_port, proxy_user and proxy_pass need proxy_host"):
        Endpoint.from_options(proxy_port=3128)
    endpoint = Endpoint.from_options(host="api.example", proxy_host="proxy.example", proxy_port=3128, proxy_user="u", proxy_pass="Proxy-Pass-6")
    assert (endpoint.host, endpoint.proxy.host, endpoint.proxy.port) == ("api.example", "proxy.example", 3128)
    assert "Proxy-Pass-6" not in repr(endpoint)
    assert Endpoint.from_options().proxy is None


def test_api_path_puts_the_root_in_front_and_refuses_another_reading():
    assert api_path("Zone/") == api_path("/Zone/") == api_path("/REST/Zone/") == "/REST/Zone/"
    with pytest.raises(DynectConfigError, match="has a '..' segment"):
        api_path("/REST/Zone/../Session/")


# --- calls ------------------------------------------------------------------------------------


def test_an_engine_is_made_without_a_request_and_logs_in_on_the_first_call(emulator):
    engine = make_engine(emulator)
    assert emulator.stats()["requests"] == {} and engine.token is None
    assert engine.execute("Zone/", "GET")["status"] == "success"
    assert requests_made(emulator, "POST /REST/Session") == 1
    assert engine.token is not None
    assert engine.read_token() == engine.token
    assert engine.identity == (f"{emulator.host}:{emulator.port}", "acme", "ops")
    assert engine.server_version
    engine.log_out()
    engine.log_out()  # a second logout sends nothing
    assert requests_made(emulator, "DELETE /REST/Session") == 1 and engine.token is None


def test_an_engine_logs_in_again_with_its_sealed_password(emulator):
    engine = make_engine(emulator)
    engine.authenticate()
    first = engine.token
    emulator.fault("expire_token", match="GET /REST/Zone")
    assert engine.execute("/Zone/", "GET")["status"] == "success"
    assert engine.token not in (None, first)
    reachable = clear_strings_in(engine)
    assert engine.token in reachable  # the walk reaches the account
    assert not any(OPS[2] in text for text in reachable)
    assert leaked(repr(engine) + str(engine), [OPS[2], engine.token]) == []


def test_an_engine_with_an_adopted_token_never_logs_in(emulator):
    owner = make_engine(emulator)
    owner.authenticate()
    adopted = make_engine(emulator, password=None, token=owner.token)
    assert adopted.execute("/Zone/", "GET")["status"] == "success"
    emulator.fault("expire_token", match="GET /REST/Zone")
    with pytest.raises(DynectAuthError):
        adopted.execute("/Zone/", "GET")
    with pytest.raises(DynectLoginError, match="no password is stored"):
        adopted.authenticate()
    assert requests_made(emulator, "POST /REST/Session") == 1  # the owner's login only


def test_an_engine_settles_a_password_change_whose_reply_was_lost(emulator):
    engine = make_engine(emulator, *DEPLOY)
    engine.authenticate()
    emulator.fault("drop_connection", match="PUT /REST/Password")
    with pytest.raises(DynectUpdateError, match="the change was not carried out"):
        engine.update_password("Deploy-Key-43")
    assert engine.password_works(DEPLOY[2]) and not engine.password_works("Deploy-Key-43")
    engine.update_password("Deploy-Key-43")
    emulator.fault("expire_token", match="GET /REST/Zone")
    assert engine.execute("/Zone/", "GET")["status"] == "success"  # the re-login uses the new password


def test_an_engine_reports_permissions(emulator):
    engine = make_engine(emulator, *READER)
    assert "ZoneGet" in [entry["name"] for entry in engine.permission_report()["allowed"]]
    assert engine.check_permissions(["ZoneGet", "ZoneAdd"])["forbidden"]


# --- accounts ---------------------------------------------------------------------------------


def test_an_engine_switches_accounts_over_one_history(emulator):
    engine = make_engine(emulator)
    ops = engine.active_account()
    engine.authenticate()
    globex = engine.open_account(Credentials(*GLOBEX_ADMIN))
    engine.switch_to(globex)
    engine.authenticate()
    assert engine.identity[1:] == ("globex", "admin") and engine.token == globex.token != ops.token
    with engine.acting_as(ops):
        assert engine.execute("/Zone/", "GET")["status"] == "success"  # sent with ops' token
        assert engine.username == "ops"
    assert engine.account is globex
    assert [record.method for record in engine.history] == ["POST", "POST", "GET"]
    engine.switch_to(None)
    with pytest.raises(DynectConfigError, match="No active session"):
        engine.execute("/Zone/", "GET")


def test_an_engine_tells_whether_credentials_are_an_accounts(emulator):
    engine = make_engine(emulator)
    account = engine.active_account()
    assert engine.presents_credentials_of(account, OPS[2], None)
    assert not engine.presents_credentials_of(account, "Wrong-1", None)
    assert not engine.presents_credentials_of(account, None, None)
    assert not engine.presents_credentials_of(account, None, "a-token")  # not logged in: no token to match


# --- what the modules and the connection build ------------------------------------------------


def test_engine_from_options_takes_the_modules_option_names(emulator):
    options = {
        "host": emulator.host, "port": str(emulator.port), "ssl": emulator.ssl, "validate_certs": True, "ca_path": None,
        "api_version": "current", "key": "Engine-Key-3", "history": True, "proxy_host": None, "proxy_port": None,
        "proxy_user": None, "proxy_pass": None, "timeout": 30, "rate_limit": 300,
    }
    engine = engine_from_options(Credentials(*OPS), options, option_prefix="dyn_")
    assert engine.endpoint.port == emulator.port and engine.endpoint.option_prefix == "dyn_"
    engine.authenticate()
    assert [record.method for record in engine.history] == ["POST"]
    assert "Engine-Key-3" not in repr(engine)
    engine.log_out()


def test_engine_from_options_refuses_what_the_session_refuses(emulator):
    with pytest.raises(DynectConfigError, match="proxy_host is missing its port"):
        engine_from_options(Credentials(*OPS), {"host": emulator.host, "proxy_host": "proxy.example"})


def test_the_facade_and_the_engine_share_one_account(connect):
    # DynectSession keeps no account state of its own: what it shows is its engine's.
    session = connect()
    assert session._engine.token == session.token and session._engine.identity == session.identity
    assert not hasattr(session, "_account") and not hasattr(session, "_api")
    assert DynectSession.get_session() is session
