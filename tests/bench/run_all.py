# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every benchmark of the collection in one run against one emulator (``make bench``).

1. The same playbook work on each route (bench_routes.py): time per task, API requests per task,
   logins per play, and the ratios to the connection route.
2. How soon our client returns a job's answer once the job is ready.
3. The per-call cost of our client next to dyn-python 1.8.6 (bench_session.py).

    python tests/bench/run_all.py [--tasks 20] [--repeat 1] [--job-samples 5] [--calls 1000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH), str(BENCH.parents[1] / "tests" / "emulator")]

from bench_routes import (  # noqa: E402  (needs the path above)
    measure_job_return,
    measure_routes,
    print_route_table,
    redirect_job,
    slow_job,
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=20, help="permission reports per route (default: 20)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per route, the best counts (default: 1)")
    parser.add_argument("--job-samples", type=int, default=5, help="jobs to wait for (default: 5)")
    parser.add_argument("--calls", type=int, default=1000, help="execute() calls per client (default: 1000)")
    options = parser.parse_args()

    # Jobs that finish at random moments, between polls as often as not (a fixed seed: comparable runs).
    randomness = random.Random(8)
    slow_jobs = [slow_job(JOB_THRESHOLD + randomness.uniform(0.1, 2.1)) for sample in range(options.job_samples)]
    emulator = Emulator(rate_limit=EMULATOR_RATE_LIMIT, job_threshold=JOB_THRESHOLD)
    with emulator, tempfile.TemporaryDirectory() as scratch:
        collections_path = link_collection(Path(scratch) / "collections")
        DynectSession = import_collection_session(collections_path)
        baseline, routes = measure_routes(emulator, collections_path, Path(scratch), options.tasks, options.repeat)
        redirect_latencies = measure_job_return(emulator, DynectSession, [redirect_job()] * options.job_samples)
        slow_latencies = measure_job_return(emulator, DynectSession, slow_jobs)
        ours, sdk = compare_clients(emulator, DynectSession, options.calls)

    print_route_table(baseline, routes, options.tasks)
    print()
    print(f"Job ready -> our client returns its answer ({options.job_samples} jobs each, default poll_interval 1 s)")
    for label, latencies in (
        ("307, job ready 1 s later", redirect_latencies),
        ("slow work, job ready at a random time", slow_latencies),
    ):
        print(
            f"  {label:<40} median {statistics.median(latencies) * 1000:7.1f} ms   max {max(latencies) * 1000:7.1f} ms"
        )
    print()
    print_client_table(ours, sdk, options.calls)
    return 0


if __name__ == "__main__":
    sys.exit(main())
