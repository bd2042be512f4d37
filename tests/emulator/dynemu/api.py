# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The DynECT REST API: the request pipeline and the resources it serves.

Every /REST request goes through ``DynectApi.handle``:

1. under the one state lock: count it in the stats, take the first armed fault that matches it,
   then the rejecting faults, the customer's rate limit, the API-Version header and the resource
   handler; whatever that answers becomes a job with a fresh job id;
2. outside the lock: wait as long as the request "works" (at most the job threshold), then send
   the job's answer -- or, if it is not ready yet, its pending answer (a 307 to ``/REST/Job/<id>``).
"""

from __future__ import annotations

import base64
import functools
import hmac
import itertools
import json
import math
import re
import secrets
import threading
import time
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import messages
from .accounts import Customer, User, load_accounts
from .dns_api import DnsResources
from .faults import Fault, FaultQueue
from .messages import Answer, ApiFailure, JobId, Reply
from .routes import Route
from .state import Job, JobBook, PendingStyle, RateLimiter, Session, Stats
from .zones import ZoneBook

FAULTED_JOB_SECONDS = 1.0  # job_redirect, job_incomplete and job_running jobs finish about this much later (default)
_TOKEN_BYTES = 128  # recorded real tokens are base64 of 128 bytes (spec b.4)
_API_VERSION_PATTERN = re.compile(r"3\.\d+\.\d+")
_LOGIN_FIELDS = ("user_name", "customer_name", "password")  # the order of the recorded C2 msgs
_FORCED_PENDING = {"job_redirect": PendingStyle.REDIRECT, "job_incomplete": PendingStyle.INCOMPLETE}


@dataclass(frozen=True)
class Settings:
    idle_timeout: float = 3600.0
    job_threshold: float = 5.0
    rate_limit: int = 300
    rate_limit_lockout: float = 60.0
    job_poll_style: PendingStyle | None = None  # how a Job GET of a running job answers; None: as the job started
    faulted_job_seconds: float = FAULTED_JOB_SECONDS


@dataclass
class Switches:
    """The settings the control API may change, until the next reset."""

    job_poll_style: PendingStyle | None
    faulted_job_seconds: float

    @classmethod
    def of(cls, settings: Settings) -> Switches:
        return cls(settings.job_poll_style, settings.faulted_job_seconds)

    def as_json(self) -> dict[str, Any]:
        return {"job_poll_style": self.job_poll_style.value if self.job_poll_style else None,
                "faulted_job_seconds": self.faulted_job_seconds}

    def changed(self, changes: Any) -> Switches:
        """A copy with ``changes`` (a JSON object naming some of the switches) applied; ValueError if wrong."""
        if not isinstance(changes, dict) or not changes or not set(changes) <= {"job_poll_style", "faulted_job_seconds"}:
            raise ValueError("settings: the body must be a JSON object with job_poll_style and/or faulted_job_seconds")
        poll_style = _job_poll_style(changes.get("job_poll_style", self.job_poll_style))
        seconds = changes.get("faulted_job_seconds", self.faulted_job_seconds)
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not 0 <= seconds <= 60:
            raise ValueError(f"faulted_job_seconds must be a number of seconds from 0 to 60, not {seconds!r}")
        return Switches(poll_style, float(seconds))


@dataclass(frozen=True)
class ApiRequest:
    """What the API needs of an HTTP request besides its route."""

    headers: Mapping[str, str]  # case-insensitive lookups (http.client.HTTPMessage)
    body: bytes
    client_ip: str
    query: str = ""  # the query string, for GET arguments sent there (?detail=Y)


class _Call:
    """One /REST request while it is being answered."""

    def __init__(self, request: ApiRequest, route: Route, fault: Fault | None, now: float) -> None:
        self.request = request
        self.route = route
        self.fault = fault
        self.now = now
        self.session: Session | None = None  # set once the Auth-Token has been accepted

    @property
    def token(self) -> str:
        return (self.request.headers.get("Auth-Token") or "").strip()

    @functools.cached_property
    def fields(self) -> dict[str, Any] | None:
        """The JSON object in the body ({} when there is no body); None when the body is not one."""
        if not self.request.body.strip():
            return {}
        try:
            document = json.loads(self.request.body)
        except ValueError:
            return None
        return document if isinstance(document, dict) else None

    @property
    def body(self) -> dict[str, Any]:
        if self.fields is None:
            raise ApiFailure(messages.invalid_data("request", "The request body must be a JSON object"))
        return self.fields

    def argument(self, name: str) -> Any:
        """A GET argument: dyn-python sends it in a JSON body, other clients in the query string (spec §1)."""
        fields = self.fields or {}
        if name in fields:
            return fields[name]
        values = urllib.parse.parse_qs(self.request.query).get(name)
        return values[-1] if values else None


class DynectApi:
    def __init__(self, accounts_path: str | Path, settings: Settings) -> None:
        self._accounts_path = accounts_path
        self._settings = settings
        self._lock = threading.Lock()
        self._jobs = JobBook()
        self._faults = FaultQueue()
        self._rate_limiter = RateLimiter(settings.rate_limit, settings.rate_limit_lockout)
        self._stats = Stats()
        self._switches = Switches.of(settings)
        self._sessions: dict[str, Session] = {}
        self._task_ids = itertools.count(39_120_953)  # for task_blocked msgs (the recorded id first)
        # Every secret the process ever handed out or accepted, for GET /__emulator__/secrets; kept across resets.
        self._issued_tokens: list[str] = []
        self._valid_passwords: dict[str, None] = {}  # an insertion-ordered set
        self._customers = self._load_accounts()
        self._dns = DnsResources(self._authenticate, ZoneBook(self._customers))
        self._handlers: dict[tuple[str, str, int], Callable[[_Call], Answer | Reply]] = {
            # (method, resource, number of path parameters) -> handler
            ("POST", "Session", 0): self._log_in,
            ("GET", "Session", 0): self._is_alive,
            ("PUT", "Session", 0): self._keep_alive,
            ("DELETE", "Session", 0): self._log_out,
            ("PUT", "Password", 0): self._change_password,
            ("POST", "UserPermissionReport", 0): self._user_permission_report,
            ("POST", "CheckPermissionReport", 0): self._check_permission_report,
            ("GET", "Job", 1): self._get_job,
            **self._dns.handlers(),  # Zone, ZoneChanges, Task, Node, NodeList, AllRecord, ANYRecord, <T>Record
        }

    # ---- control API ------------------------------------------------------------------------

    def reset(self) -> None:
        """Sessions, jobs, counters, rate limits, faults, accounts and zones back to the accounts file's state."""
        customers = self._load_accounts()  # outside the lock: file I/O; an unreadable file changes nothing
        with self._lock:
            self._customers = customers
            self._dns.book = ZoneBook(customers)
            self._sessions.clear()
            self._jobs.clear()
            self._faults.clear()
            self._rate_limiter.clear()
            self._stats = Stats()
            self._switches = Switches.of(self._settings)

    def stats(self) -> dict[str, Any]:
        with self._lock:
            now = time.monotonic()
            open_sessions = sum(1 for s in self._sessions.values() if not s.is_idle(now, self._settings.idle_timeout))
            return self._stats.snapshot(open_sessions)

    def zone_state(self, name: str, customer: str | None = None) -> dict[str, Any]:
        """The published state of a zone, for the control API; LookupError if there is no such zone
        (or, without ``customer``, several customers have one of that name)."""
        with self._lock:
            now = time.monotonic()
            open_tokens = {t for t, s in self._sessions.items() if not s.is_idle(now, self._settings.idle_timeout)}
            return self._dns.book.snapshot(name.lower().removesuffix("."), customer, open_tokens)

    def arm_fault(self, spec: Any) -> list[dict[str, Any]]:
        """Arm a fault (ValueError if the spec is wrong) -> every fault still armed."""
        with self._lock:
            self._faults.arm(spec)
            return self._faults.pending()

    def settings(self) -> dict[str, Any]:
        """The settings the control API may change, as they are now."""
        with self._lock:
            return self._switches.as_json()

    def change_settings(self, changes: Any) -> dict[str, Any]:
        """Apply ``{"job_poll_style"?: "redirect" | "incomplete" | None, "faulted_job_seconds"?: S}`` -> the settings.

        ValueError, and nothing changes, if any of it is wrong.
        """
        with self._lock:
            self._switches = self._switches.changed(changes)
            return self._switches.as_json()

    def secrets(self) -> dict[str, list[str]]:
        with self._lock:
            return {"passwords": list(self._valid_passwords), "tokens": list(self._issued_tokens)}

    def _load_accounts(self) -> dict[str, Customer]:
        customers = load_accounts(self._accounts_path)
        with self._lock:
            for customer in customers.values():
                for user in customer.users.values():
                    self._valid_passwords[user.password] = None
        return customers

    # ---- the pipeline -------------------------------------------------------------------------

    def handle(self, request: ApiRequest, route: Route) -> Reply:
        with self._lock:
            self._stats.requests[route.key] += 1
            fault = self._faults.take(route.key)
            fault_name = fault.name if fault else None
            if fault_name == "drop_connection":
                return Reply.dropped()
            if fault_name == "server_error":
                return Reply.server_error()
            call = _Call(request, route, fault, time.monotonic())
            outcome = self._outcome(call)
            if isinstance(outcome, Reply):  # a Job GET: answers for an existing job
                return outcome
            if outcome.job_id is not JobId.NEW:  # C2 (job_id null) and C7 (the running job's id)
                return Reply.json(outcome.http_status, outcome.envelope(outcome.job_id), outcome.headers)
            forced_pending = _FORCED_PENDING.get(fault_name)
            work_seconds = fault.seconds if fault_name == "slow" else 0.0
            ready_at = call.now + (self._switches.faulted_job_seconds if forced_pending else work_seconds)
            job = self._new_job(outcome, call, call.session, ready_at, forced_pending or PendingStyle.REDIRECT)
        if not forced_pending:
            # Work as long as the request takes, but no longer than the threshold: then the job's
            # reply is its pending one, a 307.
            time.sleep(min(work_seconds, self._settings.job_threshold))
        return job.reply(time.monotonic())

    def _outcome(self, call: _Call) -> Answer | Reply:
        try:
            self._reject_by_fault(call)
            self._check_rate_limit(call)
            self._check_api_version(call)
            handler = self._handlers.get((call.route.method, call.route.resource, len(call.route.params)))
            if handler is None:
                raise ApiFailure(messages.invalid_request(call.route.key))
            return handler(call)
        except ApiFailure as failure:
            return failure.answer

    def _new_job(self, answer: Answer, call: _Call, owner: Session | None, ready_at: float,
                 pending_style: PendingStyle = PendingStyle.REDIRECT) -> Job:
        job_id = self._jobs.new_id()
        job = Job(
            job_id=job_id,
            owner=owner.token if owner else None,
            client_ip=call.request.client_ip,
            result=Reply.json(answer.http_status, answer.envelope(job_id), answer.headers),
            ready_at=ready_at,
            pending_style=pending_style,
        )
        self._jobs.add(job)
        if owner is not None:
            owner.running_job = job  # until it is ready, the session takes no other request (C7)
        return job

    def _reject_by_fault(self, call: _Call) -> None:
        match call.fault.name if call.fault else None:
            case "expire_token":
                self._end_session(call.token)
                raise ApiFailure(messages.expired_token())
            case "inactivity_logout":
                self._end_session(call.token)
                raise ApiFailure(messages.inactivity_logout())
            case "ip_mismatch":
                raise ApiFailure(messages.ip_mismatch())
            case "task_blocked":
                raise ApiFailure(messages.task_blocked(next(self._task_ids)))
            case "rate_limit":
                # Only this request is refused: no lock-out, so a short Retry-After.
                raise ApiFailure(messages.rate_limited(retry_after=1))
            case "job_running":
                raise ApiFailure(messages.job_running(self._start_previous_job(call).job_id))

    def _start_previous_job(self, call: _Call) -> Job:
        """For the job_running fault: the job the session is "still running", an empty success done soon.

        The faulted request itself is refused, not run, as a real C7 refuses it; a client that polls
        the job id (dyn-python does) gets this job's answer.
        """
        ready_at = call.now + self._switches.faulted_job_seconds
        return self._new_job(messages.success(), call, self._sessions.get(call.token), ready_at)

    def _check_rate_limit(self, call: _Call) -> None:
        customer = self._customer_of(call)
        if customer is None:
            return
        wait = self._rate_limiter.admit(customer.name, call.now)
        if wait is not None:
            raise ApiFailure(messages.rate_limited(retry_after=max(1, math.ceil(wait))))

    def _customer_of(self, call: _Call) -> Customer | None:
        """Whose budget the request spends: the session's customer, or the one a login names."""
        if call.route.key == "POST /REST/Session":
            name = (call.fields or {}).get("customer_name")
            return self._customers.get(name) if isinstance(name, str) else None
        session = self._sessions.get(call.token)
        return session.customer if session else None

    @staticmethod
    def _check_api_version(call: _Call) -> None:
        version = (call.request.headers.get("API-Version") or "").strip()
        if version not in ("", "current") and not _API_VERSION_PATTERN.fullmatch(version):
            raise ApiFailure(messages.invalid_version())

    def _authenticate(self, call: _Call, *, while_busy: bool = False) -> Session:
        """The caller's session, refreshed; ApiFailure (C10, C4, C5, C6 or C7) otherwise.

        ``while_busy`` lets a request through while the session's job runs (Job GETs poll it).
        """
        if not call.token:
            raise ApiFailure(messages.missing_token())
        session = self._sessions.get(call.token)
        if session is None:
            raise ApiFailure(messages.expired_token())
        if session.is_idle(call.now, self._settings.idle_timeout):
            self._end_session(session.token)
            raise ApiFailure(messages.inactivity_logout())
        if session.client_ip != call.request.client_ip:
            raise ApiFailure(messages.ip_mismatch())  # not a use of the session: it is not refreshed
        session.last_used = call.now
        call.session = session
        running_job = session.busy_with(call.now)
        if running_job is not None and not while_busy:
            raise ApiFailure(messages.job_running(running_job.job_id))
        return session

    # ---- /REST/Session ------------------------------------------------------------------------

    def _log_in(self, call: _Call) -> Answer:
        try:
            customer, user = self._check_credentials(call.body)
        except ApiFailure:
            self._stats.failed_logins += 1
            raise
        token = base64.b64encode(secrets.token_bytes(_TOKEN_BYTES)).decode("ascii")
        self._issued_tokens.append(token)
        self._sessions[token] = Session(token, customer, user, call.request.client_ip, last_used=call.now)
        self._stats.logins += 1
        return messages.success("login: Login successful", data={"token": token, "version": messages.API_VERSION})

    def _check_credentials(self, body: dict[str, Any]) -> tuple[Customer, User]:
        missing = [name for name in _LOGIN_FIELDS if not isinstance(body.get(name), str) or not body[name]]
        if missing:
            raise ApiFailure(messages.missing_fields(missing))
        customer = self._customers.get(body["customer_name"])
        user = customer.users.get(body["user_name"]) if customer else None
        if customer is None or user is None or not _same_secret(user.password, body["password"]):
            raise ApiFailure(messages.bad_credentials())
        if user.is_blocked:  # only once the password is right: a wrong guess learns nothing
            raise ApiFailure(messages.blocked_user())
        return customer, user

    def _end_session(self, token: str) -> None:
        """The session is gone (logout, expiry, a fault): its unpublished changes go with it (spec §6)."""
        self._sessions.pop(token, None)
        self._dns.book.discard_session(token)

    def _is_alive(self, call: _Call) -> Answer:
        self._authenticate(call)
        return messages.success("isalive: User session is still active")

    def _keep_alive(self, call: _Call) -> Answer:
        self._authenticate(call)  # refreshing the session is all a keep-alive does
        return messages.success("keepalive: User session extended")

    def _log_out(self, call: _Call) -> Answer:
        session = self._authenticate(call)
        self._end_session(session.token)
        self._stats.logouts += 1
        return messages.success("logout: Logout successful")

    # ---- /REST/Password -----------------------------------------------------------------------

    def _change_password(self, call: _Call) -> Answer:
        session = self._authenticate(call)
        new_password = call.body.get("password")
        if not isinstance(new_password, str) or not new_password:
            raise ApiFailure(messages.missing_fields(["password"]))
        problem = _password_policy_problem(new_password, session.user.password)
        if problem:
            raise ApiFailure(messages.invalid_data("password", problem, "update: Password not changed"))
        # The user's other sessions stay valid: Dyn documents no revocation (spec (e) 7).
        session.user.password = new_password
        self._valid_passwords[new_password] = None
        return messages.success("update: Password changed", data=_user_record(session.user))

    # ---- permission reports -------------------------------------------------------------------

    def _user_permission_report(self, call: _Call) -> Answer:
        session = self._authenticate(call)
        user_name = call.body.get("user_name") or session.user.user_name
        if not isinstance(user_name, str):
            raise ApiFailure(messages.invalid_data("user_name", "A user name must be a string"))
        if user_name != session.user.user_name:
            if not (session.user.allows("PermissionGet") or session.user.allows("UserGet")):
                raise ApiFailure(messages.permission_denied())
            if user_name not in session.customer.users:
                raise ApiFailure(messages.not_found("user"))
        user = session.customer.users[user_name]
        allowed = [
            {"name": name, "zone": _zone_entries(zones), "reason": ["zone_permissions" if zones else "permissions"]}
            for name, zones in user.granted().items()
        ]
        forbidden = [{"name": name, "zone": [], "reason": ["forbidden"]} for name in user.forbidden]
        return messages.success("report: Permission report generated", data={"allowed": allowed, "forbidden": forbidden})

    def _check_permission_report(self, call: _Call) -> Answer:
        session = self._authenticate(call)
        names = call.body.get("permission")
        if not names:
            raise ApiFailure(messages.missing_fields(["permission"]))
        names = [names] if isinstance(names, str) else names
        zone = call.body.get("zone_name")
        if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
            raise ApiFailure(messages.invalid_data("permission", "Permissions must be a list of names"))
        if zone is not None and not isinstance(zone, str):
            raise ApiFailure(messages.invalid_data("zone_name", "A zone name must be a string"))
        zone = zone.lower() if zone else None
        granted = session.user.granted()
        allowed, forbidden = [], []
        for name in names:
            # Without a zone, a permission limited to some zones counts as allowed, listing those zones.
            is_allowed = session.user.allows(name, zone) if zone else name in granted
            if is_allowed:
                zones = (zone,) if zone else granted[name]
                allowed.append({"name": name, "reason": [""], "zone": _zone_entries(zones)})
            else:
                reason = "permission forbidden" if name in session.user.forbidden else "permission not found"
                forbidden.append({"name": name, "reason": [reason], "zone": []})
        data = {"allowed": allowed, "forbidden": forbidden, "admin_override": "0"}
        return messages.success("report: Permission report generated", data=data)

    # ---- /REST/Job ----------------------------------------------------------------------------

    def _get_job(self, call: _Call) -> Reply:
        """The job's stored answer (same job_id), or its pending answer while it still runs.

        A job belongs to the session that started it; one started without a session (a login) to
        the address that sent it, as the client has no token yet when it polls.
        """
        job_id = call.route.params[0]
        job = self._jobs.get(int(job_id)) if job_id.isascii() and job_id.isdigit() else None
        if job is None or job.owner is not None:
            session = self._authenticate(call, while_busy=True)
            if job is None or job.owner != session.token:
                raise ApiFailure(messages.not_found("job"))
        elif job.client_ip != call.request.client_ip:
            raise ApiFailure(messages.not_found("job"))
        return job.poll_reply(call.now, self._switches.job_poll_style)


