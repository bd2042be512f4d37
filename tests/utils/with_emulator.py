# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run one command while the bundled DynECT emulator is up, then stop the emulator.

    python tests/utils/with_emulator.py [--accounts FILE] -- COMMAND [ARG ...]

The command gets ``DYNECT_EMULATOR_URL`` in its environment and, for the collection's modules and
connection plugin, ``DYN_HOST``, ``DYN_PORT`` and ``DYN_SSL`` pointing at the emulator. The exit
code is the command's. ``make demo`` uses it.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import subprocess
import sys

REPO = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "emulator"))

from harness import Emulator  # noqa: E402  (needs the path above)
from run_tests import COLLECTIONS_FARM, ensure_collections_farm  # noqa: E402  (same folder)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", help="accounts file (default: the emulator's own)")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- COMMAND [ARG ...]")
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the command to run after --")

    ensure_collections_farm()
    with Emulator(accounts=args.accounts) as emulator:
        print(f"DynECT emulator running at {emulator.url}", flush=True)
        env = dict(os.environ)
        env.update(
            DYNECT_EMULATOR_URL=emulator.url,
            DYN_HOST=emulator.host,
            DYN_PORT=str(emulator.port),
            DYN_SSL=str(emulator.ssl).lower(),
            ANSIBLE_COLLECTIONS_PATH=str(COLLECTIONS_FARM),
        )
        returncode = subprocess.run(command, cwd=REPO, env=env, check=False).returncode
    print("DynECT emulator stopped.", flush=True)
    return returncode


if __name__ == "__main__":
    sys.exit(main())
