#!/usr/bin/python
# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: dyn_zone
short_description: Create, change, freeze, thaw or delete a DynECT primary zone
version_added: 0.2.0
author:
  - dyn.managed_dns contributors (!UNKNOWN)
description:
  - Makes a zone of the session's customer what the task says - present with its contact, default
    TTL and serial style, or absent.
  - A missing zone is created (C(POST /REST/Zone/<zone>/)) with O(contact), O(ttl) and
    O(serial_style), or from the text of a BIND zone file (O(zone_file), C(POST /REST/ZoneFile/<zone>/)),
    and then published, which puts it on DynECT's name servers.
  - An existing zone is read (C(GET /REST/Zone/<zone>/) and its SOA record) and compared with
    O(contact), O(ttl) and O(serial_style), those given. What differs is changed through the zone's
    SOA record and published in one go; a zone that was never published is published. Nothing is
    written when nothing differs.
  - O(frozen=true) freezes the zone (DynECT then refuses every change to it, and its publish) and
    O(frozen=false) thaws it.
  - O(state=absent) deletes the zone with all its records, at once (no publish).
requirements:
  - cryptography
extends_documentation_fragment:
  - dyn.managed_dns.api
  - dyn.managed_dns.zone.change
  - dyn.managed_dns.attributes
  - dyn.managed_dns.attributes.action_group
attributes:
  check_mode:
    support: full
    details:
      - The zone is read, and nothing is created, changed, published, frozen, thawed or deleted.
  diff_mode:
    support: full
    details:
      - The diff shows the zone before and after, as RV(zone) shows it.
