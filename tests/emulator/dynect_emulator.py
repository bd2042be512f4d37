# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""DynECT REST API emulator: run ``python3 tests/emulator/dynect_emulator.py --help``.

Prints ``DYNECT_EMULATOR_URL=<url>`` on stdout once it accepts connections, logs one line per
request on stderr and stops cleanly on SIGTERM or SIGINT. README.md beside this file has the details.
"""

from __future__ import annotations

import argparse
import signal
import ssl
import sys
import threading
from pathlib import Path

from dynemu.accounts import AccountsError
from dynemu.api import DynectApi, Settings
from dynemu.server import EmulatorServer
from dynemu.state import PendingStyle

DEFAULT_ACCOUNTS = Path(__file__).resolve().with_name("accounts.json")


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    settings = Settings(
        idle_timeout=args.idle_timeout,
        job_threshold=args.job_threshold,
        rate_limit=args.rate_limit,
        rate_limit_lockout=args.rate_limit_lockout,
        job_poll_style=PendingStyle(args.job_poll_style) if args.job_poll_style else None,
    )
    try:
        api = DynectApi(args.accounts, settings)
        ssl_context = _tls_context(args.tls_cert, args.tls_key) if args.tls_cert else None
        server = EmulatorServer(args.host, args.port, api, ssl_context)
    except (AccountsError, OSError) as exc:  # OSError: unreadable certificate, address in use, ...
        print(f"dynect_emulator: {exc}", file=sys.stderr)
        return 2

    def _stop(_signum: int, _frame: object) -> None:
        # shutdown() waits for serve_forever() to return, so it cannot run in this (the serving) thread.
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    print(f"DYNECT_EMULATOR_URL={server.url}", flush=True)  # the socket already listens
    try:
        server.serve_forever()
    finally:
        server.server_close()
    return 0


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="dynect_emulator.py", description="DynECT REST API emulator for tests.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    parser.add_argument("--port", type=int, default=0, help="port to listen on; 0 picks a free one (default)")
    parser.add_argument("--accounts", type=Path, default=DEFAULT_ACCOUNTS,
                        help="accounts file, JSON or YAML (default: accounts.json beside this script)")
    parser.add_argument("--tls-cert", help="PEM certificate (chain): serve HTTPS; needs --tls-key")
    parser.add_argument("--tls-key", help="PEM private key of --tls-cert")
    parser.add_argument("--idle-timeout", type=_positive(float), default=3600.0,
                        help="seconds without a request after which a session is logged out (default: %(default)s)")
    parser.add_argument("--job-threshold", type=_positive(float, zero_ok=True), default=5.0,
                        help="seconds a request may work before it is answered with a 307 job (default: %(default)s)")
    parser.add_argument("--rate-limit", type=_positive(int), default=300,
                        help="requests per customer per minute (default: %(default)s)")
    parser.add_argument("--rate-limit-lockout", type=_positive(float, zero_ok=True), default=60.0,
                        help="seconds a customer gets 429s once past the rate limit (default: %(default)s)")
    parser.add_argument("--job-poll-style", choices=[style.value for style in PendingStyle],
                        help="how a Job GET answers while its job still runs: redirect (another 307) or incomplete"
                             " (200 with status incomplete), the two answers recorded from the real API"
                             " (default: the way the job itself was first answered)")
    args = parser.parse_args(argv)
    if bool(args.tls_cert) != bool(args.tls_key):
        parser.error("--tls-cert and --tls-key go together")
    return args


def _positive(kind: type, *, zero_ok: bool = False):
    def convert(text: str):
        value = kind(text)
        if value < 0 or (value == 0 and not zero_ok):
            raise argparse.ArgumentTypeError(f"must be {'zero or more' if zero_ok else 'more than zero'}")
        return value

    convert.__name__ = kind.__name__  # argparse names the type in its error message
    return convert


def _tls_context(cert: str, key: str) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context


if __name__ == "__main__":
    sys.exit(main())
