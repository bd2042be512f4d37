# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Turning a request path into a route: the resource, its path parameters and the stats key."""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass

from .rdata import TYPES

# Clients spell paths differently (trailing slash or not, the docs even print /REST/SESSION/), so
# resources match case-insensitively and are reported in their canonical spelling (spec b.1).
_RESOURCES = {
    name.lower(): name
    for name in ("Session", "Password", "UserPermissionReport", "CheckPermissionReport", "Job", "Zone", "ZoneFile", "Task",
                 "ZoneChanges", "Node", "NodeList", "AllRecord", "ANYRecord", *(t.resource for t in TYPES.values()))
}
_ROOT = "rest"


@dataclass(frozen=True)
class Route:
    method: str
    resource: str  # canonical spelling when known, else as requested
    params: tuple[str, ...]

    @property
    def key(self) -> str:
        """The stats and fault-matching key, e.g. ``GET /REST/Job``: no trailing slash, no parameters."""
        return f"{self.method} /REST/{self.resource}"

    @classmethod
    def parse(cls, method: str, path: str) -> Route | None:
        """The route of a request path (query string ignored); None when the path is not under /REST."""
        segments = [urllib.parse.unquote(part) for part in urllib.parse.urlsplit(path).path.split("/") if part]
        if not segments or segments[0].lower() != _ROOT:
            return None
        resource = segments[1] if len(segments) > 1 else ""
        return cls(method.upper(), _RESOURCES.get(resource.lower(), resource), tuple(segments[2:]))


def normalize_key(key: str) -> str:
    """``"get /rest/zone/"`` -> ``"GET /REST/Zone"``; ValueError if it is not "METHOD /REST/Resource"."""
    method, _space, path = key.strip().partition(" ")
    route = Route.parse(method, path.strip()) if method else None
    if route is None or not route.resource:
        raise ValueError(f"match must look like 'GET /REST/Zone', not {key!r}")
    return route.key
