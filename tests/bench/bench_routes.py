# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark: the same work done by playbooks on every route, beside floors measured in the same run,
and how fast a finished job comes back.

The work is permission reports for one account (acme/ops); each route does it as a user of that
route would write it:

(a) the dynect connection: ``dyn_permissions_info`` tasks on the account's inventory host;
(b) the direct route with one session: one ``dyn_session`` login returning ``session``, then a
    block whose ``module_defaults`` pass ``session: "{{ login.session }}"`` to the
    ``dyn_permissions_info`` tasks and to the final ``dyn_session state=absent``;
(c) the direct route logging in per task: ``dyn_permissions_info`` tasks with credentials;
(d) no collection: per report, three ``ansible.builtin.uri`` tasks (login, report, logout), as one
    writes it without a session layer (its "task" is those three).

Two floors, measured the same way in the same run, say what any task costs whatever it does:

- the action floor: ``ansible.builtin.debug`` (``msg: x``) on localhost, a task that never leaves
  the worker process;
- the module floor: ``ansible.builtin.ping`` on localhost over the local connection with
  ``ansible_python_interpreter`` = ``ansible_playbook_python``, the cheapest module a task can run.

Time per task = (wall time of an N-task play - wall time of the 1-task play of the same kind) /
(N - 1): ansible-playbook's start-up, the helper's start in (a) and the login and logout of (b)
are in both plays and drop out; what is left is what one more task costs. Each repetition runs
every kind once (1-task play, then N-task play), repetition after repetition, so that a slow
moment of the machine spreads over all kinds; the median of the repetitions counts. API requests
per task and logins per play are those of the N-task play (requests / N: set-up included).

Run through ``run_all.py`` (``make bench``).
"""

from __future__ import annotations

import functools
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bench_session import CUSTOMER, PASSWORD, USER
from harness import Emulator

HOST = "acme-ops"  # the account's inventory host on the connection route
REPORT = {"dyn.managed_dns.dyn_permissions_info": {}}
REPORT_REQUEST = "POST /REST/UserPermissionReport"  # the one API request of a REPORT task
INTERPRETER = {"ansible_python_interpreter": "{{ ansible_playbook_python }}"}
# Bounded: a hung playbook must not hang the benchmark.
PLAYBOOK_TIMEOUT = 900
# Seconds to wait for the sessions of a play to be logged out: an ansible-connection helper logs
# out only once ansible-playbook has ended.
LOGOUT_GRACE = 30.0


@dataclass(frozen=True)
class Kind:
    """One kind of play: N tasks of the same work on ``hosts``."""

    label: str
    hosts: str
    play: Callable[[Emulator, int], dict[str, Any]]  # (emulator, tasks) -> the play's keys besides hosts
    calls_api: bool = True


@dataclass(frozen=True)
class Sample:
    """One repetition of a kind: its time per task and the N-task play's API counters."""

    seconds_per_task: float
    requests_per_task: float
    logins: int


@dataclass(frozen=True)
class KindResult:
    """A kind's result over all repetitions."""

    kind: Kind
    seconds_per_task: float  # the median of the repetitions
    requests_per_task: float
    logins: int


def _debug_play(emulator: Emulator, tasks: int) -> dict[str, Any]:
    """The action floor: ``debug`` tasks, which never leave the worker process."""
    return {"tasks": [{"name": f"Debug {number}", "ansible.builtin.debug": {"msg": "x"}} for number in range(tasks)]}


def _ping_play(emulator: Emulator, tasks: int) -> dict[str, Any]:
    """The module floor: ``ping`` tasks, the cheapest module a task can run."""
    return {"tasks": [{"name": f"Ping {number}", "ansible.builtin.ping": {}} for number in range(tasks)]}


def _connection_play(emulator: Emulator, tasks: int) -> dict[str, Any]:
    """(a): reports on the account's dynect host, all in the connection's one session."""
    return {"tasks": [{"name": f"Report {number}", **REPORT} for number in range(tasks)]}


