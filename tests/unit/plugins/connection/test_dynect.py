# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The dynect connection plugin, driven in-process as ``ansible-connection`` drives it, against the emulator.

ansible-core's helper process is exercised by the integration targets ``connection_*``; here every
RPC method is called directly and its reply checked, except for a task's handover to the helper
(Issue #15), which runs over a real Unix socket served as ``ansible-connection`` serves it.
"""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from typing import Any
from unittest.mock import MagicMock, call

import pytest
from ansible.errors import AnsibleConnectionFailure, AnsibleError
from ansible.module_utils.common.text.converters import to_bytes
from ansible.module_utils.connection import Connection as HelperSocket
from ansible.module_utils.connection import recv_data, send_data
from ansible.utils.jsonrpc import JsonRpcServer

from ansible_collections.dyn.managed_dns.plugins.connection import dynect
from ansible_collections.dyn.managed_dns.plugins.plugin_utils import _socket_door
from ansible_collections.dyn.managed_dns.plugins.module_utils._connection_rpc import UnusableOptionsError, error_from_rpc
from ansible_collections.dyn.managed_dns.plugins.module_utils._module import describe_error
from ansible_collections.dyn.managed_dns.plugins.module_utils._rpc_seal import PASSWORD_WORKS, SEALED_TOKEN, UPDATE_PASSWORD, SealingKeys, seal, unseal
from ansible_collections.dyn.managed_dns.plugins.module_utils.errors import DynectAuthError, DynectConfigError
from ansible_collections.dyn.managed_dns.plugins.module_utils.session import DynectSession
from ansible_collections.dyn.managed_dns.tests.unit.plugins.module_utils.helpers import (
    OPS,
    READER,
    connection_options,
    dynect_connection,
    leaked,
    server_secrets,
)
from ansible_collections.dyn.managed_dns.tests.utils.make_certs import write_test_pki


@pytest.fixture
def make_connection(emulator: Any) -> Iterator[Any]:
    """``make_connection(customer, user, password, **options)``: a dynect connection on the emulator."""
    made = []

    def make(customer: str = OPS[0], username: str = OPS[1], password: str | None = OPS[2], **options: Any) -> Any:
        connection = dynect_connection(emulator, customer, username, password, **options)
        made.append(connection)
        return connection

    yield make
    for connection in made:
        connection.close()
    DynectSession.close_session()


def _result(reply: dict[str, Any]) -> Any:
    assert "error" not in reply, reply["error"]
    return reply["result"]


def test_logs_in_at_first_use_and_reuses_the_session(make_connection, emulator):
    connection = make_connection()
    assert emulator.stats()["logins"] == 0

    info = _result(connection.dyn_call("session_info"))
    _result(connection.dyn_call("permission_report"))
    _result(connection.dyn_call("keep_alive"))
    assert _result(connection.dyn_call("is_alive")) is True

    assert info == {"customer": "acme", "username": "ops", "api": f"{emulator.host}:{emulator.port}", "server_version": info["server_version"]}
    assert info["server_version"].startswith("3.7.")
    stats = emulator.stats()
    assert (stats["logins"], stats["open_sessions"]) == (1, 1)


@pytest.mark.parametrize("fault", ["expire_token", "inactivity_logout"])
def test_a_keep_alive_of_a_dropped_session_logs_in_again(make_connection, emulator, fault):
    connection = make_connection()
    _result(connection.dyn_call("session_info"))
    emulator.fault(fault, match="PUT /REST/Session")

    _result(connection.dyn_call("keep_alive"))

    assert _result(connection.dyn_call("is_alive")) is True
    stats = emulator.stats()
    assert (stats["logins"], stats["open_sessions"]) == (2, 1)


def test_close_logs_out_once_and_only_when_logged_in(make_connection, emulator):
    never_used = make_connection(*READER)
    never_used.close()
    assert emulator.stats()["requests"].get("DELETE /REST/Session", 0) == 0

    connection = make_connection()
    _result(connection.dyn_call("session_info"))
    connection.close()
    connection.close()
    stats = emulator.stats()
    assert (stats["logouts"], stats["open_sessions"]) == (1, 0)


def test_each_reply_carries_the_calls_it_made_and_the_play_history_all(make_connection):
    connection = make_connection(dyn_history=True)
    first = connection.dyn_call("permission_report", task_history=True)
    second = connection.dyn_call("check_permissions", ["ZoneGet"], "example.com", task_history=True)

    assert [(call["method"], call["uri"]) for call in first["history"]] == [
        ("POST", "/REST/Session/"),
        ("POST", "/REST/UserPermissionReport/"),
    ]
    assert first["history"][0]["args"]["password"] == "*****"
    assert [call["uri"] for call in second["history"]] == ["/REST/CheckPermissionReport/"]
    assert _result(connection.dyn_call("play_history")) == first["history"] + second["history"]


def test_history_survives_a_log_out_and_a_new_login(make_connection):
    connection = make_connection(dyn_history=True)
    _result(connection.dyn_call("session_info"))
    logged_out = connection.dyn_call("log_out", task_history=True)
    assert _result(logged_out) is True
    assert [call["method"] for call in logged_out["history"]] == ["DELETE"]
    assert _result(connection.dyn_call("log_out")) is False  # nothing open any more

    _result(connection.dyn_call("session_info"))
    assert [call["method"] for call in _result(connection.dyn_call("play_history"))] == ["POST", "DELETE", "POST"]


# --- Issue #14: history only when asked for ---------------------------------------------------


def test_without_dyn_history_nothing_is_recorded_unless_a_task_asks(make_connection):
    connection = make_connection()
    unasked = connection.dyn_call("permission_report")
    assert unasked["history"] == [] and connection._operations.session.history is None

    asked = connection.dyn_call("check_permissions", ["ZoneGet"], "example.com", task_history=True)
    assert [call["uri"] for call in asked["history"]] == ["/REST/CheckPermissionReport/"]

    _result(connection.dyn_call("keep_alive"))  # a later task that does not ask: recording is off again
    assert connection._operations.session.history is None
    assert _result(connection.dyn_call("play_history")) is None  # nothing kept for the play


def test_without_dyn_history_a_task_that_asks_gets_its_login_and_trial_logins(make_connection):
    connection = make_connection()
    keys = SealingKeys()
    sealed = seal(keys.box_with(_result(connection.dyn_call("seal_key"))), OPS[2], PASSWORD_WORKS)

    reply = connection.dyn_call("password_works", keys.public, sealed, task_history=True)

    assert _result(reply) is True
    assert [(call["method"], call["uri"]) for call in reply["history"]] == [("POST", "/REST/Session/"), ("DELETE", "/REST/Session/")]
    assert reply["history"][0]["args"]["password"] == "*****"


def test_with_dyn_history_a_task_that_does_not_ask_gets_no_calls_but_the_play_keeps_them(make_connection):
    connection = make_connection(dyn_history=True)
    reply = connection.dyn_call("permission_report")
    assert reply["history"] == []
    assert [call["uri"] for call in _result(connection.dyn_call("play_history"))] == ["/REST/Session/", "/REST/UserPermissionReport/"]


def test_a_failed_login_comes_back_as_the_same_typed_error(make_connection, emulator):
    connection = make_connection(password="Not-The-Password-1")
    reply = connection.dyn_call("permission_report")
    error = error_from_rpc(reply["error"])
    assert isinstance(error, DynectAuthError)
    assert "POST /REST/Session/ failed" in str(error)
    assert "Credentials you entered did not match" in str(error)
    assert leaked(json.dumps(reply), server_secrets(emulator) + ["Not-The-Password-1"]) == []


def test_tls_advice_names_the_host_variables(make_connection, emulator):
    # Issue #14 (8): HTTPS to the emulator's plain-HTTP port; the user set dyn_ssl, not ssl.
    connection = make_connection(dyn_ssl=True, dyn_validate_certs=False)

    error = error_from_rpc(connection.dyn_call("session_info")["error"])

    assert "WRONG_VERSION_NUMBER" in str(error)
    assert "check that dyn_ssl and dyn_port lead to the API's HTTPS port" in describe_error(error, through_connection=True)


def test_an_unusable_option_is_named_as_its_host_variable(make_connection, emulator):
    connection = make_connection(dyn_port=70000)

    error = error_from_rpc(connection.dyn_call("session_info")["error"])

    assert isinstance(error, UnusableOptionsError) and isinstance(error, DynectConfigError)
    assert str(error) == (
        "port must be a TCP port number from 1 to 65535, not 70000 (on a dynect connection host, each option "
        "is the host variable of the same name with the prefix dyn_, such as dyn_port for port)"
    )
    assert describe_error(error, through_connection=True).startswith(
        "Unusable dyn_* host variables: port must be a TCP port number from 1 to 65535, not 70000 (on a dynect"
    )
    assert emulator.stats()["requests"] == {}


def test_a_missing_password_is_named(make_connection):
    reply = make_connection(password=None).dyn_call("session_info")
    error = error_from_rpc(reply["error"])
    assert isinstance(error, DynectConfigError)
    assert "dyn_password" in str(error)


def test_a_second_account_on_one_helper_is_refused_for_every_task(make_connection, emulator):
    connection = make_connection()
    _result(connection.dyn_call("session_info"))

    # What ansible-connection does when another host with the same ansible_host runs a task.
    connection.set_options(direct=connection_options(emulator, *READER))
    refused = error_from_rpc(connection.dyn_call("permission_report")["error"])
    assert "acme/ops at" in str(refused) and "acme/reader at" in str(refused)
    assert "ansible_host" in str(refused)
    assert describe_error(refused, through_connection=True).startswith("One dynect connection was handed the accounts")

    # The first account's own options again: still refused, its tasks may interleave with the other's.
    connection.set_options(direct=connection_options(emulator, *OPS))
    assert "error" in connection.dyn_call("permission_report")
    assert emulator.stats()["requests"].get("POST /REST/UserPermissionReport", 0) == 0


def test_password_change_arrives_sealed_and_later_logins_use_it(make_connection, emulator):
    connection = make_connection(*READER)
    task_keys = SealingKeys()
    helper_key = _result(connection.dyn_call("seal_key"))
    sealed = seal(task_keys.box_with(helper_key), "Read-Only-2x", UPDATE_PASSWORD)
    assert "Read-Only-2x" not in sealed

    _result(connection.dyn_call("update_password", task_keys.public, sealed))
    emulator.fault("expire_token", match="POST /REST/UserPermissionReport")
    _result(connection.dyn_call("permission_report"))  # logs in again, with the new password

    stats = emulator.stats()
    assert (stats["logins"], stats["failed_logins"]) == (2, 0)
    assert _result(connection.dyn_call("password_works", task_keys.public, seal(task_keys.box_with(helper_key), "Read-Only-2x", PASSWORD_WORKS)))
    assert not _result(connection.dyn_call("password_works", task_keys.public, seal(task_keys.box_with(helper_key), READER[2], PASSWORD_WORKS)))


def test_a_password_change_whose_reply_was_lost_is_used_by_later_logins(make_connection, emulator):
    # Issue #12 (b): the server applied the change but the reply came after dyn_timeout. Before, the
    # helper's session kept the old password and every later re-login of the play failed.
    connection = make_connection(*READER, dyn_timeout=1)
    task_keys = SealingKeys()
    _result(connection.dyn_call("session_info"))
    emulator.fault("slow", seconds=2, match="PUT /REST/Password")

    helper_key = _result(connection.dyn_call("seal_key"))
    _result(connection.dyn_call("update_password", task_keys.public, seal(task_keys.box_with(helper_key), "Read-Only-2x", UPDATE_PASSWORD)))
    emulator.fault("expire_token", match="POST /REST/UserPermissionReport")
    _result(connection.dyn_call("permission_report"))  # logs in again, with the new password

    stats = emulator.stats()
    assert stats["requests"]["PUT /REST/Password"] == 1
    assert stats["failed_logins"] == 0
    assert stats["logins"] == 3  # the play's, the probe with the new password, the re-login


def test_the_token_leaves_only_sealed_for_the_task_that_asked(make_connection):
    connection = make_connection()
    task_keys = SealingKeys()
    reply = connection.dyn_call("sealed_token", task_keys.public)
    token = unseal(task_keys.box_with(_result(connection.dyn_call("seal_key"))), _result(reply), SEALED_TOKEN)
    assert token == connection._operations.session.token
    assert token not in json.dumps(reply)


@pytest.mark.parametrize("path", ["/REST/Session/", "Zone/../Session/", "Session/?x", "Zone/%2e%2e/Session/"])
def test_a_refused_path_is_refused_before_the_play_logs_in(make_connection, emulator, path):
    refused = error_from_rpc(make_connection().dyn_call("execute", path, "DELETE")["error"])
    assert isinstance(refused, DynectConfigError)
    assert emulator.stats()["requests"] == {}


def test_execute_runs_api_calls_but_not_session_calls(make_connection):
    connection = make_connection()
    zones = _result(connection.dyn_call("execute", "/Zone/", "GET"))
    assert zones["status"] == "success"
    refused = error_from_rpc(connection.dyn_call("execute", "/REST/Session/", "POST", {})["error"])
    assert "manages the session itself" in str(refused)


# --- Issue #13: one helper, one account ----------------------------------------------------------


def _refusal(reply: dict[str, Any]) -> str:
    assert "result" not in reply and reply["history"] == [], reply
    return str(error_from_rpc(reply["error"]))


def _every_call(connection: Any) -> dict[str, Any]:
    """One reply of each RPC a task can make, in a task that is to be refused."""
    keys = SealingKeys()
    helper_key = SealingKeys().public  # the refusal comes before the helper's key is needed
    return {
        "info": connection.dyn_call("session_info"),
        "alive": connection.dyn_call("is_alive"),
        "keep_alive": connection.dyn_call("keep_alive"),
        "log_out": connection.dyn_call("log_out"),
        "execute": connection.dyn_call("execute", "/Zone/", "GET"),
        "report": connection.dyn_call("permission_report"),
        "check": connection.dyn_call("check_permissions", ["ZoneGet"]),
        "seal_key": connection.dyn_call("seal_key"),
        "update_password": connection.dyn_call("update_password", keys.public, seal(keys.box_with(helper_key), "New-Pass-1", UPDATE_PASSWORD)),
        "password_works": connection.dyn_call("password_works", keys.public, seal(keys.box_with(helper_key), OPS[2], PASSWORD_WORKS)),
        "token": connection.dyn_call("sealed_token", keys.public),
        "history": connection.dyn_call("play_history"),
    }


def test_a_host_without_dyn_customer_on_a_shared_helper_gets_nothing_of_the_session(make_connection, emulator):
    # The attacker's bypass: the second host shares ansible_host and leaves dyn_customer unset.
    connection = make_connection(dyn_history=True)
    _result(connection.dyn_call("permission_report"))
    requests_before = emulator.stats()["requests"]

    connection.set_options(direct=connection_options(emulator, None, "ops", None))
    replies = _every_call(connection)

    for name, reply in replies.items():
        text = _refusal(reply)
        assert "acme/ops at" in text and "(dyn_customer unset)/ops at" in text, name
        assert "ansible_host" in text and "set dyn_customer and dyn_username" in text, name
    assert emulator.stats()["requests"] == requests_before
    assert leaked(json.dumps(replies), server_secrets(emulator)) == []


def test_a_host_without_dyn_customer_first_poisons_the_helper_for_the_next_account(make_connection, emulator):
    # Order reversed: the incomplete host is handed to the helper first, a complete one after.
    connection = make_connection(None, "ops", None)
    assert "needs dyn_customer" in _refusal(connection.dyn_call("session_info"))

    connection.set_options(direct=connection_options(emulator, *OPS))
    assert "(dyn_customer unset)/ops at" in _refusal(connection.dyn_call("session_info"))
    assert emulator.stats()["logins"] == 0


def test_a_single_host_missing_its_user_is_told_which_variable(make_connection, emulator):
    connection = make_connection("acme", None, "x")
    assert "needs dyn_username (host variable) to log in to DynECT: set it for this host" in _refusal(connection.dyn_call("permission_report"))
    assert emulator.stats()["requests"] == {}


def test_an_account_changed_behind_a_hand_over_back_is_refused(make_connection, emulator):
    # Every call compares the options core holds now with the account the helper was bound to.
    connection = make_connection()
    _result(connection.dyn_call("session_info"))
    connection._options["dyn_customer"] = "globex"
    assert "acme/ops at" in _refusal(connection.dyn_call("sealed_token", SealingKeys().public))
    connection._options["dyn_customer"] = "acme"
    assert _result(connection.dyn_call("is_alive")) is True


def test_the_same_account_again_keeps_working(make_connection, emulator):
    connection = make_connection()
    _result(connection.dyn_call("session_info"))
    connection.set_options(direct=connection_options(emulator, *OPS))
    _result(connection.dyn_call("permission_report"))
    assert emulator.stats()["logins"] == 1


# --- Issue #13: what the socket hands out --------------------------------------------------------


@pytest.fixture
def rpc_server(make_connection: Any) -> Iterator[Any]:
    """``call(method, *args)`` through ansible-core's own JSON-RPC server, as the socket does."""
    from ansible.utils.jsonrpc import JsonRpcServer

    connection = make_connection(dyn_key="Helper-Key-9", dyn_proxy_pass=None)
    server = JsonRpcServer()
    server.register(connection)

    def call(method: str, *args: Any) -> dict[str, Any]:
        return json.loads(server.handle_request(json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": [list(args), {}]})))

    yield call, connection
    JsonRpcServer._objects.discard(connection)  # core's registry is class-wide


@pytest.mark.parametrize("option", ["dyn_password", "dyn_key", "dyn_proxy_pass"])
def test_a_secret_option_is_refused_over_the_socket_but_read_inside(rpc_server, option):
    call, connection = rpc_server
    reply = call("get_option", option)
    assert "result" not in reply
    assert f"does not hand out {option} from its helper" in reply["error"]["data"]
    assert connection._secret("dyn_password") == OPS[2]
    assert connection._secret("dyn_key") == "Helper-Key-9"


@pytest.mark.parametrize("option", ["dyn_password", "dyn_key"])
def test_the_helper_refuses_a_secret_option_to_any_caller_whatever_its_stack(make_connection, option):
    # Issue #22 (5): no decision by the caller's frame; a core release that adds a frame changes nothing.
    connection = make_connection(dyn_key="Helper-Key-9")
    with pytest.raises(DynectConfigError, match=f"does not hand out {option} from its helper"):
        connection.get_option(option)

    def deeper() -> Any:
        return connection.get_option(option)

    with pytest.raises(DynectConfigError):
        deeper()  # one frame more than core's JSON-RPC server adds


def test_a_worker_still_gives_core_every_option_to_start_the_helper_with(emulator):
    # ansible-core starts ansible-connection with the worker's get_options(), password included.
    worker = _worker(emulator, OPS, None)
    assert worker.get_options()["dyn_password"] == OPS[2]


def test_all_options_are_refused_over_the_socket_but_plain_ones_are_served(rpc_server):
    call, connection = rpc_server
    reply = call("get_options")
    assert "result" not in reply and "does not offer get_options" in reply["error"]["message"]
    assert OPS[2] not in json.dumps(reply)
    assert call("get_option", "dyn_customer")["result"] == OPS[0]
    assert connection._secret("dyn_password") == OPS[2]  # the plugin's own use, inside the process


def test_the_helper_keeps_no_clear_copy_of_the_secret_options(rpc_server):
    _call, connection = rpc_server
    table = repr(connection._options) + repr(vars(connection))
    assert OPS[2] not in table and "Helper-Key-9" not in table
    assert connection._options["dyn_password"] is None


def test_a_token_sealed_for_a_task_is_refused_as_a_new_password(make_connection, emulator):
    connection = make_connection()
    keys = SealingKeys()
    sealed_token = _result(connection.dyn_call("sealed_token", keys.public))

    refused = error_from_rpc(connection.dyn_call("update_password", keys.public, sealed_token)["error"])

    assert "not for task->helper/update_password" in str(refused)
    assert emulator.stats()["requests"].get("PUT /REST/Password", 0) == 0


def test_the_helper_process_makes_itself_undumpable():
    script = (
        "import ctypes, ctypes.util\n"
        "from ansible_collections.dyn.managed_dns.plugins.connection.dynect import _make_process_undumpable\n"
        "libc = ctypes.CDLL(ctypes.util.find_library('c'))\n"
        "before = libc.prctl(3, 0, 0, 0, 0)\n"  # PR_GET_DUMPABLE
        "_make_process_undumpable()\n"
        "print(before, libc.prctl(3, 0, 0, 0, 0))\n"
    )
    if not sys.platform.startswith("linux"):
        pytest.skip("PR_SET_DUMPABLE is Linux only")
    import ansible_collections

    # A fresh process: the test's own must stay as it is. It finds the collection where this one does.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(str(pathlib.Path(path).parent) for path in ansible_collections.__path__)}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env).stdout
    assert out.split() == ["1", "0"]


_EARLY_IMPORTS = (
    "http.client",  # the transport's HTTP client (the standard library's)
    "ansible_collections.dyn.managed_dns.plugins.module_utils._engine",
    "ansible_collections.dyn.managed_dns.plugins.plugin_utils._helper_operations",
)


def test_the_helper_imports_its_operations_after_the_first_hand_over_before_any_call():
    import ansible_collections

    # A fresh process, as ansible-connection's: in the test's own, everything is imported already.
    script = (
        "import json, sys, threading\n"
        "from ansible.plugins.loader import init_plugin_loader, connection_loader\n"
        "from ansible.playbook.play_context import PlayContext\n"
        "init_plugin_loader(sys.argv[1:])\n"
        f"watched = {list(_EARLY_IMPORTS)!r}\n"
        "connection = connection_loader.get('dyn.managed_dns.dynect', PlayContext(), '/dev/null')\n"
        "before = [name in sys.modules for name in watched]\n"
        "connection.set_options(direct={'dyn_customer': 'acme', 'dyn_username': 'ops', 'dyn_password': 'x'})\n"
        "threads = [thread for thread in threading.enumerate() if thread.name == 'dynect-imports']\n"
        "for thread in threads:\n"
        "    thread.join()\n"
        "print(json.dumps([len(threads), before, [name in sys.modules for name in watched]]))\n"
    )
    roots = [str(pathlib.Path(path).parent) for path in ansible_collections.__path__]
    run = subprocess.run([sys.executable, "-c", script, *roots], capture_output=True, text=True, check=True)
    threads, before, after = json.loads(run.stdout.splitlines()[-1])
    assert (threads, before, after) == (1, [False] * 3, [True] * 3)


def test_a_failed_early_import_is_left_to_the_first_call(monkeypatch):
    from ansible_collections.dyn.managed_dns.plugins import plugin_utils

    # Importing the helper's operations now raises ImportError.
    monkeypatch.setitem(sys.modules, "ansible_collections.dyn.managed_dns.plugins.plugin_utils._helper_operations", None)
    monkeypatch.delattr(plugin_utils, "_helper_operations", raising=False)
    dynect._import_operations()  # says nothing: the first call imports it again and reports the failure


def test_the_first_call_waits_for_the_early_imports(make_connection):
    connection = make_connection()
    connection._early_imports = MagicMock()

    _result(connection.dyn_call("session_info"))

    connection._early_imports.join.assert_called_once_with()


# --- Issue #13: logging and transport -------------------------------------------------------------


@pytest.mark.parametrize("direct", [True, False])
def test_persistent_log_messages_refuses_the_connection(make_connection, emulator, direct):
    options = connection_options(emulator, *OPS, persistent_log_messages=True)
    with pytest.raises(DynectConfigError) as refused:
        if direct:  # the helper's side
            make_connection().set_options(direct=options)
        else:  # the task's worker, from host variables
            _worker(emulator, OPS, None, ansible_persistent_log_messages=True)
    assert "persistent_log_messages" in str(refused.value) and OPS[2] not in str(refused.value)
    assert describe_error(refused.value, through_connection=True).startswith("The dynect connection refuses to run")


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({}, []),
        ({"dyn_ssl": True, "dyn_validate_certs": False}, ["dyn_validate_certs is off"]),
        ({"dyn_ssl": False, "dyn_host": "api.example.net"}, ["dyn_ssl is off for api.example.net"]),
        ({"dyn_ssl": False, "dyn_host": "127.0.0.1"}, []),
        ({"dyn_ssl": False, "dyn_host": "localhost"}, []),
        ({"dyn_ssl": False, "dyn_host": "::1"}, []),
    ],
)
def test_what_an_unprotected_transport_warns(make_connection, emulator, options, expected):
    warnings = make_connection(**options)._transport_warnings()
    assert len(warnings) == len(expected)
    for message, start in zip(warnings, expected):
        assert message.startswith(start)


def test_the_unverified_certificate_warning_names_the_host_variables_and_what_to_give_instead(make_connection, emulator):
    # Issue #23 (2): worded once with the modules' warning (transport_warnings), in the connection's option names.
    (warning,) = make_connection(dyn_ssl=True, dyn_validate_certs=False)._transport_warnings()
    assert warning.startswith(f"dyn_validate_certs is off for {emulator.host}:")
    assert warning.endswith("receive the password and token. Give the CA with dyn_ca_path instead.")


def test_an_unprotected_transport_warns_at_every_login_made_with_it(make_connection, emulator_factory, tmp_path):
    # Issue #22 (4): not once per helper; each task whose call sent the password is told.
    paths = write_test_pki(tmp_path)
    server = emulator_factory(tls_cert=paths["cert"], tls_key=paths["key"])
    connection = dynect_connection(server, *OPS, dyn_validate_certs=False)
    try:
        warned = [_warnings(connection.dyn_call("session_info"))]  # the play's login
        warned.append(_warnings(connection.dyn_call("permission_report")))  # the session reused: no login
        server.fault("expire_token", match="POST /REST/UserPermissionReport")
        warned.append(_warnings(connection.dyn_call("permission_report")))  # logged in again
        _result(connection.dyn_call("log_out"))
        warned.append(_warnings(connection.dyn_call("is_alive")))  # never logs in
        warned.append(_warnings(connection.dyn_call("keep_alive")))  # logs in
        keys = SealingKeys()
        trial = seal(keys.box_with(_result(connection.dyn_call("seal_key"))), OPS[2], PASSWORD_WORKS)
        warned.append(_warnings(connection.dyn_call("password_works", keys.public, trial)))  # a trial login
    finally:
        connection.close()
    assert warned == [1, 0, 1, 0, 1, 1]
    assert server.stats()["logins"] == 4


def _warnings(reply: dict[str, Any]) -> int:
    assert "error" not in reply, reply["error"]
    assert all(message.startswith("dyn_validate_certs is off for 127.0.0.1") for message in reply["warnings"])
    return len(reply["warnings"])


def test_the_socket_offers_tasks_one_call_whose_allow_list_is_the_declared_operations(make_connection, emulator):
    # Issue #15: one allow-listed dispatch instead of one RPC method per operation.
    connection = make_connection()
    offered = {name for name in dir(connection) if name.startswith("dyn_") and callable(getattr(connection, name))}
    assert offered == {"dyn_call"}
    before = emulator.stats()["logins"]
    refused = error_from_rpc(connection.dyn_call("_session_for_task")["error"])
    assert isinstance(refused, DynectConfigError)
    assert "offers no operation '_session_for_task'" in str(refused)
    assert "error" in connection.dyn_call("close")
    assert emulator.stats()["logins"] == before  # refused before the session was touched


# --- Issue #15: tasks of a running helper skip ansible-connection ---------------------------------

# Whether core runs ansible-connection for a task is its TaskExecutor's reading of force_persistence;
# connection_accounts proves in a real play that only a host's first task starts it.


@pytest.mark.parametrize("socket_path", [None, "/nonexistent/dyn-helper"])
def test_a_task_without_a_running_helper_makes_core_start_ansible_connection(make_connection, socket_path):
    connection = make_connection()
    connection._socket_path = socket_path
    assert connection.force_persistence is True


def _serve(listener: socket.socket, server: JsonRpcServer, stop: threading.Event) -> None:
    """ansible-connection's ConnectionProcess.run: one JSON-RPC request and reply after another, per client."""
    while True:
        client, _address = listener.accept()
        with client:
            if stop.is_set():
                return
            while data := recv_data(client):
                send_data(client, to_bytes(server.handle_request(data)))


@pytest.fixture
def serve_helper(make_connection: Any) -> Iterator[Any]:
    """``serve_helper(customer, user, password, **options)``: a helper connection on a real Unix socket; (socket path, helper)."""
    served = []

    def serve(*account: Any, **options: Any) -> tuple[str, Any]:
        helper = make_connection(*account, **options)
        directory = tempfile.mkdtemp(prefix="dyn-", dir="/tmp")  # AF_UNIX paths are short; pytest's tmp_path may not be
        path = os.path.join(directory, "helper")
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(path)
        listener.listen(1)
        server = JsonRpcServer()
        server.register(helper)
        stop = threading.Event()
        thread = threading.Thread(target=_serve, args=(listener, server, stop), daemon=True)
        thread.start()
        served.append((helper, listener, path, stop, thread, directory))
        return path, helper

    yield serve
    for helper, listener, path, stop, thread, directory in served:
        stop.set()
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as wake:
            wake.connect(path)  # accept() returns and sees stop
        thread.join(timeout=5)
        listener.close()
        JsonRpcServer._objects.discard(helper)  # core's registry is class-wide
        shutil.rmtree(directory)
    assert not any(thread.is_alive() for *_served, thread, _directory in served)


def _worker(emulator: Any, account: tuple[Any, ...], socket_path: str | None, **options: Any) -> Any:
    """The task's connection in its worker process: options from host variables, the play's helper at ``socket_path``."""
    from ansible.playbook.play_context import PlayContext
    from ansible.plugins.loader import connection_loader

    play_context = PlayContext()
    play_context.remote_addr = f"{account[0]}-{account[1]}"
    connection = connection_loader.get("dyn.managed_dns.dynect", play_context, "/dev/null")
    connection.set_options(var_options=connection_options(emulator, *account, **options))
    connection._socket_path = socket_path
    return connection


def test_the_handover_gives_the_running_helper_the_task_options(serve_helper, emulator):
    path, helper = serve_helper(password=None, dyn_timeout=30)  # the helper can only log in with what the task sends

    assert _worker(emulator, OPS, path, dyn_timeout=7).force_persistence is False  # taken: core need not start a helper

    assert (helper.get_option("dyn_customer"), helper.get_option("dyn_timeout")) == (OPS[0], 7)
    info = _result(HelperSocket(path).dyn_call("session_info"))
    assert (info["customer"], info["username"]) == OPS[:2]
    assert emulator.stats()["logins"] == 1


def test_a_task_of_another_account_handed_over_to_the_helper_is_refused_without_a_login(serve_helper, emulator):
    path, _helper = serve_helper()
    assert _worker(emulator, OPS, path).force_persistence is False
    _result(HelperSocket(path).dyn_call("session_info"))

    assert _worker(emulator, READER, path).force_persistence is False
    refused = str(error_from_rpc(HelperSocket(path).dyn_call("permission_report")["error"]))

    assert "acme/ops at" in refused and "acme/reader at" in refused
    assert emulator.stats()["logins"] == 1


def test_a_warning_the_helper_queued_is_shown_once_by_the_workers(serve_helper, emulator, monkeypatch):
    monkeypatch.setattr(dynect, "display", MagicMock())
    path, helper = serve_helper()
    helper._queue("warning", "Could not log out of DynECT as acme/ops: ...")

    for _task in range(2):
        assert _worker(emulator, OPS, path).force_persistence is False

    dynect.display.warning.assert_called_once_with("Could not log out of DynECT as acme/ops: ...")


@pytest.mark.parametrize(
    ("level", "shown"),
    [
        ("log", call.display("said", log_only=True)),
        ("vvvv", call.vvvv("said", host="acme-ops")),
        ("debug", call.debug("said", host="acme-ops")),
        ("warning", call.warning("said")),
        ("error", call.error("said")),
        ("no-such-level", call.vvvv("said", host="acme-ops")),
    ],
)
def test_a_relayed_message_is_shown_at_its_level(monkeypatch, level, shown):
    monkeypatch.setattr(dynect, "display", MagicMock())
    dynect._relay(level, "said", "acme-ops")
    assert dynect.display.mock_calls == [shown]


def _dead_socket(path: str) -> None:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as unserved:
        unserved.bind(path)  # the file stays, nobody listens: a helper that died


def _closing_helper(path: str) -> None:
    """A helper at the end of its play: still listening, accepting nothing, closing in a moment."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(1)
    threading.Timer(0.2, listener.close).start()


@pytest.mark.parametrize(
    "leave", [_dead_socket, _closing_helper, lambda path: pathlib.Path(path).touch()], ids=["dead-socket", "closing-helper", "regular-file"]
)
def test_a_socket_that_does_not_answer_leaves_the_task_to_core_showing_nothing(emulator, monkeypatch, leave):
    monkeypatch.setattr(dynect, "display", MagicMock())
    directory = tempfile.mkdtemp(prefix="dyn-", dir="/tmp")
    path = os.path.join(directory, "helper")
    leave(path)
    try:
        assert _worker(emulator, OPS, path).force_persistence is True  # core runs ansible-connection, as without a helper
    finally:
        shutil.rmtree(directory)
    assert dynect.display.mock_calls == []


def test_a_helper_refusing_the_task_options_fails_the_task_with_its_reason_alone(serve_helper, emulator):
    path, helper = serve_helper()
    worker = _worker(emulator, OPS, path, dyn_password="Handed-Over-7")
    worker.set_option("persistent_log_messages", True)  # past the worker's own check: the helper's refusal is what is shown

    with pytest.raises(AnsibleError) as failed:
        # Core reads the property before the task; the reading hands the task over.
        worker.force_persistence  # pylint: disable=pointless-statement

    # The helper answered: the task fails with the helper's reason, not with an unreachable host.
    assert not isinstance(failed.value, AnsibleConnectionFailure)
    assert str(failed.value).startswith("The dynect connection refuses to run with persistent_log_messages on")
    assert "Handed-Over-7" not in str(failed.value)
    # Sealed before the refusal: the refused options' password is not in core's clear option table.
    assert "Handed-Over-7" not in repr(helper._options) + repr(vars(helper))


def test_the_handover_carries_the_password_but_nothing_the_worker_shows_holds_it(serve_helper, emulator, monkeypatch):
    monkeypatch.setattr(dynect, "display", MagicMock())
    path, helper = serve_helper(password=None)

    assert _worker(emulator, OPS, path).force_persistence is False
    helper._queue("vvvv", f"helper options now: {helper._options!r}")  # core's table, after the hand-over
    assert _worker(emulator, OPS, path).force_persistence is False  # relays it

    _result(HelperSocket(path).dyn_call("session_info"))  # logged in with the password the task handed over
    assert dynect.display.mock_calls, "nothing was relayed, so nothing was checked"
    assert leaked(repr(dynect.display.mock_calls), [OPS[2]]) == []


# --- Issue #22: the helper's socket, its bound transport, and a changed password -------------------


def test_only_the_served_methods_are_left_on_the_helper_socket(rpc_server):
    call, connection = rpc_server
    public = {name for name in dir(type(connection)) if _socket_door._is_public_method(type(connection), name)}
    assert _socket_door.SERVED <= public  # the door names methods that exist
    for name in sorted(public - _socket_door.SERVED):
        reply = call(name, "dyn_proxy_host", "proxy.example.net")
        assert reply["error"]["code"] == -32601, name  # "method not found": ansible-connection tolerates it
        assert reply["error"]["message"] == f"The dynect connection's helper does not offer {name}"
    assert connection.get_option("dyn_proxy_host") is None


@pytest.mark.parametrize(
    ("method", "args"),
    [
        ("set_option", ["dyn_proxy_host", "proxy.example.net"]),
        ("queue_message", ["warning", "Your DynECT password expired: type it into https://phish.example"]),
        ("update_vars", [{"ansible_host": "elsewhere"}]),
        ("exec_command", ["touch /tmp/dyn-helper-ran-this"]),
        ("get_option_and_origin", ["dyn_password"]),
        ("get_options", []),
    ],
)
def test_a_same_user_process_cannot_set_queue_or_run_anything_through_the_helper(rpc_server, emulator, method, args):
    call, connection = rpc_server
    if os.path.exists("/tmp/dyn-helper-ran-this"):
        os.remove("/tmp/dyn-helper-ran-this")  # left by an earlier run that was not refused
    _result(connection.dyn_call("session_info"))

    assert "error" in call(method, *args)

    assert connection.pop_messages() == []
    assert connection.get_option("dyn_proxy_host") is None
    assert not os.path.exists("/tmp/dyn-helper-ran-this")
    assert _result(connection.dyn_call("session_info"))["customer"] == OPS[0]
    assert emulator.stats()["logins"] == 1


def test_the_helper_takes_options_only_as_a_hand_over(rpc_server, emulator):
    call, connection = rpc_server
    for kwargs in ({"var_options": {"dyn_proxy_host": "proxy.example.net"}}, {"task_keys": {}, "direct": {}}, {"direct": "x"}):
        reply = json.loads(
            _rpc_server_call(connection, "set_options", **kwargs)
        )
        assert "takes a task's options only as set_options(direct=...)" in reply["error"]["data"], kwargs
    assert connection.get_option("dyn_proxy_host") is None


def _rpc_server_call(connection: Any, method: str, *args: Any, **kwargs: Any) -> str:
    server = JsonRpcServer()
    server.register(connection)
    try:
        return server.handle_request(json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": [list(args), kwargs]}))
    finally:
        JsonRpcServer._objects.discard(connection)


@pytest.mark.parametrize(
    "changed",
    [
        {"dyn_proxy_host": "127.0.0.1", "dyn_proxy_port": 3128},
        {"dyn_ssl": True},
        {"dyn_validate_certs": False},
        {"dyn_ca_path": "/etc/ssl/certs/ca-certificates.crt"},
        {"dyn_proxy_user": "someone"},
    ],
    ids=["proxy", "ssl", "validate_certs", "ca_path", "proxy_user"],
)
def test_a_hand_over_that_changes_the_transport_is_refused_and_changes_nothing(make_connection, emulator, changed):
    connection = make_connection()
    _result(connection.dyn_call("session_info"))
    bound = connection._configured_transport()

    with pytest.raises(DynectConfigError) as refused:
        connection.set_options(direct=connection_options(emulator, *OPS, **changed))

    assert f"this task changes {', '.join(changed)}" in str(refused.value)
    assert str(refused.value).endswith("Use another inventory host for another endpoint.")
    assert connection._configured_transport() == bound
    assert connection._secret("dyn_password") == OPS[2]
    connection._operations._session = None  # a login now would go with the bound settings, not the refused ones
    assert _result(connection.dyn_call("session_info"))["customer"] == OPS[0]


def test_a_hand_over_may_change_what_is_not_the_transport(make_connection, emulator):
    connection = make_connection()
    _result(connection.dyn_call("session_info"))
    connection.set_options(direct=connection_options(emulator, *OPS, dyn_timeout=7, dyn_rate_limit=10, dyn_history=True))
    assert (connection.get_option("dyn_timeout"), connection.get_option("dyn_rate_limit")) == (7, 10)


def _change_password(connection: Any, new_password: str) -> None:
    keys = SealingKeys()
    sealed = seal(keys.box_with(_result(connection.dyn_call("seal_key"))), new_password, UPDATE_PASSWORD)
    _result(connection.dyn_call("update_password", keys.public, sealed))


def test_a_changed_password_outlives_later_hand_overs_logouts_and_expiry(make_connection, emulator):
    # Issue #22 (3): the next task's hand-over carries the inventory's old password.
    connection = make_connection(*READER)
    _change_password(connection, "Read-Only-2x")

    connection.set_options(direct=connection_options(emulator, *READER))  # the next task, old password
    _result(connection.dyn_call("log_out"))
    _result(connection.dyn_call("session_info"))  # logs in again
    emulator.fault("expire_token", match="POST /REST/UserPermissionReport")
    connection.set_options(direct=connection_options(emulator, *READER))
    _result(connection.dyn_call("permission_report"))  # logs in again after the expiry

    stats = emulator.stats()
    assert (stats["logins"], stats["failed_logins"]) == (3, 0)


def test_a_password_change_that_was_not_carried_out_keeps_the_old_password(make_connection, emulator):
    connection = make_connection(*READER)
    emulator.fault("server_error", match="PUT /REST/Password")
    keys = SealingKeys()
    sealed = seal(keys.box_with(_result(connection.dyn_call("seal_key"))), "Read-Only-2x", UPDATE_PASSWORD)
    assert "error" in connection.dyn_call("update_password", keys.public, sealed)
    assert connection._secret("dyn_password") == READER[2]


def test_the_helper_asked_over_its_socket_whether_to_start_a_helper_does_not_call_itself(serve_helper):
    # Reading the property once made the helper hand options to its own socket and wait for itself.
    path, helper = serve_helper()
    helper._socket_path = path  # as ansible-connection sets it
    asking = threading.Thread(target=lambda: HelperSocket(path)._exec_jsonrpc("force_persistence"), daemon=True)
    asking.start()
    asking.join(5)
    assert not asking.is_alive(), "the helper is waiting for its own answer"
