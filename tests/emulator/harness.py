# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run the DynECT emulator as a subprocess, from tests, the demo and benchmarks (standard library only).

    with Emulator(job_threshold=0.2) as emulator:
        emulator.fault("job_redirect", match="GET /REST/Zone")
        emulator.settings(job_poll_style="incomplete")  # until the next reset()
        ...  # talk to emulator.url
        assert emulator.stats()["logins"] == 1
        assert emulator.zone("example.com")["serial"] == 1
"""

from __future__ import annotations

import json
import queue
import signal
import ssl
import subprocess
import sys
import tempfile
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

EMULATOR_SCRIPT = Path(__file__).resolve().with_name("dynect_emulator.py")
DEFAULT_ACCOUNTS = EMULATOR_SCRIPT.with_name("accounts.json")
_URL_PREFIX = "DYNECT_EMULATOR_URL="


class EmulatorError(RuntimeError):
    """The emulator did not start, or a control call failed."""


class Emulator:
    """A running emulator subprocess."""

    def __init__(
        self,
        *,
        accounts: str | Path | None = None,
        host: str = "127.0.0.1",
        tls_cert: str | Path | None = None,
        tls_key: str | Path | None = None,
        idle_timeout: float | None = None,
        job_threshold: float | None = None,
        rate_limit: int | None = None,
        rate_limit_lockout: float | None = None,
        job_poll_style: str | None = None,
        extra_args: tuple[str, ...] | list[str] = (),
        start_timeout: float = 15.0,
    ) -> None:
        options = {
            "--accounts": accounts,
            "--tls-cert": tls_cert,
            "--tls-key": tls_key,
            "--idle-timeout": idle_timeout,
            "--job-threshold": job_threshold,
            "--rate-limit": rate_limit,
            "--rate-limit-lockout": rate_limit_lockout,
            "--job-poll-style": job_poll_style,
        }
        self._command = [sys.executable, str(EMULATOR_SCRIPT), "--host", host, "--port", "0"]
        for flag, value in options.items():
            if value is not None:
                self._command += [flag, str(value)]
        self._command += list(extra_args)
        self._start_timeout = start_timeout
        self._process: subprocess.Popen[str] | None = None
        self._log = None  # the emulator's stderr (its request log) goes to a temporary file, so the pipe never fills
        self.url = ""
        self.host = ""
        self.port = 0
        self.ssl = False

    def start(self) -> Emulator:
        if self._process is not None:
            raise EmulatorError("the emulator is already started")
        self._log = tempfile.TemporaryFile(mode="w+", encoding="utf-8", prefix="dynect-emulator-")
        self._process = subprocess.Popen(  # pylint: disable=consider-using-with  # lives until stop()
            self._command, stdout=subprocess.PIPE, stderr=self._log, text=True, encoding="utf-8"
        )
        lines: queue.Queue[str] = queue.Queue()
        # The thread keeps reading stdout after the URL line too, so the emulator can never block on it.
        threading.Thread(target=_pump, args=(self._process.stdout, lines), daemon=True).start()
        try:
            while not (line := lines.get(timeout=self._start_timeout)).startswith(_URL_PREFIX):
                if line == "":  # end of stdout: the emulator exited
                    break
        except queue.Empty:
            line = ""
        if not line.startswith(_URL_PREFIX):
            problem = self.log_text().strip() or "(nothing on stderr)"
            self.stop()
            raise EmulatorError(
                f"the emulator printed no {_URL_PREFIX} line within {self._start_timeout} s;"
                f" command: {' '.join(self._command)}; stderr:\n{problem}"
            )
        self.url = line[len(_URL_PREFIX):].strip()
        parsed = urllib.parse.urlsplit(self.url)
        self.host, self.port, self.ssl = parsed.hostname or "", parsed.port or 0, parsed.scheme == "https"
        return self

    def stop(self) -> None:
        """SIGTERM, a bounded wait, then SIGKILL; safe to call more than once."""
        process, self._process = self._process, None
        if process is not None:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        if self._log is not None:
            self._log.close()
            self._log = None

    @property
    def pid(self) -> int | None:
        """The emulator's process id while it runs (tests stop and continue it to play a busy machine)."""
        return None if self._process is None else self._process.pid

    @property
    def returncode(self) -> int | None:
        return None if self._process is None else self._process.poll()

    def log_text(self) -> str:
        """Everything the emulator wrote on stderr so far (its request log)."""
        if self._log is None:
            return ""
        self._log.flush()
        self._log.seek(0)
        return self._log.read()

    # ---- control API ----

    def stats(self) -> dict[str, Any]:
        return self._control("GET", "stats")

    def secrets(self) -> dict[str, list[str]]:
        return self._control("GET", "secrets")

    def fault(self, fault: str, count: int = 1, match: str | None = None, **options: Any) -> None:
        """Arm ``fault`` for the next ``count`` /REST requests (matching "METHOD /REST/Resource" if given).

        ``options`` carries fault-specific keys, e.g. ``seconds=`` for the slow fault.
        """
        spec: dict[str, Any] = {"fault": fault, "count": count, **options}
        if match is not None:
            spec["match"] = match
        self._control("POST", "faults", spec)

    def reset(self) -> None:
        self._control("POST", "reset", {})

    def settings(self, **changes: Any) -> dict[str, Any]:
        """The settings the control API may change (``job_poll_style``), after applying ``changes`` if any.

        A reset restores the command line's settings.
        """
        return self._control("POST", "settings", changes) if changes else self._control("GET", "settings")

    def zone(self, name: str, customer: str | None = None) -> dict[str, Any]:
        """A zone's published state: serial, serial_style, frozen, publishes, records (EmulatorError if unknown).

        ``customer`` picks the zone when several customers of the accounts file have one of that name.
        """
        query = f"?customer={urllib.parse.quote(customer)}" if customer else ""
        return self._control("GET", f"zones/{urllib.parse.quote(name)}{query}")

    def _control(self, method: str, action: str, body: dict[str, Any] | None = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"{self.url}/__emulator__/{action}", data=data, method=method)
        request.add_header("Content-Type", "application/json")
        context = None
        if self.ssl:  # the emulator's certificate is a test one: control calls do not verify it
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        try:
            with urllib.request.urlopen(request, timeout=10, context=context) as response:
                return json.load(response)
        except urllib.error.HTTPError as exc:
            raise EmulatorError(f"{method} /__emulator__/{action}: HTTP {exc.code}: {exc.read().decode()}") from exc

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def _pump(stream: Any, lines: queue.Queue[str]) -> None:
    with stream:
        for line in stream:
            lines.put(line)
    lines.put("")  # end of stream