def _api_defaults(emulator: Emulator) -> dict[str, Any]:
    """``module_defaults`` pointing the collection's modules at the emulator."""
    return {"group/dyn.managed_dns.dyn": {"host": emulator.host, "port": emulator.port, "ssl": emulator.ssl}}


def _session_play(emulator: Emulator, tasks: int) -> dict[str, Any]:
    """(b): one login returning ``session``, the reports and the logout in a block that passes it on."""
    login = {"customer": CUSTOMER, "username": USER, "password": PASSWORD, "return_token": True}
    reports = [{"name": f"Report {number}", **REPORT} for number in range(tasks)]
    return {
        "module_defaults": _api_defaults(emulator),
        "tasks": [
            {"name": "Log in once", "dyn.managed_dns.dyn_session": login, "register": "login", "no_log": True},
            {
                "name": "Work in that session",
                "module_defaults": {"group/dyn.managed_dns.dyn": {"session": "{{ login.session }}"}},
                "block": [*reports, {"name": "Log out", "dyn.managed_dns.dyn_session": {"state": "absent"}}],
            },
        ],
    }


def _login_per_task_play(emulator: Emulator, tasks: int) -> dict[str, Any]:
    """(c): reports with credentials, each logging in and out."""
    defaults = _api_defaults(emulator)
    defaults["group/dyn.managed_dns.dyn"].update(customer=CUSTOMER, username=USER, password=PASSWORD)
    return {
        "module_defaults": defaults,
        "tasks": [{"name": f"Report {number}", **REPORT} for number in range(tasks)],
    }


def _uri_play(emulator: Emulator, tasks: int) -> dict[str, Any]:
    """(d): per report, three ``uri`` tasks: login, report, logout."""

    def call(name: str, method: str, resource: str, *, with_token: bool = True, **options: Any) -> dict[str, Any]:
        """One ``uri`` task calling the API."""
        headers = {"Content-Type": "application/json"}
        if with_token:
            headers["Auth-Token"] = "{{ login.json.data.token }}"
        return {
            "name": name,
            "ansible.builtin.uri": {
                "url": f"{emulator.url}/REST/{resource}/",
                "method": method,
                "headers": headers,
                **options,
            },
            "no_log": True,  # the login's body and reply, and every header, carry secrets
        }

    credentials = {"customer_name": CUSTOMER, "user_name": USER, "password": PASSWORD}
    steps = []
    for number in range(tasks):
        steps += [
            {
                **call(f"Log in {number}", "POST", "Session", with_token=False, body=credentials, body_format="json"),
                "register": "login",
            },
            call(f"Report {number}", "POST", "UserPermissionReport", body={"user_name": USER}, body_format="json"),
            call(f"Log out {number}", "DELETE", "Session"),
        ]
    return {"tasks": steps}


FLOORS = (
    Kind("action floor: builtin.debug", "localhost", _debug_play, calls_api=False),
    Kind("module floor: builtin.ping", "localhost", _ping_play, calls_api=False),
)
ROUTES = (
    Kind("(a) connection route", HOST, _connection_play),
    Kind("(b) direct, one session", "localhost", _session_play),
    Kind("(c) direct, login per task", "localhost", _login_per_task_play),
    Kind("(d) ansible.builtin.uri", "localhost", _uri_play),
)


def dynect_host(emulator: Emulator, customer: str, user: str, password: str, **variables: Any) -> dict[str, Any]:
    """The inventory variables of one account's host on the dynect connection."""
    return {
        "ansible_connection": "dyn.managed_dns.dynect",
        "dyn_host": emulator.host,
        "dyn_port": emulator.port,
        "dyn_ssl": emulator.ssl,
        "dyn_customer": customer,
        "dyn_username": user,
        "dyn_password": password,
        **INTERPRETER,
        **variables,
    }


