#!/usr/bin/python
# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: dyn_permissions_info
short_description: Report a DynECT user's permissions and check the ones a play needs
version_added: 0.1.0
author:
  - dyn.managed_dns contributors (!UNKNOWN)
description:
  - Reports the permissions a DynECT user holds (C(/REST/UserPermissionReport/)), with the zones
    each one is limited to.
  - With O(required), asks the API whether the session's user holds each of those permissions
    (C(/REST/CheckPermissionReport/)), on O(zone) when given, and fails with a message naming
    exactly the missing ones, quoted. Names that are not DynECT permissions are reported separately
    as unknown.
  - Without O(zone), a permission counts only when held on the account as a whole. The API grants
    a permission held on some zones only as well (listing those zones); such a permission is
    reported missing, with the zones it holds on in RV(zones).
  - With O(zone), first reads the zone (C(GET /REST/Zone/<zone>/)). A zone that does not exist in
    the session's customer - misspelled, or another customer's - fails the task with
    C(zone <zone> does not exist in customer <customer>), listed in RV(zones_missing) apart from
    missing permissions (the permissions are then not checked). When the API refuses to read the
    zone (C(PERMISSION_DENIED), the user lacks C(ZoneGet) on it), the task fails saying that the
    zone's existence could not be checked.
  - Useful as a preflight check at the start of a play.
requirements:
  - cryptography
extends_documentation_fragment:
  - dyn.managed_dns.api
  - dyn.managed_dns.zone.permission_scope
  - dyn.managed_dns.attributes
  - dyn.managed_dns.attributes.action_group
  - dyn.managed_dns.attributes.info_module
options:
  report_user:
    description:
      - The user whose permissions to report in RV(permissions), RV(allowed) and RV(forbidden).
      - Defaults to the session's own user. Reporting on another user needs the C(PermissionGet)
        or C(UserGet) permission.
      - Not called C(user_name), because C(user_name) is the alias of the login option O(username)
        shared by every module of the C(group/dyn.managed_dns.dyn) action group.
    type: str
  required:
    description:
      - Permission names the session's user must hold, for example V(RecordUpdate).
      - Blanks around each name are dropped, so V(RecordGet, RecordUpdate) as one string is two names.
      - When any is not granted, the task fails and names them, telling names that are not
        documented DynECT permissions (probably misspelled) apart from missing ones.
      - The API checks these for the user that is logged in, so O(report_user), when set, must be
        that same user.
    type: list
    elements: str
notes:
  - The module never sets C(ansible_facts); register its result.
seealso:
  - module: dyn.managed_dns.dyn_session
  - module: dyn.managed_dns.dyn_password
  - plugin: dyn.managed_dns.dynect
    plugin_type: connection
"""

EXAMPLES = r"""
- name: List the permissions of the user that logs in
  dyn.managed_dns.dyn_permissions_info:
    customer: acme
    username: ops
    password: "{{ vault_dyn_password }}"
  register: ops_permissions

- name: Stop the play early unless example.com exists and its records can be changed
  dyn.managed_dns.dyn_permissions_info:
    customer: acme
    username: reader
    password: "{{ vault_dyn_reader_password }}"
    required: [RecordGet, RecordUpdate]
    zone: example.com

- name: Report on another user of the account, in a session opened by dyn_session
  dyn.managed_dns.dyn_permissions_info:
    session: "{{ dyn_login.session }}"
    report_user: reader
  register: reader_permissions

- name: Show where the reader may update records
  ansible.builtin.debug:
    msg: "{{ reader_permissions.allowed | selectattr('name', 'equalto', 'RecordUpdate') | map(attribute='zone') | list }}"

- name: Check permissions and record the API calls made
  dyn.managed_dns.dyn_permissions_info:
    required: [ZoneGet]
    history: true
  register: check
"""

RETURN = r"""
credentials_refused:
  description:
    - Tells a wrong password from a report that could not be fetched. V(true) when the API refused
      the login the report needed; V(false) when the report failed otherwise (no answer, an error
      page, a user not found or not readable, missing O(required) permissions).
  returned: on failure
  type: bool
  sample: false
permissions:
  description: Names of the permissions the user holds, in the API's order.
  returned: success
  type: list
  elements: str
  sample: [ZoneGet, RecordGet, RecordUpdate]
