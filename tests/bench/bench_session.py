# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark: sequential ``execute()`` calls, this collection's DynectSession next to dyn-python 1.8.6.

Both clients log in to the same local emulator, then make the same calls
(``execute('/Session/', 'GET')``); the table shows the time per call and the HTTP requests the
emulator counted for the calls (login excluded), and the ratio of ours to the SDK's.

    python tests/bench/bench_session.py [--calls 1000]
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "emulator"))

from harness import Emulator  # noqa: E402  (needs the path above)

CUSTOMER, USER, PASSWORD = "acme", "ops", "Ops-Passw0rd"
# Far above what the benchmark sends: it measures the clients, not the emulator's throttling.
EMULATOR_RATE_LIMIT = 1_000_000


@dataclass(frozen=True)
class Result:
    client: str
    seconds_per_call: float
    http_requests: int


def link_collection(scratch: Path) -> Path:
    """An ``ansible_collections`` tree in ``scratch`` holding this checkout; returns ``scratch``.

    ``scratch`` then serves as ANSIBLE_COLLECTIONS_PATH and as an import root for the collection.
    """
    (scratch / "ansible_collections" / "dyn").mkdir(parents=True)
    (scratch / "ansible_collections" / "dyn" / "managed_dns").symlink_to(REPO)
    return scratch


def import_collection_session(collections_path: Path) -> type:
    """Our DynectSession, imported from this checkout (through the tree :func:`link_collection` made)."""
    sys.path.insert(0, str(collections_path))
    from ansible_collections.dyn.managed_dns.plugins.module_utils.session import DynectSession

    return DynectSession


def request_total(emulator: Emulator) -> int:
    return sum(emulator.stats()["requests"].values())


def measure(name: str, emulator: Emulator, open_session: Callable[[], object], calls: int) -> Result:
    emulator.reset()
    session = open_session()
    try:
        requests_before = request_total(emulator)
        started = time.perf_counter()
        for call_number in range(calls):
            session.execute("/Session/", "GET")
        elapsed = time.perf_counter() - started
        requests_made = request_total(emulator) - requests_before
    finally:
        session.log_out()
    return Result(name, elapsed / calls, requests_made)


def compare_clients(emulator: Emulator, DynectSession: type, calls: int) -> tuple[Result, Result]:
    """Our client's and dyn-python's results for ``calls`` execute() calls (the emulator must not throttle)."""
    from dyn.tm.session import DynectSession as SdkSession

    logging.disable(logging.CRITICAL)  # the SDK logs every call at DEBUG/INFO; keep the output to the table
    connection = {"host": emulator.host, "port": emulator.port, "ssl": emulator.ssl}
    # Paced as users run it, under a limit the calls never reach: the pacer's cost is counted,
    # its waiting is not (the SDK does not pace).
    ours = measure(
        "dyn.managed_dns",
        emulator,
        lambda: DynectSession(CUSTOMER, USER, PASSWORD, rate_limit=EMULATOR_RATE_LIMIT, **connection),
        calls,
    )
    sdk = measure("dyn-python 1.8.6", emulator, lambda: SdkSession(CUSTOMER, USER, PASSWORD, **connection), calls)
    return ours, sdk


def print_client_table(ours: Result, sdk: Result, calls: int) -> None:
    print(f"{calls} sequential execute('/Session/', 'GET') calls, one session each")
    print(f"{'client':<20} {'ms per call':>12} {'HTTP requests':>14}")
    for result in (ours, sdk):
        print(f"{result.client:<20} {result.seconds_per_call * 1000:>12.3f} {result.http_requests:>14}")
    time_ratio = ours.seconds_per_call / sdk.seconds_per_call
    request_ratio = ours.http_requests / sdk.http_requests
    print(f"{'ratio (ours / SDK)':<20} {time_ratio:>12.2f} {request_ratio:>14.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1000, help="execute() calls per client (default: 1000)")
    calls = parser.parse_args().calls

    with tempfile.TemporaryDirectory() as scratch, Emulator(rate_limit=EMULATOR_RATE_LIMIT) as emulator:
        DynectSession = import_collection_session(link_collection(Path(scratch)))
        ours, sdk = compare_clients(emulator, DynectSession, calls)
    print_client_table(ours, sdk, calls)
    return 0 if ours.http_requests == sdk.http_requests else 1


if __name__ == "__main__":
    sys.exit(main())
