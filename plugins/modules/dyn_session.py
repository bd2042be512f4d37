#!/usr/bin/python
# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: dyn_session
short_description: Log in to, keep alive or log out of a DynECT API session
version_added: 0.1.0
author:
  - dyn.managed_dns contributors (!UNKNOWN)
description:
  - Opens, checks, keeps alive and closes sessions of the DynECT Managed DNS REST API.
  - With O(state=present) and O(return_token=true) it logs in once and returns the session as
    RV(session) (and its token as RV(token)); later tasks pass it as O(session) (for example
    through a block's C(module_defaults)) so that a whole play works in one session.
  - Without O(return_token), O(state=present) is a credential check; it logs in and out again.
  - Through the P(dyn.managed_dns.dynect#connection) connection the task works in the play's session, which the
    connection opened (or opens now) and logs out at the end of the play. V(present) then reports
    that session (and returns its token with O(return_token=true)), V(refreshed) keeps it alive (and
    logs in again if the server dropped it) and V(absent) logs it out early (the next task logs in
    again); none of them reports a change except V(absent) when it logged a live session out.
  - With O(history=true), C(ansible_facts.dyn_api_history) holds every API call of the play's
    session so far when the P(dyn.managed_dns.dynect#connection) connection records them (its
    C(dyn_history) variable is V(true)), and this task's calls otherwise.
requirements:
  - cryptography
extends_documentation_fragment:
  - dyn.managed_dns.api
  - dyn.managed_dns.attributes
  - dyn.managed_dns.attributes.action_group
attributes:
  check_mode:
    support: full
    details:
      - The module does in check mode what it does otherwise. It logs in, returns RV(session) and
        leaves it open with O(return_token=true), keeps it alive with O(state=refreshed) and logs it out with
        O(state=absent). A session is not something a play manages, and the other tasks of a
        C(--check) run need a real session to check anything, and the final logout, so that no
        session is left open.
  diff_mode:
    support: none
options:
  state:
    description:
      - V(present) logs in with O(customer), O(username) and O(password), or, when O(session) or
        O(token) is given, checks that that session is still alive (no login). It fails when the
        credentials are wrong or the token is no longer valid.
      - V(refreshed) keeps the session of O(session) (or O(token)) alive (extends its idle timeout).
      - V(absent) logs out the session of O(session) (or O(token)). A session that is already gone
        (expired or logged out) is fine. Without either there is no session to log out and nothing
        is done.
    type: str
    choices: [present, refreshed, absent]
    default: present
  return_token:
    description:
      - With O(state=present), return the new session as RV(session) (and its token as RV(token))
        and leave it open, for later tasks to use as O(session). Log it out with O(state=absent)
        at the end of the play.
      - The token grants the account's access until it is logged out or expires. Register it only
        on tasks with C(no_log) set to V(true), and never print it. On a task without C(no_log),
        the module warns.
      - When O(session) or O(token) was given, no new session is opened and nothing is returned.
      - Only with O(state=present); the other states open no session, so they refuse O(return_token=true).
      - Refused with C(async) before anything runs, because ansible-core writes an async task's
        result, token included, to a status file that it keeps after the task, with mode 0644
        (readable by other users of the machine). Run the login without C(async); later tasks may
        use its RV(session) with C(async).
    type: bool
    default: false
notes:
  - "C(changed) is always V(false): a login, a keep-alive or a logout changes nothing in the account
    (as community.hashi_vault's C(vault_login) reports), so a run with nothing to do ends with
    C(changed=0) in the recap. RV(logged_out) tells whether O(state=absent) logged a live session out."
seealso:
  - module: dyn.managed_dns.dyn_password
  - module: dyn.managed_dns.dyn_permissions_info
  - plugin: dyn.managed_dns.dynect
    plugin_type: connection
"""

EXAMPLES = r"""
- name: Check the credentials (logs in and out again)
  dyn.managed_dns.dyn_session:
    customer: acme
    username: ops
    password: "{{ vault_dyn_password }}"

- name: Log in once for the whole play
  dyn.managed_dns.dyn_session:
    customer: acme
    username: ops
    password: "{{ vault_dyn_password }}"
    return_token: true
  register: dyn_login
  no_log: true

- name: Use that session (token and endpoint) in every later dyn task, then log out
  module_defaults:
    group/dyn.managed_dns.dyn:
      session: "{{ dyn_login.session }}"
  block:
    - name: Check the permissions the play needs
      dyn.managed_dns.dyn_permissions_info:
        required: [RecordAdd, RecordUpdate]
        zone: example.com

    - name: Keep the session alive during a long play
      dyn.managed_dns.dyn_session:
        state: refreshed

    - name: Log out
      dyn.managed_dns.dyn_session:
        state: absent

- name: Log in through a proxy and keep a record of the API calls
  dyn.managed_dns.dyn_session:
    customer: acme
    username: ops
    password: "{{ vault_dyn_password }}"
    proxy_host: proxy.example.com
    proxy_port: 3128
    history: true
  register: dyn_check

- name: Show the API calls the login made (secrets are masked)
  ansible.builtin.debug:
    var: dyn_check.history

- name: Check credentials taken from the environment (DYN_CUSTOMER, DYN_USERNAME, DYN_PASSWORD, ...)
  dyn.managed_dns.dyn_session:
  environment:
    DYN_CUSTOMER: acme
    DYN_USERNAME: ops
    DYN_PASSWORD: "{{ vault_dyn_password }}"

- name: Check a bare token that was handed over, against a test server over plain HTTP
  dyn.managed_dns.dyn_session:
    host: 127.0.0.1
    port: 8080
    ssl: false
    token: "{{ dyn_token }}"
"""

RETURN = r"""
credentials_refused:
  description:
    - On failure, V(true) exactly when the API refused this task's login (wrong O(customer),
      O(username) or O(password), or a blocked user).
    - V(false) for a dead O(token), no answer, a server error page or bad options; then the
      credentials may still be right.
  returned: on failure
  type: bool
  sample: true
customer:
  description: The customer of the session, as given in O(customer).
  returned: O(state=present)
  type: str
  sample: acme
username:
  description: The user of the session, as given in O(username).
  returned: O(state=present)
  type: str
  sample: ops
api_version:
  description: The API version the server reported when this task logged in.
  returned: O(state=present) when the task logged in (neither O(session) nor O(token) given)
  type: str
  sample: 3.7.16
token:
  description:
    - Token of the session this task opened and left open or, through the
      P(dyn.managed_dns.dynect#connection) connection, of the play's session. Treat it like a password.
  returned: O(state=present) with O(return_token=true) and neither O(session) nor O(token)
  type: str
  sample: 2gqVo4fPdzcx...
session:
  description:
    - The session this task opened and left open, for later tasks' O(session) option. It holds the
      token and every setting that decides where and how the token is sent (the endpoint, TLS and
      proxy options of this task), plus its customer, user and API version. Never a password.
    - Holds the token, so treat it like a password.
    - Not returned through the P(dyn.managed_dns.dynect#connection) connection, whose tasks work in
      the play's session without options.
  returned: O(state=present) with O(return_token=true) and neither O(session) nor O(token), not through the connection
  type: dict
  sample: {"token": "2gqVo4fPdzcx...", "host": "api.dynect.net", "port": 443, "ssl": true, "validate_certs": true,
           "ca_path": null, "proxy_host": null, "proxy_port": null, "proxy_user": null, "customer": "acme",
           "username": "ops", "api_version": "current"}
logged_out:
  description:
    - V(true) when this task logged a live session out, V(false) when the session was already gone
      (or none was given).
  returned: O(state=absent)
  type: bool
  sample: true
  version_added: 0.2.0
history:
  description:
    - This task's API calls, oldest first, with passwords and tokens masked.
  returned: when O(history=true)
  type: list
  elements: dict
  contains:
    timestamp:
      description: When the call was made (ISO 8601).
      type: str
      sample: "2026-11-28T07:45:01.123456"
    uri:
      description: Path of the request.
      type: str
      sample: /REST/Session/
    method:
      description: HTTP method of the request.
      type: str
      sample: POST
    args:
      description: Body of the request, secrets masked.
      type: dict
      sample: {"customer_name": "acme", "user_name": "ops", "password": "*****"}
    status:
      description: The C(status) the API answered with (V(success), V(failure), ...).
      type: str
      sample: success
ansible_facts:
  description: Facts set by this module.
  returned: when O(history=true)
  type: dict
  contains:
    dyn_api_history:
      description:
        - API calls kept as a host fact for later tasks, in the form of RV(history).
        - Through the P(dyn.managed_dns.dynect#connection) connection with its C(dyn_history)
          variable V(true), every API call of the play's session so far; otherwise the same list
          as RV(history).
        - Formerly called C(dyn_history), a name that clashed with the connection's C(dyn_history)
          variable.
      type: list
      elements: dict
      returned: when O(history=true)
"""

from collections.abc import Mapping
from typing import Any

from ansible.module_utils.parsing.convert_bool import boolean

from ansible_collections.dyn.managed_dns.plugins.module_utils._module import (
    SESSION_GONE,
    SESSION_KEYS,
    ModuleSpec,
    TaskFailure,
    TaskRun,
    TaskSessions,
    run_module,
)

RETURN_TOKEN_UNDER_ASYNC = (
    "return_token cannot be used with async: ansible-core writes an async task's result, here the token, to a "
    "status file that it keeps after the task, with mode 0644 (readable by other users of the machine); run the "
    "login without async (later tasks may use its session with async)."
)


def _refused_under_async(sent: Mapping[str, Any]) -> str | None:
    """The action asks this before it runs anything under ``async``; ``sent`` is not validated yet."""
    try:
        wanted = boolean(sent.get("return_token", False), strict=True)
    except TypeError:
        return None  # not a boolean: validation refuses it
    return RETURN_TOKEN_UNDER_ASYNC if wanted else None


SPEC = ModuleSpec(
    {
        "state": {"type": "str", "choices": ["present", "refreshed", "absent"], "default": "present"},
        "return_token": {"type": "bool", "default": False},
    },
    history_fact=True,
    async_refusal=_refused_under_async,
)


def _present(sessions: TaskSessions, params: dict[str, Any]) -> dict[str, Any]:
    session = sessions.open()
    result: dict[str, Any] = {"changed": False, "customer": session.customer, "username": session.username}
    if params["token"] and not sessions.through_connection:
        # A given token is only checked: it belongs to whoever logged in.
        if not session.is_alive():
            raise TaskFailure(f"{SESSION_GONE}.", **result)
        return result
    result["api_version"] = session.server_version
    if params["return_token"]:
        result["token"] = session.read_token()
        if not sessions.through_connection:
            # The play's session belongs to the connection, which logs it out when the play ends;
            # this one now belongs to the play, with everything later tasks need to reach it.
            # Leaving it open is no change to the account: the recap stays changed=0.
            sessions.keep_open(session)
            result["session"] = {name: params[name] for name in SESSION_KEYS} | {"token": result["token"]}
    return result


def _refreshed(sessions: TaskSessions) -> dict[str, Any]:
    if not sessions.adopted:
        raise TaskFailure(
            "state=refreshed keeps an open session alive: give it in session (or token, or DYN_TOKEN), "
            "or run the task through the dyn.managed_dns.dynect connection."
        )
    # A keep-alive only moves the session's idle deadline, so it never counts as a change.
    sessions.open().keep_alive()
    return {"changed": False}


def _absent(sessions: TaskSessions) -> dict[str, Any]:
    """A logout is no change to the account: ``changed`` stays false, ``logged_out`` says what happened."""
    if not sessions.adopted:
        return {"changed": False, "logged_out": False}
    session = sessions.open()
    # Asking first tells "logged out now" from "already gone" without parsing error texts.
    alive = session.is_alive()
    if alive:
        sessions.log_out(session)
    return {"changed": False, "logged_out": alive}


def work(task: TaskRun, sessions: TaskSessions) -> dict[str, Any]:
    """Open, check, keep alive or close the session.

    Check mode changes nothing here: a session is not something the play manages, and the rest of
    a --check run needs a real one to check anything, and its logout to leave none behind.
    """
    state = task.params["state"]
    if task.params["return_token"] and state != "present":
        raise TaskFailure(
            f"return_token only works with state=present, which opens the session whose token it returns; "
            f"remove it from this state={state} task."
        )
    if task.params["return_token"] and not task.no_log:
        # Without no_log, -v prints the result, token included, and callbacks and logs keep it.
        task.warn(
            "return_token returns the session's token, which grants the account's access until it is logged out "
            "or expires, and this task does not have no_log: set no_log: true on the task."
        )
    if state == "present":
        return _present(sessions, task.params)
    if state == "refreshed":
        return _refreshed(sessions)
    return _absent(sessions)


def main() -> None:
    run_module(SPEC, work)


if __name__ == "__main__":
    main()
