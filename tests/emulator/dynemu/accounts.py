# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Customers, their zones and users, read from an accounts file.

The file schema is a public contract (other tools write it), so it is checked strictly: an unknown
key is an error rather than silently ignored, which catches typos in hand-written files.

    {"customers": [{"name": "acme", "zones": ["example.com"],
                    "users": [{"user_name": "ops", "password": "...", "status": "active",
                               "permissions": ["ZoneGet"], "zone_permissions": {"ZoneUpdate": ["example.com"]},
                               "forbidden": ["UserAdd"]}]}]}
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

USER_STATUSES = ("active", "blocked")

_CUSTOMER_KEYS = {"name", "zones", "users"}
_USER_KEYS = {"user_name", "password", "status", "permissions", "zone_permissions", "forbidden"}


class AccountsError(ValueError):
    """The accounts file cannot be read or does not follow the schema."""


@dataclass
class User:
    user_name: str
    password: str
    status: str
    permissions: tuple[str, ...]  # allowed on every zone
    zone_permissions: dict[str, tuple[str, ...]]  # permission -> the only zones it is allowed on
    forbidden: tuple[str, ...]  # never allowed, whatever the two fields above say

    @property
    def is_blocked(self) -> bool:
        return self.status == "blocked"

    def allows(self, permission: str, zone: str | None = None) -> bool:
        """Whether the user holds ``permission`` on every zone, or at least on ``zone`` when given."""
        if permission in self.forbidden:
            return False
        if permission in self.permissions:
            return True
        return zone is not None and zone in self.zone_permissions.get(permission, ())

    def granted(self) -> dict[str, tuple[str, ...]]:
        """Every allowed permission -> the zones it is limited to (``()`` = all zones), in file order."""
        grants = {name: () for name in self.permissions}
        for name, zones in self.zone_permissions.items():
            grants.setdefault(name, zones)
        return {name: zones for name, zones in grants.items() if name not in self.forbidden}


@dataclass
class Customer:
    name: str
    zones: tuple[str, ...]
    users: dict[str, User]


def load_accounts(path: str | Path) -> dict[str, Customer]:
    """Read and validate an accounts file (JSON, or YAML when it ends in .yml/.yaml) -> customers by name."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise AccountsError(f"cannot read accounts file {path}: {exc.strerror}") from exc
    if path.suffix.lower() in (".yml", ".yaml"):
        document = _load_yaml(text, path)
    else:
        try:
            document = json.loads(text)
        except ValueError as exc:
            raise AccountsError(f"{path} is not valid JSON: {exc}") from exc
    return parse_accounts(document, source=str(path))


def _load_yaml(text: str, path: Path) -> Any:
    try:
        import yaml  # pylint: disable=import-outside-toplevel  # optional: only YAML accounts files need it
    except ImportError as exc:
        raise AccountsError(f"{path} is YAML but PyYAML is not installed") from exc
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise AccountsError(f"{path} is not valid YAML: {exc}") from exc


def parse_accounts(document: Any, source: str = "accounts") -> dict[str, Customer]:
    """Validate an already decoded accounts document -> customers by name."""
    _expect(isinstance(document, dict) and set(document) == {"customers"}, source, 'must be {"customers": [...]}')
    _expect(isinstance(document["customers"], list), source, '"customers" must be a list')
    customers: dict[str, Customer] = {}
    for index, entry in enumerate(document["customers"]):
        customer = _parse_customer(entry, f"{source}: customers[{index}]")
        _expect(customer.name not in customers, source, f"customer {customer.name!r} is listed twice")
        customers[customer.name] = customer
    return customers


def _parse_customer(entry: Any, where: str) -> Customer:
    _expect_mapping(entry, where, required={"name"}, allowed=_CUSTOMER_KEYS)
    name = _string(entry["name"], f"{where}.name")
    users: dict[str, User] = {}
    for index, user_entry in enumerate(_list(entry.get("users", []), f"{where}.users")):
        user = _parse_user(user_entry, f"{where}.users[{index}]")
        _expect(user.user_name not in users, where, f"user {user.user_name!r} is listed twice")
        users[user.user_name] = user
    zones = _zone_names(entry.get("zones", []), f"{where}.zones")
    return Customer(name=name, zones=zones, users=users)


def _parse_user(entry: Any, where: str) -> User:
    _expect_mapping(entry, where, required={"user_name", "password"}, allowed=_USER_KEYS)
    status = entry.get("status", "active")
    _expect(status in USER_STATUSES, f"{where}.status", f"must be one of {', '.join(USER_STATUSES)}")
    zone_permissions = entry.get("zone_permissions", {})
    _expect(isinstance(zone_permissions, dict), f"{where}.zone_permissions", "must be a mapping of permission to zones")
    return User(
        user_name=_string(entry["user_name"], f"{where}.user_name"),
        password=_string(entry["password"], f"{where}.password"),
        status=status,
        permissions=_strings(entry.get("permissions", []), f"{where}.permissions"),
        zone_permissions={
            _string(name, f"{where}.zone_permissions"): _zone_names(zones, f"{where}.zone_permissions.{name}")
            for name, zones in zone_permissions.items()
        },
        forbidden=_strings(entry.get("forbidden", []), f"{where}.forbidden"),
    )


def _expect(condition: bool, where: str, problem: str) -> None:
    if not condition:
        raise AccountsError(f"{where}: {problem}")


def _expect_mapping(entry: Any, where: str, *, required: set[str], allowed: set[str]) -> None:
    _expect(isinstance(entry, dict), where, "must be a mapping")
    missing, unknown = required - set(entry), set(entry) - allowed
    _expect(not missing, where, f"missing {', '.join(sorted(missing))}")
    _expect(not unknown, where, f"unknown key(s) {', '.join(sorted(map(str, unknown)))}")


def _list(value: Any, where: str) -> list:
    _expect(isinstance(value, list), where, "must be a list")
    return value


def _string(value: Any, where: str) -> str:
    _expect(isinstance(value, str) and value != "", where, "must be a non-empty string")
    return value


def _strings(value: Any, where: str) -> tuple[str, ...]:
    return tuple(_string(item, where) for item in _list(value, where))


def _zone_names(value: Any, where: str) -> tuple[str, ...]:
    # DNS names are case-insensitive: keep them lower-case so lookups can compare plainly.
    return tuple(zone.lower() for zone in _strings(value, where))
