# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The DynECT answer envelope and the catalogue of messages (spec b.3 and (c)).

Texts marked "spec Cn" are the recorded wire texts; the others are the emulator's own choices, listed
in README.md. Every msg carries all four keys, ERR_CD null when there is none (dyn-python 1.8.6 reads
``msg['ERR_CD']`` unguarded, spec a.9 Q6).
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass, field
from typing import Any

API_VERSION = "3.7.16"  # reported as data.version at login (spec b.12)


_NGINX_500_PAGE = (
    b"<html><head><title>500 Internal Server Error</title></head><body>"
    b"<center><h1>500 Internal Server Error</h1></center><hr><center>nginx</center></body></html>"
)


@dataclass(frozen=True)
class Reply:
    """An HTTP answer, ready to be written (or, with ``drop_connection``, never written)."""

    http_status: int
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    drop_connection: bool = False

    @classmethod
    def json(cls, http_status: int, document: Any, headers: dict[str, str] | None = None) -> Reply:
        return cls(http_status, json.dumps(document).encode(), headers=dict(headers or {}))

    @classmethod
    def redirect_to_job(cls, job_id: int) -> Reply:
        # Recorded form: Location without trailing slash, text/html body holding the same path (spec b.7).
        location = f"/REST/Job/{job_id}"
        return cls(307, location.encode(), "text/html", {"Location": location})

    @classmethod
    def incomplete(cls, job_id: int) -> Reply:
        # The bare body recorded in the wild: no msgs key at all (spec b.7).
        return cls.json(200, {"status": "incomplete", "data": None, "job_id": job_id})

    @classmethod
    def server_error(cls) -> Reply:
        return cls(500, _NGINX_500_PAGE, "text/html")

    @classmethod
    def dropped(cls) -> Reply:
        return cls(0, drop_connection=True)


class JobId(enum.Enum):
    NEW = "new"  # the answer gets a fresh job id when it is sent


@dataclass
class Answer:
    """A DynECT JSON answer before it is given its job id."""

    http_status: int
    msgs: list[dict[str, Any]]
    status: str = "success"
    data: Any = field(default_factory=dict)
    job_id: int | None | JobId = JobId.NEW
    headers: dict[str, str] = field(default_factory=dict)

    def envelope(self, job_id: int | None) -> dict[str, Any]:
        # Key order as recorded on the wire.
        return {"status": self.status, "data": self.data, "job_id": job_id, "msgs": self.msgs}


class ApiFailure(Exception):
    """Raised anywhere while handling a request; the pipeline sends its answer."""

    def __init__(self, answer: Answer) -> None:
        super().__init__(answer.msgs[0]["INFO"] if answer.msgs else answer.status)
        self.answer = answer


def msg(info: str, source: str = "BLL", err_cd: str | None = None, lvl: str = "INFO") -> dict[str, Any]:
    return {"INFO": info, "SOURCE": source, "ERR_CD": err_cd, "LVL": lvl}


def success(*infos: str, data: Any = None, source: str = "BLL") -> Answer:
    return Answer(200, [msg(info, source) for info in infos], data={} if data is None else data)


def failure(http_status: int, error_info: str, err_cd: str, *infos: str, source: str = "BLL", **fields: Any) -> Answer:
    """The usual failure shape: one ERROR msg carrying ERR_CD, then INFO msgs with ERR_CD null."""
    msgs = [msg(error_info, source, err_cd, "ERROR")] + [msg(info, source) for info in infos]
    fields.setdefault("status", "failure")
    return Answer(http_status, msgs, **fields)


_CREDENTIALS_PROBLEM = "login: There was a problem with your credentials"


def bad_credentials() -> Answer:  # spec C1
    return failure(
        400, "login: Credentials you entered did not match those in our database. Please try again",
        "INVALID_DATA", "login: Login failed")


def missing_fields(names: list[str]) -> Answer:  # spec C2: early validation, data and job_id null
    msgs = [msg(f"{name}: required field missing", "API-A", "MISSING_DATA", "ERROR") for name in names]
    return Answer(400, msgs, status="failure", data=None, job_id=None)


def blocked_user() -> Answer:  # spec C3: text unrecorded, our choice
    return failure(400, "login: This user is blocked. Please contact your account administrator",
                   "INVALID_DATA", "login: Login failed")


def missing_token() -> Answer:  # spec C10: the documented sentence, our INFO prefix and ERR_CD
    return failure(400, "login: The Auth-Token HTTP header must be set to make this call", "MISSING_DATA",
                   _CREDENTIALS_PROBLEM, source="API-A")


def expired_token() -> Answer:  # spec C4
    return failure(400, "login: Bad or expired credentials", "INVALID_DATA", _CREDENTIALS_PROBLEM)


def inactivity_logout() -> Answer:  # spec C5
    return failure(400, "login: inactivity logout", "INVALID_DATA", _CREDENTIALS_PROBLEM)


