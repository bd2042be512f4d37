#!/usr/bin/python
# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: dyn_zone_info
short_description: List a DynECT customer's zones, or report one zone's serial and pending changes
version_added: 0.1.0
author:
  - dyn.managed_dns contributors (!UNKNOWN)
description:
  - Without O(zone), lists the names of the zones the session's user can read (C(GET /REST/Zone/)),
    or with O(details=true) the zones with their serials, serial styles and types, from the same one
    request.
  - With O(zone), reports that zone (C(GET /REST/Zone/<zone>/)) and how many changes to it are
    pending in this session (C(GET /REST/ZoneChanges/<zone>/), which needs the C(ZoneChangeSet)
    permission; not asked when the task logs in itself, since its own session has none). A user
    without C(ZoneChangeSet) gets the zone all the same, with RV(zone.pending_changes) V(null) and
    RV(zone.pending_changes_note) saying why. A zone the customer does not have fails the task, saying so.
requirements:
  - cryptography
extends_documentation_fragment:
  - dyn.managed_dns.api
  - dyn.managed_dns.zone.read_or_list
  - dyn.managed_dns.attributes
  - dyn.managed_dns.attributes.action_group
  - dyn.managed_dns.attributes.info_module
options:
  details:
    description:
      - Without O(zone), list each zone with its details (RV(zones) holds dictionaries) instead of
        its name only. Still one request (C(GET /REST/Zone/) with C(detail)).
      - Not used with O(zone).
    type: bool
    default: false
    version_added: 0.2.0
notes:
  - DynECT does not tell whether a zone is frozen (the SDK says so too), so RV(zone.state) says
    only whether it has a serial yet (V(active)) or was never published (V(new)).
seealso:
  - module: dyn.managed_dns.dyn_record_set_info
  - module: dyn.managed_dns.dyn_zone_changes
"""

EXAMPLES = r"""
- name: List the zones
  dyn.managed_dns.dyn_zone_info:
  register: zones

- name: List the zones with their serials
  dyn.managed_dns.dyn_zone_info:
    details: true
  register: zones_in_detail

- name: Report example.com's serial
  dyn.managed_dns.dyn_zone_info:
    zone: example.com
  register: example

- name: Show it
  ansible.builtin.debug:
    msg: "example.com is at serial {{ example.zone.serial }}"
"""

RETURN = r"""
zones:
  description:
    - The names of the customer's zones, sorted.
    - With O(details=true), each zone as a dictionary with C(zone) (its name), C(serial),
      C(serial_style) and C(zone_type), sorted by name.
  returned: without O(zone)
  type: list
  elements: raw
  sample: [example.com, example.net]
zone:
  description: The zone.
  returned: with O(zone)
  type: dict
  contains:
    name:
      description: The zone's name.
      type: str
      sample: example.com
    serial:
      description: The serial of its SOA record.
      type: int
      sample: 2026113001
    serial_style:
      description: How DynECT makes the next serial (V(increment), V(epoch), V(day), V(minute)).
      type: str
      sample: increment
    zone_type:
      description: V(Primary) or V(Secondary).
      type: str
      sample: Primary
    state:
      description: V(active) once the zone has been published, V(new) before.
      type: str
      sample: active
    pending_changes:
      description:
        - How many changes to the zone are pending in this task's session.
        - V(null) when the user may not list them (no C(ZoneChangeSet) permission); see RV(zone.pending_changes_note).
      type: int
      sample: 0
    pending_changes_note:
      description: Why RV(zone.pending_changes) is V(null).
      returned: when RV(zone.pending_changes) is V(null)
      type: str
      sample: The pending changes could not be listed (the user lacks the ZoneChangeSet permission).
history:
  description: This task's API calls, oldest first, with passwords and tokens masked.
  returned: when O(history=true)
  type: list
  elements: dict
"""

from typing import Any

from ansible_collections.dyn.managed_dns.plugins.module_utils._module import ModuleSpec, TaskRun, TaskSessions, run_module
from ansible_collections.dyn.managed_dns.plugins.module_utils._protocol import TaskSession
from ansible_collections.dyn.managed_dns.plugins.module_utils._records import zone_name, zone_option
from ansible_collections.dyn.managed_dns.plugins.module_utils.dns import pending_changes, read_zone, zone_details, zone_names
from ansible_collections.dyn.managed_dns.plugins.module_utils.errors import DynectError

SPEC = ModuleSpec({"zone": zone_option("read_or_list"), "details": {"type": "bool", "default": False}}, non_empty=("zone",))

_DETAIL_KEYS = ("zone", "serial", "serial_style", "zone_type")


def _listing(session: TaskSession, details: bool) -> list[Any]:
    """The zones' names, or with ``details`` their zone objects (only the documented keys), in one request."""
    if not details:
        return zone_names(session)
    return [{key: zone.get(key) for key in _DETAIL_KEYS} for zone in zone_details(session)]


_UNLISTED = "The pending changes could not be listed (the user lacks the ZoneChangeSet permission)."


def _pending_count(sessions: TaskSessions, session: TaskSession, name: str) -> dict[str, Any]:
    """``pending_changes`` (and, when the user may not list them, ``pending_changes_note``) for the zone's report."""
    if not sessions.adopted:
        # A session the task opened itself has nothing pending: no need to ask (nor ZoneChangeSet).
        return {"pending_changes": 0}
    try:
        return {"pending_changes": len(pending_changes(session, name))}
    except DynectError as exc:
        if "PERMISSION_DENIED" not in exc.error_codes:
            raise
        # The zone is what the task is about; the count is a bonus a user without ZoneChangeSet goes without.
        return {"pending_changes": None, "pending_changes_note": _UNLISTED}


def work(task: TaskRun, sessions: TaskSessions) -> dict[str, Any]:
    """List the zones, or report one."""
    if task.params["zone"] is None:
        return {"changed": False, "zones": _listing(sessions.open(), task.params["details"])}
    name = zone_name(task.params["zone"])  # before the session opens: a name no zone has costs no login
    session = sessions.open()
    zone = read_zone(session, name)
    serial = int(zone.get("serial") or 0)
    return {
        "changed": False,
        "zone": {
            "name": str(zone.get("zone", name)),
            "serial": serial,
            "serial_style": zone.get("serial_style"),
            "zone_type": zone.get("zone_type"),
            "state": "active" if serial else "new",
            **_pending_count(sessions, session, name),
        },
    }


def main() -> None:
    run_module(SPEC, work)


if __name__ == "__main__":
    main()
