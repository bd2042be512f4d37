# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Issue points 6 and 7: the permission-gated zone API, and accounts files (JSON, YAML, schema errors)."""

from __future__ import annotations

import json

import pytest
import yaml
from emulator_client import AUDITOR, DEPLOY, OPS, Client, assert_failure, assert_success
from harness import Emulator, EmulatorError

DENIED = ["permission: This user does not have permission to perform this action"]

CUSTOM_ACCOUNTS = {"customers": [{
    "name": "hooli",
    "zones": ["hooli.com", "hooli.xyz"],
    "users": [
        {"user_name": "noperm", "password": "No-Perm-123"},
        {"user_name": "partial", "password": "Partial-123", "status": "active",
         "zone_permissions": {"ZoneGet": ["hooli.xyz"]}},
        {"user_name": "denied", "password": "Denied-123", "permissions": ["ZoneGet"], "forbidden": ["ZoneGet"]},
    ],
}]}


def test_zone_list_and_zone_get(client):
    client.login(*OPS)
    envelope = assert_success(client.request("GET", "/REST/Zone/"), "get: Your 2 zones")
    assert envelope["data"] == ["/REST/Zone/example.com/", "/REST/Zone/example.net/"]
    envelope = assert_success(client.request("GET", "/REST/Zone/Example.COM"), "get: Your zone, example.com")
    assert envelope["data"] == {"zone": "example.com", "serial_style": "increment", "serial": 1,
                                "zone_type": "Primary"}


def test_zones_of_another_customer_do_not_exist_for_you(client):
    client.login(*DEPLOY)
    assert_success(client.request("GET", "/REST/Zone/initech.io/"), "get: Your zone, initech.io")
    for zone in ("example.com", "nope.example"):
        assert_failure(client.request("GET", f"/REST/Zone/{zone}/"), 404, ["zone: No such zone"], "NOT_FOUND")
    client.login(*AUDITOR)
    assert_success(client.request("GET", "/REST/Zone/"), "get: Your 1 zones")


def _start_with(emulator_factory, tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return emulator_factory(accounts=path)


@pytest.mark.parametrize("file_name", ["accounts.json", "accounts.yaml"])
def test_zone_permissions_from_a_custom_accounts_file(emulator_factory, tmp_path, file_name):
    text = json.dumps(CUSTOM_ACCOUNTS) if file_name.endswith(".json") else yaml.safe_dump(CUSTOM_ACCOUNTS)
    server = _start_with(emulator_factory, tmp_path, file_name, text)
    client = Client(server.url)

    client.login("hooli", "noperm", "No-Perm-123")  # status defaults to active, permissions to none
    assert_failure(client.request("GET", "/REST/Zone/"), 400, DENIED, "PERMISSION_DENIED")
    assert_failure(client.request("GET", "/REST/Zone/hooli.com/"), 400, DENIED, "PERMISSION_DENIED")

    client.login("hooli", "partial", "Partial-123")  # ZoneGet on hooli.xyz only
    assert assert_success(client.request("GET", "/REST/Zone/"), "get: Your 1 zones")["data"] == ["/REST/Zone/hooli.xyz/"]
    assert_success(client.request("GET", "/REST/Zone/hooli.xyz/"), "get: Your zone, hooli.xyz")
    assert_failure(client.request("GET", "/REST/Zone/hooli.com/"), 400, DENIED, "PERMISSION_DENIED")

    client.login("hooli", "denied", "Denied-123")  # forbidden wins over permissions
    assert_failure(client.request("GET", "/REST/Zone/hooli.com/"), 400, DENIED, "PERMISSION_DENIED")


def test_default_accounts_follow_the_contract(default_accounts):
    customers = {customer["name"]: customer for customer in default_accounts["customers"]}
    assert len(customers) >= 3
    users = [user for customer in customers.values() for user in customer["users"]]
    assert any(user["status"] == "blocked" for user in users)
    assert len({tuple(user["permissions"]) for user in users}) >= 3


@pytest.mark.parametrize(("document", "problem"), [
    ({"customers": [{"name": "x", "users": [{"user_name": "u"}]}]}, "customers[0].users[0]: missing password"),
    ({"customers": [{"name": "x", "users": [{"user_name": "u", "password": "p", "role": "admin"}]}]},
     "customers[0].users[0]: unknown key(s) role"),
    ({"customers": [{"name": "x", "users": [{"user_name": "u", "password": "p", "status": "gone"}]}]},
     "customers[0].users[0].status: must be one of active, blocked"),
    ({"customers": [{"name": "x"}, {"name": "x"}]}, "customer 'x' is listed twice"),
    ({"users": []}, 'must be {"customers": [...]}'),
])
def test_schema_errors_stop_the_emulator_with_a_clear_message(tmp_path, document, problem):
    path = tmp_path / "accounts.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(EmulatorError) as error:
        Emulator(accounts=path, start_timeout=5).start()
    assert problem in str(error.value)


def test_unparsable_accounts_file(tmp_path):
    path = tmp_path / "accounts.yml"
    path.write_text("customers: [unclosed", encoding="utf-8")
    with pytest.raises(EmulatorError, match="is not valid YAML"):
        Emulator(accounts=path, start_timeout=5).start()
