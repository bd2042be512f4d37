# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run one integration target as a real ``ansible-playbook`` against a fresh emulator, and prove it leaked nothing.

    python tests/utils/run_target.py tests/integration/targets/dyn_session

Both harnesses use it: pytest (``tests/integration/test_targets.py`` imports ``run_target``) and
``ansible-test integration`` (every target's ``runme.sh`` runs this script; see
``tests/integration/README.md``).

A target is a folder ``targets/<name>/`` with ``playbook.yml`` and, optionally, ``inventory.yml``
(default: ``tests/integration/inventory.yml``, ``localhost`` over the local connection),
``accounts.json`` (default: the emulator's own accounts) and ``ansible.cfg`` (the playbook runs in
the target's folder and ansible-core reads it there). The playbook receives ``emulator_url``,
``emulator_host`` and ``emulator_port`` as extra vars and asserts on the emulator's own counters.

With ``--module-process`` (pytest: the ``module_process`` runs of ``test_targets.py``) the run turns
the collection's in-process execution off with its documented switch, ``dyn_in_process=false`` as
an extra var: every ``dyn_*`` task, on local and dynect hosts alike, then runs its module as
ansible-core runs any module (an AnsiballZ process, through core's ``normal`` action), so the same
playbooks prove that route equal to the in-process one. (That another interpreter also means a
module process is proven by the action's unit tests and tests/unit/plugins/modules/test_verbose_output.py.)

Every run is made at ``-vvvv``; its whole output, its ``ANSIBLE_LOG_PATH`` log and (under
ansible-test) the JUnit reports it wrote are searched for every password and token the emulator
ever knew: a single hit fails the target. And once ansible-playbook has ended, no DynECT session may
be left open on the emulator. Output that contains a secret is never printed. Exit status: 0 when
the target passed, 1 when it failed.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

TESTS = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS / "emulator"))

from harness import Emulator  # noqa: E402  pylint: disable=wrong-import-position

DEFAULT_INVENTORY = TESTS / "integration" / "inventory.yml"
# Generous, but bounded: a hung play must not eat CI's whole budget.
PLAYBOOK_TIMEOUT = 1500
# A dynect connection helper logs out within a few seconds of ansible-playbook's exit.
LOGOUT_GRACE_SECONDS = 15
# How much of a failed run's output is shown (its end).
_SHOWN_CHARS = 20000


@dataclasses.dataclass
class TargetResult:
    """What one run of a target proved."""

    target: str
    returncode: int
    leaked: list[str]
    open_sessions: int
    output: str
    scanned_chars: int = 0
    leaked_in: list[str] = dataclasses.field(default_factory=list)  # where: output, log, JUnit reports

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.leaked and not self.open_sessions

    def failure_text(self) -> str:
        """The failure report; the output is in it only when no secret is."""
        shown = self.output[-_SHOWN_CHARS:] if not self.leaked else "(output withheld: it contains secrets)"
        where = f" (in the {', '.join(self.leaked_in)})" if self.leaked_in else ""
        return (
            f"target {self.target}: exit {self.returncode}, leaked secrets: {self.leaked or 'none'}{where}, "
            f"sessions left open: {self.open_sessions}\n{shown}"
        )

    def summary(self) -> str:
        return (
            f"target {self.target}: passed (exit 0, no secret in {self.scanned_chars} characters of output and logs,"
            " no session left open)"
        )


def playbook_env(scratch: pathlib.Path, target_dir: pathlib.Path) -> dict[str, str]:
    """The environment of the run: the caller's, plus colourless output, private scratch paths and a log file."""
    env = dict(os.environ)
    # A nested ansible-playbook found on PATH is the one running the target (a virtualenv's, or ansible-test's).
    env["PATH"] = os.pathsep.join(filter(None, [os.path.dirname(ansible_playbook()), env.get("PATH")]))
    env.update(
        ANSIBLE_NOCOLOR="1",
        ANSIBLE_FORCE_COLOR="0",
        ANSIBLE_RETRY_FILES_ENABLED="0",
        ANSIBLE_LOCAL_TEMP=str(scratch / "ansible-local"),
        ANSIBLE_PERSISTENT_CONTROL_PATH_DIR=str(scratch / "pc"),
        ANSIBLE_LOG_PATH=str(scratch / "ansible.log"),
    )
    # ansible-test points ANSIBLE_CONFIG at its own (empty) configuration, which would hide the
    # target's ansible.cfg; that file belongs to the target, so it wins, as when no ANSIBLE_CONFIG is set.
    if (target_dir / "ansible.cfg").is_file():
        env["ANSIBLE_CONFIG"] = str(target_dir / "ansible.cfg")
    # ansible-test turns on core's junit callback, which names each test case after the task's raw
    # arguments, no_log aside: the literal passwords of the test playbooks would be in every report.
    # That is core's doing, as with ANSIBLE_DEBUG; the reports are still scanned for everything else.
    if env.get("JUNIT_OUTPUT_DIR"):
        env["JUNIT_HIDE_TASK_ARGUMENTS"] = "true"
    return env


def ansible_playbook() -> str:
    """The ansible-playbook beside this Python (a virtualenv's), else the one on PATH (ansible-test's)."""
    beside = pathlib.Path(sys.executable).with_name("ansible-playbook")
    if beside.is_file():
        return str(beside)
    return shutil.which("ansible-playbook") or str(beside)


def open_sessions_after_grace(emulator: Emulator) -> int:
    deadline = time.monotonic() + LOGOUT_GRACE_SECONDS
    while (open_sessions := emulator.stats()["open_sessions"]) and time.monotonic() < deadline:
        time.sleep(0.5)
    return open_sessions


def find_leaked_secrets(text: str, secrets: dict[str, list[str]]) -> list[str]:
    """Names (never values) of the secrets that appear in text."""
    return [
        f"{kind}[{index}]"
        for kind, values in secrets.items()
        for index, value in enumerate(values)
        if value and value in text
    ]


def _reports_since(directory: str | None, started: float) -> str:
    """The text of the reports written into directory since started (ansible-test's JUnit output)."""
    if not directory or not os.path.isdir(directory):
        return ""
    texts = []
    for path in sorted(pathlib.Path(directory).iterdir()):
        try:
            if path.is_file() and path.stat().st_mtime >= started:
                texts.append(path.read_text(encoding="utf-8", errors="replace"))
        except OSError:  # written or removed by a neighbouring run meanwhile: what is read is scanned
            continue
    return "".join(texts)


def run_target(target_dir: pathlib.Path, scratch: pathlib.Path, module_process: bool = False) -> TargetResult:
    """Run the target in target_dir with a fresh emulator; scratch is an empty private directory.

    module_process: run every dyn_* task as a module process (see the module's docstring).
    """
    target_dir = target_dir.absolute()
    inventory = target_dir / "inventory.yml"
    accounts = target_dir / "accounts.json"
    env = playbook_env(scratch, target_dir)
    started = time.time() - 1  # file times may be coarser than the clock
    with Emulator(accounts=str(accounts) if accounts.is_file() else None) as emulator:
        command = [
            ansible_playbook(),
            "-vvvv",
            "-i", str(inventory if inventory.is_file() else DEFAULT_INVENTORY),
            "-e", f"emulator_url={emulator.url}",
            "-e", f"emulator_host={emulator.host}",
            "-e", f"emulator_port={emulator.port}",
            *(["-e", "dyn_in_process=false"] if module_process else []),
            str(target_dir / "playbook.yml"),
        ]
        proc = subprocess.run(
            command, cwd=target_dir, env=env, timeout=PLAYBOOK_TIMEOUT,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False,
        )
        open_sessions = open_sessions_after_grace(emulator)
        secrets = emulator.secrets()
    log_file = scratch / "ansible.log"
    scanned = {
        "output": proc.stdout,
        "log": log_file.read_text(encoding="utf-8", errors="replace") if log_file.exists() else "",
        "JUnit reports": _reports_since(env.get("JUNIT_OUTPUT_DIR"), started),
    }
    return TargetResult(
        target=target_dir.name,
        returncode=proc.returncode,
        leaked=find_leaked_secrets("\n".join(scanned.values()), secrets),
        open_sessions=open_sessions,
        output=proc.stdout,
        scanned_chars=sum(len(text) for text in scanned.values()),
        leaked_in=[where for where, text in scanned.items() if find_leaked_secrets(text, secrets)],
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target_dir", type=pathlib.Path, help="tests/integration/targets/<name>")
    parser.add_argument("--module-process", action="store_true", help="run every dyn_* task as a module process (dyn_in_process=false), not in-process")
    args = parser.parse_args(argv)
    if not (args.target_dir / "playbook.yml").is_file():
        print(f"{args.target_dir}: no playbook.yml, not a target", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="dyn-target-") as scratch:
        result = run_target(args.target_dir, pathlib.Path(scratch), module_process=args.module_process)
    print(result.summary() if result.ok else result.failure_text(), flush=True)
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
