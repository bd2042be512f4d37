# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A same-user process that talks to every dynect helper socket of the running play (issue #13).

It finds the sockets in ANSIBLE_PERSISTENT_CONTROL_PATH_DIR (the test runner sets it), asks each
for the secret options and for the token, and tries to pass the token sealed for a task back as a
new password. It prints one JSON line of verdicts; never a value it was given.
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


def refused(connection: Connection, method: str, *args: Any) -> bool:
    """Whether the helper answered the call with an error and no result."""
    try:
        getattr(connection, method)(*args)
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


def attack(socket_path: str) -> dict[str, Any]:
    connection = Connection(socket_path)
    verdicts: dict[str, Any] = {f"get_option {name} refused": refused(connection, "get_option", name) for name in SECRET_OPTIONS}
    verdicts["get_options refused"] = refused(connection, "get_options")
    verdicts["customer"] = connection.get_option("dyn_customer")
    verdicts.update(token_verdicts(connection))
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