allowed:
  description: The permissions the user holds, as the API reports them.
  returned: success
  type: list
  elements: dict
  contains:
    name:
      description: Permission name.
      type: str
      sample: RecordUpdate
    zone:
      description: Zones the permission is limited to; empty when it applies to every zone.
      type: list
      elements: dict
      sample: [{"zone_name": "example.com", "recurse": "Y"}]
    reason:
      description: Permission groups the permission comes from.
      type: list
      elements: str
      sample: [Default]
  sample: [{"name": "RecordUpdate", "zone": [{"zone_name": "example.com", "recurse": "Y"}], "reason": []}]
forbidden:
  description: The permissions explicitly denied to the user, in the same shape as RV(allowed).
  returned: success
  type: list
  elements: dict
  sample: [{"name": "UserAdd", "zone": [], "reason": []}]
missing:
  description:
    - The names in O(required) the user lacks (on O(zone) when given, else on the account as a
      whole). Empty without O(required), and when O(zone) does not exist.
  returned: always
  type: list
  elements: str
  sample: [RecordUpdate]
unknown:
  description:
    - The names in O(required) the user does not hold that are not documented DynECT permission
      names either (probably misspelled). A name the API grants is never listed here.
  returned: always
  type: list
  elements: str
  sample: [RecordUpdat]
zones_missing:
  description:
    - O(zone), when it does not exist in the session's customer (misspelled, or another
      customer's). Empty otherwise.
  returned: always
  type: list
  elements: str
  sample: [exmaple.com]
zones:
  description:
    - What holds where. With O(zone), its one entry. Without O(zone), one entry per zone that a
      required permission is limited to. Empty without O(required).
  returned: always
  type: dict
  contains:
    exists:
      description:
        - Whether the zone exists in the customer; V(null) when not checked (without O(zone), or
          the API refused to read the zone).
      type: bool
    problem:
      description: Why the zone fails the check (it does not exist, or could not be read); empty otherwise.
      type: str
    held:
      description: The names in O(required) that hold on the zone.
      type: list
      elements: str
    missing:
      description: The documented names in O(required) that do not hold on the zone.
      type: list
      elements: str
  sample: {"example.com": {"exists": true, "problem": "", "held": [RecordGet, RecordUpdate], "missing": []}}
history:
  description: This task's API calls, oldest first, with passwords and tokens masked.
  returned: when O(history=true)
  type: list
  elements: dict
  sample: [{"timestamp": "2026-11-28T07:45:01.123456", "uri": "/REST/UserPermissionReport/", "method": "POST",
            "args": {"user_name": "ops"}, "status": "success"}]
