# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""dyn_session, run in-process against the emulator."""

from __future__ import annotations

import json
import socket

import pytest
from ansible.module_utils.common.parameters import PASS_VARS

from ansible_collections.dyn.managed_dns.plugins.modules.dyn_session import main
from ansible_collections.dyn.managed_dns.tests.unit.plugins.module_utils.helpers import (
    OPS,
    leaked,
    requests_made,
    server_secrets,
)

CREDENTIALS = {"customer": OPS[0], "username": OPS[1], "password": OPS[2]}
# ansible-core 2.21 returns invocation only when the controller asks for it (-vvv and up); before,
# always, and the flag would be an unsupported parameter there.
INVOCATION = {"_ansible_inject_invocation": True} if "inject_invocation" in PASS_VARS else {}


@pytest.fixture
def token(run_module):
    """The token of a session opened by dyn_session (return_token=true)."""
    return run_module(main, return_token=True, **CREDENTIALS)["token"]


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class TestPresent:
    def test_credential_check_logs_in_and_out(self, run_module, emulator):
        result = run_module(main, **CREDENTIALS)

        assert result["changed"] is False
        assert (result["customer"], result["username"], result["api_version"]) == ("acme", "ops", "3.7.16")
        assert "token" not in result
        assert "history" not in result and "ansible_facts" not in result
        stats = emulator.stats()
        assert (stats["logins"], stats["logouts"], stats["open_sessions"]) == (1, 1, 0)

    def test_aliases(self, run_module, emulator):
        result = run_module(main, customer_name="acme", user_name="ops", password=OPS[2])

        assert result["username"] == "ops"
        assert emulator.stats()["logins"] == 1

    def test_return_token_leaves_the_session_open(self, run_module, emulator):
        result = run_module(main, return_token=True, **CREDENTIALS)

        # Issue 25: a login is no change to the account; a play with nothing to do ends changed=0.
        assert result["changed"] is False
        assert result["token"] in emulator.secrets()["tokens"]
        assert emulator.stats()["open_sessions"] == 1

    def test_return_token_in_check_mode_opens_the_session_too(self, run_module, emulator):
        # A --check run needs the session for its checks; its state=absent task logs it out.
        result = run_module(main, check_mode=True, return_token=True, **CREDENTIALS)

        assert result["changed"] is False
        assert result["token"] in emulator.secrets()["tokens"]
        assert result["session"]["token"] == result["token"]
        stats = emulator.stats()
        assert (stats["logins"], stats["open_sessions"]) == (1, 1)

        run_module(main, check_mode=True, state="absent", session=result["session"])

        assert emulator.stats()["open_sessions"] == 0

    def test_given_token_is_checked_without_login(self, run_module, emulator, token):
        result = run_module(main, token=token, **CREDENTIALS)

        assert result["changed"] is False
        assert "api_version" not in result
        assert requests_made(emulator, "POST /REST/Session") == 1  # the fixture's login only
        assert requests_made(emulator, "GET /REST/Session") == 1
        assert emulator.stats()["open_sessions"] == 1

    def test_dead_token_fails_without_logging_in_again(self, run_module, emulator, token):
        run_module(main, state="absent", token=token)

        # The password is there too, yet a dead token must not turn into a fresh login.
        result = run_module(main, token=token, **CREDENTIALS)

        assert result["failed"] is True
        assert "no longer valid" in result["msg"] and "log in again" in result["msg"]
        assert requests_made(emulator, "POST /REST/Session") == 1
        assert emulator.stats()["open_sessions"] == 0


class TestRefreshed:
    def test_keep_alive(self, run_module, emulator, token):
        result = run_module(main, state="refreshed", token=token)

        assert result["changed"] is False
        assert requests_made(emulator, "PUT /REST/Session") == 1

    def test_check_mode_keeps_alive_too(self, run_module, emulator, token):
        result = run_module(main, check_mode=True, state="refreshed", token=token)

        assert result["changed"] is False
        assert requests_made(emulator, "PUT /REST/Session") == 1

    def test_needs_a_token(self, run_module, emulator):
        result = run_module(main, state="refreshed", **CREDENTIALS)

        assert result["failed"] is True
        assert result["msg"].startswith("state=refreshed keeps an open session alive: give it in session")
        assert emulator.stats()["requests"] == {}
        assert emulator.stats()["requests"] == {}

    def test_dead_token(self, run_module, emulator):
        emulator.fault("expire_token", match="PUT /REST/Session")
        token = run_module(main, return_token=True, **CREDENTIALS)["token"]

        result = run_module(main, state="refreshed", token=token)

        assert result["failed"] is True
        assert "log in again" in result["msg"]