def _job_poll_style(value: Any) -> PendingStyle | None:
    """A job poll style as the control API names it (a PendingStyle passes through); ValueError otherwise."""
    try:
        return None if value is None else PendingStyle(value)
    except ValueError:
        raise ValueError(f"job_poll_style must be redirect, incomplete or null, not {value!r}") from None


def _same_secret(expected: str, given: str) -> bool:
    return hmac.compare_digest(expected.encode(), given.encode())


def _password_policy_problem(new_password: str, current_password: str) -> str | None:
    if len(new_password) < 8 or not any(c.isalpha() for c in new_password) or not any(c.isdigit() for c in new_password):
        return "Password must be at least 8 characters long and contain a letter and a digit"
    if _same_secret(current_password, new_password):
        return "New password must be different from the current password"
    return None


def _zone_entries(zones: tuple[str, ...]) -> list[dict[str, str]]:
    return [{"zone_name": zone, "recurse": "Y"} for zone in zones]


def _user_record(user: User) -> dict[str, Any]:
    """The user record of spec b.5; the accounts schema has no contact details, so those are empty."""
    record: dict[str, Any] = {"user_name": user.user_name, "status": user.status, "group_name": []}
    for name in ("first_name", "last_name", "nickname", "email", "organization", "phone", "address", "address_2",
                 "city", "country", "post_code", "fax", "notify_email", "pager_email", "website"):
        record[name] = ""
    return record
