# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: dynect
author: dyn.managed_dns contributors (!UNKNOWN)
short_description: One DynECT session per account, shared by every task of a play
version_added: 0.1.0
description:
  - "Keeps one authenticated DynECT Managed DNS REST API session per inventory host (one host per
    DynECT account) for a whole play. The first task that needs the API logs in; every later task
    of the play reuses that session's token; the session is logged out when the play ends, when the
    connection sits idle longer than O(persistent_connect_timeout), or on C(meta: reset_connection)."
  - The session lives in ansible-core's persistent connection helper process (C(ansible-connection)),
    one per host. The token stays in that process unless a task asks for it with
    M(dyn.managed_dns.dyn_session) O(dyn.managed_dns.dyn_session#module:return_token=true); then it
    travels to the task sealed with a one-time key, for that purpose only.
  - "ansible-core trusts every process of your user: while the play runs, any of them can connect
    to the helper's socket and call it as a task does (run API calls, ask for the token), replace
    that socket with its own, or read C(ansible-playbook)'s memory. The helper shrinks what such a
    process gets: its socket serves C(dyn_call), the hand-over of a task's options, C(pop_messages),
    C(get_option), C(reset) and C(close), and refuses every other method (setters and
    C(queue_message) among them); it hands out O(dyn_password), O(dyn_key) and O(dyn_proxy_pass) to
    no caller; and on Linux it makes itself non-dumpable. C(ANSIBLE_DEBUG) and
    C(ANSIBLE_KEEP_REMOTE_FILES) of ansible-core can expose task data this plugin cannot protect."
  - The modules of this collection (M(dyn.managed_dns.dyn_session), M(dyn.managed_dns.dyn_password),
    M(dyn.managed_dns.dyn_permissions_info), M(dyn.managed_dns.dyn_record_set),
    M(dyn.managed_dns.dyn_record_set_info), M(dyn.managed_dns.dyn_zone_changes),
    M(dyn.managed_dns.dyn_zone_info), M(dyn.managed_dns.dyn_rest)) use this connection's session
    whenever they run through it, so record changes that tasks leave pending
    (O(dyn.managed_dns.dyn_record_set#module:publish=false)) wait in that one session for a publish.
    They then refuse the account and API options a task sets itself (customer, user name,
    password, token, API host and port, and the TLS, proxy, key, timeout and rate limit
    options), because the connection's variables say which account a host is; values those
    options take from C(DYN_*) environment variables are ignored there.
  - Modules run on the controller, with the Python that runs C(ansible-playbook) (ansible-core
    ignores C(ansible_python_interpreter) on hosts of this connection), so that Python needs
    C(cryptography) (HTTP is Python's own C(http.client)). The collection's own modules do not even start a module
    process on these hosts. Their action plugins do the work in the task's worker process and talk to
    this connection's helper directly, so no module file holding a task's arguments is built.
  - ansible-core starts C(ansible-connection) for a host's first task only. Before every later task,
    the connection hands the task's connection variables to the play's running helper itself, which
    is all a new C(ansible-connection) process would do then, so ansible-core starts none; when the
    helper does not answer, ansible-core starts C(ansible-connection) as usual.
  - "ansible-core keeps one helper per C(ansible_host), port and remote user. Two account hosts that
    share those would share one helper. The helper serves only the first complete account (API
    host and port, customer, user) it was handed; once a second account, or a host without
    O(dyn_customer) or O(dyn_username), reaches it, it refuses every task of every host on it with
    an error naming both accounts, so no task ever gets another account's token, permissions or
    history. Leave C(ansible_host) unset (it defaults to the inventory host name) or make it unique
    per account."
  - "The transport is bound with the account: a task that changes O(dyn_ssl),
    O(dyn_validate_certs), O(dyn_ca_path), O(dyn_proxy_host), O(dyn_proxy_port) or
    O(dyn_proxy_user) after the helper's first task is refused; use another inventory host for
    another endpoint."
requirements:
  - cryptography
options:
  dyn_customer:
    description:
      - DynECT customer name of this host's account; required.
      - Only this host variable names the account. The E(DYN_CUSTOMER) environment variable, which
        the modules read on other connections, is not used for dynect hosts.
    type: str
    vars:
      - name: dyn_customer
  dyn_username:
    description:
      - DynECT user name of this host's account; required.
      - Only this host variable names the user. Neither C(ansible_user) (often set for SSH hosts of
        the same inventory) nor the E(DYN_USERNAME) environment variable is used for dynect hosts.
    type: str
    vars:
      - name: dyn_username
  dyn_password:
    description:
      - The user's password. The helper keeps it sealed under a random key of its own process (not
        in ansible-core's option table), to log in again when the server drops the session; it
        never hands it out, not even to its own socket's callers.
      - Once a task changed the password through this connection (M(dyn.managed_dns.dyn_password),
        the C(dyn.managed_dns.rotate_password) role), the helper logs in with the new one for the rest of
        the play, whatever value this variable still holds.
      - Required. Only this host variable is used; neither C(ansible_password) nor the
        E(DYN_PASSWORD) environment variable is for dynect hosts.
    type: str
    vars:
      - name: dyn_password
  dyn_host:
    description: DynECT API host name.
    type: str
    default: api.dynect.net
    vars:
      - name: dyn_host
    env:
      - name: DYN_HOST
    ini:
      - section: dyn_connection
        key: host
  dyn_port:
    description: DynECT API port.
    type: int
    default: 443
    vars:
      - name: dyn_port
    env:
      - name: DYN_PORT
    ini:
      - section: dyn_connection
        key: port
  dyn_ssl:
    description:
      - Talk to the API over HTTPS.
      - V(false) to a host other than this machine (C(localhost), C(127.0.0.0/8), C(::1)) sends the
        password and token in clear; every task whose work logs in over it then warns.
    type: bool
    default: true
    vars:
      - name: dyn_ssl
    env:
      - name: DYN_SSL
    ini:
      - section: dyn_connection
        key: ssl
  dyn_validate_certs:
    description:
      - Check the API's TLS certificate and host name; the host name is always checked when the
        certificate is. Turn off only for a test endpoint you trust; every task whose work logs in
        while it is off warns.
      - The certificate is verified against the system trust store, as Python's C(ssl) module loads
        it on the controller; the E(SSL_CERT_FILE) and E(SSL_CERT_DIR) environment variables point it
        elsewhere. O(dyn_ca_path) replaces that store. E(REQUESTS_CA_BUNDLE) and E(CURL_CA_BUNDLE) are
        not used, and neither is the C(certifi) bundle.
    type: bool
    default: true
    vars:
      - name: dyn_validate_certs
    env:
      - name: DYN_VALIDATE_CERTS
    ini:
      - section: dyn_connection
        key: validate_certs
  dyn_ca_path:
    description:
      - PEM file of the CA certificates to check the API's certificate against, instead of the system
        trust store; only these CAs are trusted (E(SSL_CERT_FILE) and E(SSL_CERT_DIR) no longer apply).
      - For a TLS-inspecting proxy, give the proxy's CA here (or add it to the system trust store)
        rather than setting O(dyn_validate_certs=false).
    type: path
    vars:
      - name: dyn_ca_path
    env:
      - name: DYN_CA_PATH
    ini:
      - section: dyn_connection
        key: ca_path
  dyn_api_version:
    description: Value of the C(API-Version) header.
    type: str
    default: current
    vars:
      - name: dyn_api_version
    env:
      - name: DYN_API_VERSION
    ini:
      - section: dyn_connection
        key: api_version
  dyn_key:
    description:
      - Key the session encrypts its stored password with in the helper's memory. Default is a
        random key per helper process, which is what most users want. Never handed out over the
        helper's socket.
    type: str
    vars:
      - name: dyn_key
    env:
      - name: DYN_KEY
  dyn_history:
    description:
      - V(true) records every API call of this host's sessions for the whole play, secrets masked
        as C(*****), including logins, logins again after the server dropped the session, the trial
        logins of M(dyn.managed_dns.dyn_password) and logouts a task asks for (not the logout when
        the connection closes). M(dyn.managed_dns.dyn_session) with
        O(dyn.managed_dns.dyn_session#module:history=true) then sets C(ansible_facts.dyn_api_history)
        to the play's calls so far.
      - V(false) records nothing, except the calls made for a task that sets its
        O(dyn.managed_dns.dyn_session#module:history) option to V(true); those go back to that task
        and are not kept. C(ansible_facts.dyn_api_history) then holds that task's calls only.
      - Either way, a task returns its own calls as RV(dyn.managed_dns.dyn_session#module:history)
        only when it sets O(dyn.managed_dns.dyn_session#module:history=true).
      - This is a connection variable, not the history itself; the history fact is
        C(dyn_api_history).
    type: bool
    default: false
    vars:
      - name: dyn_history
    env:
      - name: DYN_HISTORY
    ini:
      - section: dyn_connection
        key: history
  dyn_proxy_host:
    description: HTTP proxy host; HTTPS goes through it with C(CONNECT).
    type: str
    vars:
      - name: dyn_proxy_host
    env:
      - name: DYN_PROXY_HOST
    ini:
      - section: dyn_connection
        key: proxy_host
  dyn_proxy_port:
    description: HTTP proxy port; required with O(dyn_proxy_host).
    type: int
    vars:
      - name: dyn_proxy_port
    env:
      - name: DYN_PROXY_PORT
    ini:
      - section: dyn_connection
        key: proxy_port
  dyn_proxy_user:
    description: User name for the proxy's Basic authentication.
    type: str
    vars:
      - name: dyn_proxy_user
    env:
      - name: DYN_PROXY_USER
  dyn_proxy_pass:
    description: Password for the proxy's Basic authentication.
    type: str
    vars:
      - name: dyn_proxy_pass
    env:
      - name: DYN_PROXY_PASS
  dyn_timeout:
    description:
      - Seconds one HTTP request to the API may take in all, from connecting to the last byte of its
        answer, however steadily the answer trickles in. A read that takes longer is sent again, as
        after a lost connection; a change is not, and may or may not have been made.
    type: int
    default: 30
    vars:
      - name: dyn_timeout
    env:
      - name: DYN_TIMEOUT
    ini:
      - section: dyn_connection
        key: timeout
  dyn_rate_limit:
    description:
      - Most API requests this host's session sends in any minute, to stay under the account's
        rate limit (DynECT allows 300 per minute per account by default, and answers every request
        of the account with HTTP 429 for up to a minute once it is exceeded).
      - Every task of the host shares this pacing, because they all use the connection's one
        session. Requests go at full speed until the limit is reached; then each one waits until it
        fits under the limit again. V(0) turns pacing off.
      - The limit is shared by all users and sessions of the account. When several hosts (users)
        of one customer run at once, give each its share.
    type: int
    default: 300
    vars:
      - name: dyn_rate_limit
    env:
      - name: DYN_RATE_LIMIT
    ini:
      - section: dyn_connection
        key: rate_limit
  persistent_connect_timeout:
    description:
      - Seconds the helper process (and with it the DynECT session) stays up without a task using
        it. Then it logs out, and the next task logs in again.
      - The default is long enough that slow tasks between API tasks do not cause logout and
        login churn; ansible-core's usual 30 seconds would.
    type: int
    default: 300
    vars:
      - name: ansible_connect_timeout
    env:
      - name: ANSIBLE_PERSISTENT_CONNECT_TIMEOUT
    ini:
      - section: persistent_connection
        key: connect_timeout
  persistent_command_timeout:
    description:
      - Seconds one call from a task to the helper may take. Covers the API's slow jobs, so keep it
        above the session's job timeout (300 seconds).
    type: int
    default: 600
    vars:
      - name: ansible_command_timeout
    env:
      - name: ANSIBLE_PERSISTENT_COMMAND_TIMEOUT
    ini:
      - section: persistent_connection
        key: command_timeout
  persistent_log_messages:
    description:
      - ansible-core's switch to log every message between tasks and the helper to the log file
        (C(log_path)). Those messages include every connection option, passwords in clear, and
        no plugin can redact them, so this connection refuses to run while it is V(true).
    type: bool
    default: false
    vars:
      - name: ansible_persistent_log_messages
    env:
      - name: ANSIBLE_PERSISTENT_LOG_MESSAGES
    ini:
      - section: persistent_connection
        key: log_messages
notes:
  - A module that runs through this connection and is given its own account options fails with a
    message saying so; use either the connection or the module options for an account, not both.
seealso:
  - module: dyn.managed_dns.dyn_session
  - module: dyn.managed_dns.dyn_password
  - module: dyn.managed_dns.dyn_permissions_info
"""

EXAMPLES = r"""
# inventory.yml: one host per DynECT account (passwords from Ansible Vault)
#
# all:
#   vars:
#     ansible_connection: dyn.managed_dns.dynect
#   hosts:
#     acme-ops:
#       dyn_customer: acme
#       dyn_username: ops
#       dyn_password: "{{ vault_acme_ops_password }}"
#     globex-admin:
#       dyn_customer: globex
#       dyn_username: admin
#       dyn_password: "{{ vault_globex_admin_password }}"

# playbook.yml: every task of a host shares that host's session; one login, one logout
- name: Check what each account may do
  hosts: all
  gather_facts: false
  tasks:
    - name: Log in (or reuse the play's session) and report the API version
      dyn.managed_dns.dyn_session:

    - name: Require the permissions the DNS changes need
      dyn.managed_dns.dyn_permissions_info:
        required: [ZoneGet, RecordUpdate]
"""

import contextlib
import ctypes
import os
import sys
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ansible.errors import AnsibleError
from ansible.module_utils.connection import Connection as HelperSocket
from ansible.module_utils.connection import ConnectionError as HelperSocketError
from ansible.plugins.connection import NetworkConnectionBase
from ansible.utils.display import Display

from ansible_collections.dyn.managed_dns.plugins.module_utils._connection_rpc import unusable_options
from ansible_collections.dyn.managed_dns.plugins.module_utils._options import API_OPTIONS, transport_warnings
from ansible_collections.dyn.managed_dns.plugins.module_utils.errors import DynectConfigError
from ansible_collections.dyn.managed_dns.plugins.plugin_utils._playbook_watch import PlaybookWatch
from ansible_collections.dyn.managed_dns.plugins.plugin_utils._sealed_options import SealedOptions
from ansible_collections.dyn.managed_dns.plugins.plugin_utils._socket_door import close_the_door

if TYPE_CHECKING:
    from ansible_collections.dyn.managed_dns.plugins.module_utils._engine import SessionEngine
    from ansible_collections.dyn.managed_dns.plugins.plugin_utils._helper_operations import HelperOperations

# The connection options handed to the session engine under their module names (dyn_port -> port). Not
# dyn_history: recording is the helper's own business (see dyn_call).
_SESSION_OPTIONS = {
    api_option.connection_option: api_option.name
    for api_option in API_OPTIONS
    if api_option.session_keyword and api_option.on_connection and api_option.name != "history"
}

# The options that hold secrets (no_log). The helper keeps them sealed, and never hands them to a
# caller of its socket: core's JSON-RPC server exposes get_option and get_options to any process
# of the user that can reach the socket.
_SECRET_OPTIONS = frozenset(api_option.connection_option for api_option in API_OPTIONS if api_option.no_log and api_option.on_connection)
_ACCOUNT_OPTIONS = ("dyn_customer", "dyn_username")
_LOGIN_OPTIONS = (*_ACCOUNT_OPTIONS, "dyn_password")
# Where the password and token go, and how: bound at a helper's first complete hand-over, with the
# account (whose identity holds the API host and port). A later task may change the others (timeout,
# rate limit, history, ...), not these.
_TRANSPORT_OPTIONS = ("dyn_ssl", "dyn_validate_certs", "dyn_ca_path", "dyn_proxy_host", "dyn_proxy_port", "dyn_proxy_user")
_PR_SET_DUMPABLE = 4  # linux/prctl.h

display = Display()

Account = tuple[str, "str | None", "str | None"]


def _record(message: str) -> None:
    """Write one of the helper's own steps to ansible-core's log, as ansible-connection logs its timeouts."""
    display.display(message, log_only=True)


def _make_process_undumpable() -> None:
    """Keep core dumps and same-user debuggers (ptrace, /proc/<pid>/mem) out of the helper's memory.

    Linux only; elsewhere (or without a C library to call) the helper runs as before.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        # The process's own symbols, the C library's among them: ctypes.util.find_library would run
        # ldconfig in a subprocess while ansible-connection waits for this helper to start.
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_DUMPABLE, 0, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _import_operations() -> None:
    """Import what the helper's first call needs (the session engine, its HTTP transport, cryptography), ahead of it.

    Run in a thread the helper starts once it is up. Until the first call arrives, the helper only
    waits: ansible-connection's first process is exiting and the task's worker is preparing the
    task, in other processes. Importing then takes nothing from the first call, which would
    otherwise begin by importing. Whatever fails here fails again, and is reported, where the
    first call imports the same modules.
    """
    try:
        from ansible_collections.dyn.managed_dns.plugins.plugin_utils import _helper_operations  # noqa: F401
    except Exception:  # pylint: disable=broad-exception-caught
        pass


def _relay(level: str, message: str, host: str) -> None:
    """Show one of the helper's queued messages as ansible-core shows those ``ansible-connection`` returns."""
    if level == "log":
        display.display(message, log_only=True)
    elif level in ("debug", "v", "vv", "vvv", "vvvv", "vvvvv", "vvvvvv"):
        getattr(display, level)(message, host=host)
    elif level in ("warning", "error", "deprecated", "display"):
        # Named, not looked up: any process of the user can queue a message on the helper.
        getattr(display, level)(message)
    else:
        display.vvvv(message, host=host)


def _describe(account: Account) -> str:
    api, customer, user = account
    return f"{customer or '(dyn_customer unset)'}/{user or '(dyn_username unset)'} at {api}"


class Connection(NetworkConnectionBase):
    """The per-play holder of one account's DynECT session (inside ``ansible-connection``), and each task's way to it.

    Core makes an instance in every task's worker process too: there it hands the task to the
    running helper (see force_persistence); everything else runs in the helper, which the first
    hand-over (``set_options(direct=...)`` from ``ansible-connection``) makes of an instance.
    """

    transport = "dyn.managed_dns.dynect"
    has_pipelining = False

    def __init__(self, play_context: Any, new_stdin: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(play_context, new_stdin, *args, **kwargs)
        # Whether this instance is the helper: set by its first hand-over, and from then on its
        # socket serves only the methods _socket_door.SERVED names.
        self._serving = False
        # The one complete account (API, customer, user) this helper serves: the first one it was
        # handed. Core keys the helper by ansible_host, port and remote user, so two account hosts
        # sharing those share this process. Every other account handed to it, complete or not,
        # goes to _other_accounts; once there is one, which host a call comes from can no longer be
        # trusted (tasks of several hosts interleave: one host's options may be set while the
        # other's module calls), so every call is refused for the rest of the helper's life.
        self._bound_account: Account | None = None
        self._other_accounts: list[Account] = []
        # The transport settings bound with the account; a hand-over that changes them is refused.
        self._bound_transport: dict[str, Any] | None = None
        # Secret options, sealed under a random per-process key (helper only, see set_options).
        self._secrets = SealedOptions(_SECRET_OPTIONS)
        self._watch: PlaybookWatch | None = None
        # The play's session and what tasks may ask of it (helper only: reached through dyn_call).
        self._made_operations: HelperOperations | None = None
        # Imports the operations ahead of the first call (helper only: see _import_operations).
        self._early_imports: threading.Thread | None = None

    @property
    def _operations(self) -> HelperOperations:
        """The helper's operations, made on first use.

        Only the helper uses them; a task's worker, which runs this plugin for every task, never
        imports them nor the session engine beneath them. ansible-core compiles a collection's
        Python files in each worker that imports them, so a worker pays for every import.
        """
        if self._made_operations is None:
            from ansible_collections.dyn.managed_dns.plugins.plugin_utils._helper_operations import HelperOperations

            self._made_operations = HelperOperations(
                self._new_session,
                self._secrets,
                check_login_options=lambda: self._require_login_options(_LOGIN_OPTIONS),
                play_history_on=lambda: bool(self.get_option("dyn_history")),
                transport_warnings=self._transport_warnings,
                queue=self._queue,
                on_login=self._watch_playbook,
            )
        return self._made_operations

    # --- the task's side (its worker process) ---------------------------------------------------

    @property
    def force_persistence(self) -> bool:  # type: ignore[override]
        """Whether ansible-core must run ``ansible-connection`` for this task: not when the play's helper took the task.

        Core asks every persistent connection, before each task and loop item, whether to run
        ``ansible-connection``: a new Python process that imports much of ansible-core (about
        0.3 s), and that, when the host's helper runs already, only hands the helper the task's
        options and relays its messages. So this connection does that itself when it can
        (:meth:`_hand_over_to_running_helper`); core runs ``ansible-connection`` only when the
        helper is not running, or stopping. (Asked of the helper itself, over its socket, it
        answers without calling anyone: the helper would be waiting for its own answer.)
        """
        return self._serving or not self._hand_over_to_running_helper()

    def _hand_over_to_running_helper(self) -> bool:
        """Give the play's running helper this task's options, as ``ansible-connection`` would; whether it took them.

        NetworkConnectionBase, when core makes the task's connection, looks for the play's helper
        of this host where ``ansible-connection`` puts it (``socket_path``). A helper that does not
        answer there (it is shutting down at the end of a play, or was stopped) leaves the task to
        core. A helper that answers and refuses the options fails the task with its reason.
        """
        socket_path = self._socket_path
        if not (socket_path and os.path.exists(socket_path)):
            return False
        helper = HelperSocket(socket_path)
        try:
            helper.set_options(direct=self.get_options())
            messages = helper.pop_messages()
        except HelperSocketError as exc:
            if getattr(exc, "code", None) is None:  # no answer: not a helper that runs
                return False
            raise AnsibleError(str(exc)) from None
        for level, message in messages:
            _relay(level, message, self._play_context.remote_addr)
        return True

    # --- ansible-core's side ------------------------------------------------------------------

    def _connect(self) -> Connection:
        # Nothing to open yet: the first task that needs the API logs in (see _session_for_task).
        self._connected = True
        return self

    def close(self) -> None:
        """Log the session out, once; core calls this more than once, also when nothing logged in."""
        if self._made_operations is not None:  # none in a task's worker, nor in a helper no task reached
            self._made_operations.log_out_at_close()
        super().close()

    def reset(self) -> None:
        """End the play's session (ansible-core at the end of a play, and ``meta: reset_connection``); the helper then stops.

        Core's own reset only adds two debug messages through queue_message, which the helper's
        socket no longer offers.
        """
        self.close()

    def set_options(self, task_keys: Any = None, var_options: Any = None, direct: Any = None) -> None:
        """Take a task's options: in the task's worker from its variables, in the helper from a hand-over.

        ansible-connection hands the helper each task's options as ``direct`` ones and nothing
        else, and so does the task's worker (see force_persistence); the first such hand-over
        makes this instance the helper. The helper takes nothing else: its socket is open to any
        process of the user.
        """
        if self._serving or (direct is not None and var_options is None and task_keys is None):
            self._take_hand_over(task_keys, var_options, direct)
            return
        super().set_options(task_keys=task_keys, var_options=var_options, direct=direct)
        self._refuse_logged_messages()

    def get_option(self, option: str, hostvars: Any = None) -> Any:
        """An option's value; in the helper, never a secret one (the plugin reads those with :meth:`_secret`)."""
        if self._serving and option in _SECRET_OPTIONS:
            raise DynectConfigError(f"The dynect connection does not hand out {option} from its helper")
        return super().get_option(option, hostvars=hostvars)

    # --- the one call tasks make (JSON-RPC) ----------------------------------------------------

    def dyn_call(self, operation: str, *args: Any, task_history: bool = False) -> dict[str, Any]:
        """Run one of the operations tasks may ask of the play's session (``TASK_OPERATIONS``).

        The plugin's one entry on the socket for tasks (see _socket_door for the others): core's
        JSON-RPC server calls any public method by name, so the operations are private methods of
        :class:`HelperOperations` reached only through its allow-list, and only for a task of the
        one account this helper serves. The reply is ``{"result": ...}`` or ``{"error": ...}`` (a
        serialised :class:`DynectError`, so the task raises the same typed error it would have met
        on the direct route), plus ``history`` and ``warnings`` (see :meth:`HelperOperations.run`).
        """
        if self._early_imports is not None:
            # The call imports what that thread imports: it waits rather than import beside it.
            self._early_imports.join()
        try:
            self._check_task_account()
            with self._watch.call() if self._watch is not None else contextlib.nullcontext():  # (see _become_helper)
                return self._operations.run(operation, args, task_history)
        except DynectConfigError as exc:
            from ansible_collections.dyn.managed_dns.plugins.plugin_utils._helper_operations import refusal_reply

            return refusal_reply(exc)

    # --- the helper's hand-over -----------------------------------------------------------------

    def _take_hand_over(self, task_keys: Any, var_options: Any, direct: Any) -> None:
        """Take a task's options in the helper: refuse logging them, seal the secrets, check whose account they are."""
        if task_keys is not None or var_options is not None or not isinstance(direct, Mapping):
            raise DynectConfigError("The dynect connection's helper takes a task's options only as set_options(direct=...)")
        if direct.get("persistent_log_messages"):
            raise self._logged_messages_refusal()  # before they reach core's table, so no secret lands there
        self._become_helper()
        before = dict(self._options), dict(self._origins), self._secrets.handed()
        try:
            super().set_options(direct=dict(direct))
        finally:
            self._secrets.take_from(self._options)  # no clear secret stays in core's table, whatever happened
        self._refuse_logged_messages()
        self._note_account(self._configured_account())
        try:
            self._check_transport()
        except DynectConfigError:
            self._options, self._origins, handed = before  # the refused options never take effect
            self._secrets.restore(handed)
            raise
        if self._early_imports is None:  # the first hand-over, which ansible-connection waits for, is done
            self._early_imports = threading.Thread(target=_import_operations, name="dynect-imports", daemon=True)
            self._early_imports.start()

    def _become_helper(self) -> None:
        """Once, at the first hand-over: shut the socket's door and keep memory out of reach."""
        if self._serving:
            return
        _make_process_undumpable()
        close_the_door(self)
        self._serving = True
        if self._ansible_playbook_pid:  # watched from the first login on; every call is guarded from now
            self._watch = PlaybookWatch(int(self._ansible_playbook_pid), stop_now=self._end_from_watcher, record=_record)

    def _secret(self, option: str) -> str | None:
        """A secret option's value for the plugin's own use: in the helper from the sealed store, else core's table."""
        if self._serving:
            return self._secrets.get(option)
        return super().get_option(option)

    def _value(self, option: str) -> Any:
        """Any option's value for the plugin's own use, a secret one included."""
        return self._secret(option) if option in _SECRET_OPTIONS else self.get_option(option)

    def _queue(self, level: str, message: str) -> None:
        """Queue a message for the next hand-over to show: core's own queue_message, which the helper's socket no longer offers."""
        NetworkConnectionBase.queue_message(self, level, message)

    def _refuse_logged_messages(self) -> None:
        # ansible-core's helper writes every request it receives to the log, verbatim, when
        # persistent_log_messages is on, and every task's first request carries all connection
        # options, passwords included. Nothing this plugin does can redact that line.
        if self.get_option("persistent_log_messages"):
            raise self._logged_messages_refusal()

    @staticmethod
    def _logged_messages_refusal() -> DynectConfigError:
        return DynectConfigError(
            "The dynect connection refuses to run with persistent_log_messages on "
            "(ANSIBLE_PERSISTENT_LOG_MESSAGES, ansible_persistent_log_messages or [persistent_connection] "
            "log_messages): ansible-core would then write dyn_password, dyn_key and dyn_proxy_pass to the "
            "log in clear. Turn it off for dynect hosts."
        )

    def _configured_account(self) -> Account:
        """The account the options core set last (the calling task's host vars) name."""
        return (
            f"{self.get_option('dyn_host')}:{self.get_option('dyn_port')}",
            self.get_option("dyn_customer") or None,
            self.get_option("dyn_username") or None,
        )

    def _configured_transport(self) -> dict[str, Any]:
        return {option: self.get_option(option) for option in _TRANSPORT_OPTIONS}

    def _note_account(self, account: Account) -> None:
        if self._bound_account is None and not self._other_accounts and all(account):
            self._bound_account = account
        elif account != self._bound_account and account not in self._other_accounts:
            self._other_accounts.append(account)

    def _check_transport(self) -> None:
        """Bind the transport with the account; refuse a later hand-over that changes it."""
        if self._bound_account is None:
            return
        current = self._configured_transport()
        if self._bound_transport is None:
            self._bound_transport = current
            return
        changed = [option for option in _TRANSPORT_OPTIONS if current[option] != self._bound_transport[option]]
        if changed:
            raise DynectConfigError(
                f"This dynect connection serves {_describe(self._bound_account)} with the transport settings of its "
                f"first task; this task changes {', '.join(changed)}, which is refused (a session's password and token "
                "go only where and how they went first). Use another inventory host for another endpoint."
            )

    def _check_task_account(self) -> None:
        """Refuse the call unless this helper only ever served one complete account, the task's."""
        accounts = [account for account in (self._bound_account, *self._other_accounts) if account is not None]
        current = self._configured_account()
        if len(accounts) > 1 or (self._bound_account is not None and current != self._bound_account):
            self._refuse_shared_helper(accounts if current in accounts else [*accounts, current])
        self._require_login_options(_ACCOUNT_OPTIONS)

    def _require_login_options(self, options: tuple[str, ...]) -> None:
        missing = [option for option in options if not self._value(option)]
        if missing:
            several = len(missing) > 1
            raise DynectConfigError(
                f"The dynect connection needs {', '.join(missing)} (host variable{'s' if several else ''}) to log in to "
                f"DynECT: set {'them' if several else 'it'} for this host in the inventory. The controller's DYN_* "
                "environment variables and ansible_user or ansible_password are never used for dynect hosts."
            )

    # --- helpers -------------------------------------------------------------------------------

    def _transport_warnings(self) -> list[str]:
        """What a login over this helper's transport leaves unprotected, in the words of its host variables."""
        return transport_warnings(self.get_option("dyn_host"), self.get_option("dyn_ssl"), self.get_option("dyn_validate_certs"), option_prefix="dyn_")

    def _session_options(self) -> dict[str, Any]:
        return {argument: self._value(option) for option, argument in _SESSION_OPTIONS.items()}

    def _watch_playbook(self) -> None:
        """Log out soon after ansible-playbook is gone, whatever ended it (see _playbook_watch)."""
        if self._watch is not None:
            self._watch.start()

    def _end_from_watcher(self) -> None:
        """Log out and end the helper process from the watcher thread, when signals did not end it."""
        try:
            self.close()
        finally:
            if self._socket_path and os.path.exists(self._socket_path):
                os.unlink(self._socket_path)
            os._exit(0)

    def _new_session(self, password: str | None) -> SessionEngine:
        """A session for this host's account, not logged in, that the helper tracks itself.

        A plain engine, not the SDK's per-thread session: the helper holds the play's session and,
        for dyn_password's trial logins, short-lived ones of the same user.
        """
        from ansible_collections.dyn.managed_dns.plugins.module_utils._engine import Credentials, engine_from_options

        try:
            session = engine_from_options(
                Credentials(self.get_option("dyn_customer"), self.get_option("dyn_username"), password),
                {**self._session_options(), "history": self._recording},  # only for a call that records (see dyn_call)
                option_prefix="dyn_",  # its advice on a TLS failure names the host variables
            )
        except DynectConfigError as exc:
            # The session names its own options; here the user set them as host variables.
            raise unusable_options(
                exc,
                f"{str(exc).rstrip('.')} (on a dynect connection host, each option is the host variable "
                "of the same name with the prefix dyn_, such as dyn_port for port)",
            ) from None
        return session

    @property
    def _recording(self) -> bool:
        """Whether the task's call that makes a session records its calls (read by _new_session)."""
        return self._operations.recording

    @staticmethod
    def _refuse_shared_helper(accounts: list[Account]) -> None:
        named = " and ".join(_describe(account) for account in accounts)
        raise DynectConfigError(
            f"One dynect connection was handed the accounts {named}: their inventory hosts share "
            "ansible_host, port and user, so ansible-core gives them one connection. Refusing to "
            "run the task with a session that may be another account's. Give each DynECT account "
            "its own ansible_host (or leave ansible_host unset), and set dyn_customer and "
            "dyn_username on every dynect host."
        )