class TestAbsent:
    def test_logs_out_once(self, run_module, emulator, token):
        first = run_module(main, state="absent", token=token)
        second = run_module(main, state="absent", token=token)

        # Issue 25: a logout is no change to the account; logged_out tells the two apart.
        assert (first["changed"], second["changed"]) == (False, False)
        assert (first["logged_out"], second["logged_out"]) == (True, False)
        assert requests_made(emulator, "DELETE /REST/Session") == 1
        assert emulator.stats()["open_sessions"] == 0

    def test_check_mode_logs_out_too(self, run_module, emulator, token):
        # Otherwise a --check run of the documented login/block/always pattern leaves a session open.
        result = run_module(main, check_mode=True, state="absent", token=token)

        assert (result["changed"], result["logged_out"]) == (False, True)
        assert requests_made(emulator, "DELETE /REST/Session") == 1
        assert emulator.stats()["open_sessions"] == 0

    def test_without_token_there_is_nothing_to_do(self, run_module, emulator):
        result = run_module(main, state="absent", **CREDENTIALS)

        assert (result["changed"], result["logged_out"]) == (False, False)
        assert emulator.stats()["requests"] == {}


class TestHistory:
    def test_history_and_fact_mask_the_password(self, run_module, emulator):
        result = run_module(main, history=True, **CREDENTIALS)

        history = result["history"]
        assert [(call["method"], call["uri"], call["status"]) for call in history] == [
            ("POST", "/REST/Session/", "success"),
            ("DELETE", "/REST/Session/", "success"),
        ]
        assert history[0]["args"] == {"customer_name": "acme", "user_name": "ops", "password": "*****"}
        # Not dyn_history: that is the dynect connection's variable, which a fact of that name would hide.
        assert result["ansible_facts"] == {"dyn_api_history": history}
        assert leaked(json.dumps(result), server_secrets(emulator)) == []

    def test_failed_login_is_in_the_history(self, run_module):
        result = run_module(main, history=True, **{**CREDENTIALS, "password": "Wrong-Passw0rd"})

        assert result["failed"] is True
        assert [(call["method"], call["status"]) for call in result["history"]] == [("POST", "failure")]
        assert "Wrong-Passw0rd" not in json.dumps(result)

    def test_returned_token_is_the_only_secret_in_the_result(self, run_module, emulator):
        result = run_module(main, history=True, return_token=True, **CREDENTIALS)

        assert leaked(json.dumps(result), server_secrets(emulator)) == [result["token"]]


class TestEnvironment:
    def test_every_connection_option_from_the_environment(self, run_module, emulator, monkeypatch):
        for name, value in {
            "DYN_CUSTOMER": "acme", "DYN_USERNAME": "ops", "DYN_PASSWORD": OPS[2], "DYN_HOST": emulator.host,
            "DYN_PORT": str(emulator.port), "DYN_SSL": "false", "DYN_API_VERSION": "3.7.16",
            "DYN_HISTORY": "true", "DYN_TIMEOUT": "5", "DYN_KEY": "a sealing key", "DYN_VALIDATE_CERTS": "false",
        }.items():
            monkeypatch.setenv(name, value)

        result = run_module(main, address=False)

        assert (result["customer"], result["username"], result["changed"]) == ("acme", "ops", False)
        assert len(result["history"]) == 2

    def test_token_from_the_environment(self, run_module, emulator, token, monkeypatch):
        monkeypatch.setenv("DYN_TOKEN", token)

        result = run_module(main, state="absent")

        assert (result["changed"], result["logged_out"]) == (False, True)
        assert emulator.stats()["open_sessions"] == 0

    def test_empty_token_means_log_in(self, run_module, emulator, monkeypatch):
        monkeypatch.setenv("DYN_TOKEN", "")

        result = run_module(main, **CREDENTIALS)

        assert result["api_version"] == "3.7.16"
        assert emulator.stats()["logins"] == 1

    def test_options_win_over_the_environment(self, run_module, emulator, monkeypatch):
        monkeypatch.setenv("DYN_USERNAME", "reader")

        assert run_module(main, **CREDENTIALS)["username"] == "ops"


