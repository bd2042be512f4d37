# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""`make demo` and its launcher: the emulator's port is the user's choice, and the demo's closing words are true.

The demo itself runs in the guide_examples integration target (getting-started-demo); these are
the cheap checks: tests/utils/with_emulator.py against a real emulator with a command that only
prints its environment, `make -n demo`, and the demo playbook's last message against the guide it
points to.
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
WITH_EMULATOR = REPO / "tests" / "utils" / "with_emulator.py"
ROTATION_GUIDE = REPO / "docs" / "docsite" / "rst" / "guide_rotate_password.rst"
_PRINT_ADDRESS = "import os; print('address', os.environ['DYN_PORT'], os.environ['DYNECT_EMULATOR_URL'])"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def with_emulator(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, str(WITH_EMULATOR), *args, "--", sys.executable, "-c", _PRINT_ADDRESS]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


def test_with_emulator_runs_the_emulator_on_the_port_given():
    port = free_port()
    run = with_emulator("--port", str(port))
    assert run.returncode == 0, run.stderr
    assert f"address {port} http://127.0.0.1:{port}\n" in run.stdout
    assert run.stdout.endswith("DynECT emulator stopped.\n")


def test_with_emulator_picks_a_free_port_by_default():
    run = with_emulator()
    assert run.returncode == 0, run.stderr
    assert re.search(r"^address ([1-9]\d*) http://127\.0\.0\.1:\1$", run.stdout, re.MULTILINE), run.stdout


def test_with_emulator_says_in_one_sentence_that_the_port_is_taken():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = with_emulator("--port", str(port))
    assert run.returncode == 2
    assert "address" not in run.stdout  # the command never ran
    assert "Traceback" not in run.stderr
    assert run.stderr.strip().splitlines() == [
        f"The DynECT emulator did not start on port {port}: dynect_emulator: [Errno 98] Address already in use. "
        "Pick another port with --port (make demo DEMO_PORT=...), or 0 for any free one."
    ]


@pytest.mark.parametrize(
    ("port", "said"),
    [("-1", "-1 is not a port (0-65535)"), ("65536", "65536 is not a port (0-65535)"), ("http", "invalid _port value: 'http'")],
)
def test_with_emulator_refuses_what_is_no_port(port, said):
    run = with_emulator("--port", port)
    assert run.returncode == 2 and "address" not in run.stdout
    assert f"argument --port: {said}" in run.stderr


@pytest.mark.parametrize(("make_args", "port"), [(["DEMO_PORT=8123"], "8123"), ([], "0")])
def test_make_demo_hands_demo_port_to_the_launcher(make_args, port):
    dry_run = subprocess.run(["make", "-n", "demo", *make_args], cwd=REPO, capture_output=True, text=True, check=True)
    assert f"tests/utils/with_emulator.py --port {port} -- " in dry_run.stdout


# --- the demo's closing words ------------------------------------------------------------------


def demo_summary() -> list[str]:
    """The lines of the demo's last summary, as the playbook writes them."""
    plays = yaml.safe_load((REPO / "playbooks" / "demo.yml").read_text())
    tasks = [task for play in plays for task in play.get("tasks", []) if task.get("name") == "Summary"]
    assert len(tasks) == 1
    return tasks[0]["ansible.builtin.debug"]["msg"]


def guide_section(title: str) -> str:
    text = ROTATION_GUIDE.read_text()
    match = re.search(rf"^{re.escape(title)}\n-+\n(.*?)(?=^[^\n]+\n-+\n|\Z)", text, re.MULTILINE | re.DOTALL)
    assert match, f"the rotation guide has no section {title!r}"
    return match.group(1)


def test_demo_ends_with_the_closed_loop_not_a_copy_by_hand():
    """The rotation role closes the loop (the inventory reads what it wrote): the demo must not ask for a copy."""
    closing = " ".join(demo_summary()[-1].split())
    assert "copy the new password" not in closing
    section = re.search(r'"([^"]+)"', closing)
    assert section, f"the closing line names no section of the rotation guide: {closing}"
    # The section it points to shows an inventory reading dyn_password through the lookup it names.
    lookup = re.search(r"dyn\.managed_dns\.password_file", closing)
    assert lookup and "dyn_password: >-" in guide_section(section.group(1))
    assert f"lookup('{lookup.group(0)}'" in guide_section(section.group(1))
