# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Stop the dynect helper soon after ansible-playbook is gone, never in the middle of a call (private).

ansible-core closes a persistent connection at the end of a play only if a task without ``loop``
used it, and not at all when ansible-playbook is interrupted or killed; the helper would then keep
its DynECT session open until its idle timeout, minutes later. So a daemon thread looks for the
ansible-playbook process every second. Once it has gone, the thread waits for the helper's
current call to end (a call is never cut short: it may be a password change), refuses every later
one, and sends the helper SIGTERM: ansible-connection's handler raises in its main thread, which
shuts the helper down, and that logs the session out.

ansible-core's JSON-RPC server swallows that exception when it lands while the helper answers
some other request (a hand-over, say), so the signal is sent again every second until the helper
has gone, at most :data:`_MAX_STOP_SIGNALS` times; then the thread stops the helper itself.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator

from ansible_collections.dyn.managed_dns.plugins.module_utils.errors import DynectConfigError

CHECK_SECONDS = 1.0
_MAX_STOP_SIGNALS = 10


def playbook_alive(pid: int) -> bool:
    """Whether the process ``pid`` still runs (one of another user counts as running)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def signal_this_process() -> None:
    os.kill(os.getpid(), signal.SIGTERM)


class PlaybookWatch:
    """Watches ansible-playbook for one helper; :meth:`call` guards each of the helper's calls.

    :param stop: asks the helper to shut down (SIGTERM to this process).
    :param stop_now: shuts it down from this thread, when asking did not work (:data:`_MAX_STOP_SIGNALS`).
    :param record: where each step is recorded (the helper's log).
    """

    def __init__(
        self,
        playbook_pid: int,
        stop_now: Callable[[], None],
        record: Callable[[str], None],
        stop: Callable[[], None] = signal_this_process,
        alive: Callable[[int], bool] = playbook_alive,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._pid = playbook_pid
        self._stop, self._stop_now, self._record = stop, stop_now, record
        self._alive, self._sleep = alive, sleep
        self._calls = threading.Lock()  # held for each call, and by the watcher as it decides to stop
        self.stopping = False
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start watching (once)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self.watch, name="dynect-playbook-watch", daemon=True)
            self._thread.start()

    @contextlib.contextmanager
    def call(self) -> Iterator[None]:
        """Run one call of the helper: never at once with the decision to stop, and refused after it."""
        with self._calls:
            if self.stopping:
                raise DynectConfigError(
                    f"ansible-playbook (process {self._pid}) has ended, so this dynect connection is shutting down"
                )
            yield

    def watch(self) -> None:
        """The thread: wait for ansible-playbook to go, then for the current call to end; then stop the helper."""
        while self._alive(self._pid):
            self._sleep(CHECK_SECONDS)
        with self._calls:
            self.stopping = True
        self._record(f"ansible-playbook (process {self._pid}) has ended: stopping this dynect connection")
        for _attempt in range(_MAX_STOP_SIGNALS):
            self._stop()
            self._sleep(CHECK_SECONDS)
        self._record(f"{_MAX_STOP_SIGNALS} stop signals did not end this dynect connection: ending it from its watcher")
        self._stop_now()
