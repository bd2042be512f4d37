# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Issue 25: a rotation failure is printed once, not again nested in an explanation of itself.

playbooks/rotation_failures.yml makes the rotation role fail three ways (a module step, an input
check, a "Stop when" check) on both routes and writes each failure's message to a file; every
sentence of each message must appear in ansible-playbook's output exactly once per failure.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

PLAYBOOK = Path(__file__).with_name("playbooks") / "rotation_failures.yml"
SENTENCE_END = re.compile(r"(?<=[.;:])\s+")
SHORTEST = 20  # shorter pieces ("login:") are no sentence of their own
CASES = ("module", "input", "stop")
HOSTS = ("acme-ops", "initech-deploy")


BLOCKED = {"acme-locked": {"ansible_connection": "dyn.managed_dns.dynect", "dyn_customer": "acme", "dyn_username": "locked", "dyn_password": "Locked-Out-1"}}


def _folded(text: str) -> str:
    return " ".join(text.split())


def sentences(message: str) -> list[str]:
    """The sentences (and clauses ending in ':' or ';') of a failure message, blanks folded."""
    return [piece for piece in SENTENCE_END.split(_folded(message)) if len(piece) >= SHORTEST]


def _run_failures(inventory: dict[str, Any], tmp_path: Path, verbosity: str) -> tuple[int, str, dict[str, str]]:
    """ansible-playbook's exit code, whole output (blanks folded) and the failure messages by file name."""
    inventory_file = tmp_path / "inventory.json"
    inventory_file.write_text(json.dumps(inventory))
    for folder in ("passwords", "failures"):
        (tmp_path / folder).mkdir(mode=0o700)
    environment = {**os.environ, "ANSIBLE_NOCOLOR": "1", "ANSIBLE_LOCAL_TEMP": str(tmp_path / "local-temp")}
    command = [
        str(Path(sys.executable).with_name("ansible-playbook")), verbosity, "-i", str(inventory_file),
        "-e", f"password_dir={tmp_path / 'passwords'}", "-e", f"failure_dir={tmp_path / 'failures'}", str(PLAYBOOK),
    ]
    run = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=300, check=False)
    messages = {path.name: path.read_text() for path in (tmp_path / "failures").iterdir()}
    return run.returncode, _folded(run.stdout + run.stderr), messages


def test_a_message_is_cut_into_its_sentences():
    message = "Rotating the password of acme/ops failed (a step): DynECT refused the login;  login:\n failed. The password was not changed."

    assert sentences(message) == [
        "Rotating the password of acme/ops failed (a step):", "DynECT refused the login;", "The password was not changed.",
    ]


def printed_and_expected(output: str, failures: set[str]) -> tuple[dict[str, int], dict[str, int]]:
    """How often each sentence of the failures is printed, and in how many of the failures it is."""
    printed = {sentence: output.count(sentence) for message in failures for sentence in sentences(message)}
    expected = {sentence: sum(sentence in _folded(message) for message in failures) for sentence in printed}
    return printed, expected


def fatal_results(output: str, host: str) -> list[str]:
    """The first key of each "fatal:" result printed for ``host``."""
    return re.findall(rf'fatal: \[{re.escape(host)}\]: FAILED! => \{{ ?"(\w+)"', output)


@pytest.mark.parametrize("verbosity", ["-v", "-vvvv"])
def test_each_failure_sentence_is_printed_once(role_inventory, tmp_path, verbosity):
    # One account on each route, and a blocked user.
    returncode, output, messages = _run_failures(role_inventory(groups={"blocked": BLOCKED}), tmp_path, verbosity)

    assert returncode == 0, output[-5000:]
    assert sorted(messages) == sorted([f"{host}-{case}.txt" for host in HOSTS for case in CASES] + ["acme-locked-module.txt"])
    assert "is not the current one given to the role" in messages["acme-ops-stop.txt"]
    assert "DynECT refused the login" in messages["initech-deploy-module.txt"]
    assert "(Log in, or reuse the play's session (dynect connection)): " in messages["acme-locked-module.txt"]
    # Core prints an error once however many hosts it failed on, so identical messages count once.
    printed, expected = printed_and_expected(output, set(messages.values()))
    assert printed == expected
    # Where it is printed: core's [ERROR] line; the "fatal:" line under it is hidden by no_log.
    assert all(f"[ERROR]: Task failed: Action failed: {_folded(message)}" in output for message in messages.values())
    assert {host: fatal_results(output, host) for host in (*HOSTS, "acme-locked")} == {
        **{host: ["censored"] * len(CASES) for host in HOSTS}, "acme-locked": ["censored"],
    }
