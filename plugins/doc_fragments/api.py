# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Options every module of this collection shares: where the DynECT API is and how to log in.

The argument spec that matches these docs is built by ``plugins/module_utils/_module.py``.
"""

from __future__ import annotations


class ModuleDocFragment:
    DOCUMENTATION = r"""
options:
  customer:
    description:
      - DynECT customer name (the account) to log in to.
      - Needed, together with O(username) and O(password), whenever neither O(token) nor O(session) is given.
      - If not set, the value of the E(DYN_CUSTOMER) environment variable is used.
    type: str
    aliases: [customer_name]
  username:
    description:
      - DynECT user to log in as.
      - If not set, the value of the E(DYN_USERNAME) environment variable is used.
    type: str
    aliases: [user_name]
  password:
    description:
      - Password of O(username). Not needed when O(token) is given.
      - If not set, the value of the E(DYN_PASSWORD) environment variable is used.
    type: str
  token:
    description:
      - Token of an open API session, as M(dyn.managed_dns.dyn_session) returns it when it logs in with C(return_token=true).
      - When given, the module works in that session and does not log in; it does not log the
        session out at the end either, so one login can serve many tasks.
      - When not given (or empty), the module logs in with O(customer), O(username) and O(password), does its
        work, and logs out again, leaving no session open on the server.
      - Prefer O(session), which carries the endpoint along with the token. A bare O(token) is
        sent to the O(host) the task has, and C(module_defaults) of the C(dyn) group set at play
        and block level do not merge (the block's replace the play's, endpoint included).
      - If not set, the value of the E(DYN_TOKEN) environment variable is used.
    type: str
  session:
    description:
      - An open API session, the C(session) value M(dyn.managed_dns.dyn_session) returns when it logs
        in with C(return_token=true). It holds the token together with the endpoint, TLS and proxy
        settings it was issued through. Set it once, for example to the registered login's
        C(session) in a block's C(module_defaults), and the module works in that session on that
        endpoint, as with O(token).
      - The session's values replace the defaults and the E(DYN_*) variables of the options it
        carries, so a token is only ever sent to the endpoint that issued it. The task and its
        C(module_defaults) may still set those options, but only to the same values; the task fails
        when one differs.
      - It never carries a password. Through a proxy with O(proxy_user), give O(proxy_pass) to the
        task as well, or beside O(session) in the same C(module_defaults); the task fails when the
        session's proxy has a user and no O(proxy_pass) is given.
      - It must be that dictionary, for example C("{{ login.session }}"). Anything else (a
        string such as the bare token or the session as JSON text, a list, a number) is refused
        before anything is sent, and its whole value is masked wherever Ansible masks C(no_log)
        values (the result's C(invocation), messages). A bare token goes in O(token).
      - Refused through the P(dyn.managed_dns.dynect#connection) connection, like O(token).
    type: dict
    suboptions:
      token:
        description: Token of the session.
        type: str
        required: true
      host:
        description: The O(host) that issued the token.
        type: str
        required: true
      port:
        description: The O(port) that issued the token.
        type: int
        required: true
      ssl:
        description: Whether the session's API is reached over HTTPS, as O(ssl).
        type: bool
        required: true
      ca_path:
        description: The O(ca_path) the session was opened with; none means the system trust store.
        type: path
      proxy_host:
        description: The O(proxy_host) the session was opened through; none means no proxy.
        type: str
      proxy_port:
        description: The O(proxy_port) of O(session.proxy_host).
        type: int
      proxy_user:
        description: The O(proxy_user) of O(session.proxy_host).
        type: str
      customer:
        description: The session's customer; when not given, O(customer) is used.
        type: str
      username:
        description: The session's user; when not given, O(username) is used.
        type: str
      validate_certs:
        description: The O(validate_certs) the session was opened with; when not given, O(validate_certs) is used.
        type: bool
      api_version:
        description: The O(api_version) the session was opened with; when not given, O(api_version) is used.
        type: str
  host:
    description:
      - Host name or address of the DynECT API server.
      - If not set, the value of the E(DYN_HOST) environment variable is used.
    type: str
    default: api.dynect.net
  port:
    description:
      - TCP port of the DynECT API server.
      - If not set, the value of the E(DYN_PORT) environment variable is used.
    type: int
    default: 443
  ssl:
    description:
      - Whether to talk to the API server over HTTPS (V(true)) or plain HTTP (V(false)).
      - Plain HTTP sends the password and the token unencrypted; use it only for local test servers.
        With V(false) and an O(host) that is not this machine (C(localhost), 127.0.0.0/8, C(::1)),
        the task warns.
      - If not set, the value of the E(DYN_SSL) environment variable is used.
    type: bool
    default: true
  validate_certs:
    description:
      - Whether to verify the API server's TLS certificate and host name. The host name is always
        checked when the certificate is.
      - The certificate is verified against the system trust store, as Python's C(ssl) module
        loads it where the module runs; the E(SSL_CERT_FILE) and E(SSL_CERT_DIR) environment
        variables point it elsewhere. O(ca_path) replaces that store. E(REQUESTS_CA_BUNDLE) and
        E(CURL_CA_BUNDLE) are not used, and neither is the C(certifi) bundle.
      - V(false) accepts any certificate for any name. Only used with O(ssl=true). Turn it off only
        for test servers you trust; the task then warns (with O(ssl=true)). Prefer giving the
        server's CA with O(ca_path) or E(SSL_CERT_FILE).
      - If not set, the value of the E(DYN_VALIDATE_CERTS) environment variable is used.
    type: bool
    default: true
  ca_path:
    description:
      - File of PEM CA certificates to verify the API server's certificate against, instead of the
        system trust store; only these CAs are trusted (E(SSL_CERT_FILE) and E(SSL_CERT_DIR) no
        longer apply).
      - For a TLS-inspecting proxy, give the proxy's CA here (or add it to the system trust store)
        rather than setting O(validate_certs=false).
      - If not set, the value of the E(DYN_CA_PATH) environment variable is used.
    type: path
  api_version:
    description:
      - Value of the C(API-Version) header sent with every request, for example V(3.7.16).
      - V(current) asks for the newest version the server offers.
      - If not set, the value of the E(DYN_API_VERSION) environment variable is used.
    type: str
    default: current
  key:
    description:
      - Key used to keep O(password) encrypted (AES-256) in the module's memory while it runs.
      - When not given, a random key is generated for each run. The server always receives the
        password itself; the key never leaves the module.
      - If not set, the value of the E(DYN_KEY) environment variable is used.
    type: str
  history:
    description:
      - Record this task's API calls and return them as RV(history), with every secret masked.
      - If not set, the value of the E(DYN_HISTORY) environment variable is used.
    type: bool
    default: false
  proxy_host:
    description:
      - HTTP proxy to reach the API server through; HTTPS goes through it in a C(CONNECT) tunnel.
        Needs O(proxy_port).
      - A host name or IP address alone. A URL, a port, or credentials (C(user:password@proxy)) are
        refused, with a message that does not repeat the value; give the port in O(proxy_port) and
        the credentials in O(proxy_user) and O(proxy_pass), which are kept out of the output.
        A refused value is hidden in the task's result as well, but a valid one is shown there like
        any other option, so never put a secret in O(proxy_host).
      - If not set, the value of the E(DYN_PROXY_HOST) environment variable is used.
    type: str
  proxy_port:
    description:
      - TCP port of O(proxy_host).
      - If not set, the value of the E(DYN_PROXY_PORT) environment variable is used.
    type: int
  proxy_user:
    description:
      - User name for the proxy's basic authentication.
      - If not set, the value of the E(DYN_PROXY_USER) environment variable is used.
    type: str
  proxy_pass:
    description:
      - Password of O(proxy_user).
      - If not set, the value of the E(DYN_PROXY_PASS) environment variable is used.
    type: str
  timeout:
    description:
      - Seconds one HTTP request to the API may take in all, from connecting to the last byte of
        its answer, however steadily the answer trickles in. A read that takes longer is sent again,
        as after a lost connection; a change is not, and may or may not have been made.
      - If not set, the value of the E(DYN_TIMEOUT) environment variable is used.
    type: int
    default: 30
  rate_limit:
    description:
      - Most API requests this task's session sends in any minute, to stay under the account's
        rate limit (DynECT allows 300 per minute per account by default, and answers every request
        of the account with HTTP 429 for up to a minute once it is exceeded).
      - Requests go at full speed until the limit is reached; then each one waits until it fits
        under the limit again. V(0) turns pacing off.
      - The limit is shared by all users and sessions of the account, and each task on this route
        runs in its own process with its own count. When several tasks or hosts work on one
        account at once, give each its share. Through the P(dyn.managed_dns.dynect#connection) connection,
        every task of a host shares the connection's pacing instead (its C(dyn_rate_limit) option).
      - If not set, the value of the E(DYN_RATE_LIMIT) environment variable is used.
    type: int
    default: 300
notes:
  - "The connection and login options (O(customer), O(token), O(host), ...) can be set once for a
    whole play with C(module_defaults: {group/dyn.managed_dns.dyn: {...}})."
  - On a host whose connection is P(dyn.managed_dns.dynect#connection), the module works in the
    play's session that the connection holds, and the host's C(dyn_*) variables say which account
    and API to use. Every option above except O(history) then makes the task fail when the task
    (or its C(module_defaults)) sets it; values they take from C(DYN_*) environment variables are
    ignored there.
  - Every secret (O(password), O(token), O(key), O(proxy_pass)) is kept out of the task's result,
    warnings, error messages and RV(history); the only exception is the token that
    M(dyn.managed_dns.dyn_session) returns when asked to.
"""
