# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The three modules under ``ansible-playbook -vvvv``: no secret anywhere in the whole output.

The integration runner searches its targets' output for the emulator's passwords and tokens; this
run also uses the secrets the emulator never sees (the password sealing key, the proxy password).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ansible_collections.dyn.managed_dns.tests.unit.plugins.module_utils.helpers import (
    leaked,
    requests_made,
    server_secrets,
)

PLAYBOOK = Path(__file__).with_name("playbooks") / "every_secret.yml"
SESSION_VALUE_PLAYBOOK = Path(__file__).with_name("playbooks") / "session_value.yml"
SEALING_KEY = "Sealing-Key-For-This-Run-5"
PROXY_PASSWORD = "Proxy-Secret-5"


def test_no_secret_in_verbose_output(emulator, tmp_path):
    # From a file: -vvvv prints the command line's extra vars.
    secret_vars = tmp_path / "secrets.json"
    secret_vars.write_text(json.dumps({"sealing_key": SEALING_KEY, "proxy_password": PROXY_PASSWORD}))
    log_file = tmp_path / "ansible.log"
    environment = {
        **os.environ,
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_LOG_PATH": str(log_file),
        "ANSIBLE_LOCAL_TEMP": str(tmp_path / "local-temp"),
    }
    command = [
        str(Path(sys.executable).with_name("ansible-playbook")), "-vvvv",
        "-i", "localhost,", "-c", "local",
        "-e", f"ansible_python_interpreter={sys.executable}",
        "-e", f"emulator_host={emulator.host}", "-e", f"emulator_port={emulator.port}",
        "-e", f"@{secret_vars}",
        str(PLAYBOOK),
    ]

    run = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=300, check=False)

    output = run.stdout + run.stderr + log_file.read_text()
    secrets = [*server_secrets(emulator), SEALING_KEY, PROXY_PASSWORD]
    assert leaked(output, secrets) == []
    assert run.returncode == 0, run.stdout[-5000:]
    # The run did what it was meant to: rotated the password once and logged the session out.
    assert requests_made(emulator, "PUT /REST/Password") == 2  # the rotation and the refused change
    assert "Deploy-Key-43" in server_secrets(emulator)
    assert emulator.stats()["open_sessions"] == 0


@pytest.mark.parametrize("route", ["in-process", "module-process"])
def test_no_session_value_in_verbose_output(emulator, tmp_path, route):
    """Issue #22: a token given as session (a string, a list) is refused and appears nowhere, on both routes.

    A local host whose interpreter is this Python runs the modules' work in the worker process; one
    whose interpreter is a wrapper script around it runs them as module processes (AnsiballZ).
    """
    interpreter = sys.executable if route == "in-process" else _wrapper_around_this_python(tmp_path)
    log_file = tmp_path / "ansible.log"
    environment = {
        **os.environ,
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_LOG_PATH": str(log_file),
        "ANSIBLE_LOCAL_TEMP": str(tmp_path / "local-temp"),
        "ANSIBLE_ASYNC_DIR": str(tmp_path / "async"),
    }
    command = [
        str(Path(sys.executable).with_name("ansible-playbook")), "-vvvv",
        "-i", "localhost,", "-c", "local",
        "-e", f"ansible_python_interpreter={interpreter}",
        "-e", f"emulator_host={emulator.host}", "-e", f"emulator_port={emulator.port}",
        str(SESSION_VALUE_PLAYBOOK),
    ]

    run = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=300, check=False)

    output = run.stdout + run.stderr + log_file.read_text()
    tokens = server_secrets(emulator)
    # The token whole, and the parts Ansible's key=value parsing would have made of it.
    assert leaked(output, [*tokens, *(token.rstrip("=") for token in tokens), *(token[:40] for token in tokens)]) == []
    assert run.returncode == 0, run.stdout[-5000:]
    assert ("AnsiballZ_dyn_session.py" in output) is (route == "module-process")
    assert requests_made(emulator, "POST /REST/Session") == 1  # the play's login, not the async one
    assert emulator.stats()["open_sessions"] == 0
    assert not (tmp_path / "async").exists() or not any((tmp_path / "async").iterdir())


def _wrapper_around_this_python(folder: Path) -> Path:
    wrapper = folder / "module-process-python"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    return wrapper
