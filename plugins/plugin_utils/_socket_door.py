# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Which public methods of the dynect helper its socket serves (private).

ansible-core's JSON-RPC server in ``ansible-connection`` calls any public method of the connection
object by name, for any process of the user that reaches the helper's socket, and the plugin
cannot tell such a call from its own. So once the helper serves, every public method outside
:data:`SERVED` is replaced on the instance by a refusal: option setters, the message queue, the
local command runner ansible-core's network base class offers, and any method a later
ansible-core adds (fail closed).
"""

from __future__ import annotations

import inspect
import types
from collections.abc import Callable
from typing import Any, NoReturn

from ansible.module_utils.connection import ConnectionError as RpcError

# What the helper answers over its socket, and why:
SERVED = frozenset(
    (
        "dyn_call",  # the tasks' one entry, with its own allow-list of operations
        "set_options",  # the hand-over of a task's options (direct=... only; checked by the plugin)
        "pop_messages",  # the hand-over relays the helper's messages (ansible-connection does too)
        "get_option",  # ansible-connection reads its timeouts; secret options are refused by the plugin
        "reset",  # ansible-core ends the helper at the end of a play and on meta: reset_connection
        "close",  # ansible-connection's own shutdown, in the helper's process
    )
)

# JSON-RPC "method not found": ansible-connection tolerates it for the calls it makes of every
# persistent connection that this one does not offer (update_play_context, set_check_prompt).
_METHOD_NOT_FOUND = -32601


def close_the_door(connection: Any, served: frozenset[str] = SERVED) -> list[str]:
    """Refuse every public method of ``connection`` but ``served``, on that instance; the names refused."""
    refused = [name for name in dir(type(connection)) if _is_public_method(type(connection), name) and name not in served]
    for name in refused:
        setattr(connection, name, _refusal(name))
    return refused


def _is_public_method(cls: type, name: str) -> bool:
    if name.startswith("_"):
        return False
    return isinstance(inspect.getattr_static(cls, name), (types.FunctionType, staticmethod, classmethod))


def _refusal(name: str) -> Callable[..., NoReturn]:
    def refuse(*_args: Any, **_kwargs: Any) -> NoReturn:
        raise RpcError(f"The dynect connection's helper does not offer {name}", code=_METHOD_NOT_FOUND)

    return refuse
