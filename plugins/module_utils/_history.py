# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Call history records and secret masking (private).

Both the history and the debug log show request arguments; both go through :func:`mask_secrets`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

MASK = "*****"

# A key is secret when its lower-cased name contains one of these: this covers password,
# new_password, proxy_pass, passwd, token, auth_token, client_secret, ...
_SECRET_KEY_PARTS = ("pass", "token", "secret")
_SECRET_KEYS = frozenset({"key", "api_key", "private_key"})


class HistoryRecord(NamedTuple):
    """One HTTP exchange with the API, as the SDK recorded it (it unpacks like the SDK's tuple).

    ``status`` is the envelope's ``status`` (``success``, ``failure``, ``incomplete``, ...), or
    ``HTTP <code>`` for a reply without one (a 307 job redirect, a 500 page), or
    ``transport error`` when no reply came.
    """

    timestamp: str
    uri: str
    method: str
    args: dict[str, Any]
    status: str


def is_secret_key(key: object) -> bool:
    if not isinstance(key, str):
        return False
    lowered = key.lower()
    return lowered in _SECRET_KEYS or any(part in lowered for part in _SECRET_KEY_PARTS)


def mask_secrets(value: Any) -> Any:
    """A copy of ``value`` with every secret-named entry replaced by ``*****``, at any depth."""
    if isinstance(value, Mapping):
        return {key: MASK if is_secret_key(key) else mask_secrets(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [mask_secrets(item) for item in value]
    return value
