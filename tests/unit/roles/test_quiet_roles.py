# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Issue 25: the roles are quiet when all is well; no problem text in a successful run's output.

The problem texts are read from the roles' own task files (every ``problem``, every ``fail_msg``
and every ``msg`` of a ``fail`` task, less their Jinja expressions), so a new message is searched
for too.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

ROLES = Path(__file__).resolve().parents[3] / "roles"
PLAYBOOK = Path(__file__).with_name("playbooks") / "quiet_roles.yml"
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
SHORTEST = 12  # shorter literal pieces ("failed (") are no problem text of their own


def _tasks(entries: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Every task of a task file, those inside blocks, rescues and always sections included."""
    for entry in entries or []:
        yield entry
        for section in ("block", "rescue", "always"):
            yield from _tasks(entry.get(section, []))


def _message_texts(task: dict[str, Any]) -> Iterator[str]:
    """The texts a task can print as a problem."""
    for value in task.get("vars", {}).values():
        if isinstance(value, list):
            yield from (item["problem"] for item in value if isinstance(item, dict) and "problem" in item)
    for item in task.get("loop", []) if isinstance(task.get("loop"), list) else []:
        if isinstance(item, dict) and "problem" in item:
            yield item["problem"]
    for action in ("ansible.builtin.assert", "ansible.builtin.fail"):
        args = task.get(action) or {}
        yield from (args[key] for key in ("fail_msg", "msg") if isinstance(args, dict) and key in args)


def problem_texts() -> set[str]:
    """The literal pieces of every problem text the two roles can print, blanks folded."""
    texts = set()
    for task_file in ROLES.glob("*/tasks/*.yml"):
        for task in _tasks(yaml.safe_load(task_file.read_text(encoding="utf-8"))):
            for text in _message_texts(task):
                pieces = (" ".join(piece.split()) for piece in JINJA.split(text))
                texts.update(piece for piece in pieces if len(piece) >= SHORTEST)
    return texts


def test_the_problem_texts_are_found():
    texts = problem_texts()

    assert "the account's customer is not set (preflight_customer, or the host's dyn_customer)." in texts
    assert "rotate_password_length must be at least 8." in texts
    assert "Rotating the password of" in texts
    assert len(texts) > 15


def _run_playbook(playbook: Path, inventory: dict[str, Any], tmp_path: Path) -> tuple[int, str]:
    """``ansible-playbook -vvvv`` of ``playbook``; its exit code and whole output, blanks folded."""
    inventory_file = tmp_path / "inventory.json"
    inventory_file.write_text(json.dumps(inventory))
    (tmp_path / "passwords").mkdir(mode=0o700)
    environment = {**os.environ, "ANSIBLE_NOCOLOR": "1", "ANSIBLE_LOCAL_TEMP": str(tmp_path / "local-temp")}
    command = [
        str(Path(sys.executable).with_name("ansible-playbook")), "-vvvv", "-i", str(inventory_file),
        "-e", f"password_dir={tmp_path / 'passwords'}", str(playbook),
    ]
    run = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=300, check=False)
    return run.returncode, " ".join((run.stdout + run.stderr).split())


def test_a_successful_run_prints_no_problem(emulator, role_inventory, tmp_path):
    inventory = role_inventory(host_vars={"acme-ops": {"zone": "example.com"}, "initech-deploy": {"zone": "initech.io"}})
    returncode, output = _run_playbook(PLAYBOOK, inventory, tmp_path)

    assert returncode == 0, output[-5000:]
    assert sorted(text for text in problem_texts() if text in output) == []
    assert emulator.stats()["open_sessions"] == 0
