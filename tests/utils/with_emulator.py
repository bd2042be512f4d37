# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run one command while the bundled DynECT emulator is up, then stop the emulator.

    python tests/utils/with_emulator.py [--accounts FILE] [--port PORT] -- COMMAND [ARG ...]

The emulator listens on 127.0.0.1, on PORT (default 0: a free port the system picks). The command
gets ``DYNECT_EMULATOR_URL`` in its environment and, for the collection's modules and connection
plugin, ``DYN_HOST``, ``DYN_PORT`` and ``DYN_SSL`` pointing at the emulator. The exit code is the
command's; 2 with one sentence on stderr when the emulator cannot start (for example
when PORT is taken). ``make demo`` uses it (``make demo DEMO_PORT=PORT``).
"""

from __future__ import annotations

import argparse
import os
import pathlib
import subprocess
import sys

REPO = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "emulator"))

from harness import Emulator, EmulatorError  # noqa: E402  (needs the path above)
from run_tests import COLLECTIONS_FARM, ensure_collections_farm  # noqa: E402  (same folder)


def _port(text: str) -> int:
    """A TCP port for argparse: 0 (any free one) to 65535."""
    port = int(text)
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port (0-65535)")
    return port


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", help="accounts file (default: the emulator's own)")
    parser.add_argument("--port", type=_port, default=0, help="port the emulator listens on (default 0: a free one)")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- COMMAND [ARG ...]")
    args = parser.parse_args(argv)
    args.command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not args.command:
        parser.error("give the command to run after --")
    return args


def start_emulator(accounts: str | None, port: int) -> Emulator | None:
    """The running emulator, or None after saying on stderr why it did not start."""
    # The emulator takes the last --port it is given: this one, after the harness's own "--port 0".
    emulator = Emulator(accounts=accounts, extra_args=("--port", str(port)))
    try:
        return emulator.start()
    except EmulatorError as exc:
        print(f"The DynECT emulator did not start on port {port}: {str(exc).strip().splitlines()[-1]}. "
              "Pick another port with --port (make demo DEMO_PORT=...), or 0 for any free one.", file=sys.stderr, flush=True)
        return None


def run_command(command: list[str], emulator: Emulator) -> int:
    """Run the command with the emulator's address in its environment; its exit code."""
    env = dict(os.environ)
    env.update(
        DYNECT_EMULATOR_URL=emulator.url,
        DYN_HOST=emulator.host,
        DYN_PORT=str(emulator.port),
        DYN_SSL=str(emulator.ssl).lower(),
        ANSIBLE_COLLECTIONS_PATH=str(COLLECTIONS_FARM),
    )
    return subprocess.run(command, cwd=REPO, env=env, check=False).returncode


def main() -> int:
    args = parse_args()
    ensure_collections_farm()
    emulator = start_emulator(args.accounts, args.port)
    if emulator is None:
        return 2
    try:
        print(f"DynECT emulator running at {emulator.url}", flush=True)
        returncode = run_command(args.command, emulator)
    finally:
        emulator.stop()
    print("DynECT emulator stopped.", flush=True)
    return returncode


if __name__ == "__main__":
    sys.exit(main())