class TestBadInput:
    @pytest.mark.parametrize(
        ("args", "message"),
        [
            pytest.param(
                {"customer": "acme"},
                "Cannot log in to DynECT without username and password: set them (or DYN_USERNAME and "
                "DYN_PASSWORD), or give the token of an open session.",
                id="missing-credentials",
            ),
            pytest.param(
                {"proxy_host": "127.0.0.1", **CREDENTIALS},
                "missing parameter(s) required by 'proxy_host': proxy_port",
                id="proxy-without-port",
            ),
            pytest.param(
                {"key": "", **CREDENTIALS},
                "Unusable DynECT options: The password encryption key must not be empty.",
                id="empty-key",
            ),
            pytest.param(
                {"ca_path": "/nonexistent/ca.pem", **CREDENTIALS},
                "Unusable DynECT options: ca_path /nonexistent/ca.pem does not exist.",
                id="missing-ca-file",
            ),
            pytest.param(
                {"port": 0, **CREDENTIALS},
                "Unusable DynECT options: port must be a TCP port number from 1 to 65535, not 0.",
                id="port-out-of-range",
            ),
            pytest.param(
                {"proxy_host": "127.0.0.1", "proxy_port": 70000, **CREDENTIALS},
                "Unusable DynECT options: proxy_port must be a TCP port number from 1 to 65535, not 70000.",
                id="proxy-port-out-of-range",
            ),
            pytest.param(
                {"timeout": 0, **CREDENTIALS},
                "Unusable DynECT options: timeout must be a positive number of seconds, not 0.",
                id="timeout-zero",
            ),
            pytest.param(
                {"host": "https://api.dynect.net", **CREDENTIALS},
                "Unusable DynECT options: host must be a host name or IP address, not a URL: give api.dynect.net "
                "(the scheme comes from ssl and the port from port).",
                id="host-with-scheme",
            ),
            *(
                pytest.param(
                    {"state": state, "return_token": True, "token": "any-token"},
                    "return_token only works with state=present, which opens the session whose token it returns; "
                    f"remove it from this state={state} task.",
                    id=f"return-token-with-{state}",
                )
                for state in ("absent", "refreshed")
            ),
        ],
    )
    def test_refused_before_any_request(self, run_module, emulator, args, message):
        result = run_module(main, **args)

        assert result["failed"] is True
        assert result["msg"] == message
        assert emulator.stats()["requests"] == {}

    @pytest.mark.parametrize(
        ("username", "password", "expected", "advice"),
        [
            pytest.param(
                "ops", "Wrong-Passw0rd", "did not match those in our database", "; check customer, username and password.", id="wrong-password"
            ),
            # Issue #25 (4): the right password of a blocked user; checking the credentials cannot help.
            pytest.param(
                "locked", "Locked-Out-1", "This user is blocked",
                "; the user is blocked, which no change of the credentials undoes: "
                "ask an administrator of the customer's DynECT account to unblock it.",
                id="blocked-user",
            ),
        ],
    )
    def test_login_refused(self, run_module, emulator, username, password, expected, advice):
        result = run_module(main, customer="acme", username=username, password=password)

        assert result["failed"] is True
        assert result["msg"].startswith("DynECT refused the login: ")
        assert expected in result["msg"]
        assert result["msg"].endswith(advice)
        assert password not in json.dumps(result)
        assert emulator.stats()["open_sessions"] == 0

    @pytest.mark.parametrize(
        ("fault", "options", "expected"),
        [
            pytest.param("server_error", {}, "The DynECT login failed: POST /REST/Session/ failed (HTTP 500)", id="500-page"),
            pytest.param(None, {"api_version": "banana"}, "DynECT refused the login: POST /REST/Session/ failed (HTTP 400): "
                         "version: API-Version must be 'current' or 3.x.y; check api_version.", id="api-version"),
        ],
    )
    def test_a_failed_login_is_blamed_on_the_credentials_only_when_the_api_says_so(
        self, run_module, emulator, fault, options, expected
    ):
        if fault:
            emulator.fault(fault, match="POST /REST/Session")

        result = run_module(main, **options, **CREDENTIALS)

        assert result["failed"] is True
        assert result["msg"].startswith(expected)
        assert "check customer, username and password" not in result["msg"]
        assert emulator.stats()["open_sessions"] == 0

    def test_unreachable_host(self, run_module):
        port = _closed_port()

        result = run_module(main, port=port, **CREDENTIALS)

        assert result["failed"] is True
        assert f"unable to reach http://127.0.0.1:{port}" in result["msg"]
        assert result["msg"].endswith("; check host, port, ssl and the proxy options.")

    def test_tls_to_a_plain_http_server(self, run_module):
        result = run_module(main, ssl=True, **CREDENTIALS)

        assert result["failed"] is True
        assert "TLS connection to https://" in result["msg"]

    def test_proxy_password_never_shows(self, run_module):
        result = run_module(
            main, proxy_host="127.0.0.1", proxy_port=_closed_port(), proxy_user="squid", proxy_pass="Proxy-Secret-1",
            **CREDENTIALS,
        )

        assert result["failed"] is True
        assert "proxy" in result["msg"]
        assert "Proxy-Secret-1" not in json.dumps(result)


