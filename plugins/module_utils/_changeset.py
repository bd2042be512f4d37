# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Which zones have changes pending in a server session, and which lost theirs to a new login (private).

DynECT keeps record and node changes pending in the server session that made them until the zone
is published, and drops them when that session ends (docs/dynect_api_notes.md). When the session
layer logs in again on its own (the token expired), the zones with pending changes lose them: a
later publish would put only the changes made since live, a partial batch nobody asked for. One
job here: know those zones, so that such a publish is refused where it would be sent, and tell a
task whether a zone has changes pending when it may not list them (no ``ZoneChangeSet``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ansible_collections.dyn.managed_dns.plugins.module_utils.errors import DynectChangesLostError

__all__ = ["PendingZones"]

# Requests that add to a zone's changeset: record and node changes (any method but GET).
_CHANGE = re.compile(r"^/REST/(?:[A-Za-z0-9]+Record|Node)/([^/]+)/", re.IGNORECASE)
_ZONE = re.compile(r"^/REST/Zone/([^/]+)/?$", re.IGNORECASE)
_ZONE_CHANGES = re.compile(r"^/REST/ZoneChanges/([^/]+)/?$", re.IGNORECASE)
# How clients spell "publish": true (a boolean, or a string the API takes as one).
_TRUE_WORDS = frozenset({"true", "yes", "y", "1"})


def _is_true(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value == 1
    return isinstance(value, str) and value.strip().lower() in _TRUE_WORDS


def _zone(match: re.Match[str] | None) -> str | None:
    return match.group(1).rstrip(".").lower() if match else None


def _publishes(method: str, path: str, args: Mapping[str, Any] | None) -> str | None:
    """The zone a request publishes, or None."""
    if method != "PUT" or not args or not _is_true(args.get("publish")):
        return None
    return _zone(_ZONE.match(path))


class PendingZones:
    """The zones one account's server sessions have changed without publishing."""

    def __init__(self) -> None:
        self._pending: set[str] = set()  # changed in the current server session
        self._lost: set[str] = set()  # changed in a server session that ended before a publish
        # Whether every change of the current server session went through here: not for a session
        # adopted with its token, whose earlier changes another process made; yes from a login on.
        self._seen_whole_session = False

    def holds(self, zone: str) -> bool | None:
        """Whether ``zone`` has changes pending (or lost) in the current server session; None when that is unknown.

        Unknown: nothing was seen changing it, but the session was adopted with its token, so its
        earlier changes were made elsewhere.
        """
        name = zone.rstrip(".").lower()
        if name in self._pending or name in self._lost:
            return True
        return False if self._seen_whole_session else None

    def check(self, method: str, path: str, args: Mapping[str, Any] | None) -> None:
        """Refuse to publish, or list the pending changes of, a zone whose earlier changes a new login dropped.

        A listing would show only the changes made since, as if they were the whole batch.
        """
        zone = _publishes(method, path, args) or (_zone(_ZONE_CHANGES.match(path)) if method == "GET" else None)
        if zone is not None and zone in self._lost:
            raise DynectChangesLostError(
                f"the changes to zone {zone} that were pending in this session were dropped by DynECT when the "
                "session had to log in again (its token had expired): publishing now would put only the later "
                "changes live. Discard the zone's pending changes and make all of them again",
                method=method,
                uri=path,
            )

    def note_change(self, method: str, path: str) -> str | None:
        """Count a record or node change as pending before it is sent; the zone, when it was not pending yet.

        Before, not after: a change whose answer never comes (a job whose polling met an expired
        session) may have been made in the session that is about to end.
        """
        zone = _zone(_CHANGE.match(path)) if method != "GET" else None
        if zone is None or zone in self._pending:
            return None
        self._pending.add(zone)
        return zone

    def carry_over(self, zone: str) -> None:
        """The change :meth:`note_change` counted did not run in the session that ended; it goes again in the new one."""
        self._lost.discard(zone)
        self._pending.add(zone)

    def forget(self, zone: str) -> None:
        """The change :meth:`note_change` counted was refused: nothing of it is pending."""
        self._pending.discard(zone)

    def record(self, method: str, path: str, args: Mapping[str, Any] | None) -> None:
        """Note what a successful publish or discard did to the pending changes."""
        published = _publishes(method, path, args)
        discarded = _zone(_ZONE_CHANGES.match(path)) if method == "DELETE" else None
        if published or discarded:
            self._pending.discard(published or discarded)
            self._lost.discard(published or discarded)

    def session_ended(self) -> None:
        """The server session ended without a publish: its pending changes are gone.

        Called at every login too, so the next server session is one whose every change is seen here.
        """
        self._lost |= self._pending
        self._pending.clear()
        self._seen_whole_session = True
