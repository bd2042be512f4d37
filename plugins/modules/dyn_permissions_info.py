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
  - dyn.managed_dns contributors (@dyn-managed-dns)
description:
  - Reports the permissions a DynECT user holds (C(/REST/UserPermissionReport/)), with the zones
    each one is limited to.
  - With O(required), asks the API whether the session's user holds each of those permissions
    (C(/REST/CheckPermissionReport/)), on O(zone) when given, and fails with a message naming
    exactly the missing ones. Names that are not DynECT permissions are reported separately as
    unknown.
  - Useful as a preflight check at the start of a play.
requirements:
  - requests
  - cryptography
extends_documentation_fragment:
  - dyn.managed_dns.api
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
      - When any is not granted, the task fails and names them, telling names that are not
        documented DynECT permissions (probably misspelled) apart from missing ones.
      - The API checks these for the user that is logged in, so O(report_user), when set, must be
        that same user.
    type: list
    elements: str
  zone:
    description:
      - Check O(required) for this zone, so that permissions limited to other zones do not count.
      - Without it, the check is made for the account as a whole.
    type: str
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

- name: Stop the play early unless the records of example.com can be changed
  dyn.managed_dns.dyn_permissions_info:
    customer: acme
    username: reader
    password: "{{ vault_dyn_reader_password }}"
    required: [RecordGet, RecordUpdate]
    zone: example.com

- name: Report on another user of the account, in a session opened by dyn_session
  dyn.managed_dns.dyn_permissions_info:
    token: "{{ dyn_login.token }}"
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
    - The names in O(required) the user lacks (on O(zone) when given). Empty without O(required).
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
    TaskFailure,
    TaskSessions,
    dyn_module,
    run_module,
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


def _check_required(sessions: TaskSessions, required: list[str], zone: str | None) -> tuple[list[str], list[str]]:
    """Ask the API about ``required``; return the names not granted, split into missing and unknown."""
    report = sessions.open().check_permissions(required, zone_name=zone)
    granted = {entry["name"] for entry in report.get("allowed", [])}
    not_granted = [name for name in dict.fromkeys(required) if name not in granted]
    missing = [name for name in not_granted if _is_documented(name)]
    unknown = [name for name in not_granted if not _is_documented(name)]
    return missing, unknown


def _failure_message(user: str | None, zone: str | None, missing: list[str], unknown: list[str]) -> str:
    problems = []
    if missing:
        who = f"user {user}" if user else "the session's user"
        where = f" on zone {zone}" if zone else ""
        problems.append(f"{who} lacks {', '.join(missing)}{where}")
    if unknown:
        problems.append(f"not DynECT permission names (check the spelling): {', '.join(unknown)}")
    return f"Required DynECT permissions are not all held: {'; '.join(problems)}."


def main() -> None:
    module = dyn_module(
        {
            "report_user": {"type": "str"},
            "required": {"type": "list", "elements": "str"},
            "zone": {"type": "str"},
        },
        non_empty=("report_user", "zone"),
        required_by={"zone": "required"},
        supports_check_mode=True,
    )
    params = module.params
    report_user = params["report_user"]
    required = params["required"] or []

    def work(sessions: TaskSessions) -> dict[str, Any]:
        if required and report_user is not None and report_user != sessions.username:
            raise TaskFailure(
                f"required is checked for the logged-in user only, so report_user ({report_user}) "
                "must be left unset or equal the session's user; log in as that user to check its permissions."
            )
        report = sessions.open().permission_report(user_name=report_user)
        result: dict[str, Any] = {
            "changed": False,
            "permissions": [entry["name"] for entry in report.get("allowed", [])],
            "allowed": report.get("allowed", []),
            "forbidden": report.get("forbidden", []),
            "missing": [],
            "unknown": [],
        }
        if required:
            result["missing"], result["unknown"] = _check_required(sessions, required, params["zone"])
            if result["missing"] or result["unknown"]:
                user = report_user or sessions.username
                raise TaskFailure(_failure_message(user, params["zone"], result["missing"], result["unknown"]), **result)
        return result

    run_module(module, work)


if __name__ == "__main__":
    main()