# --- issue #13: small leaks ------------------------------------------------------------------------

PROXY_SECRET = "Proxy-Secret-13"


@pytest.fixture
def warnings(monkeypatch):
    """The texts the module passes to ``module.warn``.

    In-process, ansible-core sends them to the controller's display instead of the result, so
    they are caught at the call.
    """
    from ansible.module_utils.basic import AnsibleModule

    seen: list[str] = []
    monkeypatch.setattr(AnsibleModule, "warn", lambda self, warning, *args, **kwargs: seen.append(warning))
    return seen


class TestRefusedProxyHost:
    """A proxy_host that is not a bare host may hold the proxy's credentials: never repeated."""

    @pytest.mark.parametrize(
        "options",
        [
            pytest.param({"proxy_host": f"squid:{PROXY_SECRET}@proxy.example", "proxy_port": 3128}, id="credentials"),
            pytest.param({"proxy_host": f"http://squid:{PROXY_SECRET}@proxy.example/"}, id="url-without-port"),
            pytest.param({"proxy_host": f"squid:{PROXY_SECRET}", "proxy_port": 3128}, id="looks-like-host-port"),
            # Another option's type error fails inside AnsibleModule: the value is hidden there too.
            pytest.param({"proxy_host": f"squid:{PROXY_SECRET}@proxy.example", "proxy_port": "x"}, id="other-error"),
        ],
    )
    def test_is_refused_naming_the_option_and_not_in_the_result(self, run_module, emulator, options):
        result = run_module(main, **CREDENTIALS, **options, **INVOCATION)

        assert result["failed"] is True
        assert "proxy_host" in result["msg"] or "proxy_port" in result["msg"]
        assert PROXY_SECRET not in json.dumps(result)
        assert result["invocation"]["module_args"]["proxy_host"] != options["proxy_host"]
        assert emulator.stats()["requests"] == {}

    def test_the_message_says_where_the_parts_go(self, run_module):
        result = run_module(main, **CREDENTIALS, proxy_host=f"squid:{PROXY_SECRET}@proxy.example", proxy_port=3128)

        assert result["msg"] == (
            "Unusable DynECT options: proxy_host must be a host name or IP address, not a URL: give proxy.example "
            "(the port goes in proxy_port, and credentials in proxy_user and proxy_pass)."
        )

    def test_from_the_environment_too(self, run_module, monkeypatch):
        monkeypatch.setenv("DYN_PROXY_HOST", f"squid:{PROXY_SECRET}@proxy.example")
        result = run_module(main, **CREDENTIALS, proxy_port=3128)

        assert result["failed"] is True
        assert PROXY_SECRET not in json.dumps(result)

    def test_a_valid_proxy_host_stays_visible(self, run_module):
        result = run_module(
            main, **CREDENTIALS, proxy_host="127.0.0.1", proxy_port=_closed_port(), **INVOCATION
        )

        assert result["failed"] is True
        assert result["invocation"]["module_args"]["proxy_host"] == "127.0.0.1"


