# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every benchmark of the collection in one run against one emulator (``make bench``).

1. Per task, on each route (bench_routes.py), beside two floors measured in the same run (an
   ``ansible.builtin.debug`` task and an ``ansible.builtin.ping`` module): time per task, its ratio
   to the module floor, API requests per task, logins per play. Then the wall time of one play of
   50 accounts x 10 tasks on the dynect connection, forks 10 (bench_load.py), with its speed-up
   over a baseline when given, and the targets as reference lines.
2. How soon our client returns a job's answer once the job is ready.
3. The per-call cost of our client next to dyn-python 1.8.6 (bench_session.py).
4. N record changes on one account, published once: the collection on the connection route
   against ``ansible.builtin.uri`` (bench_records.py).
5. A zone's desired state (bench_zone_sets.py): N new sets in one zone and the same N again,
   one ``dyn_record_sets`` task, a looped ``dyn_record_set`` and ``ansible.builtin.uri``, at the
   emulator's speed and with every answer 50 ms late, beside issue #24's targets.
6. A burst (``--burst N``, default 1000; 0 skips it): N calls in one looped task on one account,
   held back by pacing (bench_load.py explains the minimum and the default ``--burst-rate-limit``).

    python tests/bench/run_all.py [--tasks 20] [--repeat 3] [--accounts 50] [--account-tasks 10]
        [--baseline-50x10 SECONDS] [--record-changes 100] [--burst 1000] [--burst-rate-limit 300]
        [--zone-sets 100] [--zone-repeat 3] [--job-samples 5] [--calls 1000]
"""

from __future__ import annotations

import argparse
import functools
import random
import statistics
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH), str(BENCH.parents[1] / "tests" / "emulator")]

from bench_load import (  # noqa: E402  (needs the path above)
    DEFAULT_BURST_RATE_LIMIT,
    LOAD_FORKS,
    load_inventory,
    measure_burst,
    measure_load,
    print_burst,
    print_load,
    write_accounts,
)
from bench_records import measure_records, print_records  # noqa: E402
from bench_zone_sets import measure_zone_sets, print_zone_sets  # noqa: E402
from bench_routes import (  # noqa: E402
    KindResult,
    PlaybookRunner,
    kind_measurements,
    interleave,
    measure_job_return,
    print_route_table,
    redirect_job,
    route_inventory,
    route_ratio,
    slow_job,
    summarize,
)
from bench_session import (  # noqa: E402
    EMULATOR_RATE_LIMIT,
    compare_clients,
    import_collection_session,
    link_collection,
    print_client_table,
)
from harness import Emulator  # noqa: E402

# Slow work turns into a job after this long (the real API: 5 s), so that slow jobs stay short.
JOB_THRESHOLD = 0.2
# Targets of issue #15, printed beside the numbers for reference (nothing fails on them).
# (label, the route's label prefix, at most this many times the module floor)
TARGET_RATIOS = (("(b) direct, one session", "(b)", 0.4), ("(a) connection route", "(a)", 1.5))
TARGET_LOAD_SPEEDUP = 1.8  # the 50 x 10 play at least this many times faster than the baseline


def _at_least(minimum: int) -> Callable[[str], int]:
    """An argparse type: a whole number not below ``minimum``."""

    def parse(text: str) -> int:
        """The whole number in ``text``, or an argparse error."""
        value = int(text)
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, not {value}")
        return value

    return parse


def parse_options() -> argparse.Namespace:
    """The command line; the defaults are what ``make bench`` measures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add = parser.add_argument
    add("--tasks", type=_at_least(2), default=20, help="N: tasks of the long play of every kind (default: 20)")
    add("--repeat", type=_at_least(1), default=3, help="interleaved repetitions, the median counts (default: 3)")
    add("--accounts", type=_at_least(0), default=50, help="accounts of the many-accounts play; 0 skips it (default: 50)")
    add("--account-tasks", type=_at_least(1), default=10, help="tasks per account in that play (default: 10)")
    add("--baseline-50x10", type=float, metavar="SECONDS", help="that play's wall time measured elsewhere (e.g. an older commit)")
    add("--record-changes", type=_at_least(0), default=100, help="record changes of the records play; 0 skips it (default: 100)")
    add("--zone-sets", type=_at_least(0), default=100, help="new sets of the zone-sets play (issue #24); 0 skips it (default: 100)")
    add("--zone-repeat", type=_at_least(1), default=3, help="runs of each dyn_record_sets way of the zone-sets play, the median counts (default: 3)")
    add("--burst", type=_at_least(0), default=1000, metavar="N", help="calls of the paced burst on one account; 0 skips it (default: 1000)")
    add("--burst-rate-limit", type=_at_least(1), default=DEFAULT_BURST_RATE_LIMIT,
        help="the burst's requests per minute, client and emulator alike (default: %(default)s)")
    add("--job-samples", type=_at_least(1), default=5, help="jobs to wait for (default: 5)")
    add("--calls", type=_at_least(1), default=1000, help="execute() calls per client (default: 1000)")
    return parser.parse_args()


