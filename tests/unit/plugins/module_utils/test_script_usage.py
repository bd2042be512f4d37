# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The migration guide's plain-script examples, run as the guide shows them: a separate ``python3``
process that gets nothing but ``PYTHONPATH`` (the directory holding ``ansible_collections``) and the
``DYN_*`` variables, logging in to the emulator with ``DynectSession.from_env()``; the second one
makes a task's zone and record calls through the DNS layer (``dns.py``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[4]
GUIDE = REPO / "docs" / "docsite" / "rst" / "guide_migrating.rst"
SCRIPT_NAME = "list_zones.py"
DNS_SCRIPT_NAME = "change_www.py"

# Run by the script's Python before the script: any import of ansible-core fails, and so does one of
# requests (which the collection no longer uses; it is found, for the deprecated HAS_REQUESTS, but
# not loaded), which proves the guide's claim that cryptography is all the session module needs.
_WITHOUT_ANSIBLE = """
import importlib.machinery, runpy, sys
class _NoAnsible:
    def find_spec(self, name, path=None, target=None):
        if name == "ansible" or name.startswith("ansible."):
            raise ImportError(f"{name} imported by a plain script")
        if name.split(".")[0] in ("requests", "urllib3"):
            return importlib.machinery.ModuleSpec(name, self)
    def create_module(self, spec):
        raise ImportError(f"{spec.name} imported by a plain script")
    def exec_module(self, module):
        pass  # never reached: create_module refuses
sys.meta_path.insert(0, _NoAnsible())
runpy.run_path(sys.argv[1], run_name="__main__")
"""


def _code_blocks(text: str, language: str) -> list[str]:
    """The bodies of the ``.. code-block:: <language>`` directives of an RST text, dedented."""
    blocks = []
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if line.strip() != f".. code-block:: {language}":
            continue
        body = []
        for following in lines[index + 1:]:
            if following.strip() and not following.startswith(" "):
                break
            body.append(following)
        blocks.append(textwrap.dedent("\n".join(body)).strip("\n") + "\n")
    return blocks


def _guide_script(name: str = SCRIPT_NAME) -> str:
    scripts = [block for block in _code_blocks(GUIDE.read_text(encoding="utf-8"), "python") if block.startswith(f"# {name}")]
    assert len(scripts) == 1, f"the guide should show {name} once"
    return scripts[0]


def _guide_output(name: str = SCRIPT_NAME) -> list[str]:
    """The lines the guide's console example shows ``python3 <name>`` printing."""
    for block in _code_blocks(GUIDE.read_text(encoding="utf-8"), "console"):
        lines = block.splitlines()
        if f"$ python3 {name}" in lines:
            return lines[lines.index(f"$ python3 {name}") + 1:]
    raise AssertionError(f"the guide should show how to run {name}")


@pytest.fixture
def collections_root(tmp_path: Path) -> Path:
    """A directory holding ``ansible_collections/dyn/managed_dns`` (this checkout), as an installed collection is held."""
    root = tmp_path / "collections"
    (root / "ansible_collections" / "dyn").mkdir(parents=True)
    (root / "ansible_collections" / "dyn" / "managed_dns").symlink_to(REPO, target_is_directory=True)
    return root


def _plain_environment(emulator: Any, collections_root: Path, **extra: str) -> dict[str, str]:
    """Only what the guide tells to set (and PATH, which finds nothing the script uses)."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(collections_root),
        "DYN_CUSTOMER": "acme",
        "DYN_USERNAME": "ops",
        "DYN_PASSWORD": "Ops-Passw0rd",
        "DYN_HOST": emulator.host,
        "DYN_PORT": str(emulator.port),
        "DYN_SSL": "yes" if emulator.ssl else "no",
        **extra,
    }


@pytest.fixture
def script(tmp_path: Path) -> Path:
    (tmp_path / "work").mkdir()
    path = tmp_path / "work" / SCRIPT_NAME
    path.write_text(_guide_script(), encoding="utf-8")
    return path


def _run(command: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # sys.executable: a Python that has cryptography, as the guide requires; -E is not
    # used because PYTHONPATH is exactly what is under test.
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=60, check=False)


def test_the_guide_script_logs_in_with_from_env_and_out_again(script, emulator, collections_root):
    done = _run([sys.executable, SCRIPT_NAME], script.parent, _plain_environment(emulator, collections_root))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == _guide_output()
    stats = emulator.stats()
    assert (stats["logins"], stats["logouts"], stats["open_sessions"]) == (1, 1, 0)


def test_the_guide_script_needs_no_ansible_core(script, emulator, collections_root):
    done = _run([sys.executable, "-c", _WITHOUT_ANSIBLE, str(script)], script.parent, _plain_environment(emulator, collections_root))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == _guide_output()


def test_without_pythonpath_the_collection_is_not_found(script, emulator, collections_root):
    env = _plain_environment(emulator, collections_root)
    del env["PYTHONPATH"]
    done = _run([sys.executable, "-S", SCRIPT_NAME], script.parent, env)  # -S: no site-packages copy either
    assert done.returncode != 0
    assert "No module named 'ansible_collections'" in done.stderr


def test_the_guide_script_reports_an_unusable_variable_without_secrets(script, emulator, collections_root):
    env = _plain_environment(emulator, collections_root, DYN_PORT="https")
    del env["DYN_CUSTOMER"]
    done = _run([sys.executable, SCRIPT_NAME], script.parent, env)
    assert done.returncode != 0
    assert "DynectConfigError: DYN_PORT must be a whole number, not 'https'" in done.stderr
    assert "Ops-Passw0rd" not in done.stdout + done.stderr
    assert emulator.stats()["requests"] == {}


def test_the_guide_dns_script_makes_a_tasks_zone_and_record_calls_without_ansible_core(tmp_path, emulator, collections_root):
    (tmp_path / "work").mkdir()
    script = tmp_path / "work" / DNS_SCRIPT_NAME
    script.write_text(_guide_script(DNS_SCRIPT_NAME), encoding="utf-8")

    done = _run([sys.executable, "-c", _WITHOUT_ANSIBLE, str(script)], script.parent, _plain_environment(emulator, collections_root))

    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == _guide_output(DNS_SCRIPT_NAME)
    requests = emulator.stats()["requests"]
    assert (requests["PUT /REST/ARecord"], requests["DELETE /REST/ARecord"], requests["PUT /REST/Zone"]) == (1, 1, 2)
    assert emulator.stats()["open_sessions"] == 0
