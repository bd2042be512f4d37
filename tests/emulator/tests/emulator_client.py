# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Helpers for the emulator's own tests: a minimal DynECT client over real HTTP (requests) and assertions."""

from __future__ import annotations

import json
from typing import Any

import requests

# The fixed credentials of the default accounts file (tests/emulator/accounts.json).
OPS = ("acme", "ops", "Ops-Passw0rd")
READER = ("acme", "reader", "Read-Only-1")
LOCKED = ("acme", "locked", "Locked-Out-1")
GLOBEX_ADMIN = ("globex", "admin", "Globex-Admin-9")
AUDITOR = ("globex", "auditor", "Audit-Only-7")
DEPLOY = ("initech", "deploy", "Deploy-Key-42")

# An accounts file for the record API's tests (the ``records_emulator`` fixture): one user holding every
# permission of the record workflow, and users missing some, so that each gate can be tested on its own.
RECORD_PERMISSIONS = ["ZoneGet", "RecordAdd", "RecordGet", "RecordUpdate", "RecordDelete", "ZoneAddNode",
                      "ZoneRemoveNode", "ZonePublish", "ZoneFreeze", "ZoneThaw", "ZoneChangeSet", "AliasService"]
RECORD_ACCOUNTS = {"customers": [
    {"name": "acme", "zones": ["example.com", "example.net", "shared.example"], "users": [
        {"user_name": "dns", "password": "Dns-Passw0rd", "permissions": RECORD_PERMISSIONS},
        {"user_name": "scoped", "password": "Scoped-Passw0rd", "permissions": ["ZoneGet", "RecordGet"],
         "zone_permissions": {name: ["example.com"] for name in RECORD_PERMISSIONS if name not in ("ZoneGet", "RecordGet")}},
        {"user_name": "nonode", "password": "No-Node-Passw0rd",
         "permissions": [name for name in RECORD_PERMISSIONS if name not in ("ZoneAddNode", "ZoneRemoveNode")]},
        {"user_name": "reader", "password": "Reader-Passw0rd", "permissions": ["ZoneGet", "RecordGet"]},
    ]},
    {"name": "other", "zones": ["other.org", "shared.example"], "users": [
        {"user_name": "dns", "password": "Other-Passw0rd", "permissions": RECORD_PERMISSIONS},
    ]},
]}
RECORDS_DNS = ("acme", "dns", "Dns-Passw0rd")
RECORDS_SCOPED = ("acme", "scoped", "Scoped-Passw0rd")
RECORDS_NONODE = ("acme", "nonode", "No-Node-Passw0rd")
RECORDS_READER = ("acme", "reader", "Reader-Passw0rd")
RECORDS_OTHER = ("other", "dns", "Other-Passw0rd")

MSG_KEYS = ["INFO", "SOURCE", "ERR_CD", "LVL"]


class Client:
    """One keep-alive connection to an emulator; ``token`` is sent as Auth-Token once set."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.http = requests.Session()
        self.token: str | None = None

    def request(self, method: str, path: str, body: Any = None, *, headers: dict[str, str] | None = None,
                raw_body: bytes | None = None) -> requests.Response:
        """Send ``body`` as JSON (or ``raw_body`` as is); redirects are returned, not followed."""
        all_headers = {"Content-Type": "application/json"}
        if self.token is not None:
            all_headers["Auth-Token"] = self.token
        all_headers.update(headers or {})
        data = raw_body if raw_body is not None else (None if body is None else json.dumps(body))
        return self.http.request(method, self.url + path, data=data, headers=all_headers, allow_redirects=False,
                                 verify=False, timeout=10)

    def login(self, customer: str, user: str, password: str) -> str:
        response = self.request("POST", "/REST/Session/", login_body(customer, user, password))
        assert response.status_code == 200, response.text
        self.token = response.json()["data"]["token"]
        return self.token


def login_body(customer: str, user: str, password: str) -> dict[str, str]:
    return {"customer_name": customer, "user_name": user, "password": password}


def assert_failure(response: requests.Response, http_status: int, infos: list[str], err_cd: str,
                   status: str = "failure") -> dict[str, Any]:
    """The response is a DynECT failure with exactly these INFO texts, the first one carrying ``err_cd``."""
    assert response.status_code == http_status, response.text
    assert response.headers["Content-Type"] == "application/json"
    envelope = response.json()
    assert list(envelope) == ["status", "data", "job_id", "msgs"]
    assert envelope["status"] == status
    assert [m["INFO"] for m in envelope["msgs"]] == infos
    assert envelope["msgs"][0]["ERR_CD"] == err_cd
    assert envelope["msgs"][0]["LVL"] == "ERROR"
    assert all(list(m) == MSG_KEYS for m in envelope["msgs"])
    assert all(m["ERR_CD"] is None and m["LVL"] == "INFO" for m in envelope["msgs"][1:])
    return envelope


def assert_success(response: requests.Response, info: str) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    envelope = response.json()
    assert list(envelope) == ["status", "data", "job_id", "msgs"]
    assert envelope["status"] == "success"
    assert envelope["msgs"] == [{"INFO": info, "SOURCE": "BLL", "ERR_CD": None, "LVL": "INFO"}]
    assert isinstance(envelope["job_id"], int)
    return envelope


BAD_OR_EXPIRED = ["login: Bad or expired credentials", "login: There was a problem with your credentials"]