def route_inventory(emulator: Emulator) -> dict[str, Any]:
    """localhost (local connection, this Python) and the acme/ops account's dynect host."""
    hosts = {"localhost": {"ansible_connection": "local", **INTERPRETER}, HOST: dynect_host(emulator, CUSTOMER, USER, PASSWORD)}
    return {"all": {"hosts": hosts}}


class PlaybookRunner:
    """Runs generated playbooks on one inventory with this venv's ansible-playbook, in a scratch folder."""

    def __init__(
        self, scratch: Path, collections_path: Path, inventory: dict[str, Any], *, name: str = "inventory", forks: int | None = None
    ) -> None:
        """Writes ``inventory`` to ``scratch``; ``forks`` (ansible-core's default: 5) for every run."""
        self._scratch = scratch
        self._inventory = scratch / f"{name}.yml"
        self._inventory.write_text(yaml.safe_dump(inventory))
        self._env = {
            **os.environ,
            "ANSIBLE_COLLECTIONS_PATH": str(collections_path),
            "ANSIBLE_PERSISTENT_CONTROL_PATH_DIR": str(scratch / "pc"),
            "ANSIBLE_LOCAL_TEMP": str(scratch / "tmp"),
            "ANSIBLE_NOCOLOR": "1",
        }
        if forks is not None:
            self._env["ANSIBLE_FORKS"] = str(forks)

    def seconds(self, name: str, play: dict[str, Any]) -> float:
        """Wall time of one ``ansible-playbook`` run of ``play``; raises if the run fails."""
        playbook = self._scratch / f"{name}.yml"
        playbook.write_text(yaml.safe_dump([{"name": name, "gather_facts": False, **play}], sort_keys=False))
        command = [str(Path(sys.executable).with_name("ansible-playbook")), "-i", str(self._inventory), str(playbook)]
        started = time.perf_counter()
        run = subprocess.run(
            command,
            cwd=self._scratch,
            env=self._env,
            capture_output=True,
            text=True,
            timeout=PLAYBOOK_TIMEOUT,
            check=False,
        )
        elapsed = time.perf_counter() - started
        if run.returncode != 0:
            raise RuntimeError(
                f"playbook {name} failed (exit {run.returncode}):\n{run.stdout[-5000:]}{run.stderr[-2000:]}"
            )
        return elapsed


def settled_stats(emulator: Emulator, grace: float = LOGOUT_GRACE) -> dict[str, Any]:
    """The emulator's counters once no session is open any more; raises if one still is after ``grace`` seconds.

    Read after a play, so that its helper's logout counts for it and not for the next play.
    """
    deadline = time.monotonic() + grace
    while (stats := emulator.stats())["open_sessions"] and time.monotonic() < deadline:
        time.sleep(0.05)
    if stats["open_sessions"]:
        raise RuntimeError(f"{stats['open_sessions']} sessions still open {grace:.0f} s after the play ended")
    return stats


def sample_kind(runner: PlaybookRunner, emulator: Emulator, kind: Kind, tasks: int) -> Sample:
    """One repetition of ``kind``: its 1-task play, then its ``tasks``-task play, the emulator's counters reset before each."""
    times = {}
    for count in (1, tasks):
        emulator.reset()
        play = {"hosts": kind.hosts, **kind.play(emulator, count)}
        times[count] = runner.seconds(f"{kind.play.__name__.strip('_')}-{count}", play)
        stats = settled_stats(emulator)  # kept: the N-task play's
    return Sample((times[tasks] - times[1]) / (tasks - 1), sum(stats["requests"].values()) / tasks, stats["logins"])


def interleave(measurements: Sequence[Callable[[], Any]], repeat: int) -> list[list[Any]]:
    """Runs every measurement once per repetition, all of them before the next repetition.

    Returns the samples per measurement: ``result[i][r]`` is measurement i's sample of repetition r.
    """
    samples: list[list[Any]] = [[] for measurement in measurements]
    for repetition in range(repeat):
        for taken, measure in zip(samples, measurements):
            taken.append(measure())
    return samples


