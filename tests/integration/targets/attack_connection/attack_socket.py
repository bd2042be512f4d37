# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A same-user process that talks to every dynect helper socket of the running play (issues #13, #22).

It finds the sockets in ANSIBLE_PERSISTENT_CONTROL_PATH_DIR (the test runner sets it), asks each
for the secret options and for the token, tries to pass the token sealed for a task back as a
new password, and tries every way of changing what the helper does: its setters, a hand-over that
sends the session through a proxy of its own, a warning shown to the operator, a command run by
the helper. It prints one JSON line of verdicts; never a value it was given.
"""

from __future__ import annotations

import json
import os
import stat
import sys
from typing import Any

for path in os.environ.get("ANSIBLE_COLLECTIONS_PATH", "").split(os.pathsep):
    if path:
        sys.path.insert(0, path)

from ansible.module_utils.connection import Connection, ConnectionError as RpcConnectionError  # noqa: E402

from ansible_collections.dyn.managed_dns.plugins.module_utils._rpc_seal import (  # noqa: E402
    PASSWORD_WORKS,
    SEALED_TOKEN,
    SealingKeys,
    unseal,
)
from ansible_collections.dyn.managed_dns.plugins.module_utils.errors import DynectConfigError  # noqa: E402

SECRET_OPTIONS = ("dyn_password", "dyn_key", "dyn_proxy_pass")
# What the attacker would like the helper to do: log in again through its proxy, tell the operator
# something, run a command, take options from variables.
PROXY = {"dyn_proxy_host": "127.0.0.1", "dyn_proxy_port": 9}
MARKER = "/tmp/dyn-helper-ran-this"
SETTER_ATTACKS = {
    "set_option": ("dyn_proxy_host", "127.0.0.1"),
    "queue_message": ("warning", "Your DynECT password expired: type it into https://phish.example"),
    "exec_command": (f"touch {MARKER}",),
    "update_vars": ({"ansible_host": "elsewhere"},),
    "get_option_and_origin": ("dyn_password",),
}


def refused(connection: Connection, method: str, *args: Any, **kwargs: Any) -> bool:
    """Whether the helper answered the call with an error and no result."""
    try:
        getattr(connection, method)(*args, **kwargs)
    except RpcConnectionError:
        return True
    return False


def opens(keys: SealingKeys, helper_key: str, sealed: str, purpose: str) -> bool:
    try:
        unseal(keys.box_with(helper_key), sealed, purpose)
    except DynectConfigError:
        return False
    return True


def token_verdicts(connection: Connection) -> dict[str, Any]:
    keys = SealingKeys()
    reply = connection.dyn_call("sealed_token", keys.public)
    if "error" in reply:
        return {"token_refused": True}
    helper_key = connection.dyn_call("seal_key")["result"]
    sealed = reply["result"]
    back = connection.dyn_call("update_password", keys.public, sealed)
    return {
        "token_refused": False,
        "token_opens_as_token": opens(keys, helper_key, sealed, SEALED_TOKEN),
        "token_opens_as_password": opens(keys, helper_key, sealed, PASSWORD_WORKS),
        "token_as_new_password_refused": "error" in back and "not for task->helper/update_password" in back["error"]["reason"],
    }


def hand_over_through_a_proxy(connection: Connection) -> bool:
    """Whether the helper refused a hand-over that keeps its account but adds a proxy (the options of its own task otherwise)."""
    account = {name: connection.get_option(name) for name in ("dyn_customer", "dyn_username", "dyn_host", "dyn_port", "dyn_ssl")}
    try:
        connection.set_options(direct={**account, **PROXY})
    except RpcConnectionError as exc:
        return "Use another inventory host for another endpoint" in str(exc)
    return False


def setter_verdicts(connection: Connection) -> dict[str, Any]:
    if os.path.exists(MARKER):
        os.remove(MARKER)  # left by an earlier run that was not refused
    verdicts = {f"{method} refused": refused(connection, method, *args) for method, args in SETTER_ATTACKS.items()}
    verdicts["set_options from variables refused"] = refused(connection, "set_options", var_options=PROXY)
    verdicts["hand-over through a proxy refused"] = hand_over_through_a_proxy(connection)
    verdicts["proxy after the attacks"] = connection.get_option("dyn_proxy_host")
    verdicts["command ran"] = os.path.exists(MARKER)
    verdicts["queued for the operator"] = len(connection.pop_messages())
    return verdicts


def attack(socket_path: str) -> dict[str, Any]:
    connection = Connection(socket_path)
    verdicts: dict[str, Any] = {f"get_option {name} refused": refused(connection, "get_option", name) for name in SECRET_OPTIONS}
    verdicts["get_options refused"] = refused(connection, "get_options")
    verdicts["customer"] = connection.get_option("dyn_customer")
    verdicts.update(token_verdicts(connection))
    verdicts.update(setter_verdicts(connection))
    return verdicts


def main() -> None:
    directory = os.environ["ANSIBLE_PERSISTENT_CONTROL_PATH_DIR"]
    sockets = sorted(
        os.path.join(directory, name) for name in os.listdir(directory)
        if stat.S_ISSOCK(os.stat(os.path.join(directory, name)).st_mode)
    )
    print(json.dumps({"sockets": len(sockets), "helpers": [attack(path) for path in sockets]}))


if __name__ == "__main__":
    main()