class TestReturnTokenWarning:
    def test_without_no_log_the_task_is_warned(self, run_module, warnings):
        result = run_module(main, return_token=True, **CREDENTIALS)

        assert any("no_log: true" in warning for warning in warnings), warnings
        run_module(main, state="absent", token=result["token"])

    def test_in_check_mode_too(self, run_module, warnings):
        result = run_module(main, check_mode=True, return_token=True, **CREDENTIALS)

        assert any("no_log: true" in warning for warning in warnings)

    def test_a_no_log_task_is_not_warned(self, run_module, warnings):
        result = run_module(main, return_token=True, _ansible_no_log=True, **CREDENTIALS)

        assert not warnings
        run_module(main, state="absent", token=result["token"])

    def test_no_warning_without_return_token(self, run_module, warnings):
        run_module(main, **CREDENTIALS)
        assert not warnings


class TestTransportWarnings:
    """Every dyn_* module (run_task) warns when the password and token are not protected on the way."""

    def test_validate_certs_off_is_warned(self, run_module, warnings):
        result = run_module(main, **CREDENTIALS, host="127.0.0.1", port=_closed_port(), ssl=True, validate_certs=False)

        assert [warning for warning in warnings if "validate_certs is off for 127.0.0.1" in warning]

    @pytest.mark.parametrize("host", ["api.example.net", "192.0.2.1", "2001:db8::1"])
    def test_plain_http_to_another_machine_is_warned(self, run_module, host, warnings):
        # Through a proxy that is not there: the request fails at once, without resolving host.
        result = run_module(
            main, **CREDENTIALS, host=host, ssl=False, proxy_host="127.0.0.1", proxy_port=_closed_port(), timeout=5
        )

        assert [warning for warning in warnings if f"ssl is off for {host}, which is not this machine" in warning]

    @pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
    def test_plain_http_to_this_machine_is_not_warned(self, run_module, host, warnings):
        run_module(main, **CREDENTIALS, host=host)
        assert not warnings

    def test_a_host_that_may_hold_credentials_is_not_named(self, run_module, warnings):
        result = run_module(main, **CREDENTIALS, host=f"http://ops:{PROXY_SECRET}@api.example.net", ssl=False)

        assert any("ssl is off for the API host" in warning for warning in warnings)
        assert PROXY_SECRET not in json.dumps(warnings)

    def test_other_modules_warn_too(self, run_module, warnings):
        from ansible_collections.dyn.managed_dns.plugins.modules.dyn_permissions_info import main as info_main

        result = run_module(info_main, **CREDENTIALS, host="127.0.0.1", port=_closed_port(), ssl=True, validate_certs=False)

        assert any("validate_certs is off" in warning for warning in warnings)


