# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reset the emulator and arm one fault, in one cheap controller-side call.

The fault-matrix cells run this through ``lookup('pipe', ...)`` instead of two ``uri`` tasks: each
module task on a 2-core CI machine costs ~0.4 s, a lookup a few milliseconds.

    control.py URL FAULT COUNT MATCH SECONDS  -> prints the emulator's list of armed faults (JSON)

SECONDS is only sent for the ``slow`` fault.
"""

from __future__ import annotations

import json
import sys
import urllib.request


def _post(url: str, body: dict | None = None) -> bytes:
    data = b"" if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method="POST", headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read()


def main() -> None:
    url, fault, count, match, seconds = sys.argv[1:6]
    spec = {"fault": fault, "count": int(count), "match": match}
    if fault == "slow":
        spec["seconds"] = float(seconds)
    _post(f"{url}/__emulator__/reset")
    armed = json.loads(_post(f"{url}/__emulator__/faults", spec))
    print(json.dumps(armed["armed"]))


if __name__ == "__main__":
    main()