options:
  state:
    description: Whether the zone exists, or not at all.
    type: str
    choices: [present, absent]
    default: present
  contact:
    description:
      - The zone's administrative contact, an e-mail address such as V(hostmaster@example.com)
        (the SOA record's rname).
      - Required to create a zone without O(zone_file). Compared without regard to case or a
        trailing dot.
    type: str
  ttl:
    description:
      - The zone's default TTL in seconds (the SOA record's TTL), which records without their own
        TTL get. 1 or more.
      - V(3600) when a zone is created and O(ttl) is not given.
    type: int
  serial_style:
    description:
      - How DynECT makes the zone's serial at each publish - V(increment) (+1), V(epoch) (UNIX
        time), V(day) (C(YYYYMMDDxx)) or V(minute) (C(YYMMDDHHMM)).
      - V(increment) when a zone is created and O(serial_style) is not given.
    type: str
    choices: [increment, epoch, day, minute]
  zone_file:
    description:
      - The text of a BIND zone file (RFC 1035 master file) to create the zone from, for example
        read with the P(ansible.builtin.file#lookup) lookup. Its SOA record gives the zone's
        contact, TTL and timers; DynECT serves its own name servers at the zone's apex in place of
        the file's.
      - Used only to create the zone; an existing zone is not compared with it.
      - Cannot be used with O(contact), O(ttl) or O(serial_style).
    type: str
  frozen:
    description:
      - V(true) freezes the zone, V(false) thaws it; leave it out to do neither.
      - DynECT does not tell whether a zone is frozen, so the freeze (or thaw) is sent every time
        the task runs, and the task reports a change every time.
      - A zone the task creates is not frozen, so V(false) then sends no thaw.
    type: bool
notes:
  - The publish is made in the task's session. Through the P(dyn.managed_dns.dynect#connection)
    connection, or with a O(token), changes to the zone that other tasks left pending in that
    session are published with it.
  - A zone created from a zone file is published right after the file is sent; DynECT imported the
    file in a task of its own, so the publish may be refused while that task runs.
  - Record sets are managed with M(dyn.managed_dns.dyn_record_set).
seealso:
  - module: dyn.managed_dns.dyn_zone_info
  - module: dyn.managed_dns.dyn_record_set
  - module: dyn.managed_dns.dyn_zone_changes
"""

EXAMPLES = r"""
- name: Create a zone and put it on DynECT's name servers
  dyn.managed_dns.dyn_zone:
    zone: example.org
    contact: hostmaster@example.org
    ttl: 3600
    serial_style: day

- name: Create a zone from a BIND zone file
  dyn.managed_dns.dyn_zone:
    zone: example.net
    zone_file: "{{ lookup('ansible.builtin.file', 'example.net.zone') }}"

- name: Freeze it
  dyn.managed_dns.dyn_zone:
    zone: example.org
    frozen: true

- name: Delete a zone
  dyn.managed_dns.dyn_zone:
    zone: old.example
    state: absent
"""

RETURN = r"""
zone:
  description: The zone after the task (in check mode, as it would be); V(null) when absent.
  returned: success
  type: dict
  contains:
    name:
      description: The zone's name.
      type: str
      sample: example.org
    serial:
      description: Its serial; V(0) until its first publish, V(null) when not known (check mode, before a create).
      type: int
      sample: 2026120700
    serial_style:
      description: How DynECT makes the next serial.
      type: str
      sample: day
    contact:
      description: Its administrative contact, without a trailing dot; V(null) when not known.
      type: str
      sample: hostmaster@example.org
    ttl:
      description: Its default TTL; V(null) when not known.
      type: int
      sample: 3600
    zone_type:
      description: V(Primary) or V(Secondary).
      type: str
      sample: Primary
    frozen:
      description:
        - V(true) or V(false) when the task froze or thawed the zone; else V(null), since DynECT
          does not tell whether a zone is frozen.
      type: bool
      sample: null
published:
  description: Whether the task published the zone.
  returned: success
  type: bool
  sample: true
history:
  description: This task's API calls, oldest first, with passwords and tokens masked.
  returned: when O(history=true)
  type: list
  elements: dict
"""

from typing import Any

from ansible_collections.dyn.managed_dns.plugins.module_utils._module import ModuleSpec, TaskFailure, TaskRun, TaskSession, TaskSessions, run_module
from ansible_collections.dyn.managed_dns.plugins.module_utils._records import zone_name, zone_option
from ansible_collections.dyn.managed_dns.plugins.module_utils.dns import (
    SERIAL_STYLES,
    create_zone,
    create_zone_from_file,
    delete_zone,
    freeze_zone,
    publish_zone,
    read_soa,
    read_zone,
    update_soa,
)
from ansible_collections.dyn.managed_dns.plugins.module_utils.errors import DynectError, DynectZoneNotFoundError

SPEC = ModuleSpec(
    {
        "zone": zone_option("change"),
        "state": {"type": "str", "choices": ["present", "absent"], "default": "present"},
        "contact": {"type": "str"},
        "ttl": {"type": "int"},
        "serial_style": {"type": "str", "choices": list(SERIAL_STYLES)},
        "zone_file": {"type": "str"},
        "frozen": {"type": "bool"},
    },
    non_empty=("zone", "contact", "zone_file"),
    rules={"mutually_exclusive": [("zone_file", "contact"), ("zone_file", "ttl"), ("zone_file", "serial_style")]},
)

_DEFAULT_TTL = 3600
_SOA_OPTIONS = ("contact", "ttl", "serial_style")


def _check(params: dict[str, Any]) -> None:
    """What the argument spec cannot say: a TTL of 1 or more, nothing but the zone with state=absent."""
    if params["ttl"] is not None and params["ttl"] < 1:
        raise TaskFailure(f"ttl must be 1 or more seconds, not {params['ttl']}.")
    given = [name for name in (*_SOA_OPTIONS, "zone_file", "frozen") if params[name] is not None]
    if params["state"] == "absent" and given:
        raise TaskFailure(f"state=absent deletes the zone; remove {', '.join(given)}, or set state=present.")


def _read(session: TaskSession, zone: str, *, with_soa: bool) -> dict[str, Any] | None:
    """The zone as RV(zone) shows it (its SOA settings read only ``with_soa``), or None when it does not exist."""
    try:
        found = read_zone(session, zone)
    except DynectZoneNotFoundError:
        return None
    soa = read_soa(session, zone) if with_soa else {}
    return {
        "name": str(found.get("zone", zone)),
        "serial": int(found.get("serial") or 0),
        "serial_style": found.get("serial_style"),
        "contact": soa.get("contact"),
        "ttl": soa.get("ttl"),
        "zone_type": found.get("zone_type"),
        "frozen": None,
        "_soa_id": soa.get("record_id"),
    }


def _shown(zone: dict[str, Any] | None) -> dict[str, Any] | None:
    """The zone without the SOA record's id, which only the update needs."""
    return None if zone is None else {key: value for key, value in zone.items() if not key.startswith("_")}


def _same_contact(first: str | None, second: str | None) -> bool:
    return (first or "").rstrip(".").lower() == (second or "").rstrip(".").lower()


def _differences(params: dict[str, Any], existing: dict[str, Any]) -> dict[str, Any]:
    """The SOA settings the task gives that differ from the zone's."""
    wanted = {name: params[name] for name in _SOA_OPTIONS if params[name] is not None}
    if "contact" in wanted and _same_contact(wanted["contact"], existing["contact"]):
        del wanted["contact"]
    return {name: value for name, value in wanted.items() if name == "contact" or value != existing[name]}


def _publish(sessions: TaskSessions, session: TaskSession, zone: str, what: str) -> int | None:
    """Publish the zone; a failure says what was done before it and where that is now."""
    try:
        return publish_zone(session, zone).get("serial")
    except DynectError as exc:
        raise TaskFailure(
            f"Zone {zone} was {what}, but not published: {sessions.describe_error(exc)} Run the task again with a user "
            "holding ZonePublish (a zone never published is published then), or delete the zone with state=absent."
        ) from exc


def _create(task: TaskRun, sessions: TaskSessions, session: TaskSession, zone: str) -> dict[str, Any]:
    """Create the zone (from its file or its settings), publish it, freeze it if asked (it is not frozen when new)."""
    params = task.params
    if params["zone_file"] is None and params["contact"] is None:
        raise TaskFailure(f"Zone {zone} does not exist: give contact (the zone's administrative e-mail) to create it, or zone_file.")
    from_file = params["zone_file"] is not None
    after = {"name": zone, "serial": None, "serial_style": params["serial_style"] or "increment", "contact": params["contact"],
             "ttl": None if from_file else params["ttl"] or _DEFAULT_TTL, "zone_type": "Primary", "frozen": params["frozen"]}
    result = {"changed": True, "zone": after, "published": False}
    if task.check_mode:
        return result
    if from_file:
        create_zone_from_file(session, zone, params["zone_file"])
    else:
        create_zone(session, zone, params["contact"], after["ttl"], after["serial_style"])
    after["serial"] = _publish(sessions, session, zone, "created")
    if params["frozen"]:  # a new zone is not frozen: frozen=false has nothing to thaw
        freeze_zone(session, zone)
    if from_file:  # the file's SOA says what the zone's contact and TTL are
        soa = read_soa(session, zone)
        after.update(contact=soa["contact"], ttl=soa["ttl"])
    result["published"] = True
    return result


def _update(task: TaskRun, sessions: TaskSessions, session: TaskSession, existing: dict[str, Any]) -> dict[str, Any]:
    """Change what differs through the SOA, publish once (also a zone never published), freeze or thaw if asked."""
    params = task.params
    changes = _differences(params, existing)
    unpublished = existing["serial"] == 0
    after = {**existing, **changes, "frozen": params["frozen"]}
    if "contact" in changes:
        after["contact"] = changes["contact"].rstrip(".")
    result: dict[str, Any] = {"changed": bool(changes) or unpublished or params["frozen"] is not None, "zone": after, "published": False}
    if task.check_mode:
        return result
    zone = existing["name"]
    if changes:
        update_soa(session, zone, existing["_soa_id"], **changes)
    if changes or unpublished:
        after["serial"] = _publish(sessions, session, zone, "changed" if changes else "found never published")
        result["published"] = True
    if params["frozen"] is not None:
        freeze_zone(session, zone, params["frozen"])
    return result


def work(task: TaskRun, sessions: TaskSessions) -> dict[str, Any]:
    """Read the zone; create, change, freeze, thaw or delete it as the task says."""
    params = task.params
    zone = zone_name(params["zone"])
    _check(params)
    session = sessions.open()
    present = params["state"] == "present"
    existing = _read(session, zone, with_soa=present)
    if not present:
        result: dict[str, Any] = {"changed": existing is not None, "zone": None, "published": False}
        if existing is not None and not task.check_mode:
            delete_zone(session, zone)
    elif existing is None:
        result = _create(task, sessions, session, zone)
    else:
        result = _update(task, sessions, session, existing)
    result["zone"] = _shown(result["zone"])
    if task.diff:
        result["diff"] = {"before": _shown(existing) or {}, "after": result["zone"] or {}}
    return result


def main() -> None:
    run_module(SPEC, work)


if __name__ == "__main__":
    main()
