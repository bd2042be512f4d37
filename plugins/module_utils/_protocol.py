# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What the layers above the session need of a session, declared where the session layer lives.

:class:`ApiSession` is all the DNS layer needs (one call to the API); :class:`TaskSession` is what
a task does with its session, the same on both routes: the direct route's session and, through
the dynect connection's helper, :class:`ConnectionSession` implement it
(``tests/unit/plugins/module_utils/test_module.py`` checks that both offer every member with the
same parameters). :class:`ApiCall` and :class:`BatchOutcome` are what ``execute_many`` takes and
gives. This file imports only ``errors.py`` of the collection, so any layer above it may depend on it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple, Protocol

from ansible_collections.dyn.managed_dns.plugins.module_utils.errors import DynectError

__all__ = ["ApiCall", "ApiSession", "BatchOutcome", "TaskSession"]


class ApiCall(NamedTuple):
    """One API call, as :meth:`ApiSession.execute` takes it."""

    uri: str
    method: str
    args: dict[str, Any] | None = None


class BatchOutcome(NamedTuple):
    """What a batch of calls got: the reply of each call that succeeded, in order, then the error of the one that failed (None when none did)."""

    replies: list[dict[str, Any]]
    error: DynectError | None


class ApiSession(Protocol):
    """A logged-in session that makes one API call and answers its ``data``."""

    def execute(self, uri: str, method: str, args: dict[str, Any] | None = None) -> dict[str, Any]: ...


class TaskSession(ApiSession, Protocol):
    """What a task does with its session, the same on both routes."""

    @property
    def customer(self) -> str | None: ...

    @property
    def username(self) -> str | None: ...

    @property
    def server_version(self) -> str | None: ...

    def read_token(self) -> str | None:
        """The session's token, or None when not logged in; may cost calls (through the connection: two, and a key agreement)."""

    def execute_many(self, calls: Sequence[ApiCall]) -> BatchOutcome:
        """``calls`` in order, stopping at the first that fails; its error is in the outcome, not raised."""

    def is_alive(self) -> bool: ...

    def keep_alive(self) -> None: ...

    def log_out(self) -> Any: ...

    def pending_in_session(self, zone: str) -> bool | None:
        """Whether the session's own record has changes to ``zone`` pending; None when it cannot know (an adopted token)."""

    def permission_report(self, user_name: str | None = None) -> dict[str, Any]: ...

    def check_permissions(self, permissions: list[str], zone_name: str | None = None) -> dict[str, Any]: ...

    def update_password(self, new_password: str) -> None: ...

    def password_works(self, password: str) -> bool: ...