class TestSessionOption:
    """Issue #14 (2): one ``session`` value carries the token together with the endpoint it belongs to."""

    @pytest.fixture
    def login(self, run_module):
        return run_module(main, return_token=True, **CREDENTIALS)

    def test_returned_session_holds_the_token_and_its_endpoint_never_a_password(self, login, emulator):
        assert login["session"] == {
            "token": login["token"], "host": emulator.host, "port": emulator.port, "ssl": emulator.ssl,
            "ca_path": None, "proxy_host": None, "proxy_port": None, "proxy_user": None,
            "customer": "acme", "username": "ops", "validate_certs": True, "api_version": "current",
        }
        assert OPS[2] not in json.dumps(login)

    def test_a_task_with_only_session_reaches_the_session_endpoint(self, run_module, emulator, login):
        # No host, port or ssl in the task: without session it would go to api.dynect.net:443.
        result = run_module(main, address=False, state="absent", session=login["session"])

        assert (result["changed"], result["logged_out"]) == (False, True)
        assert requests_made(emulator, "DELETE /REST/Session") == 1
        assert emulator.stats()["open_sessions"] == 0

    def test_session_wins_over_the_environment(self, run_module, emulator, login, monkeypatch):
        monkeypatch.setenv("DYN_HOST", "api.dynect.net")
        monkeypatch.setenv("DYN_TOKEN", "another-token")

        result = run_module(main, address=False, session=login["session"])

        assert not result.get("failed"), result
        assert requests_made(emulator, "GET /REST/Session") == 1

    def test_the_same_values_in_the_task_are_fine(self, run_module, emulator, login):
        result = run_module(main, session=login["session"], token=login["token"], **CREDENTIALS)

        assert not result.get("failed"), result
        assert requests_made(emulator, "POST /REST/Session") == 1  # the fixture's login only

    @pytest.mark.parametrize(
        ("args", "named"),
        [
            pytest.param({"host": "127.0.0.2"}, "host", id="host"),
            pytest.param({"port": 1}, "port", id="port"),
            pytest.param({"ssl": True}, "ssl", id="ssl"),
            pytest.param({"token": "another-token"}, "token", id="token"),
            pytest.param({"proxy_host": "proxy.example.com", "proxy_port": 3128}, "proxy_host and proxy_port", id="proxy"),
            pytest.param({"customer_name": "globex"}, "customer", id="customer-alias"),
        ],
    )
    def test_a_task_value_that_differs_is_refused_before_any_request(self, run_module, emulator, login, args, named):
        before = emulator.stats()["requests"]

        result = run_module(main, address=False, session=login["session"], **args)

        assert result["failed"] is True
        assert result["msg"].startswith(f"The task sets {named} to other values than the session given in session")
        assert emulator.stats()["requests"] == before
        assert login["token"] not in json.dumps(result)

    def test_needs_the_token_and_the_endpoint(self, run_module, emulator):
        result = run_module(main, address=False, session={"token": "a-token"})

        assert result["failed"] is True
        assert "missing required arguments: host, port, ssl found in session" in result["msg"]
        assert "a-token" not in json.dumps(result)
        assert emulator.stats()["requests"] == {}

    def test_a_session_through_an_authenticating_proxy_needs_proxy_pass(self, run_module, emulator, login):
        through_proxy = {**login["session"], "proxy_host": "127.0.0.1", "proxy_port": 3128, "proxy_user": "squid"}

        result = run_module(main, address=False, session=through_proxy)

        assert result["failed"] is True
        assert "which a session never carries: set proxy_pass (or DYN_PROXY_PASS)" in result["msg"]

    def test_the_session_token_is_masked_in_the_result(self, run_module, emulator, login):
        result = run_module(main, address=False, history=True, state="refreshed", session=login["session"])

        assert not result.get("failed"), result
        assert leaked(json.dumps(result), server_secrets(emulator)) == []

    def test_refused_through_the_dynect_connection(self, run_module, emulator, login):
        # There the host's dyn_* variables choose the account; a session from elsewhere would override them.
        result = run_module(main, address=False, _ansible_socket="/nonexistent/socket", session=login["session"])

        assert result["failed"] is True
        assert "runs through the dyn.managed_dns.dynect connection" in result["msg"]
        assert "remove session from the task and its module_defaults" in result["msg"]


# --- issue #22 (8): a session value that is not a mapping -------------------------------------------

SESSION_REFUSED = (
    "session must be the session value that dyn.managed_dns.dyn_session returns with return_token=true "
    '(a dictionary of the token and its endpoint), for example session: "{{ login.session }}", not '
)


def _token_parts(token: str) -> list[str]:
    """The token, and the parts of it a parser could quote: without its base64 padding, and its first 40 characters."""
    return [token, token.rstrip("="), token[:40]]


