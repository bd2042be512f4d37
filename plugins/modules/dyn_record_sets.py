#!/usr/bin/python
# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: dyn_record_sets
short_description: Make many record sets of a DynECT zone what the task says, from one read of the zone
version_added: 0.2.0
author:
  - dyn.managed_dns contributors (!UNKNOWN)
description:
  - Makes a zone's record sets what O(record_sets) lists - each present with exactly its values,
    or absent - and with O(prune=true) deletes every other set of the zone. A zone's desired
    state in one task.
  - The zone is read once (C(GET /REST/AllRecord/<zone>/) with its records' details), and the
    plan is made from that one read, comparing values as M(dyn.managed_dns.dyn_record_set) does -
    host names without regard to case or a trailing dot, IPv6 addresses in any notation, numbers
    as numbers, TXT text exactly.
  - Each set that differs costs one request - a replace of the whole set (C(PUT)) or its
    deletion (C(DELETE)) - and the zone is published once, only when something changed. A task
    that finds the zone as it should be sends the one read and nothing else.
  - Before anything is written the whole planned zone is checked against rules of DNS itself,
    which nothing recorded of DynECT shows it enforcing, and the task is refused with a message naming the rule - a
    CNAME at the zone's apex, a CNAME set with more than one value, a CNAME beside other data at
    its name (RFC 1034 section 3.6.2), and an MX, SRV or NS value whose target is an IP address
    (RFC 2181 section 10.3). A set that already breaks a rule and that the task leaves as it is
    does not fail the task.
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
      - In check mode the zone is read once, and nothing is written or published.
  diff_mode:
    support: full
    details:
      - The diff shows the sets the task changes (or would change), before and after, as
        RV(changes) shows them; sets left as they are are not shown.
options:
  record_sets:
    description:
      - The record sets, each with the options M(dyn.managed_dns.dyn_record_set) takes for one set.
      - Each set may be named once.
    type: list
    elements: dict
    required: true
    suboptions:
      record:
        description:
          - The set's name (FQDN), for example V(www.example.com). The zone's own name for its apex.
          - Exactly one of O(record_sets[].record) and O(record_sets[].prefix) is required.
        type: str
      prefix:
        description:
          - The set's name relative to O(zone), for example V(www); V(@) or the empty string for
            the zone's apex.
        type: str
      type:
        description: The record type.
        type: str
        required: true
        choices: [A, AAAA, CAA, CNAME, MX, NS, PTR, SPF, SRV, TXT]
      ttl:
        description:
          - The TTL of every record of the set, in seconds (1 or more).
          - When not given, an existing set keeps its TTL and a new one gets the zone's default TTL.
        type: int
      value:
        description:
          - The records of the set, each as a zone file writes it, as
            M(dyn.managed_dns.dyn_record_set) takes them.
          - Required with O(record_sets[].state=present). With O(record_sets[].state=absent) the
            set is deleted whatever it holds.
        type: list
        elements: str
      state:
        description: Whether the set exists with O(record_sets[].value), or not at all.
        type: str
        choices: [present, absent]
        default: present
  prune:
    description:
      - Delete every set of the zone that O(record_sets) does not name, but the zone's SOA and
        Dyn's own name server records at its apex (which nobody can change).
      - Check mode and the diff show which sets would go; RV(changes) marks them with
        RV(changes[].pruned=true).
    type: bool
    default: false
  publish:
    description:
      - Publish the zone after the changes, in this task's session, once (V(true)), or leave them
        pending in the session (V(false)) for a later M(dyn.managed_dns.dyn_zone_changes).
      - V(false) needs a session that outlives the task - the P(dyn.managed_dns.dynect#connection)
        connection or a O(token)/O(session) - and is refused when the task logs in and out itself,
        since the changes would die with its session.
      - Nothing is published when nothing changed.
    type: bool
    default: true
  notes:
    description: The note the publish leaves in the zone's history at DynECT.
    type: str
  txt_transformation:
    description:
      - How TXT and SPF values are written, as in M(dyn.managed_dns.dyn_record_set).
    type: str
    choices: [unquoted, quoted, api]
    default: unquoted
notes:
  - Dyn's own name server records at the zone's apex (C(service_class) V(Primary)) are not read as
    the zone's sets, so they are neither compared nor pruned.
  - One request per changed set, plus the read, the publish and (on a task that logs in itself)
    the login and logout. For a single set, M(dyn.managed_dns.dyn_record_set) reads only that set.
seealso:
  - module: dyn.managed_dns.dyn_record_set
  - module: dyn.managed_dns.dyn_zone_changes
  - module: dyn.managed_dns.dyn_record_set_info
  - plugin: dyn.managed_dns.dynect
    plugin_type: connection
"""

EXAMPLES = r"""
- name: The web and mail records of example.com, published once
  dyn.managed_dns.dyn_record_sets:
    zone: example.com
    record_sets:
      - {prefix: www, type: A, ttl: 300, value: [192.0.2.10, 192.0.2.11]}
      - {prefix: "@", type: MX, value: ["10 mail1.example.com", "20 mail2.example.com"]}
      - {prefix: old, type: TXT, state: absent}

- name: Exactly these sets and no others (check mode shows what would be deleted)
  dyn.managed_dns.dyn_record_sets:
    zone: example.com
    prune: true
    record_sets: "{{ example_com_record_sets }}"
  check_mode: true
  register: drift
"""

RETURN = r"""
changes:
  description:
    - The sets the task changed (in check mode, would change), by name and type; empty when the
      zone already was what the task says.
  returned: success
  type: list
  elements: dict
  contains:
    record:
      description: The set's name (FQDN, no trailing dot).
      type: str
      sample: www.example.com
    type:
      description: The record type.
      type: str
      sample: A
    before:
      description:
        - The set before the task (keys C(record), C(prefix), C(type), C(ttl), C(value) as
          M(dyn.managed_dns.dyn_record_set) returns them); V(null) for a new set.
      type: dict
    after:
      description: The set after the task, as RV(changes[].before); V(null) when it is deleted.
      type: dict
    operation:
      description: What the request does to the set.
      type: str
      choices: [create, update, delete]
      sample: create
    pruned:
      description: Whether the set is deleted because O(prune=true) and O(record_sets) does not name it.
      type: bool
      sample: false
published:
  description: Whether the task published the zone.
  returned: success
  type: bool
  sample: true
pending:
  description: Whether the task's changes are pending in the session, waiting for a publish.
  returned: success
  type: bool
  sample: false
serial:
  description: The zone's serial after the task's publish; V(null) when it did not publish.
  returned: success
  type: int
  sample: 2026113001
history:
  description: This task's API calls, oldest first, with passwords and tokens masked.
  returned: when O(history=true)
  type: list
  elements: dict
"""

from collections.abc import Callable
from typing import Any

from ansible_collections.dyn.managed_dns.plugins.module_utils._batch import BatchedCalls, CallRecorder
from ansible_collections.dyn.managed_dns.plugins.module_utils._connection_rpc import HelperAnswerLostError
from ansible_collections.dyn.managed_dns.plugins.module_utils._module import ModuleSpec, TaskFailure, TaskRun, TaskSession, TaskSessions, run_module
from ansible_collections.dyn.managed_dns.plugins.module_utils._records import (
    SET_OPTION_RULES,
    TXT_TRANSFORMATIONS,
    PlannedSet,
    RecordValueError,
    SetRequest,
    SetRequestError,
    ZonePlan,
    check_dns_rules,
    check_requests,
    plan_zone,
    set_options,
    set_request,
    zone_name,
    zone_option,
)
from ansible_collections.dyn.managed_dns.plugins.module_utils._protocol import ApiSession
from ansible_collections.dyn.managed_dns.plugins.module_utils.dns import all_record_sets, publish_zone, write_change
from ansible_collections.dyn.managed_dns.plugins.module_utils.errors import DynectDnsRuleError, DynectError

SPEC = ModuleSpec(
    {
        "zone": zone_option("change"),
        "record_sets": {"type": "list", "elements": "dict", "required": True, "options": set_options(), **SET_OPTION_RULES},
        "prune": {"type": "bool", "default": False},
        "publish": {"type": "bool", "default": True},
        "notes": {"type": "str"},
        "txt_transformation": {"type": "str", "choices": list(TXT_TRANSFORMATIONS), "default": "unquoted"},
    },
    non_empty=("zone",),
)

_PENDING_DIES = (
    "publish=false leaves the changes pending in the session that made them, and this task logs in and out "
    "itself, so they would be lost when it ends. Run it through the dyn.managed_dns.dynect connection, or "
    "give it the session (or token) of dyn.managed_dns.dyn_session, and publish with "
    "dyn.managed_dns.dyn_zone_changes; or publish right away with publish=true."
)


def _requests(params: dict[str, Any], zone: str) -> list[SetRequest]:
    """The sets the task asks for, in its order, checked as far as they can be without the zone; a bad entry is named by its place."""
    requests = []
    for index, entry in enumerate(params["record_sets"]):
        try:
            requests.append(set_request(zone, entry, params["txt_transformation"]))
        except SetRequestError as exc:
            raise TaskFailure(f"record_sets[{index}]: {exc}.") from None
        except RecordValueError as exc:
            raise TaskFailure(f"record_sets[{index}]: {exc}; fix its record, prefix or value.") from None
    _refuse_unless(lambda: check_requests(zone, requests))
    return requests


def _refuse_unless(check: Callable[[], None]) -> None:
    """Run ``check``; a refusal of the task's record sets becomes the task's failure, worded here once."""
    try:
        check()
    except DynectDnsRuleError as exc:
        raise TaskFailure(f"Refused before any change was sent: {exc}. Fix the task's record sets.") from None
    except RecordValueError as exc:
        raise TaskFailure(f"{exc}.") from None


def _plan(params: dict[str, Any], zone: str, requests: list[SetRequest], session: TaskSession) -> ZonePlan:
    """The plan from one read of the zone, checked as a whole against the DNS rules."""
    current = all_record_sets(session, zone, txt_transformation=params["txt_transformation"])
    plan = plan_zone(zone, current, requests, params["prune"], params["txt_transformation"])
    written = [planned.after for planned in plan.changes if planned.after is not None]
    _refuse_unless(lambda: check_dns_rules(zone, written, plan.zone_after(current)))
    return plan


def _write(sessions: TaskSessions, session: TaskSession, plan: ZonePlan, txt_transformation: str) -> None:
    """One request per changed set; a failure says which set, and where the ones before it are."""
    writer = _batched(session, plan, txt_transformation)
    for done, planned in enumerate(plan.writes):
        try:
            write_change(writer, plan.zone, planned, txt_transformation)
        except HelperAnswerLostError as exc:
            raise TaskFailure(_batch_lost(plan, exc)) from exc
        except DynectError as exc:
            where = sessions.where_pending(exc, several=True) if done else ""
            raise TaskFailure(
                f"Changing the {planned.type} record set {planned.record} failed after {done} of {len(plan.changes)} "
                f"changes to zone {plan.zone}: {sessions.describe_error(exc)}{where}"
            ) from exc


def _batch_lost(plan: ZonePlan, exc: HelperAnswerLostError) -> str:
    """The batch went to the helper and no answer came back: any number of its writes may be made."""
    return (
        f"The {len(plan.writes)} writes to zone {plan.zone} went to the dynect connection in one call, but no answer came back ({exc}), "
        "so which of them were made is unknown; none was published. Run the task again: it reads the zone first and writes only what is still missing."
    )


def _batched(session: TaskSession, plan: ZonePlan, txt_transformation: str) -> ApiSession:
    """The plan's writes as one batch (the session's execute_many), made at the first write.

    Through the dynect connection the batch is one call to its helper: one socket round trip per
    write would cost more than Ansible's own overhead for a large plan. The writes are then
    answered from the batch: a failure is still the failing set's, with the ones before it done.
    """
    recorder = CallRecorder()
    for planned in plan.writes:
        write_change(recorder, plan.zone, planned, txt_transformation)
    return BatchedCalls(session, recorder.calls)


def _publish(sessions: TaskSessions, session: TaskSession, plan: ZonePlan, notes: str | None) -> int | None:
    """Publish the zone once; a failure says where the changes made before it are now."""
    try:
        return publish_zone(session, plan.zone, notes).get("serial")
    except DynectError as exc:
        raise TaskFailure(
            f"{_sets(len(plan.changes))} of zone {plan.zone} changed, but the zone was not published: "
            f"{sessions.describe_error(exc)}{sessions.where_pending(exc, several=True)}"
        ) from exc


def _sets(count: int) -> str:
    return f"{count} record set" + ("" if count == 1 else "s")


def _diff(changes: list[PlannedSet]) -> dict[str, Any]:
    return {
        "before": {"record_sets": [planned.before.as_dict() for planned in changes if planned.before is not None]},
        "after": {"record_sets": [planned.after.as_dict() for planned in changes if planned.after is not None]},
    }


def work(task: TaskRun, sessions: TaskSessions) -> dict[str, Any]:
    """Read the zone once, plan, write each changed set, publish once when asked."""
    params = task.params
    zone = zone_name(params["zone"])
    requests = _requests(params, zone)
    if not params["publish"] and not sessions.adopted:
        raise TaskFailure(_PENDING_DIES)
    session = sessions.open()
    plan = _plan(params, zone, requests, session)
    changes = plan.changes
    result: dict[str, Any] = {
        "changed": bool(changes),
        "changes": [planned.as_change() for planned in changes],
        "published": False,
        "pending": False,
        "serial": None,
    }
    if task.diff:
        result["diff"] = _diff(changes)
    if changes and task.check_mode and not params["publish"]:
        sessions.predict_pending(zone)  # for a check-mode dyn_zone_changes publish later in the play
    if not changes or task.check_mode:
        return result
    _write(sessions, session, plan, params["txt_transformation"])
    if params["publish"]:
        result.update(published=True, serial=_publish(sessions, session, plan, params["notes"]))
    else:
        result["pending"] = True
    return result


def main() -> None:
    run_module(SPEC, work)


if __name__ == "__main__":
    main()
