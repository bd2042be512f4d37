#!/usr/bin/python
# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: dyn_record_set
short_description: Create, replace or delete a DynECT DNS record set
version_added: 0.1.0
author:
  - dyn.managed_dns contributors (!UNKNOWN)
description:
  - Makes one record set - all records of one O(type) at one name of a zone - what the task says,
    present with exactly the values of O(value), or absent.
  - The options follow the record_set modules of community.dns (O(zone), O(record) or O(prefix),
    O(type), O(ttl), O(value), O(state), O(on_existing), O(txt_transformation)).
  - Idempotent. The set is read first (C(GET /REST/<type>Record/<zone>/<name>/)); when it already
    is what the task wants, nothing is written and the task reports no change. Values are compared
    as DNS compares them - host names without regard to case or a trailing dot, IPv6 addresses in
    any notation, numbers as numbers, TXT text exactly.
  - For a CNAME, the records of its name are read instead (C(GET /REST/AllRecord/<zone>/<name>/),
    one request, which needs the same C(RecordGet) permission), so that the set is compared and
    the name's other data checked in one read.
  - Before a change is sent the set is checked against rules of DNS itself, which DynECT does not
    enforce, and refused with a message naming the rule - a CNAME at the zone's apex, a CNAME set
    with more than one value, a CNAME beside other data at its name (RFC 1034 section 3.6.2), and
    an MX, SRV or NS value whose target is an IP address (RFC 2181 section 10.3). The rules that
    need only the task's set are checked before anything is sent at all. A set that already
    breaks a rule and that the task leaves as it is does not fail the task.
  - A change is a replace of the whole set (C(PUT)) or its deletion (C(DELETE)). DynECT keeps it
    pending in the session that made it until the zone is published. With O(publish=true) (the
    default) the task publishes the zone right away; with O(publish=false) the change stays pending
    for a later M(dyn.managed_dns.dyn_zone_changes) O(dyn.managed_dns.dyn_zone_changes#module:state=published),
    so that many changes go live with one publish.
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
      - In check mode the set is read, and nothing is written or published.
  diff_mode:
    support: full
    details:
      - The diff shows the set before and after, as RV(record_set) shows it.
options:
  record:
    description:
      - The record set's name (FQDN), for example V(www.example.com). The zone's own name for its apex.
      - Exactly one of O(record) and O(prefix) is required.
    type: str
  prefix:
    description:
      - The record set's name relative to O(zone), for example V(www); V(@) or the empty string
        for the zone's apex.
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
      - The records of the set, each as a zone file writes it - V(192.0.2.1) (A),
        V(10 mail.example.com) (MX, preference and exchange), V(0 5 5060 sip.example.com) (SRV,
        priority, weight, port and target), V(0 issue "letsencrypt.org") (CAA), the text for TXT
        and SPF (see O(txt_transformation)).
      - Required with O(state=present). With O(state=absent), the set is deleted only when its
        values are exactly these (else O(on_existing) decides); leave it out to delete the set
        whatever it holds.
    type: list
    elements: str
  state:
    description: Whether the set exists with O(value), or not at all.
    type: str
    choices: [present, absent]
    default: present
  on_existing:
    description:
      - What to do when the set exists with other values (or another O(ttl)) than the task's.
      - V(replace) replaces it (O(state=present)) or deletes it (O(state=absent)).
      - V(keep_and_fail) fails the task; V(keep_and_warn) leaves it with a warning; V(keep) leaves it.
    type: str
    choices: [replace, keep_and_fail, keep_and_warn, keep]
    default: replace
  publish:
    description:
      - Publish the zone after the change, in this task's session (V(true)), or leave the change
        pending in the session (V(false)) for a later M(dyn.managed_dns.dyn_zone_changes).
      - V(false) needs a session that outlives the task - the P(dyn.managed_dns.dynect#connection) connection
        or a O(token)/O(session) - and is refused when the task logs in and out itself, since the
        change would die with its session.
      - Nothing is published when nothing changed.
    type: bool
    default: true
  txt_transformation:
    description:
      - How TXT and SPF values are written, as in community.dns.
      - V(unquoted) (default) - the value is the text itself, V(v=spf1 -all).
      - V(quoted) - the value is written as in a zone file, one or more quoted strings
        (V("v=spf1 " "-all")), with C(\\") and C(\\\\) escapes; the strings are joined.
      - V(api) - the value is sent to the API as it is and returned as the API holds it.
      - DynECT quotes TXT data itself, so for DynECT V(unquoted) and V(api) are the same.
    type: str
    choices: [unquoted, quoted, api]
    default: unquoted
notes:
  - Dyn's own name server records at the zone's apex (C(service_class) V(Primary)) cannot be
    changed or deleted; the module leaves them out of the NS set it reads, compares and returns.
  - Through the P(dyn.managed_dns.dynect#connection) connection every task of the play works in the host's one
    session, so changes made with O(publish=false) by many tasks are published together.
  - If the session has to log in again before a publish (its token expired), DynECT has dropped
    the pending changes; the publish is then refused with a message saying so, never made with a
    partial batch.
seealso:
  - module: dyn.managed_dns.dyn_record_sets
    description: A zone's desired state in one task, from one read of the zone.
  - module: dyn.managed_dns.dyn_zone_changes
  - module: dyn.managed_dns.dyn_record_set_info
  - module: dyn.managed_dns.dyn_zone_info
  - plugin: dyn.managed_dns.dynect
    plugin_type: connection
"""

EXAMPLES = r"""
- name: Point www at two addresses, and publish
  dyn.managed_dns.dyn_record_set:
    zone: example.com
    prefix: www
    type: A
    ttl: 300
    value: [192.0.2.10, 192.0.2.11]

- name: Set the apex MX records, left pending for one publish later
  dyn.managed_dns.dyn_record_set:
    zone: example.com
    record: example.com
    type: MX
    value: ["10 mail1.example.com", "20 mail2.example.com"]
    publish: false

- name: Remove an old TXT record set, whatever it holds
  dyn.managed_dns.dyn_record_set:
    zone: example.com
    prefix: old
    type: TXT
    state: absent
"""

RETURN = r"""
record_set:
  description: The record set after the task (in check mode, as it would be); V(null) when absent.
  returned: success
  type: dict
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
      description:
        - The TTL; V(null) when the set's records have different TTLs, or when the task made a new
          set without O(ttl) (it gets the zone's default TTL).
      type: int
      sample: 300
    value:
      description: The values, sorted, as O(value) takes them.
      type: list
      elements: str
      sample: [192.0.2.10, 192.0.2.11]
published:
  description: Whether the task published the zone.
  returned: success
  type: bool
  sample: true
pending:
  description: Whether the task's change is pending in the session, waiting for a publish.
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

from typing import Any

from ansible_collections.dyn.managed_dns.plugins.module_utils._module import ModuleSpec, TaskFailure, TaskRun, TaskSession, TaskSessions, run_module
from ansible_collections.dyn.managed_dns.plugins.module_utils._records import (
    SET_OPTION_RULES,
    TXT_TRANSFORMATIONS,
    RecordSet,
    RecordValueError,
    SetChange,
    SetRequest,
    SetRequestError,
    check_dns_rules,
    plan_set,
    set_after,
    set_options,
    set_request,
    zone_name,
    zone_option,
)
from ansible_collections.dyn.managed_dns.plugins.module_utils.dns import (
    all_record_sets,
    delete_record_set,
    publish_zone,
    read_record_set,
    replace_record_set,
)
from ansible_collections.dyn.managed_dns.plugins.module_utils.errors import DynectDnsRuleError, DynectError

SPEC = ModuleSpec(
    {
        "zone": zone_option("change"),
        **set_options(),
        "on_existing": {"type": "str", "choices": ["replace", "keep_and_fail", "keep_and_warn", "keep"], "default": "replace"},
        "publish": {"type": "bool", "default": True},
        "txt_transformation": {"type": "str", "choices": list(TXT_TRANSFORMATIONS), "default": "unquoted"},
    },
    non_empty=("zone", "record"),
    rules=SET_OPTION_RULES,
)

_PENDING_DIES = (
    "publish=false leaves the change pending in the session that made it, and this task logs in and out "
    "itself, so the change would be lost when it ends. Run it through the dyn.managed_dns.dynect "
    "connection, or give it the session (or token) of dyn.managed_dns.dyn_session, and publish with "
    "dyn.managed_dns.dyn_zone_changes; or publish right away with publish=true."
)


def _request(params: dict[str, Any], zone: str) -> SetRequest:
    """The set the task asks for (its TTL None when the task leaves it to the set or the zone).

    A present set is checked against the DNS rules that need no other data.
    """
    try:
        request = set_request(zone, params, params["txt_transformation"])
        if request.present:
            check_dns_rules(zone, [request.wanted])
    except SetRequestError as exc:
        raise TaskFailure(f"{exc}.") from None
    except RecordValueError as exc:
        raise TaskFailure(f"{exc}; fix the task's record, prefix or value.") from None
    except DynectDnsRuleError as exc:
        raise TaskFailure(_rule_refusal(exc)) from None
    return request


def _rule_refusal(exc: DynectDnsRuleError) -> str:
    """The task's sentence for a DNS rule its set would break: nothing of it was sent."""
    return f"Refused before any change was sent: {exc}. Fix the task's record set."


def _check_beside(zone: str, written: RecordSet, neighbours: list[RecordSet]) -> None:
    """The DNS rules between the set the task writes and the other data at its name (read for a CNAME)."""
    try:
        check_dns_rules(zone, [written], neighbours)
    except DynectDnsRuleError as exc:
        raise TaskFailure(_rule_refusal(exc)) from None


def _read(session: TaskSession, zone: str, wanted: RecordSet, txt_transformation: str) -> tuple[RecordSet | None, list[RecordSet]]:
    """The set as it is, and for a CNAME the other sets at its name (one read of the name's records); else no neighbours."""
    if wanted.type != "CNAME":
        return read_record_set(session, zone, wanted.record, wanted.type, txt_transformation), []
    at_node = [each for each in all_record_sets(session, zone, wanted.record, txt_transformation) if each.record == wanted.record]
    existing = next((each for each in at_node if each.type == "CNAME"), None)
    return existing, [each for each in at_node if each.type != "CNAME"]


def _refuse_kept(kept_by: str, existing: RecordSet, task: TaskRun) -> None:
    """What on_existing (``kept_by``) says when the set differs and may not be touched."""
    text = f"The {existing.type} record set {existing.record} exists with other values ({', '.join(existing.value)}, TTL {existing.ttl})"
    if kept_by == "keep_and_fail":
        raise TaskFailure(f"{text}; on_existing=keep_and_fail leaves it. Set on_existing=replace to change it.")
    if kept_by == "keep_and_warn":
        task.warn(f"{text}; on_existing=keep_and_warn leaves it.")


def _publish(sessions: TaskSessions, session: TaskSession, zone: str, wanted: RecordSet) -> int | None:
    """Publish the zone; a failure says where the change made before it is now."""
    try:
        return publish_zone(session, zone).get("serial")
    except DynectError as exc:
        raise TaskFailure(
            f"The {wanted.type} record set {wanted.record} was changed, but zone {zone} was not published: "
            f"{sessions.describe_error(exc)}{sessions.where_pending(exc)}"
        ) from exc


def work(task: TaskRun, sessions: TaskSessions) -> dict[str, Any]:
    """Read the set, change it if it is not what the task wants, publish when asked."""
    params = task.params
    zone = zone_name(params["zone"])
    request = _request(params, zone)
    wanted = request.wanted
    if not params["publish"] and not sessions.adopted:
        raise TaskFailure(_PENDING_DIES)
    session = sessions.open()
    existing, neighbours = _read(session, zone, wanted, params["txt_transformation"])
    plan = plan_set(request, existing, params["on_existing"], params["txt_transformation"])
    if existing is not None and plan.kept_by is not None:
        _refuse_kept(plan.kept_by, existing, task)
    after = set_after(existing, wanted, plan.change)
    if after is not None and plan.change is SetChange.REPLACE:
        _check_beside(zone, after, neighbours)
    changed = plan.change is not SetChange.NONE
    result: dict[str, Any] = {
        "changed": changed,
        "record_set": None if after is None else after.as_dict(),
        "published": False,
        "pending": False,
        "serial": None,
    }
    if task.diff:
        result["diff"] = {"before": existing.as_dict() if existing else {}, "after": after.as_dict() if after else {}}
    if changed and task.check_mode and not params["publish"]:
        sessions.predict_pending(zone)  # for a check-mode dyn_zone_changes publish later in the play
    if not changed or task.check_mode:
        return result
    if after is not None:  # a replace; after a delete there is no set
        ttl = after.ttl if after.ttl is not None else 0  # 0: the zone's default TTL
        replace_record_set(session, zone, wanted.record, wanted.type, wanted.value, ttl, params["txt_transformation"])
    else:
        delete_record_set(session, zone, wanted.record, wanted.type)
    if params["publish"]:
        result.update(published=True, serial=_publish(sessions, session, zone, wanted))
    else:
        result["pending"] = True
    return result


def main() -> None:
    run_module(SPEC, work)


if __name__ == "__main__":
    main()