def measure_plays(
    emulator: Emulator, collections_path: Path, scratch: Path, options: argparse.Namespace
) -> tuple[list[KindResult], float | None]:
    """Every kind's per-task result and the many-accounts play's median wall time (None when skipped), interleaved."""
    runner = PlaybookRunner(scratch, collections_path, route_inventory(emulator))
    measurements = kind_measurements(runner, emulator, options.tasks)
    if options.accounts:
        inventory = load_inventory(emulator, options.accounts)
        load_runner = PlaybookRunner(scratch, collections_path, inventory, name="load-inventory", forks=LOAD_FORKS)
        measurements.append(functools.partial(measure_load, load_runner, emulator, options.accounts, options.account_tasks))
    samples = interleave(measurements, options.repeat)
    load_seconds = statistics.median(samples.pop()) if options.accounts else None
    return summarize(samples), load_seconds


def _print_target(label: str, target: str, measured: float | None, met: bool, missing: str = "") -> None:
    """One target line: the target and, when there is one, the measured value and whether it meets it."""
    shown = f"measured {measured:5.2f}x   {'met' if met else 'NOT met'}" if measured is not None else missing
    print(f"  {label:<26} {target:<36} {shown}")


def print_targets(results: list[KindResult], load_seconds: float | None, baseline: float | None) -> None:
    """The targets, each beside what this run measured (reference lines: nothing fails on them)."""
    print("Targets (issue #15, for reference)")
    for label, prefix, bound in TARGET_RATIOS:
        ratio = route_ratio(results, prefix)
        _print_target(label, f"<= {bound:.2f}x the module floor", ratio, ratio <= bound)
    speedup = baseline / load_seconds if load_seconds and baseline else None
    missing = "(skipped: --accounts 0)" if load_seconds is None else "(pass --baseline-50x10 SECONDS)"
    met = speedup is not None and speedup >= TARGET_LOAD_SPEEDUP
    _print_target("50 accounts x 10 tasks", f">= {TARGET_LOAD_SPEEDUP:.2f}x faster than the baseline", speedup, met, missing)


def print_job_table(samples: int, redirect_latencies: list[float], slow_latencies: list[float]) -> None:
    """How soon our client returned each job's answer once the job was ready."""
    print(f"Job ready -> our client returns its answer ({samples} jobs each, default poll_interval 1 s)")
    for label, latencies in (
        ("307, job ready 1 s later", redirect_latencies),
        ("slow work, job ready at a random time", slow_latencies),
    ):
        print(
            f"  {label:<40} median {statistics.median(latencies) * 1000:7.1f} ms   max {max(latencies) * 1000:7.1f} ms"
        )


def main() -> int:
    """Measure everything against one emulator (the burst against its own), then print the tables."""
    options = parse_options()
    # Jobs that finish at random moments, between polls as often as not (a fixed seed: comparable runs).
    randomness = random.Random(8)
    slow_jobs = [slow_job(JOB_THRESHOLD + randomness.uniform(0.1, 2.1)) for sample in range(options.job_samples)]
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        collections_path = link_collection(scratch / "collections")
        DynectSession = import_collection_session(collections_path)
        accounts = write_accounts(scratch / "accounts.json", options.accounts)
        with Emulator(accounts=accounts, rate_limit=EMULATOR_RATE_LIMIT, job_threshold=JOB_THRESHOLD) as emulator:
            results, load_seconds = measure_plays(emulator, collections_path, scratch, options)
            records = None
            if options.record_changes:
                runner = PlaybookRunner(scratch, collections_path, route_inventory(emulator), name="records-inventory")
                records = measure_records(runner, emulator, options.record_changes, options.repeat)
            zone_sets = None
            if options.zone_sets:
                runner = PlaybookRunner(scratch, collections_path, route_inventory(emulator), name="zone-sets-inventory")
                zone_sets = measure_zone_sets(runner, emulator, options.zone_sets, options.zone_repeat)
            redirect_latencies = measure_job_return(emulator, DynectSession, [redirect_job()] * options.job_samples)
            slow_latencies = measure_job_return(emulator, DynectSession, slow_jobs)
            ours, sdk = compare_clients(emulator, DynectSession, options.calls)
        burst = measure_burst(scratch, collections_path, options.burst, options.burst_rate_limit) if options.burst else None

    print_route_table(results, options.tasks, options.repeat)
    if load_seconds is not None:
        print_load(options.accounts, options.account_tasks, load_seconds, options.baseline_50x10)
    print_targets(results, load_seconds, options.baseline_50x10)
    print()
    print_job_table(options.job_samples, redirect_latencies, slow_latencies)
    print()
    print_client_table(ours, sdk, options.calls)
    print()
    if records:
        print_records(records, options.record_changes, options.repeat)
        print()
    if zone_sets:
        print_zone_sets(*zone_sets, options.zone_sets, options.zone_repeat)
        print()
    print_burst(burst, options.burst_rate_limit)
    return 0


if __name__ == "__main__":
    sys.exit(main())
