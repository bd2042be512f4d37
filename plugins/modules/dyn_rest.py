#!/usr/bin/python
# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: dyn_rest
short_description: Make any DynECT REST API call in the task's session
version_added: 0.1.0
author:
  - dyn.managed_dns contributors (!UNKNOWN)
description:
  - Sends one request to the DynECT REST API (O(method) on O(path), with O(body)) through the
    task's session, like every other module of the collection does it - following 307 jobs,
    logging in again when the session expired (with a password), pacing to the account's rate
    limit and masking secrets in the history.
  - The escape hatch for what no module of this collection covers, such as another service's
    resources. Prefer M(dyn.managed_dns.dyn_record_set) and its siblings for records and zones,
    which are idempotent and support check mode and diff.
  - Sessions are M(dyn.managed_dns.dyn_session)'s business, so O(path) C(Session/) is refused, in
    any spelling (any case, doubled slashes, percent-encoded letters); so is a O(body) with a secret
    in it (a key whose name holds C(pass), C(token), C(secret) or is C(key)), because ansible-core
    shows task arguments in its own output at high verbosity. Such values are masked in the task's
    result (C(invocation)).
    Change a password with M(dyn.managed_dns.dyn_password).
requirements:
  - cryptography
extends_documentation_fragment:
  - dyn.managed_dns.api
  - dyn.managed_dns.attributes
  - dyn.managed_dns.attributes.action_group
attributes:
  check_mode:
    support: partial
    details:
      - A V(GET) is sent in check mode too (it only reads). Any other method is not sent; the task
        reports a change, without RV(data).
  diff_mode:
    support: none
options:
  method:
    description:
      - The HTTP method.
      - V(GET) never reports a change; the other methods always do (the module cannot know whether
        the API changed anything).
    type: str
    choices: [GET, POST, PUT, DELETE]
    default: GET
  path:
    description:
      - The resource, relative to C(/REST/), for example V(Zone/example.com/) or
        V(ARecord/example.com/www.example.com/). A leading C(/) or C(/REST/) is allowed.
      - A path that a server could read as another path is refused before anything is sent, with a
        message naming what to change - a C(.) or C(..) segment (the HTTP client resolves it, so
        V(Zone/../Session/) would reach C(Session/)), C(?) or C(#) (give arguments in O(body)), a
        percent-encoded C(.), C(/) or backslash (C(%2e), C(%2F), C(%5c), any case), a backslash, or
        a control character. Write the resource's own path, with C(.) and C(/) as themselves.
    type: str
    required: true
  body:
    description:
      - The request's JSON arguments. For V(GET) and V(DELETE) too, since the API reads the
        arguments of any method from the body (for example C(detail) with the value V(Y)).
    type: dict
notes:
  - Through the P(dyn.managed_dns.dynect#connection) connection the call is made in the play's session, so
    zone changes it makes are pending in that session until published (for example with
    M(dyn.managed_dns.dyn_zone_changes)).
seealso:
  - module: dyn.managed_dns.dyn_record_set
  - module: dyn.managed_dns.dyn_zone_info
  - plugin: dyn.managed_dns.dynect
    plugin_type: connection
"""

EXAMPLES = r"""
- name: Read the zone's SOA record, with the records themselves rather than their URIs
  dyn.managed_dns.dyn_rest:
    path: SOARecord/example.com/example.com/
    body:
      detail: "Y"
  register: soa

- name: Freeze a zone (no module covers it)
  dyn.managed_dns.dyn_rest:
    method: PUT
    path: Zone/example.com/
    body:
      freeze: true
"""

RETURN = r"""
data:
  description: The reply's C(data), with secret-named entries masked.
  returned: when the request was sent
  type: raw
  sample: {"zone": "example.com", "serial": 3, "serial_style": "increment", "zone_type": "Primary"}
msgs:
  description: The API's messages about the request.
  returned: when the request was sent
  type: list
  elements: dict
  sample: [{"INFO": "get: Your zone, example.com", "SOURCE": "BLL", "ERR_CD": null, "LVL": "INFO"}]
job_id:
  description: The API's job id of the request.
  returned: when the request was sent
  type: int
  sample: 4342593703
status:
  description: The reply's status (V(success)); a failure fails the task.
  returned: when the request was sent
  type: str
  sample: success
history:
  description: This task's API calls, oldest first, with passwords and tokens masked.
  returned: when O(history=true)
  type: list
  elements: dict
"""

from collections.abc import Mapping
from typing import Any

from ansible_collections.dyn.managed_dns.plugins.module_utils._api import checked_path, is_session_path
from ansible_collections.dyn.managed_dns.plugins.module_utils._history import is_secret_key, mask_secrets
from ansible_collections.dyn.managed_dns.plugins.module_utils._module import ModuleSpec, TaskFailure, TaskRun, TaskSessions, run_module


def _secret_values(params: Mapping[str, Any]) -> set[str]:
    """The values under secret-named keys of the body, to mask wherever the task's arguments show."""
    found: set[str] = set()

    def walk(value: Any, secret: bool) -> None:
        if isinstance(value, Mapping):
            for key, item in value.items():
                walk(item, secret or is_secret_key(key))
        elif isinstance(value, list):
            for item in value:
                walk(item, secret)
        elif secret and value not in (None, ""):
            found.add(str(value))

    walk(params.get("body") or {}, False)
    return found


def _secret_keys(value: Any, where: str = "body") -> list[str]:
    """Where in ``value`` a secret-named key sits (``body.user.password``), at any depth."""
    found = []
    if isinstance(value, Mapping):
        for key, item in value.items():
            found += [f"{where}.{key}"] if is_secret_key(key) else _secret_keys(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _secret_keys(item, f"{where}[{index}]")
    return found


def _api_path(path: str) -> str:
    """``path`` as the session takes it: relative to /REST/, without empty segments or any REST/ before it."""
    segments = [segment for segment in path.strip().split("/") if segment]
    while segments and segments[0].upper() == "REST":
        segments.pop(0)
    return "/".join(segments) + ("/" if path.strip().endswith("/") else "")


SPEC = ModuleSpec(
    {
        "method": {"type": "str", "choices": ["GET", "POST", "PUT", "DELETE"], "default": "GET"},
        "path": {"type": "str", "required": True},
        "body": {"type": "dict"},
    },
    non_empty=("path",),
    secret_values=_secret_values,
)


def work(task: TaskRun, sessions: TaskSessions) -> dict[str, Any]:
    """Send the request, unless check mode forbids it."""
    params = task.params
    # Checked here as well as by the session, so that a refused path costs no login.
    method, path = params["method"], checked_path(_api_path(params["path"]))
    if is_session_path(f"/REST/{path}"):
        raise TaskFailure("dyn_rest does not call Session/: log in, keep alive and log out with dyn.managed_dns.dyn_session.")
    secrets = _secret_keys(params["body"] or {})
    if secrets:
        raise TaskFailure(
            f"dyn_rest refuses to send {', '.join(secrets)}: a secret in a task's arguments shows in its invocation and "
            "in logs. Change passwords with dyn.managed_dns.dyn_password."
        )
    if task.check_mode and method != "GET":
        return {"changed": True}
    reply = sessions.open().execute(path, method, params["body"] or {})
    return {
        "changed": method != "GET",
        "data": mask_secrets(reply.get("data")),
        "msgs": reply.get("msgs") or [],
        "job_id": reply.get("job_id"),
        "status": reply.get("status"),
    }


def main() -> None:
    run_module(SPEC, work)


if __name__ == "__main__":
    main()
