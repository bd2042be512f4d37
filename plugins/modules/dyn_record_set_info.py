#!/usr/bin/python
# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: dyn_record_set_info
short_description: Read DynECT DNS record sets - one, a name's, or a whole zone's
version_added: 0.1.0
author:
  - dyn.managed_dns contributors (!UNKNOWN)
description:
  - With O(record) (or O(prefix)) and O(type), reads that one record set.
  - With O(record) (or O(prefix)) alone, reads every set at that name and below.
  - With neither, reads every record set of the zone (C(GET /REST/AllRecord/<zone>/)).
  - A session sees its own pending changes on top of the published zone (through the
    P(dyn.managed_dns.dynect#connection) connection, the play's); other sessions see the published zone.
  - Dyn's own name server records at the zone's apex are left out, as
    M(dyn.managed_dns.dyn_record_set) leaves them out; nobody can change them.
  - Values are written as M(dyn.managed_dns.dyn_record_set) takes them, so a set read here can be
    written back unchanged. Types that module does not handle (SOA, DNSKEY, ...) are listed too,
    with their data fields joined by blanks.
requirements:
  - cryptography
extends_documentation_fragment:
  - dyn.managed_dns.api
  - dyn.managed_dns.zone.read
  - dyn.managed_dns.attributes
  - dyn.managed_dns.attributes.action_group
  - dyn.managed_dns.attributes.info_module
options:
  record:
    description: A name (FQDN) in the zone; the zone's own name for its apex.
    type: str
  prefix:
    description: A name relative to O(zone); V(@) or the empty string for the apex.
    type: str
  type:
    description: Only the set of this type (needs O(record) or O(prefix)).
    type: str
    choices: [A, AAAA, CAA, CNAME, MX, NS, PTR, SPF, SRV, TXT]
  txt_transformation:
    description: How TXT and SPF values are returned (see M(dyn.managed_dns.dyn_record_set)).
    type: str
    choices: [unquoted, quoted, api]
    default: unquoted
seealso:
  - module: dyn.managed_dns.dyn_record_set
  - module: dyn.managed_dns.dyn_zone_info
"""

EXAMPLES = r"""
- name: Read www's A records
  dyn.managed_dns.dyn_record_set_info:
    zone: example.com
    prefix: www
    type: A
  register: www

- name: Read every record set of the zone
  dyn.managed_dns.dyn_record_set_info:
    zone: example.com
  register: all_sets
"""

RETURN = r"""
sets:
  description: The record sets found, sorted by name and type; empty when there are none.
  returned: success
  type: list
  elements: dict
  contains:
    record:
      description: The set's name (FQDN, no trailing dot).
      type: str
      sample: www.example.com
    prefix:
      description: The name relative to the zone; empty for the apex.
      type: str
      sample: www
    type:
      description: The record type.
      type: str
      sample: A
    ttl:
      description: The TTL; V(null) when the set's records have different TTLs.
      type: int
      sample: 300
    value:
      description: The values, sorted.
      type: list
      elements: str
      sample: [192.0.2.10]
history:
  description: This task's API calls, oldest first, with passwords and tokens masked.
  returned: when O(history=true)
  type: list
  elements: dict
"""

from typing import Any

from ansible_collections.dyn.managed_dns.plugins.module_utils._module import ModuleSpec, TaskFailure, TaskRun, TaskSessions, run_module
from ansible_collections.dyn.managed_dns.plugins.module_utils._records import (
    RECORD_TYPES,
    TXT_TRANSFORMATIONS,
    RecordValueError,
    fqdn_of,
    zone_name,
    zone_option,
)
from ansible_collections.dyn.managed_dns.plugins.module_utils.dns import all_record_sets, read_record_set

SPEC = ModuleSpec(
    {
        "zone": zone_option("read"),
        "record": {"type": "str"},
        "prefix": {"type": "str"},
        "type": {"type": "str", "choices": list(RECORD_TYPES)},
        "txt_transformation": {"type": "str", "choices": list(TXT_TRANSFORMATIONS), "default": "unquoted"},
    },
    non_empty=("zone", "record"),
    rules={"mutually_exclusive": [("record", "prefix")]},
)


def work(task: TaskRun, sessions: TaskSessions) -> dict[str, Any]:
    """Read the sets the task names."""
    params = task.params
    zone = zone_name(params["zone"])
    named = params["record"] is not None or params["prefix"] is not None
    if params["type"] and not named:
        raise TaskFailure("type reads one record set, so it needs record or prefix; leave type out to read the whole zone.")
    try:
        fqdn = fqdn_of(zone, params["record"], params["prefix"]) if named else None
    except RecordValueError as exc:
        raise TaskFailure(f"{exc}; fix the task's record or prefix.") from None
    session = sessions.open()
    transformation = params["txt_transformation"]
    if params["type"] and fqdn is not None:  # type without a name is refused above
        found = read_record_set(session, zone, fqdn, params["type"], transformation)
        sets = [] if found is None else [found]
    else:
        sets = all_record_sets(session, zone, fqdn, transformation)
    return {"changed": False, "sets": [each.as_dict() for each in sets]}


def main() -> None:
    run_module(SPEC, work)


if __name__ == "__main__":
    main()
