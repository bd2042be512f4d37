# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The API and account options, declared once: name, type, default, secrecy, and where each one goes.

Private to this collection. Every place that offers these options is built from this table, or,
where it cannot import Python (YAML, documentation), checked against it by
``tests/unit/plugins/module_utils/test_options.py``: the modules' argument spec
(``_module.py``), the ``api`` doc fragment, the dynect connection's ``dyn_*`` options,
``DynectSession.from_env()``, and both roles' argument specs and forwarding. Plain Python, so that
``session.py`` can import it without ansible-core.

It also words, once for modules and the connection alike, what a transport the options choose leaves
unprotected (:func:`transport_warnings`). The checks of single values are in ``_option_values.py``.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from ansible_collections.dyn.managed_dns.plugins.module_utils._option_values import DEFAULT_RATE_LIMIT, is_loopback, url_host
from ansible_collections.dyn.managed_dns.plugins.module_utils.errors import DynectConfigError

__all__ = ["API_OPTIONS", "ApiOption", "option", "transport_warnings"]


class ApiOption(NamedTuple):
    """One option; the module option ``name`` is ``dyn_<name>`` on the connection and ``DYN_<NAME>`` in the environment."""

    name: str
    type: str  # an Ansible argument-spec type
    default: Any = None
    no_log: bool = False
    aliases: tuple[str, ...] = ()
    # Handed to DynectSession as the keyword of the same name by the modules' own sessions.
    session_keyword: bool = True
    # Whether the dynect connection has ``dyn_<name>`` (a token belongs to a task, not to a host).
    on_connection: bool = True
    # The roles' ``<role>_<role_suffix>`` variable that forwards it on their direct route; None: not forwarded.
    role_suffix: str | None = None
    # In a ``session`` value (what dyn_session returns, every module takes): "route" -- where the
    # token goes and how, always taken from the session; "named" -- taken only when the session
    # names it; None -- never in one (a session never carries a password).
    in_session: str | None = None
    # Whether a ``session`` value without it is refused.
    session_requires: bool = False
    # Whether it names the account (customer, user, password). On the dynect connection such an
    # option comes from its own host variable only: no generic name (ansible_user) and no DYN_*
    # environment variable may fill a gap with another account's value.
    names_account: bool = False

    @property
    def env(self) -> str:
        """The environment variable the option falls back to."""
        return f"DYN_{self.name.upper()}"

    @property
    def connection_option(self) -> str:
        """The option (and host variable) of the dynect connection."""
        return f"dyn_{self.name}"


API_OPTIONS: tuple[ApiOption, ...] = (
    ApiOption(
        "customer", "str", aliases=("customer_name",), session_keyword=False, role_suffix="customer", in_session="named", names_account=True
    ),
    ApiOption("username", "str", aliases=("user_name",), session_keyword=False, role_suffix="username", in_session="named", names_account=True),
    # (Each role names its password in its own words: preflight_password, rotate_password_current_password.)
    ApiOption("password", "str", no_log=True, session_keyword=False, names_account=True),
    ApiOption("token", "str", no_log=True, session_keyword=False, on_connection=False, in_session="route", session_requires=True),
    ApiOption("host", "str", "api.dynect.net", role_suffix="api_host", in_session="route", session_requires=True),
    ApiOption("port", "int", 443, role_suffix="api_port", in_session="route", session_requires=True),
    ApiOption("ssl", "bool", True, role_suffix="api_ssl", in_session="route", session_requires=True),
    ApiOption("validate_certs", "bool", True, role_suffix="validate_certs", in_session="named"),
    ApiOption("ca_path", "path", role_suffix="ca_path", in_session="route"),
    ApiOption("api_version", "str", "current", role_suffix="api_version", in_session="named"),
    ApiOption("key", "str", no_log=True, role_suffix="key"),
    # A task's own choice; on the connection, whether the helper records the play's calls.
    ApiOption("history", "bool", False),
    ApiOption("proxy_host", "str", role_suffix="proxy_host", in_session="route"),
    ApiOption("proxy_port", "int", role_suffix="proxy_port", in_session="route"),
    ApiOption("proxy_user", "str", role_suffix="proxy_user", in_session="route"),
    ApiOption("proxy_pass", "str", no_log=True, role_suffix="proxy_pass"),
    ApiOption("timeout", "int", 30, role_suffix="timeout"),
    ApiOption("rate_limit", "int", DEFAULT_RATE_LIMIT, role_suffix="rate_limit"),
)

_BY_NAME = {api_option.name: api_option for api_option in API_OPTIONS}


def option(name: str) -> ApiOption:
    """The option called ``name``."""
    return _BY_NAME[name]


def transport_warnings(host: object, ssl: bool, validate_certs: bool, option_prefix: str = "") -> list[str]:
    """What a login to ``host`` over this transport leaves unprotected: one warning per weakness, or none.

    Worded in the options' names as the user set them: ``option_prefix`` is ``""`` for a module's
    options and ``"dyn_"`` for the dynect connection's host variables. A ``host`` that is not a bare
    host name (refused before any login) may hold credentials, so it is called "the API host".
    """
    named = host if isinstance(host, str) and _is_bare_host(host) else "the API host"
    warnings = []
    if ssl and not validate_certs:
        warnings.append(
            f"{option_prefix}validate_certs is off for {named}: the DynECT API's certificate is not checked, so anyone on the "
            f"network path can pose as the API and receive the password and token. Give the CA with {option_prefix}ca_path instead."
        )
    if not ssl and not (isinstance(host, str) and is_loopback(host)):
        warnings.append(f"{option_prefix}ssl is off for {named}, which is not this machine: the password and token cross the network in clear.")
    return warnings


def _is_bare_host(host: str) -> bool:
    try:
        url_host(host)
    except DynectConfigError:
        return False
    return True