def ip_mismatch() -> Answer:  # spec C6
    return failure(400, "login: IP address does not match current session", "INVALID_DATA", _CREDENTIALS_PROBLEM)


def job_running(job_id: int) -> Answer:  # spec C7
    return failure(400, "token: This session already has a job running", "OPERATION_FAILED",
                   source="API-B", status="running", job_id=job_id)


def task_blocked(task_id: int) -> Answer:  # spec C8
    return failure(400, "zone: Operation blocked by current task", "ILLEGAL_OPERATION",
                   "task_name: ProvisionZone", f"task_id: {task_id}")


def rate_limited(retry_after: int) -> Answer:  # spec C9: body unrecorded, a full envelope (spec b.10)
    return failure(429, "rate_limit: Too many requests for this account, please slow down",
                   "RATE_LIMIT_EXCEEDED", source="API-A", headers={"Retry-After": str(retry_after)})


def permission_denied(permission: str | None = None, zone: str | None = None) -> Answer:
    """Spec C11: the documented sentence with our INFO prefix; the record API adds an INFO naming what
    is missing (invented text) so a test or a user can tell which gate refused."""
    infos = [f"permission: {permission} is required on zone {zone}"] if permission else []
    return failure(400, "permission: This user does not have permission to perform this action",
                   "PERMISSION_DENIED", *infos)


def no_such_zone() -> Answer:  # spec C12
    return failure(404, "zone: No such zone", "NOT_FOUND", source="API-B")


def no_zone_to_remove() -> Answer:  # spec §7: DELETE of a zone the account lacks (MOCK denominator)
    return failure(404, "zone: No such zone", "NOT_FOUND", "remove: No such zone in your account")


def zone_exists() -> Answer:  # spec §7: create of a zone the account has (MOCK denominator, jclouds)
    return failure(400, "name: Name already exists", "TARGET_EXISTS", "create: You already have this zone.")


def zone_file_refused(problem: str) -> Answer:  # invented: the real API refused a bad file in its import task
    return failure(400, f"file: {problem}", "INVALID_DATA", "import: Zone not imported")


def not_found(what: str) -> Answer:  # an unknown job or user: the C12 shape
    return failure(404, f"{what}: No such {what}", "NOT_FOUND", source="API-B")


def invalid_version() -> Answer:  # spec C16: text unknown, our choice
    return failure(400, "version: API-Version must be 'current' or 3.x.y", "INVALID_VERSION", source="API-A")


def invalid_request(command: str) -> Answer:  # spec C17: the documented phrase
    return failure(400, f"request: '{command}' is not recognized as a valid command", "INVALID_REQUEST",
                   source="API-A")


def invalid_data(field_name: str, problem: str, *infos: str) -> Answer:  # the C15 shape
    return failure(400, f"{field_name}: {problem}", "INVALID_DATA", *infos)


# ---- zones, nodes and records (spec dynect-records.md §7; texts not marked "invented" are recorded) ----

def node_not_in_tree(verb: str = "get_tree") -> Answer:  # AllRecord and NodeList (recorded for AllRecord, REC GD)
    return failure(404, "node: Node is not in the zone", "NOT_FOUND", f"{verb}: Node name not found within the zone")


def host_not_in_zone(info: str) -> Answer:  # <T>Record on a missing node (MOCK DN); ``info`` per verb
    return failure(404, "node: Not in zone", "NOT_FOUND", info)


def duplicate_record(info: str = "add: Record not added") -> Answer:  # spec §7 (PS live output, MOCK JE)
    return Answer(400, [msg("make: Cannot duplicate existing record data", "DYN", "TARGET_EXISTS", "ERROR"), msg(info)],
                  status="failure")


def invalid_rdata(field_name: str, problem: str, info: str) -> Answer:  # spec §7: `address: Not a valid IP address`
    return Answer(400, [msg(f"{field_name}: {problem}", "DYN", "INVALID_DATA", "ERROR"), msg(info)], status="failure")


def zone_frozen() -> Answer:  # invented text: no source shows the refusal (spec §7)
    return failure(400, "zone: This zone is frozen; thaw it to make changes", "ILLEGAL_OPERATION")


def illegal_operation(info: str) -> Answer:  # invented texts: SOA add/delete, Dyn's NS, the apex node (spec §7, §11)
    return failure(400, info, "ILLEGAL_OPERATION")


# CNAME exclusivity (RFC 1034 §3.6.2, RFC 2181 §10.1): invented texts, no source shows how DynECT refused these.
CNAME_BESIDE_OTHER_DATA = "node: A CNAME record cannot coexist with other data at the same node"
CNAME_NOT_SINGLE = "node: A node can hold only one CNAME record"
CNAME_AT_APEX = "node: A CNAME record cannot be placed at the zone apex"


def cname_conflict(problem: str, info: str) -> Answer:  # the shape of the recorded duplicate_record refusal
    return Answer(400, [msg(problem, "DYN", "ILLEGAL_OPERATION", "ERROR"), msg(info)], status="failure")
