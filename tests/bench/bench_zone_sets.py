# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark: a zone's desired state at the API's limit (issue #24).

N new single-value sets in one zone, published once (apply), then the same N again (no-op), three
ways: one ``dyn_record_sets`` task and a looped ``dyn_record_set`` with one ``dyn_zone_changes``,
both on the account's dynect host, and ``ansible.builtin.uri`` (apply only: it cannot tell that
nothing is to do). Each at the emulator's own speed and with every answer 50 ms late (the slow
fault, a WAN). DynECT allows about 300 requests a minute per customer, so the requests a way
spends are what bounds a play; the wall time at 50 ms shows how much Ansible adds beyond them,
beside a one-task ``debug`` play measured in the same run (Ansible's own fixed cost). The targets
are printed beside the numbers (nothing fails on them). Run through ``run_all.py`` (``make bench``),
or alone, for some of its ways and speeds (``--help``):

    python tests/bench/bench_zone_sets.py [--zone-sets 100] [--zone-repeat 3] [--way connection ...] [--wan-only]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parents[1] / "emulator")]

from bench_records import ZONE, _names, _uri_play  # noqa: E402  (needs the path above)
from bench_routes import HOST, PlaybookRunner, route_inventory, settled_stats  # noqa: E402  (needs the path above)
from bench_session import CUSTOMER, EMULATOR_RATE_LIMIT, PASSWORD, USER, link_collection  # noqa: E402
from harness import Emulator  # noqa: E402

WAN_SECONDS = 0.05  # the slow fault's delay per answer
_ENOUGH = 1_000_000  # slow answers armed for a whole measurement (a reset disarms them)


def _record_sets_task(changes: int) -> dict[str, Any]:
    """One ``dyn_record_sets`` task: one read of the zone, one write per changed set, one publish."""
    sets = [{"prefix": name["prefix"], "type": "A", "ttl": 300, "value": [name["address"]]} for name in _names(changes)]
    return {"name": "The zone's sets", "dyn.managed_dns.dyn_record_sets": {"zone": ZONE, "record_sets": sets}}


def _record_sets_play(emulator: Emulator, changes: int) -> dict[str, Any]:
    """The task on the account's dynect host: the connection's helper logs in and out."""
    return {"hosts": HOST, "tasks": [_record_sets_task(changes)]}


def _direct_record_sets_play(emulator: Emulator, changes: int) -> dict[str, Any]:
    """The task on the controller with the account's credentials: it logs in and out itself."""
    account = {"host": emulator.host, "port": emulator.port, "ssl": emulator.ssl, "customer": CUSTOMER, "username": USER, "password": PASSWORD}
    return {"hosts": "localhost", "module_defaults": {"group/dyn.managed_dns.dyn": account}, "tasks": [_record_sets_task(changes)]}


def _looped_play(emulator: Emulator, changes: int) -> dict[str, Any]:
    """A looped ``dyn_record_set`` (pending in the play's session), then one ``dyn_zone_changes``."""
    change = {"zone": ZONE, "prefix": "{{ item.prefix }}", "type": "A", "ttl": 300, "value": ["{{ item.address }}"], "publish": False}
    return {
        "hosts": HOST,
        "tasks": [
            {"name": "Each set (pending)", "dyn.managed_dns.dyn_record_set": change, "loop": _names(changes)},
            {"name": "Publish once", "dyn.managed_dns.dyn_zone_changes": {"zone": ZONE, "state": "published"}},
        ],
    }


def _debug_play(emulator: Emulator, changes: int) -> dict[str, Any]:
    return {"hosts": "localhost", "tasks": [{"name": "Ansible's own fixed cost", "ansible.builtin.debug": {"msg": "x"}}]}


@dataclass(frozen=True)
class Way:
    key: str  # its name on the command line
    label: str
    play: Callable[[Emulator, int], dict[str, Any]]
    idempotent: bool  # whether the same sets again are worth measuring (a no-op)
    targeted: bool  # whether issue #24 sets targets for it: only those ways are repeated (the median counts)


WAYS = (
    Way("connection", "dyn_record_sets, one task, dynect connection", _record_sets_play, True, True),
    Way("direct", "dyn_record_sets, one task, direct route", _direct_record_sets_play, True, True),
    Way("looped", "dyn_record_set looped + dyn_zone_changes", _looped_play, True, False),
    Way("uri", "ansible.builtin.uri: login, POST each, publish, logout", _uri_play, False, False),
)


@dataclass(frozen=True)
class Run:
    seconds: float
    requests: int


@dataclass(frozen=True)
class ZoneSetsResult:
    label: str
    delay: float  # seconds each answer is late
    apply: Run
    no_op: Run | None


def _played(runner: PlaybookRunner, emulator: Emulator, name: str, play: dict[str, Any]) -> Run:
    """Wall time and API requests of one play (the emulator's counters, read after its logout)."""
    before = sum(settled_stats(emulator)["requests"].values())
    seconds = runner.seconds(name, play)
    return Run(seconds, sum(settled_stats(emulator)["requests"].values()) - before)


def _measure_way(runner: PlaybookRunner, emulator: Emulator, way: Way, changes: int, delay: float) -> ZoneSetsResult:
    emulator.reset()
    if delay:
        emulator.fault("slow", count=_ENOUGH, seconds=delay)
    play = way.play(emulator, changes)
    apply = _played(runner, emulator, f"zone-sets-{way.play.__name__.strip('_')}", play)
    made = sum(1 for record in emulator.zone(ZONE)["records"] if record["fqdn"].startswith("bench-"))
    if made != changes:
        raise RuntimeError(f"{way.label}: {made} of {changes} sets were published")
    no_op = _played(runner, emulator, f"zone-sets-{way.play.__name__.strip('_')}-again", play) if way.idempotent else None
    return ZoneSetsResult(way.label, delay, apply, no_op)


