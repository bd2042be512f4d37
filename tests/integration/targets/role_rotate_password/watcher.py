# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""An unprivileged onlooker: read every file that appears in a directory, as soon as it appears.

Run as another user (``setpriv --reuid nobody``). Watches DIRECTORY with inotify and, on every
create, write or rename event, tries to read the file. Stops when a file named ``stop`` appears or
after SECONDS. Prints one line: ``read=N denied=M`` (N: files it could read with content).
"""

from __future__ import annotations

import ctypes
import os
import select
import struct
import sys
import time

_IN_MODIFY, _IN_CLOSE_WRITE, _IN_MOVED_TO, _IN_CREATE = 0x2, 0x8, 0x80, 0x100
_HEADER = struct.Struct("iIII")


def main(directory: str, seconds: float) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    fd = libc.inotify_init()
    mask = _IN_MODIFY | _IN_CLOSE_WRITE | _IN_MOVED_TO | _IN_CREATE
    if fd < 0 or libc.inotify_add_watch(fd, directory.encode(), mask) < 0:
        sys.exit(f"inotify failed: errno {ctypes.get_errno()}")
    read = denied = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not select.select([fd], [], [], 0.5)[0]:
            continue
        data = os.read(fd, 65536)
        offset = 0
        while offset < len(data):
            _wd, _mask, _cookie, length = _HEADER.unpack_from(data, offset)
            name = data[offset + _HEADER.size:offset + _HEADER.size + length].rstrip(b"\0").decode()
            offset += _HEADER.size + length
            if name == "stop":
                print(f"read={read} denied={denied}")
                return
            try:
                with open(os.path.join(directory, name), "rb") as handle:
                    read += bool(handle.read())
            except OSError:
                denied += 1
    print(f"read={read} denied={denied} (timed out)")


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]))
