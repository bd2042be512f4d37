# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The dynect helper's watch on ansible-playbook, on a fake clock (issue #22, item 7).

The integration target connection_recovery kills ansible-playbook during a slow call and reads
the emulator's open sessions; here each rule is proved without waiting.
"""

from __future__ import annotations

import os
import threading

import pytest

from ansible_collections.dyn.managed_dns.plugins.module_utils.errors import DynectConfigError
from ansible_collections.dyn.managed_dns.plugins.plugin_utils import _playbook_watch
from ansible_collections.dyn.managed_dns.plugins.plugin_utils._playbook_watch import PlaybookWatch, playbook_alive


class FakeWorld:
    """ansible-playbook's life, a clock that only moves when the watcher sleeps, and what the watcher did."""

    def __init__(self, alive_checks: int, ends_after_signals: int | None = None) -> None:
        self.alive_checks = alive_checks  # how many checks still find ansible-playbook
        self.ends_after_signals = ends_after_signals
        self.clock = 0.0
        self.signals: list[float] = []
        self.ended_by_watcher: list[float] = []
        self.records: list[str] = []

    def alive(self, pid: int) -> bool:
        assert pid == 4242
        self.alive_checks -= 1
        return self.alive_checks >= 0

    def sleep(self, seconds: float) -> None:
        self.clock += seconds

    def stop(self) -> None:
        self.signals.append(self.clock)
        if self.ends_after_signals is not None and len(self.signals) >= self.ends_after_signals:
            raise SystemExit  # the helper shut down: the daemon thread dies with its process

    def watch(self) -> PlaybookWatch:
        return PlaybookWatch(
            4242,
            stop_now=lambda: self.ended_by_watcher.append(self.clock),
            record=self.records.append,
            stop=self.stop,
            alive=self.alive,
            sleep=self.sleep,
        )


def test_the_helper_is_stopped_within_a_check_of_ansible_playbook_going():
    world = FakeWorld(alive_checks=3, ends_after_signals=1)
    with pytest.raises(SystemExit):
        world.watch().watch()
    assert world.signals == [3.0]
    assert world.records == ["ansible-playbook (process 4242) has ended: stopping this dynect connection"]


def test_a_swallowed_stop_signal_is_sent_again_and_then_the_watcher_ends_the_helper_itself():
    # ansible-core's JSON-RPC server swallows the signal's exception while it answers a request.
    world = FakeWorld(alive_checks=0, ends_after_signals=3)
    with pytest.raises(SystemExit):
        world.watch().watch()
    assert world.signals == [0.0, 1.0, 2.0]

    never = FakeWorld(alive_checks=0)
    never.watch().watch()
    assert len(never.signals) == _playbook_watch._MAX_STOP_SIGNALS
    assert never.ended_by_watcher == [float(_playbook_watch._MAX_STOP_SIGNALS)]
    assert never.records[-1].endswith("ending it from its watcher")


def test_a_call_in_progress_is_never_cut_short_and_later_calls_are_refused():
    world = FakeWorld(alive_checks=0, ends_after_signals=1)
    watch = world.watch()
    in_call, call_may_end = threading.Event(), threading.Event()
    seen_during_call: list[int] = []

    def slow_call() -> None:
        with watch.call():
            in_call.set()
            call_may_end.wait(5)
            seen_during_call.append(len(world.signals))

    caller = threading.Thread(target=slow_call)
    caller.start()
    assert in_call.wait(5)
    watcher = threading.Thread(target=lambda: pytest.raises(SystemExit, watch.watch))
    watcher.start()
    watcher.join(0.2)
    assert watcher.is_alive() and world.signals == []  # waiting for the call's end
    call_may_end.set()
    caller.join(5)
    watcher.join(5)

    assert seen_during_call == [0]
    assert len(world.signals) == 1
    with pytest.raises(DynectConfigError, match=r"ansible-playbook \(process 4242\) has ended"):
        with watch.call():
            pass


def test_calls_run_while_ansible_playbook_lives():
    watch = FakeWorld(alive_checks=10).watch()
    with watch.call():
        pass
    assert not watch.stopping


def test_a_process_of_another_user_counts_as_alive_and_a_gone_one_as_gone():
    assert playbook_alive(os.getpid())
    assert playbook_alive(1)  # init: another user's when not root; signal 0 tells nothing else
    child = os.fork()
    if child == 0:
        os._exit(0)
    os.waitpid(child, 0)
    assert not playbook_alive(child)