"""

from typing import Any

from ansible_collections.dyn.managed_dns.plugins.module_utils._module import (
    ModuleSpec,
    TaskFailure,
    TaskRun,
    TaskSession,
    TaskSessions,
    customer_words,
    run_module,
    zone_absence,
)
from ansible_collections.dyn.managed_dns.plugins.module_utils._records import zone_name, zone_option
from ansible_collections.dyn.managed_dns.plugins.module_utils.dns import read_zone
from ansible_collections.dyn.managed_dns.plugins.module_utils.errors import DynectError, DynectZoneNotFoundError

SPEC = ModuleSpec(
    {
        "report_user": {"type": "str"},
        "required": {"type": "list", "elements": "str"},
        "zone": zone_option("permission_scope"),
    },
    non_empty=("report_user", "zone"),
    required_by={"zone": "required"},
)


# Permission names DynECT documents. CheckPermissionReport answers "permission not found" both for a
# name it does not know and for one the user lacks, so only this list tells a typo from a missing
# permission. It merely labels names the API did not grant; a granted name is never questioned.
_DOCUMENTED_PERMISSIONS = frozenset({
    # Accounts and permissions
    "ContactAdd", "ContactGet", "ContactUpdate", "ContactDelete", "CustomerGet", "CustomerGetPref",
    "CustomerSetPref", "CustomerReadIPACL", "CustomerUpdateIPACL", "CustomerAddNote", "GroupGet",
    "PermissionGet", "PermissionUpdate", "UpdateUserAdd", "UpdateUserDelete", "UpdateUserUpdate",
    "UpdateUserLogin", "UserAdd", "UserGet", "UserUpdate", "UserDelete", "UserBlock", "UserUnblock",
    "UserLogin", "UserChangepw", "UserAddNote", "UserAuthGetPW",
    # Zones and records
    "ZoneGet", "ZoneAdd", "ZoneCreate", "ZoneUpdate", "ZoneDelete", "ZonePublish", "ZoneFreeze",
    "ZoneThaw", "ZoneAddNode", "ZoneRemoveNode", "ZoneChangeset", "ZoneChangeSet",
    "ZoneDiscardChangeset", "RecordAdd", "RecordGet", "RecordUpdate", "RecordDelete", "RecordBulkAdd",
    "RecordBulkUpdate", "RecordDiscard", "AliasService",
})
# The service permissions are documented by family only (RTTMAdd, DSFGet, GeoUpdate, ...).
_DOCUMENTED_PREFIXES = ("RTTM", "DDNS", "DNSSEC", "DSF", "FO", "GEO", "Geo", "GSLB", "Reverse", "CDNManager", "LB")


def _is_documented(name: str) -> bool:
    return name in _DOCUMENTED_PERMISSIONS or name.startswith(_DOCUMENTED_PREFIXES)


def _clean_names(names: list[str]) -> list[str]:
    """``names`` stripped, without empty ones and repeats.

    A comma string (``required: RecordGet, RecordUpdate``) arrives split at the commas but keeps
    the blank after each one, which the API would not recognise as the permission's name.
    """
    stripped = (name.strip() for name in names)
    return list(dict.fromkeys(name for name in stripped if name))


def _quoted(names: list[str]) -> str:
    # Quoted, so that a stray character in a name (a blank, a dot) shows in the message.
    return ", ".join(f"'{name}'" for name in names)


def _zone_existence(session: TaskSession, zone: str) -> tuple[bool | None, str]:
    """Whether ``zone`` exists in the session's customer, and the problem to report ("" when none).

    CheckPermissionReport does not look at the zone at all: a permission held on every zone is
    granted on a misspelled zone or another customer's, so only reading the zone tells.
    """
    try:
        read_zone(session, zone)
    except DynectZoneNotFoundError:
        return False, zone_absence(zone, session.customer)
    except DynectError as exc:
        if "PERMISSION_DENIED" not in exc.error_codes:
            raise
        return None, (
            f"could not check that zone {zone} exists in {customer_words(session.customer)}: the API refused to "
            "read it (PERMISSION_DENIED); reading a zone needs the ZoneGet permission on it"
        )
    return True, ""


def _grants(session: TaskSession, names: list[str], zone: str | None) -> dict[str, list[str]]:
    """The names in ``names`` the API grants -> the zones each is limited to (``[]``: every zone)."""
    report = session.check_permissions(names, zone_name=zone)
    return {
        entry["name"]: [scope.get("zone_name", "") for scope in entry.get("zone") or []]
        for entry in report.get("allowed", [])
    }


def _check_required(session: TaskSession, names: list[str], zone: str | None) -> dict[str, Any]:
    """Which of ``names`` hold (on ``zone``, or on the account as a whole without it).

    Without a zone the API grants a permission held on a single zone too, listing that zone; such a
    grant does not hold account-wide, so it counts as missing and shows up in the per-zone detail.
    """
    grants = _grants(session, names, zone)
    held = [name for name in names if name in grants and (zone or not grants[name])]
    missing = [name for name in names if name not in held and (name in grants or _is_documented(name))]
    unknown = [name for name in names if name not in grants and not _is_documented(name)]
    if zone:
        zones = {zone: {"exists": True, "problem": "", "held": held, "missing": missing}}
    else:
        zones = _limited_zones(names, grants, held, missing)
    return {"missing": missing, "unknown": unknown, "zones": zones}


def _limited_zones(
    names: list[str], grants: dict[str, list[str]], held: list[str], missing: list[str]
) -> dict[str, dict[str, Any]]:
    """Per zone a permission is limited to: what of ``names`` holds there (its existence unchecked)."""
    zones: dict[str, dict[str, Any]] = {}
    for name in names:
        for zone in grants.get(name, []):
            zones.setdefault(zone, {"exists": None, "problem": "", "held": list(held), "missing": []})
            zones[zone]["held"].append(name)
    for detail in zones.values():
        detail["missing"] = [name for name in missing if name not in detail["held"]]
    return zones


def _check_zone(session: TaskSession, names: list[str], zone: str) -> dict[str, Any]:
    """The check on ``zone``: it must exist, then ``names`` must hold on it."""
    exists, problem = _zone_existence(session, zone)
    if exists is False:
        # Permissions on a zone that is not there mean nothing; the names can still be misspelled.
        unknown = [name for name in names if not _is_documented(name)]
        detail = {"exists": False, "problem": problem, "held": [], "missing": []}
        return {"missing": [], "unknown": unknown, "zones": {zone: detail}, "zones_missing": [zone]}
    checked = _check_required(session, names, zone)
    checked["zones"][zone].update(exists=exists, problem=problem)
    return {**checked, "zones_missing": []}


def _failure_message(user: str | None, zone: str | None, checked: dict[str, Any]) -> str:
    """One sentence per zone problem, then one listing the permission problems."""
    sentences = [_sentence(detail["problem"]) for detail in checked["zones"].values() if detail["problem"]]
    problems = []
    if checked["missing"]:
        who = f"user {user}" if user else "the session's user"
        where = f"on zone {zone}" if zone else "on the account as a whole"
        problems.append(f"{who} lacks {_quoted(checked['missing'])} {where}{_limited_note(checked, zone)}")
    if checked["unknown"]:
        problems.append(f"not DynECT permission names (check the spelling): {_quoted(checked['unknown'])}")
    if problems:
        sentences.append(f"Required DynECT permissions are not all held: {'; '.join(problems)}.")
    return " ".join(sentences)


def _sentence(text: str) -> str:
    return f"{text[:1].upper()}{text[1:]}."


def _limited_note(checked: dict[str, Any], zone: str | None) -> str:
    """Where the missing names hold after all, when only on some zones (checked without a zone)."""
    if zone:
        return ""
    places = []
    for name in checked["missing"]:
        zones = [each for each, detail in checked["zones"].items() if name in detail["held"]]
        if zones:
            places.append(f"{_quoted([name])} on {', '.join(zones)}")
    return f" (held on some zones only: {'; '.join(places)})" if places else ""


def _verdict(sessions: TaskSessions, names: list[str], zone: str | None) -> dict[str, Any]:
    """The outcome of checking ``names`` (on ``zone``): the result keys of RETURN."""
    session = sessions.open()
    if zone:
        return _check_zone(session, names, zone)
    return {**_check_required(session, names, None), "zones_missing": []}


def _failed(checked: dict[str, Any]) -> bool:
    return bool(checked["missing"] or checked["unknown"] or any(d["problem"] for d in checked["zones"].values()))


def _report(sessions: TaskSessions, report_user: str | None) -> dict[str, Any]:
    """The result without a check: the user's permission report, nothing missing."""
    report = sessions.open().permission_report(user_name=report_user)
    return {
        "changed": False,
        "permissions": [entry["name"] for entry in report.get("allowed", [])],
        "allowed": report.get("allowed", []),
        "forbidden": report.get("forbidden", []),
        "missing": [],
        "unknown": [],
        "zones": {},
        "zones_missing": [],
    }


def work(task: TaskRun, sessions: TaskSessions) -> dict[str, Any]:
    """Report the permissions, and check the required ones."""
    params = task.params
    report_user = params["report_user"]
    required = _clean_names(params["required"] or [])
    zone = zone_name(params["zone"]) if params["zone"] else None
    if params["required"] and not required:
        raise TaskFailure("required holds no permission names, only blanks; give the names to check.")
    if required and report_user is not None and report_user != sessions.username:
        raise TaskFailure(
            f"required is checked for the logged-in user only, so report_user ({report_user}) "
            "must be left unset or equal the session's user; log in as that user to check its permissions."
        )
    result = _report(sessions, report_user)
    if required:
        result.update(_verdict(sessions, required, zone))
        if _failed(result):
            user = report_user or sessions.username
            raise TaskFailure(_failure_message(user, zone, result), **result)
    return result


def main() -> None:
    run_module(SPEC, work)


if __name__ == "__main__":
    main()
