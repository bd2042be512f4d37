# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark: N record changes on one account and one publish, with the collection and without it.

- the collection: one looped ``dyn_record_set`` task (``publish: false``) on the account's host of
  the dynect connection, then one ``dyn_zone_changes state=published``: every change and the
  publish in the connection's one session; each change reads its set first (idempotence);
- ``ansible.builtin.uri``: a login, one looped task that creates each record (``POST``), the
  publish and the logout, as one writes it without a session layer (no read, so no idempotence).

Both make the same N records live with one publish. Wall time of the whole play (set-up included),
the median of the repetitions, each after an emulator reset; the requests and publishes are the
emulator's counters. Run through ``run_all.py`` (``make bench``).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bench_routes import HOST, PlaybookRunner, settled_stats
from bench_session import CUSTOMER, PASSWORD, USER
from harness import Emulator

ZONE = "example.com"
PUBLISH = "PUT /REST/Zone"


def _names(changes: int) -> list[dict[str, str]]:
    return [{"prefix": f"bench-{number}", "address": f"192.0.2.{number % 250 + 1}"} for number in range(changes)]


def _collection_play(emulator: Emulator, changes: int) -> dict[str, Any]:
    """The collection on the connection route: the changes pending in the play's session, one publish."""
    return {
        "hosts": HOST,
        "tasks": [
            {
                "name": "Change the records (pending)",
                "dyn.managed_dns.dyn_record_set": {
                    "zone": ZONE, "prefix": "{{ item.prefix }}", "type": "A", "ttl": 300, "value": ["{{ item.address }}"], "publish": False,
                },
                "loop": _names(changes),
            },
            {"name": "Publish once", "dyn.managed_dns.dyn_zone_changes": {"zone": ZONE, "state": "published"}},
        ],
    }


def _uri_play(emulator: Emulator, changes: int) -> dict[str, Any]:
    """``ansible.builtin.uri``: log in, create each record, publish, log out."""

    def call(name: str, method: str, resource: str, **options: Any) -> dict[str, Any]:
        headers = {"Content-Type": "application/json", "Auth-Token": "{{ login.json.data.token }}"}
        return {
            "name": name,
            "ansible.builtin.uri": {"url": f"{emulator.url}/REST/{resource}", "method": method, "headers": headers, "body_format": "json", **options},
            "no_log": True,  # every header carries the token
        }

    credentials = {"customer_name": CUSTOMER, "user_name": USER, "password": PASSWORD}
    login = {"url": f"{emulator.url}/REST/Session/", "method": "POST", "body_format": "json", "body": credentials}
    return {
        "hosts": "localhost",
        "tasks": [
            {"name": "Log in", "ansible.builtin.uri": login, "register": "login", "no_log": True},
            {
                **call("Create the records", "POST", f"ARecord/{ZONE}/{{{{ item.prefix }}}}.{ZONE}/",
                       body={"rdata": {"address": "{{ item.address }}"}, "ttl": 300}),
                "loop": _names(changes),
            },
            call("Publish once", "PUT", f"Zone/{ZONE}/", body={"publish": True}),
            call("Log out", "DELETE", "Session/"),
        ],
    }


@dataclass(frozen=True)
class RecordsResult:
    """One way of making the changes: median wall time and the emulator's counters of the last run."""

    label: str
    seconds: float
    requests: int
    publishes: int
    records: int  # the zone's published records named bench-*


WAYS: tuple[tuple[str, Callable[[Emulator, int], dict[str, Any]]], ...] = (
    ("collection: dynect connection, dyn_record_set + one dyn_zone_changes", _collection_play),
    ("ansible.builtin.uri: login, POST per record, publish, logout", _uri_play),
)


def _run_once(runner: PlaybookRunner, emulator: Emulator, way: Callable[[Emulator, int], dict[str, Any]], changes: int) -> tuple[float, dict[str, Any], int]:
    emulator.reset()
    seconds = runner.seconds(f"records-{way.__name__.strip('_')}", way(emulator, changes))
    stats = settled_stats(emulator)
    made = sum(1 for record in emulator.zone(ZONE)["records"] if record["fqdn"].startswith("bench-"))
    return seconds, stats, made


def measure_records(runner: PlaybookRunner, emulator: Emulator, changes: int, repeat: int) -> list[RecordsResult]:
    """Each way, ``repeat`` times interleaved; raises when a way did not make exactly ``changes`` records live."""
    runs: dict[str, list[tuple[float, dict[str, Any], int]]] = {label: [] for label, way in WAYS}
    for repetition in range(repeat):
        for label, way in WAYS:
            runs[label].append(_run_once(runner, emulator, way, changes))
    results = []
    for label, taken in runs.items():
        seconds, stats, made = taken[-1]
        if made != changes:
            raise RuntimeError(f"{label}: {made} of {changes} records were published")
        seconds = statistics.median(run[0] for run in taken)
        results.append(RecordsResult(label, seconds, sum(stats["requests"].values()), stats["requests"].get(PUBLISH, 0), made))
    return results


def print_records(results: list[RecordsResult], changes: int, repeat: int) -> None:
    """The record-changes table."""
    print(f"{changes} record changes on one account, published once (whole play, median of {repeat})")
    print(f"  {'way':<72}{'s':>8}{'s/change':>10}{'requests':>10}{'publishes':>11}")
    for result in results:
        print(f"  {result.label:<72}{result.seconds:8.2f}{result.seconds / changes:10.3f}{result.requests:10d}{result.publishes:11d}")
    ours, uri = results
    print(f"  the collection takes {ours.seconds / uri.seconds:.2f}x the time of the uri play, reading every set first (idempotence)")
