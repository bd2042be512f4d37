# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark: many accounts at once on the dynect connection, and a burst of calls on one account that pacing holds back.

Many accounts (``make bench``: 50 accounts x 10 tasks): one play of 10 ``dyn_permissions_info``
tasks on 50 dynect hosts, forks 10. Every host is its own account: 50 customers (``bench01`` ...
``bench50``, user ``ops`` each) are added to the emulator's default accounts, and no host sets
``ansible_host``, so each keys its own ``ansible-connection`` helper by its own name. The result
is the wall time of the whole ``ansible-playbook`` run, start-up included: what a user waits for.

Burst (optional, ``--burst N``; 0, the default, skips it): one dynect host runs one task with
``loop: "{{ range(N) | list }}"`` of ``dyn_permissions_info``. Every item works in the host's one
session, so all the calls share the connection's pacing (``dyn_rate_limit``); the emulator's limit
is set to the same value. The run proves that pacing keeps under the limit (every request is
counted once: a 429 would make the client send it again) and shows how much of the wall time is
pacing.

How long pacing must take: the pacer, like the API, counts requests over a sliding minute; the
first ``limit`` requests go at full speed, and each later one waits until the one ``limit``
requests before it is a minute old. So requests go out in windows of ``limit``, a window a minute,
and the R requests of the play (the login and the N calls; the helper logs out once
ansible-playbook has ended) need at least ceil((R - limit) / limit) windows of 60 s past the first
one: "the calls beyond the limit, at the limit's rate", counted in whole windows because a
window's requests go at once. Wall time above that minimum is Ansible's (and the calls' own).

Why the default ``--burst-rate-limit`` is DynECT's own 300 a minute: a loop item on this
connection costs Ansible a few hundredths of a second. ansible-core starts an
``ansible-connection`` process only for the host's first task (the connection finds the play's
helper running for every later task and loop item, see its documentation), so Ansible alone would
make well over 1,000 calls a minute, and every window waits for pacing. ``--burst 1000`` (the
``make bench`` default) then takes at least 180 s: 1,001 requests, 300 at once, then three windows
past the first. Until the connection handed its tasks to the running helper itself, every loop
item paid for its own ``ansible-connection`` start (0.3-0.45 s on 2 cores), Ansible made at most
some 130-200 calls a minute, and the burst had to run at 100 a minute for pacing to show. For the
last window to hold one call only, make N a multiple of the limit: the run then takes N / limit
minutes and a little more. The pacing works alike at every limit.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench_routes import REPORT, REPORT_REQUEST, PlaybookRunner, dynect_host, settled_stats
from bench_session import CUSTOMER, PASSWORD, USER
from harness import DEFAULT_ACCOUNTS, Emulator

LOAD_FORKS = 10
LOAD_USER = "ops"
DEFAULT_BURST_RATE_LIMIT = 300  # DynECT's own limit: requests per minute and account
# Seconds: the window of DynECT's rate limit, of the client's pacer and of the emulator's limiter.
RATE_WINDOW = 60.0
BURST_HOST = "acme-ops-burst"


def _load_customer(number: int) -> dict[str, Any]:
    """Generated account ``number``: a customer of its own, with one zone and one user."""
    return {
        "name": f"bench{number:02d}",
        "zones": [f"zone{number:02d}.bench.example"],
        "users": [{"user_name": LOAD_USER, "password": f"Bench-Account-{number:02d}", "permissions": ["ZoneGet", "RecordGet"]}],
    }


def write_accounts(path: Path, accounts: int) -> Path:
    """The emulator's default accounts plus ``accounts`` customers of one user each, written to ``path``."""
    document = json.loads(DEFAULT_ACCOUNTS.read_text())
    document["customers"] += [_load_customer(number) for number in range(1, accounts + 1)]
    path.write_text(json.dumps(document))
    return path


def load_inventory(emulator: Emulator, accounts: int) -> dict[str, Any]:
    """One dynect host per generated account, in the group ``accounts``; no host shares an ``ansible_host``."""
    hosts = {}
    for number in range(1, accounts + 1):
        customer = _load_customer(number)
        user = customer["users"][0]
        hosts[customer["name"]] = dynect_host(emulator, customer["name"], user["user_name"], user["password"])
    return {"all": {"children": {"accounts": {"hosts": hosts}}}}


def measure_load(runner: PlaybookRunner, emulator: Emulator, accounts: int, tasks: int) -> float:
    """Wall time of one play of ``tasks`` reports on every account's host; raises unless each account logged in once."""
    emulator.reset()
    play = {"hosts": "accounts", "tasks": [{"name": f"Report {number}", **REPORT} for number in range(tasks)]}
    seconds = runner.seconds(f"load-{accounts}x{tasks}", play)
    logins = settled_stats(emulator)["logins"]
    if logins != accounts:
        raise RuntimeError(f"{accounts} accounts x {tasks} tasks: {logins} logins, not one per account")
    return seconds


