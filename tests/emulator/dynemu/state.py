# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The emulator's mutable state: sessions, jobs, per-customer rate limits and counters.

None of these classes lock: the API holds one lock around every use of them.
"""

from __future__ import annotations

import collections
import enum
import itertools
from dataclasses import dataclass, field

from .accounts import Customer, User
from .messages import Reply

FIRST_JOB_ID = 4_000_000_001  # real job ids had passed 2**32 by 2017 (spec b.3)
_KEPT_JOBS = 10_000  # finished jobs are forgotten oldest first past this many, to bound memory
RATE_WINDOW_SECONDS = 60.0


class PendingStyle(enum.Enum):
    """How a job answers while it still runs, to the request that started it and to Job GETs."""

    REDIRECT = "redirect"  # 307 to /REST/Job/<id> (the primary mechanism)
    INCOMPLETE = "incomplete"  # 200 with the bare "incomplete" body (the secondary one)

    def reply(self, job_id: int) -> Reply:
        return Reply.incomplete(job_id) if self is PendingStyle.INCOMPLETE else Reply.redirect_to_job(job_id)


@dataclass
class Job:
    job_id: int
    owner: str | None  # token of the session that started it; None when started without one (a login)
    client_ip: str
    result: Reply  # the answer once the job is done
    ready_at: float
    pending_style: PendingStyle = PendingStyle.REDIRECT

    def is_ready(self, now: float) -> bool:
        return now >= self.ready_at

    def reply(self, now: float) -> Reply:
        """The answer to the request that started the job: its result, or its pending answer."""
        return self.result if self.is_ready(now) else self.pending_style.reply(self.job_id)

    def poll_reply(self, now: float, poll_style: PendingStyle | None) -> Reply:
        """A Job GET's answer: the result, or while the job runs ``poll_style``'s pending answer
        (None: the pending answer the job started with)."""
        if self.is_ready(now) or poll_style is None:
            return self.reply(now)
        return poll_style.reply(self.job_id)


class JobBook:
    """Allocates job ids (monotonic for the process's life, across resets) and keeps the jobs."""

    def __init__(self) -> None:
        self._ids = itertools.count(FIRST_JOB_ID)
        self._jobs: collections.OrderedDict[int, Job] = collections.OrderedDict()

    def new_id(self) -> int:
        return next(self._ids)

    def add(self, job: Job) -> None:
        self._jobs[job.job_id] = job
        if len(self._jobs) > _KEPT_JOBS:
            self._jobs.popitem(last=False)

    def get(self, job_id: int) -> Job | None:
        return self._jobs.get(job_id)

    def clear(self) -> None:
        self._jobs.clear()


@dataclass
class Session:
    token: str
    customer: Customer
    user: User
    client_ip: str  # the address that logged in; the token is refused from any other (spec C6)
    last_used: float
    running_job: Job | None = None

    def is_idle(self, now: float, idle_timeout: float) -> bool:
        return now - self.last_used > idle_timeout

    def busy_with(self, now: float) -> Job | None:
        """The job this session still runs, if any: until it is done the session takes no new request."""
        if self.running_job is not None and not self.running_job.is_ready(now):
            return self.running_job
        return None


class RateLimiter:
    """At most ``limit`` requests per customer in any 60 s; past that the customer is locked out."""

    def __init__(self, limit: int, lockout_seconds: float) -> None:
        self._limit = limit
        self._lockout_seconds = lockout_seconds
        self._recent: dict[str, collections.deque[float]] = {}
        self._locked_until: dict[str, float] = {}

    def admit(self, customer: str, now: float) -> float | None:
        """Count one request: None when admitted, else the seconds until the lock-out ends."""
        locked_until = self._locked_until.get(customer, 0.0)
        if now < locked_until:
            return locked_until - now
        recent = self._recent.setdefault(customer, collections.deque())
        while recent and recent[0] <= now - RATE_WINDOW_SECONDS:
            recent.popleft()
        if len(recent) >= self._limit:
            # The lock-out is the penalty: afterwards the customer starts with an empty window, otherwise
            # a lock-out shorter than the window would be re-triggered by the very next request.
            recent.clear()
            self._locked_until[customer] = now + self._lockout_seconds
            return self._lockout_seconds
        recent.append(now)
        return None

    def clear(self) -> None:
        self._recent.clear()
        self._locked_until.clear()


@dataclass
class Stats:
    requests: collections.Counter[str] = field(default_factory=collections.Counter)
    logins: int = 0
    failed_logins: int = 0
    logouts: int = 0

    def snapshot(self, open_sessions: int) -> dict:
        return {
            "requests": dict(self.requests),
            "logins": self.logins,
            "failed_logins": self.failed_logins,
            "logouts": self.logouts,
            "open_sessions": open_sessions,
        }
