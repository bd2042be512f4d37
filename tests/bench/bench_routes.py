# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark: the same work done by playbooks on every route, and how fast a finished job comes back.

The work is N permission reports for one account (acme/ops); each route does it as a user of that
route would write it:

(a) the dynect connection: N ``dyn_permissions_info`` tasks on the account's inventory host;
(b) the direct route with a token: one ``dyn_session`` login returning the token, N
    ``dyn_permissions_info`` tasks with that token, one ``dyn_session state=absent``;
(c) the direct route logging in per task: N ``dyn_permissions_info`` tasks with credentials;
(d) no collection: per report, three ``ansible.builtin.uri`` tasks (login, report, logout), as one
    writes it without a session layer.

Each route is one ``ansible-playbook`` run against the same emulator, its counters reset before.
Time per task = (wall time of the run - wall time of an empty play on the same inventory) / N, so
it holds each route's own set-up (the login task of (b), the helper's start in (a)) and not
ansible-playbook's start-up, which every run pays alike.

Run through ``run_all.py`` (``make bench``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bench_session import CUSTOMER, PASSWORD, USER
from harness import Emulator

HOST = "acme-ops"  # the account's inventory host on the connection route
REPORT = {"dyn.managed_dns.dyn_permissions_info": {}}
# Bounded: a hung playbook must not hang the benchmark.
PLAYBOOK_TIMEOUT = 900


@dataclass(frozen=True)
class Route:
    label: str
    hosts: str
    play: Callable[[Emulator, int], dict[str, Any]]  # (emulator, tasks) -> the play's keys besides hosts


@dataclass(frozen=True)
class RouteResult:
    route: Route
    seconds_per_task: float
    requests_per_task: float
    logins: int


def _connection_play(emulator: Emulator, tasks: int) -> dict[str, Any]:
    return {"tasks": [{"name": f"Report {number}", **REPORT} for number in range(tasks)]}


def _api_defaults(emulator: Emulator) -> dict[str, Any]:
    return {"group/dyn.managed_dns.dyn": {"host": emulator.host, "port": emulator.port, "ssl": emulator.ssl}}


def _token_play(emulator: Emulator, tasks: int) -> dict[str, Any]:
    token = {"token": "{{ login.token }}"}
    return {
        "module_defaults": _api_defaults(emulator),
        "tasks": [
            {
                "name": "Log in once",
                "dyn.managed_dns.dyn_session": {
                    "customer": CUSTOMER,
                    "username": USER,
                    "password": PASSWORD,
                    "return_token": True,
                },
                "register": "login",
                "no_log": True,
            },
            *({"name": f"Report {number}", "dyn.managed_dns.dyn_permissions_info": token} for number in range(tasks)),
            {"name": "Log out", "dyn.managed_dns.dyn_session": {"state": "absent", **token}},
        ],
    }


def _login_per_task_play(emulator: Emulator, tasks: int) -> dict[str, Any]:
    defaults = _api_defaults(emulator)
    defaults["group/dyn.managed_dns.dyn"].update(customer=CUSTOMER, username=USER, password=PASSWORD)
    return {
        "module_defaults": defaults,
        "tasks": [{"name": f"Report {number}", **REPORT} for number in range(tasks)],
    }


def _uri_play(emulator: Emulator, tasks: int) -> dict[str, Any]:
    def call(name: str, method: str, resource: str, *, with_token: bool = True, **options: Any) -> dict[str, Any]:
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


ROUTES = (
    Route("(a) connection route", HOST, _connection_play),
    Route("(b) direct, one token", "localhost", _token_play),
    Route("(c) direct, login per task", "localhost", _login_per_task_play),
    Route("(d) ansible.builtin.uri", "localhost", _uri_play),
)


def _inventory(emulator: Emulator) -> dict[str, Any]:
    interpreter = {"ansible_python_interpreter": "{{ ansible_playbook_python }}"}
    return {
        "all": {
            "hosts": {
                "localhost": {"ansible_connection": "local", **interpreter},
                HOST: {
                    "ansible_connection": "dyn.managed_dns.dynect",
                    "dyn_host": emulator.host,
                    "dyn_port": emulator.port,
                    "dyn_ssl": emulator.ssl,
                    "dyn_customer": CUSTOMER,
                    "dyn_username": USER,
                    "dyn_password": PASSWORD,
                    **interpreter,
                },
            }
        }
    }


class PlaybookRunner:
    """Runs generated playbooks with this venv's ansible-playbook, in a scratch folder."""

    def __init__(self, scratch: Path, collections_path: Path, emulator: Emulator) -> None:
        self._scratch = scratch
        self._inventory = scratch / "inventory.yml"
        self._inventory.write_text(yaml.safe_dump(_inventory(emulator)))
        self._env = {
            **os.environ,
            "ANSIBLE_COLLECTIONS_PATH": str(collections_path),
            "ANSIBLE_PERSISTENT_CONTROL_PATH_DIR": str(scratch / "pc"),
            "ANSIBLE_LOCAL_TEMP": str(scratch / "tmp"),
            "ANSIBLE_NOCOLOR": "1",
        }

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


def measure_routes(
    emulator: Emulator, collections_path: Path, scratch: Path, tasks: int, repeat: int
) -> tuple[float, list[RouteResult]]:
    """The empty play's time and each route's result: best time of ``repeat`` runs, requests and logins counted."""
    runner = PlaybookRunner(scratch, collections_path, emulator)
    baseline = min(runner.seconds("empty", {"hosts": "localhost", "tasks": []}) for run in range(repeat))
    results = []
    for number, route in enumerate(ROUTES):
        play = {"hosts": route.hosts, **route.play(emulator, tasks)}
        best = float("inf")
        for run in range(repeat):
            emulator.reset()
            best = min(best, runner.seconds(f"route{number}", play))
        stats = emulator.stats()  # of the last run: every run makes the same requests
        results.append(
            RouteResult(route, (best - baseline) / tasks, sum(stats["requests"].values()) / tasks, stats["logins"])
        )
    return baseline, results


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


def print_route_table(baseline: float, results: list[RouteResult], tasks: int) -> None:
    reference = results[0]
    print(
        f"The same work on every route: {tasks} permission reports for {CUSTOMER}/{USER}, one ansible-playbook run each"
    )
    print(f"(time per task: the run's wall time less an empty play's, {baseline:.2f} s, divided by {tasks})")
    header = f"{'route':<30} {'s per task':>10} {'x (a)':>6} {'API requests per task':>22} {'x (a)':>6} {'logins per play':>16}"
    print(header)
    print("-" * len(header))
    for result in results:
        print(
            f"{result.route.label:<30} {result.seconds_per_task:>10.3f} {result.seconds_per_task / reference.seconds_per_task:>6.2f} "
            f"{result.requests_per_task:>22.2f} {result.requests_per_task / reference.requests_per_task:>6.2f} {result.logins:>16}"
        )