class TestASessionValueThatIsNotAMapping:
    """``session: "{{ login.session.token }}"`` was parsed as ``key=value`` (a base64 token ends in ``=``) and echoed."""

    @pytest.fixture
    def login(self, run_module):
        return run_module(main, return_token=True, _ansible_no_log=True, **CREDENTIALS)

    @pytest.mark.parametrize(
        ("shape", "kind"),
        [
            pytest.param(lambda login: login["token"], "a string", id="the-token"),
            pytest.param(lambda login: login["token"].rstrip("="), "a string", id="the-token-without-padding"),
            pytest.param(lambda login: json.dumps(login["session"]), "a string", id="the-session-as-json"),
            pytest.param(lambda login: [login["token"]], "a list", id="a-list"),
            pytest.param(lambda login: [login["session"]], "a list", id="a-list-of-the-session"),
        ],
    )
    def test_is_refused_before_any_request_and_masked_whole(self, run_module, emulator, login, shape, kind):
        before = emulator.stats()["requests"]

        result = run_module(main, session=shape(login), **INVOCATION)

        assert result["failed"] is True
        assert result["msg"] == f"{SESSION_REFUSED}{kind}."
        assert leaked(json.dumps(result), _token_parts(login["token"])) == []
        assert "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER" in json.dumps(result["invocation"]["module_args"]["session"])
        assert emulator.stats()["requests"] == before

    def test_a_number_is_refused_too(self, run_module, emulator):
        result = run_module(main, session=22)

        assert result["msg"] == f"{SESSION_REFUSED}a number."
        assert emulator.stats()["requests"] == {}

    def test_stays_masked_when_another_option_fails_validation(self, run_module, emulator, login):
        result = run_module(main, session=login["token"], timeout="soon", **INVOCATION)

        assert result["failed"] is True
        assert "timeout" in result["msg"]
        assert leaked(json.dumps(result), _token_parts(login["token"])) == []

    def test_a_valid_session_shows_its_endpoint_and_masks_only_its_token(self, run_module, emulator, login):
        result = run_module(main, address=False, session=login["session"], **INVOCATION)

        assert not result.get("failed"), result
        shown = result["invocation"]["module_args"]["session"]
        assert (shown["host"], shown["port"], shown["customer"]) == (emulator.host, emulator.port, "acme")
        assert shown["token"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"


# --- issue #22 (11): proxy_user and proxy_pass are paired once the session is adopted ---------------


class TestProxyCredentialsArePairedAfterTheSession:
    def test_proxy_pass_beside_a_session_that_carries_proxy_user_is_taken(self, run_module, emulator):
        login = run_module(main, return_token=True, _ansible_no_log=True, **CREDENTIALS)
        closed = _closed_port()
        through_proxy = {**login["session"], "proxy_host": "127.0.0.1", "proxy_port": closed, "proxy_user": "squid"}

        result = run_module(main, address=False, session=through_proxy, proxy_pass="Proxy-Secret-22")

        # The pairing held: the task got as far as the proxy (which is not there).
        assert result["failed"] is True
        assert f"127.0.0.1:{closed}" in result["msg"] or "proxy" in result["msg"], result["msg"]
        assert "together" not in result["msg"]
        assert "Proxy-Secret-22" not in json.dumps(result)

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            pytest.param(
                {"proxy_host": "127.0.0.1", "proxy_port": 3128, "proxy_user": "squid"},
                "proxy_user is set without proxy_pass: set proxy_pass (or DYN_PROXY_PASS) too, or remove proxy_user.",
                id="user-alone",
            ),
            pytest.param(
                {"proxy_host": "127.0.0.1", "proxy_port": 3128, "proxy_pass": "Proxy-Secret-22"},
                "proxy_pass is set without proxy_user (neither the task nor its session gives one): set proxy_user "
                "(or DYN_PROXY_USER) too, or remove proxy_pass.",
                id="pass-alone",
            ),
        ],
    )
    def test_really_unpaired_credentials_are_refused_before_any_request(self, run_module, emulator, args, message):
        result = run_module(main, **CREDENTIALS, **args)

        assert result["failed"] is True
        assert result["msg"] == message
        assert emulator.stats()["requests"] == {}

    def test_a_proxy_password_left_in_the_environment_counts_too(self, run_module, emulator, monkeypatch):
        monkeypatch.setenv("DYN_PROXY_PASS", "Proxy-Secret-22")

        result = run_module(main, **CREDENTIALS, proxy_host="127.0.0.1", proxy_port=3128)

        assert result["msg"].startswith("proxy_pass is set without proxy_user (neither the task nor its session gives one)")
        assert emulator.stats()["requests"] == {}

    def test_proxy_pass_beside_a_session_without_a_proxy_is_refused(self, run_module, emulator):
        login = run_module(main, return_token=True, _ansible_no_log=True, **CREDENTIALS)

        result = run_module(main, address=False, session=login["session"], proxy_pass="Proxy-Secret-22")

        assert result["msg"].startswith("proxy_pass is set without proxy_user (neither the task nor its session gives one)")
