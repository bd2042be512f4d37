# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The role tests' inventory: one account on each route (acme/ops on the dynect connection, initech/deploy direct) against the emulator."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import pytest

ROUTE_ACCOUNTS = {
    "acme-ops": {"ansible_connection": "dyn.managed_dns.dynect", "dyn_customer": "acme", "dyn_username": "ops", "dyn_password": "Ops-Passw0rd"},
    "initech-deploy": {"ansible_connection": "local", "dyn_customer": "initech", "dyn_username": "deploy", "dyn_password": "Deploy-Key-42"},
}


@pytest.fixture
def role_inventory(emulator: Any) -> Callable[..., dict[str, Any]]:
    """Builds the inventory: ``host_vars`` adds variables to the accounts, ``groups`` adds groups of hosts beside ``accounts``."""

    def build(host_vars: dict[str, dict[str, Any]] | None = None, groups: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
        interpreter = {"ansible_python_interpreter": sys.executable}
        accounts = {name: {**interpreter, **account, **(host_vars or {}).get(name, {})} for name, account in ROUTE_ACCOUNTS.items()}
        children = {"accounts": {"hosts": accounts}}
        children.update({name: {"hosts": {host: {**interpreter, **hostvars} for host, hostvars in hosts.items()}} for name, hosts in (groups or {}).items()})
        return {"all": {
            "vars": {"dyn_host": emulator.host, "dyn_port": emulator.port, "dyn_ssl": False},
            "hosts": {"localhost": {"ansible_connection": "local", **interpreter}},
            "children": children,
        }}

    return build
