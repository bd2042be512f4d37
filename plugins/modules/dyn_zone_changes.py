#!/usr/bin/python
# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: dyn_zone_changes
short_description: Report, publish or discard the changes pending in the session for a DynECT zone
version_added: 0.1.0
author:
  - dyn.managed_dns contributors (!UNKNOWN)
description:
  - DynECT keeps changes to a zone's records pending in the session that made them, invisible to
    every other session, until the zone is published; they are lost when that session ends.
  - O(state=pending) reports this session's pending changes (C(GET /REST/ZoneChanges/<zone>/)).
  - O(state=published) publishes them (C(PUT /REST/Zone/<zone>/) with C(publish)), with O(notes).
    Nothing is sent, and nothing changes, when nothing is pending.
  - O(state=discarded) drops them (C(DELETE /REST/ZoneChanges/<zone>/)); the task reports a change
    when something was pending, or after a lost batch (see the notes), whose remains it cannot
    list. The request is sent even when nothing is pending, because it also clears the refusal to
    publish that follows a lost batch.
  - Use it with M(dyn.managed_dns.dyn_record_set) O(dyn.managed_dns.dyn_record_set#module:publish=false)
    in the same session - through the P(dyn.managed_dns.dynect#connection) connection, or with the
    O(session)/O(token) of M(dyn.managed_dns.dyn_session) - so that many changes go live at once.
  - A task that logs in and out itself has a session of its own, with nothing pending in it; so
    O(state=published) and O(state=discarded) are refused without a session that outlives the task.
  - Listing the changes needs the C(ZoneChangeSet) permission; publishing needs only C(ZonePublish),
    discarding none. Without C(ZoneChangeSet), O(state=published) and O(state=discarded) still
    work. RV(changes) is then V(null), RV(changes_note) says why, and whether something was pending
    comes from the session's own record of the changes made in it. Through the
    P(dyn.managed_dns.dynect#connection) connection that record is complete. In a session adopted
    with O(token) it holds only this task's own changes (none), so the zone is published (or its
    changes discarded) anyway and the task reports a change; a publish with nothing pending changes nothing.
    O(state=pending) is about the list itself, so it fails without the permission.
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
      - The pending changes are read; nothing is published or discarded.
      - Through the P(dyn.managed_dns.dynect#connection) connection, O(state=published) and O(state=discarded)
        also report a change when this play's check-mode record tasks (O(dyn.managed_dns.dyn_record_set#module:publish=false))
        would have left changes to the zone pending; RV(check_mode_note) says so.
  diff_mode:
    support: none
options:
  state:
    description: Report (V(pending)), publish (V(published)) or drop (V(discarded)) the pending changes.
    type: str
    choices: [pending, published, discarded]
    default: pending
  notes:
    description: A note DynECT keeps with the publish in the zone's notes. Only with O(state=published).
    type: str
notes:
  - If the session had to log in again after the changes were made (its token expired), DynECT
    dropped them; O(state=published) and O(state=pending) then fail saying so, rather than
    publishing or listing only the changes made since. Discard (O(state=discarded)) and make the
    changes again.
  - In check mode on the direct route (O(session) or O(token)), O(state=published) and O(state=discarded) cannot see
    what this play's check-mode record tasks would have changed, because they wrote nothing and each task is a process
    of its own; the task reports a change only for changes really pending in the session, and RV(check_mode_note) says so.
seealso:
  - module: dyn.managed_dns.dyn_record_set
  - module: dyn.managed_dns.dyn_zone_info
  - plugin: dyn.managed_dns.dynect
    plugin_type: connection
"""

EXAMPLES = r"""
- name: Publish every change the play's tasks left pending for example.com
  dyn.managed_dns.dyn_zone_changes:
    zone: example.com
    state: published
    notes: "Release 42"
  register: published

- name: Show what is pending before deciding
  dyn.managed_dns.dyn_zone_changes:
    zone: example.com
  register: pending
"""

RETURN = r"""
changes:
  description:
    - This session's pending changes to the zone as they were when the task started (so, with
      O(state=published) or O(state=discarded), the ones it published or dropped).
    - V(null) when the user may not list them (no C(ZoneChangeSet) permission); see RV(changes_note).
  returned: success
  type: list
  elements: dict
  contains:
    record:
      description: The record's name (FQDN).
      type: str
      sample: www.example.com
    type:
      description: The record type.
      type: str
      sample: A
    operation:
      description: V(add), V(update) or V(delete).
      type: str
      sample: add
    ttl:
      description: The record's TTL.
      type: int
      sample: 300
    rdata:
      description: The record's data, as the API holds it.
      type: dict
      sample: {"address": "192.0.2.10"}
changes_note:
  description:
    - Why RV(changes) is V(null) (the user may not list the pending changes), and what the task
      went by instead (the session's own record, or nothing to go by in a session adopted with a token).
  returned: when RV(changes) is V(null)
  type: str
  sample: >-
    The pending changes could not be listed (the user lacks the ZoneChangeSet permission); this
    session's own record says changes to the zone were pending.
check_mode_note:
  description:
    - In check mode, with O(state=published) or O(state=discarded), what the reported change rests on
      besides the changes really pending - check mode's prediction from this play's check-mode record
      tasks (through the connection), or the direct route's limit (see the notes).
  returned: in check mode, when this play's check-mode record tasks would have left changes pending, or on the direct route
  type: str
  version_added: 0.2.0
  sample: >-
    Check mode's prediction: this play's check-mode record tasks would have left changes to the zone
    pending (they changed nothing), and the real run would publish them.
serial:
  description: The zone's serial after the publish (O(state=published) when something was published); else V(null).
  returned: success
  type: int
  sample: 2026113002
history:
  description: This task's API calls, oldest first, with passwords and tokens masked.
  returned: when O(history=true)
  type: list
  elements: dict
"""

from typing import Any

from ansible_collections.dyn.managed_dns.plugins.module_utils._module import ModuleSpec, TaskFailure, TaskRun, TaskSessions, run_module
from ansible_collections.dyn.managed_dns.plugins.module_utils._protocol import TaskSession
from ansible_collections.dyn.managed_dns.plugins.module_utils._records import zone_name, zone_option
from ansible_collections.dyn.managed_dns.plugins.module_utils.dns import discard_changes, pending_changes, publish_zone
from ansible_collections.dyn.managed_dns.plugins.module_utils.errors import DynectChangesLostError, DynectError

SPEC = ModuleSpec(
    {
        "zone": zone_option("change"),
        "state": {"type": "str", "choices": ["pending", "published", "discarded"], "default": "pending"},
        "notes": {"type": "str"},
    },
    non_empty=("zone",),
)


# What the session's own record (pending_in_session) says, in a task that may not list the changes.
_RECORD_SAYS = {
    True: "this session's own record says changes to the zone were pending.",
    False: "this session's own record says nothing was pending.",
    None: (
        "this session was adopted with its token, so it has no record of the changes made before this task: "
        "the task acted as if something was pending."
    ),
}


# What a check-mode publish or discard says about check mode's prediction (TaskSessions.take_predicted_pending): what
# the real run would do with the changes this play's check-mode record tasks would have left pending; none to add when none would.
_PREDICTION_SAYS = {
    True: (
        "Check mode's prediction: this play's check-mode record tasks would have left changes to the zone pending "
        "(they changed nothing), and the real run would {act} them."
    ),
    False: None,
    None: (
        "Check mode: a task with a session or token cannot see what this play's check-mode record tasks would have "
        "changed (they left no trace on the server), so only the changes really pending in the session count."
    ),
}


def _permission_denied(exc: DynectError) -> bool:
    return "PERMISSION_DENIED" in exc.error_codes


def _read_changes(session: TaskSession, zone: str, state: str) -> tuple[list[dict[str, Any]] | None, bool]:
    """The pending changes (None when the user may not list them) and whether a new login lost an earlier batch."""
    try:
        return pending_changes(session, zone), False
    except DynectChangesLostError:
        if state != "discarded":
            raise
        # DynECT dropped the batch already; the changes made since cannot be listed as if they
        # were all of it. The discard below drops them and lets the zone be published again.
        return [], True
    except DynectError as exc:
        if state == "pending" or not _permission_denied(exc):
            raise  # listing is what state=pending is for
        # Publishing and discarding do not need the list: go by the session's own record.
        return None, False


def _unlisted(session: TaskSession, zone: str) -> tuple[bool, str]:
    """Without the list: whether to act (something is, or may be, pending) and the note saying what the task went by."""
    pending = session.pending_in_session(zone)
    note = f"The pending changes could not be listed (the user lacks the ZoneChangeSet permission); {_RECORD_SAYS[pending]}"
    return pending is not False, note


def _take_prediction(sessions: TaskSessions, zone: str, state: str, result: dict[str, Any]) -> bool:
    """Check mode: whether this play's check-mode record tasks would have left changes pending; the result's note says what that rests on."""
    predicted = sessions.take_predicted_pending(zone)
    note = _PREDICTION_SAYS[predicted]
    if note is not None:
        result["check_mode_note"] = note.format(act="publish" if state == "published" else "discard")
    return bool(predicted)


def work(task: TaskRun, sessions: TaskSessions) -> dict[str, Any]:
    """Read the pending changes; publish or discard them when there are any and the task says so."""
    params = task.params
    zone, state = zone_name(params["zone"]), params["state"]
    if params["notes"] is not None and state != "published":
        raise TaskFailure(f"notes go with a publish; remove notes, or set state=published (not {state}).")
    if state != "pending" and not sessions.adopted:
        raise TaskFailure(
            f"state={state} acts on the changes pending in a session, and this task logs in and out itself: its own "
            "session has none. Run it through the dyn.managed_dns.dynect connection, or give it the session (or token) "
            "in which dyn.managed_dns.dyn_record_set made the changes."
        )
    session = sessions.open()
    changes, lost = _read_changes(session, zone, state)
    result: dict[str, Any] = {"changes": changes, "serial": None}
    if changes is None:
        something, result["changes_note"] = _unlisted(session, zone)
    else:
        something = bool(changes) or lost
    if task.check_mode and state != "pending":
        something = _take_prediction(sessions, zone, state, result) or something  # taken even when something is pending
    result["changed"] = state != "pending" and something
    if state == "pending" or task.check_mode:
        return result
    if state == "discarded":
        discard_changes(session, zone)
    elif something:
        result["serial"] = publish_zone(session, zone, params["notes"]).get("serial")
    return result


def main() -> None:
    run_module(SPEC, work)


if __name__ == "__main__":
    main()