def print_load(accounts: int, tasks: int, seconds: float, baseline: float | None) -> None:
    """The many-accounts line of the table, with the speed-up over ``baseline`` when one was given."""
    versus = "no baseline given (--baseline-50x10 SECONDS)"
    if baseline:
        versus = f"baseline {baseline:.2f} s -> {baseline / seconds:.2f}x faster"
    label = f"{accounts} accounts x {tasks} tasks, dynect connection, forks {LOAD_FORKS}"
    print(f"{label}: one play {seconds:.2f} s (median)   {versus}")


def pacing_windows(requests: int, rate_limit: int) -> int:
    """Whole windows past the first that ``requests`` sent back to back must wait for at ``rate_limit`` a window."""
    return math.ceil(max(0, requests - rate_limit) / rate_limit)


@dataclass(frozen=True)
class BurstResult:
    """What a burst measured, and the minimum the pacing sets for it."""

    calls: int
    rate_limit: int
    seconds: float  # wall time of the ansible-playbook run

    @property
    def requests(self) -> int:
        """The requests of the play: the login and the calls (the logout comes once ansible-playbook has ended)."""
        return self.calls + 1

    @property
    def windows(self) -> int:
        """Windows past the first the play's requests must wait for."""
        return pacing_windows(self.requests, self.rate_limit)

    @property
    def minimum(self) -> float:
        """Seconds the pacing alone makes the play take, at the least."""
        return self.windows * RATE_WINDOW


def burst_inventory(emulator: Emulator, rate_limit: int) -> dict[str, Any]:
    """One dynect host of acme/ops, paced at ``rate_limit`` requests a minute."""
    return {"all": {"hosts": {BURST_HOST: dynect_host(emulator, CUSTOMER, USER, PASSWORD, dyn_rate_limit=rate_limit)}}}


def measure_burst(scratch: Path, collections_path: Path, calls: int, rate_limit: int) -> BurstResult:
    """``calls`` reports in one looped task against an emulator limited to ``rate_limit`` a minute, as the client paces.

    Raises when the play failed, or when a request was refused and sent again (the counts would not be exact).
    """
    with Emulator(rate_limit=rate_limit) as emulator:
        runner = PlaybookRunner(scratch, collections_path, burst_inventory(emulator, rate_limit), name="burst-inventory")
        task = {"name": "Burst", **REPORT, "loop": f"{{{{ range({calls}) | list }}}}", "loop_control": {"label": "{{ item }}"}}
        seconds = runner.seconds("burst", {"hosts": BURST_HOST, "tasks": [task]})
        # The logout may wait for pacing too: up to a window.
        stats = settled_stats(emulator, grace=2 * RATE_WINDOW)
    counted = {"logins": stats["logins"], "reports": stats["requests"].get(REPORT_REQUEST, 0), "logouts": stats["logouts"]}
    if counted != {"logins": 1, "reports": calls, "logouts": 1}:
        raise RuntimeError(f"burst of {calls}: counted {counted}; a request was refused and sent again")
    return BurstResult(calls, rate_limit, seconds)


def print_burst(result: BurstResult | None, rate_limit: int) -> None:
    """The burst's section: calls, wall time, pacing's minimum and its share; or why it was skipped."""
    if result is None:
        minimum = pacing_windows(1001, rate_limit) * RATE_WINDOW
        print(f"Burst on one account: skipped (--burst 0). At --burst-rate-limit {rate_limit},")
        print(f"--burst 1000 takes at least {minimum:.0f} s of pacing (bench_load.py says why that limit).")
        return
    print(f"Burst on one account: {result.calls} dyn_permissions_info calls in one looped task on one dynect host,")
    print(f"dyn_rate_limit {result.rate_limit}/min = the emulator's limit; no request refused")
    print(f"  {'requests of the play (login, calls)':<40} {result.requests:>9}")
    print(f"  {'wall time of the play':<40} {result.seconds:>9.1f} s")
    beyond = max(0, result.requests - result.rate_limit)
    print(
        f"  {'pacing minimum':<40} {result.minimum:>9.1f} s   (requests beyond the limit: {beyond};"
        f" at {result.rate_limit} a {RATE_WINDOW:.0f} s window, windows to wait for: {result.windows})"
    )
    print(f"  {'share of the wall time that is pacing':<40} {result.minimum / result.seconds:>9.1%}")