def kind_measurements(runner: PlaybookRunner, emulator: Emulator, tasks: int) -> list[Callable[[], Sample]]:
    """One measurement per kind, floors first, for :func:`interleave`."""
    return [functools.partial(sample_kind, runner, emulator, kind, tasks) for kind in (*FLOORS, *ROUTES)]


def summarize(samples: list[list[Sample]]) -> list[KindResult]:
    """Each kind's result (floors first, as :func:`kind_measurements` orders them): the median time per task."""
    results = []
    for kind, taken in zip((*FLOORS, *ROUTES), samples):
        last = taken[-1]  # every repetition makes the same requests
        seconds_per_task = statistics.median(sample.seconds_per_task for sample in taken)
        results.append(KindResult(kind, seconds_per_task, last.requests_per_task, last.logins))
    return results


def print_route_table(results: list[KindResult], tasks: int, repeat: int) -> None:
    """The per-task table: every kind's time per task, its ratio to the module floor and its API counters."""
    module_floor = results[len(FLOORS) - 1].seconds_per_task
    print(f"The same work on every route: permission reports for {CUSTOMER}/{USER}, beside the floors of any task")
    print(f"(per task: (wall time of a {tasks}-task play - wall time of a 1-task play of the same kind) / {tasks - 1},")
    print(f" the median of {repeat} interleaved repetitions; (d)'s task is its three uri tasks;")
    print(f" API requests per task and logins per play: the {tasks}-task play's, its set-up included)")
    header = f"{'kind':<30} {'s per task':>10} {'x module floor':>15} {'API requests per task':>22} {'logins per play':>16}"
    print(header)
    print("-" * len(header))
    for result in results:
        requests, logins = (f"{result.requests_per_task:.2f}", str(result.logins)) if result.kind.calls_api else ("-", "-")
        print(
            f"{result.kind.label:<30} {result.seconds_per_task:>10.3f} {result.seconds_per_task / module_floor:>15.2f} "
            f"{requests:>22} {logins:>16}"
        )


def route_ratio(results: list[KindResult], prefix: str) -> float:
    """The time per task of the route labelled ``prefix...`` over the module floor's."""
    module_floor = results[len(FLOORS) - 1].seconds_per_task
    return next(result.seconds_per_task for result in results if result.kind.label.startswith(prefix)) / module_floor


@dataclass(frozen=True)
class JobFault:
    """An emulator fault that turns the next permission report into a job, ready ``ready_after`` s after it arrived."""

    fault: str
    ready_after: float
    options: dict[str, Any]


def redirect_job() -> JobFault:
    """A 307 at once; the job is ready the emulator's fixed delay later."""
    from dynemu.api import FAULTED_JOB_SECONDS

    return JobFault("job_redirect", FAULTED_JOB_SECONDS, {})


def slow_job(seconds: float) -> JobFault:
    """Work of ``seconds``: a 307 at the emulator's job threshold, the job ready when the work is done."""
    return JobFault("slow", seconds, {"seconds": seconds})


def measure_job_return(emulator: Emulator, DynectSession: type, jobs: list[JobFault]) -> list[float]:
    """Seconds from each job being ready to our client returning its answer (default poll interval).

    The emulator does not report when a job became ready, so that moment is taken as the client's
    send time plus the job's known delay: the values are upper bounds, by the request's one-way
    trip (well under a millisecond on loopback).
    """
    emulator.reset()
    session = DynectSession(CUSTOMER, USER, PASSWORD, host=emulator.host, port=emulator.port, ssl=emulator.ssl)
    latencies = []
    try:
        for job in jobs:
            emulator.fault(job.fault, match="POST /REST/UserPermissionReport", **job.options)
            sent = time.monotonic()
            session.permission_report()
            latencies.append(time.monotonic() - (sent + job.ready_after))
    finally:
        session.log_out()
    return latencies
