# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run every integration target as a real ``ansible-playbook`` against a fresh emulator.

A target is a folder ``targets/<name>/`` with ``playbook.yml`` and, optionally, ``inventory.yml``
(default: ``localhost`` over the local connection), ``accounts.json`` (default: the emulator's own
accounts) and ``ansible.cfg`` (the playbook runs in the target's folder, so ansible-core reads it). The playbook receives ``emulator_url``,
``emulator_host`` and ``emulator_port`` as extra vars and asserts on the emulator's own counters.
Every run is made at ``-vvvv`` and its whole output is searched for every password and token the
emulator ever knew: a single hit fails the target. And once ansible-playbook has ended, no DynECT
session may be left open on the emulator.
"""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys
import time
import urllib.request

import pytest
from harness import Emulator

TARGETS_DIR = pathlib.Path(__file__).parent / "targets"
TARGETS = sorted(p.name for p in TARGETS_DIR.iterdir() if (p / "playbook.yml").is_file())
_DEFAULT_INVENTORY = pathlib.Path(__file__).parent / "inventory.yml"
# Generous, but bounded: a hung play must not eat CI's whole budget.
_PLAYBOOK_TIMEOUT = 1500
# A dynect connection helper logs out within a few seconds of ansible-playbook's exit.
_LOGOUT_GRACE_SECONDS = 15


def _playbook_env(tmp_path: pathlib.Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        ANSIBLE_NOCOLOR="1",
        ANSIBLE_FORCE_COLOR="0",
        ANSIBLE_RETRY_FILES_ENABLED="0",
        ANSIBLE_LOCAL_TEMP=str(tmp_path / "ansible-local"),
        ANSIBLE_PERSISTENT_CONTROL_PATH_DIR=str(tmp_path / "pc"),
        ANSIBLE_LOG_PATH=str(tmp_path / "ansible.log"),
    )
    return env


def _emulator_secrets(emulator: Emulator) -> dict[str, list[str]]:
    with urllib.request.urlopen(f"{emulator.url}/__emulator__/secrets", timeout=10) as response:
        return json.load(response)


def _open_sessions_after_grace(emulator: Emulator) -> int:
    deadline = time.monotonic() + _LOGOUT_GRACE_SECONDS
    while (open_sessions := emulator.stats()["open_sessions"]) and time.monotonic() < deadline:
        time.sleep(0.5)
    return open_sessions


def _find_leaked_secrets(text: str, secrets: dict[str, list[str]]) -> list[str]:
    """Names (never values) of the secrets that appear in text."""
    return [
        f"{kind}[{index}]"
        for kind, values in secrets.items()
        for index, value in enumerate(values)
        if value and value in text
    ]


@pytest.mark.parametrize("target", TARGETS)
def test_target(target: str, tmp_path: pathlib.Path) -> None:
    target_dir = TARGETS_DIR / target
    inventory = target_dir / "inventory.yml"
    accounts = target_dir / "accounts.json"
    with Emulator(accounts=str(accounts) if accounts.is_file() else None) as emulator:
        command = [
            str(pathlib.Path(sys.executable).with_name("ansible-playbook")),
            "-vvvv",
            "-i", str(inventory if inventory.is_file() else _DEFAULT_INVENTORY),
            "-e", f"emulator_url={emulator.url}",
            "-e", f"emulator_host={emulator.host}",
            "-e", f"emulator_port={emulator.port}",
            str(target_dir / "playbook.yml"),
        ]
        proc = subprocess.run(
            command, cwd=target_dir, env=_playbook_env(tmp_path), timeout=_PLAYBOOK_TIMEOUT,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False,
        )
        open_sessions = _open_sessions_after_grace(emulator)
        secrets = _emulator_secrets(emulator)
    log_file = tmp_path / "ansible.log"
    everything = proc.stdout + (log_file.read_text() if log_file.exists() else "")
    leaked = _find_leaked_secrets(everything, secrets)
    if proc.returncode != 0 or leaked or open_sessions:
        # The output is printed only when no secret is in it.
        shown = proc.stdout[-20000:] if not leaked else "(output withheld: it contains secrets)"
        pytest.fail(
            f"target {target}: exit {proc.returncode}, leaked secrets: {leaked or 'none'}, "
            f"sessions left open: {open_sessions}\n{shown}"
        )