def measure_zone_sets(
    runner: PlaybookRunner, emulator: Emulator, changes: int, repeat: int, ways: Sequence[Way] = WAYS, delays: Sequence[float] = (0.0, WAN_SECONDS)
) -> tuple[list[ZoneSetsResult], float]:
    """Every way at both speeds (the median of ``repeat`` runs of a targeted way, one run of the others), and the one-task debug play's median wall time.

    The debug play runs right before each run of a targeted way, so that the fixed cost the
    targets allow for is measured at the same time as what they hold (a shared machine's speed
    drifts over minutes); when no targeted way is measured, it runs three times at the end.
    """
    results = []
    debug_runs: list[float] = []
    for delay in delays:
        for way in ways:
            runs = []
            for _repetition in range(repeat if way.targeted else 1):
                if way.targeted:
                    debug_runs.append(runner.seconds("zone-sets-debug", _debug_play(emulator, 1)))
                runs.append(_measure_way(runner, emulator, way, changes, delay))
            results.append(_median(runs))
    emulator.reset()
    while len(debug_runs) < 3:
        debug_runs.append(runner.seconds("zone-sets-debug", _debug_play(emulator, 1)))
    return results, statistics.median(debug_runs)


def _median(runs: list[ZoneSetsResult]) -> ZoneSetsResult:
    """The runs' median wall times, with the last run's request counts (they do not vary)."""
    last = runs[-1]
    apply = Run(statistics.median(run.apply.seconds for run in runs), last.apply.requests)
    no_op = None if last.no_op is None else Run(statistics.median(run.no_op.seconds for run in runs if run.no_op), last.no_op.requests)
    return ZoneSetsResult(last.label, last.delay, apply, no_op)


def print_zone_sets(results: list[ZoneSetsResult], debug: float, changes: int, repeat: int) -> None:
    """The table, then the targets of issue #24 beside the numbers."""
    print(f"{changes} new single-value sets in one zone, published once, then the same {changes} again (no-op); "
          f"dyn_record_sets: median of {repeat} runs, the others: 1 run")
    print(f"  {'way':<56}{'answer':>8}{'apply s':>9}{'requests':>10}{'no-op s':>9}{'requests':>10}")
    for result in results:
        no_op = f"{result.no_op.seconds:9.2f}{result.no_op.requests:10d}" if result.no_op else f"{'-':>9}{'-':>10}"
        print(f"  {result.label:<56}{result.delay * 1000:6.0f}ms{result.apply.seconds:9.2f}{result.apply.requests:10d}{no_op}")
    print(f"  one-task debug play (Ansible's own fixed cost), run before each dyn_record_sets run: {debug:.2f} s")
    print("Targets (issue #24, for reference)")
    for line in zone_sets_targets(results, debug, changes):
        print(f"  {line}")


def zone_sets_targets(results: list[ZoneSetsResult], debug: float, changes: int) -> list[str]:
    """Each target of dyn_record_sets, on each route, with its measure and whether it is met."""
    lines = []
    for way in (way for way in WAYS if way.targeted):
        route = way.label.rpartition(", ")[2]
        fast, slow = (next((result for result in results if result.label == way.label and result.delay == delay), None) for delay in (0.0, WAN_SECONDS))
        if fast is not None:
            lines += [
                _target(route, f"apply requests <= {changes} + 4", fast.apply.requests, changes + 4),
                _target(route, "no-op requests <= 3", fast.no_op.requests if fast.no_op else 0, 3),
            ]
        for name, run in (("apply", slow.apply), ("no-op", slow.no_op)) if slow is not None else ():
            if run is not None:
                beyond = run.seconds - run.requests * WAN_SECONDS
                lines.append(_target(route, f"at 50 ms, {name}: wall - requests x 50 ms <= debug + 1 s", beyond, debug + 1.0, unit="s"))
    return lines


def _target(route: str, what: str, measured: float, limit: float, unit: str = "") -> str:
    shown = f"{measured:.2f} {unit}".strip() if unit else f"{measured:g}"
    bound = f"{limit:.2f} {unit}".strip() if unit else f"{limit:g}"
    return f"{route:<18} {what:<54} measured {shown:>8} (limit {bound})   {'met' if measured <= limit else 'NOT MET'}"


def main() -> int:
    """This benchmark alone, for the ways and speeds asked, against its own emulator; prints its table and targets."""
    parser = argparse.ArgumentParser(description="A zone's desired state at the API's limit (issue #24), alone: some ways, some speeds.")
    parser.add_argument("--zone-sets", type=int, default=100, help="new sets of the zone-sets play (default: 100)")
    parser.add_argument("--zone-repeat", type=int, default=3, help="runs of each dyn_record_sets way, the median counts (default: 3)")
    parser.add_argument("--way", action="append", choices=[way.key for way in WAYS], help="a way to measure (repeatable; default: all)")
    parser.add_argument("--wan-only", action="store_true", help="only with every answer 50 ms late")
    options = parser.parse_args()
    ways = [way for way in WAYS if options.way is None or way.key in options.way]
    delays = (WAN_SECONDS,) if options.wan_only else (0.0, WAN_SECONDS)
    with tempfile.TemporaryDirectory() as scratch_name, Emulator(rate_limit=EMULATOR_RATE_LIMIT, job_threshold=0.2) as emulator:  # as run_all.py
        scratch = Path(scratch_name)
        runner = PlaybookRunner(scratch, link_collection(scratch / "collections"), route_inventory(emulator), name="zone-sets-inventory")
        results, debug = measure_zone_sets(runner, emulator, options.zone_sets, options.zone_repeat, ways, delays)
    print_zone_sets(results, debug, options.zone_sets, options.zone_repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
