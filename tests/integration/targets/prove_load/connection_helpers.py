# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Print, as JSON, the ansible-connection helpers of the ansible-playbook run this runs under, and their peak memory.

    python connection_helpers.py
    -> {"helpers": [{"pid": 1234, "peak_rss_kib": 45678}, ...]}

ansible-core starts each helper as ``python .../ansible_connection_cli_stub.py [-v...] PLAYBOOK_PID
TASK_UUID``. A helper belongs to our run when that PLAYBOOK_PID is one of our own ancestors (the
task running this script descends from the same ansible-playbook), so other runs on the machine,
such as other tests in parallel, are never counted. The peak is the kernel's high-water mark of
the resident set (``VmHWM``): it needs no sampling while the play runs, and read just before the
helpers close it covers their whole life.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

HELPER_SCRIPT = "ansible_connection_cli_stub.py"


def ancestors() -> set[str]:
    """The pids of this process's parent, its parent, and so on up to init."""
    found = set()
    pid = os.getppid()
    while pid > 1 and str(pid) not in found:
        found.add(str(pid))
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            break
        # "pid (command) state ppid ...": the command may hold spaces, so split after its ")".
        pid = int(stat.rsplit(")", 1)[1].split()[1])
    return found


def helper_pids(playbook_pids: set[str]) -> list[int]:
    pids = []
    for process in Path("/proc").iterdir():
        if not process.name.isdigit():
            continue
        try:
            arguments = (process / "cmdline").read_bytes().split(b"\0")
        except OSError:  # the process ended while we looked
            continue
        words = [argument.decode(errors="replace") for argument in arguments]
        # ... ansible_connection_cli_stub.py [-v...] PLAYBOOK_PID TASK_UUID, then an empty word after the last NUL
        if any(word.endswith(HELPER_SCRIPT) for word in words) and len(words) >= 3 and words[-3] in playbook_pids:
            pids.append(int(process.name))
    return sorted(pids)


def peak_rss_kib(pid: int) -> int | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])  # the kernel reports it in kB (KiB)
    return None


def main() -> int:
    helpers = [{"pid": pid, "peak_rss_kib": peak_rss_kib(pid)} for pid in helper_pids(ancestors())]
    json.dump({"helpers": [helper for helper in helpers if helper["peak_rss_kib"] is not None]}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
