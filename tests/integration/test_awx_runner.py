# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A job as AWX / Automation Platform runs it: ansible-runner, the DynECT credential type's injectors, no secret in any artifact.

The job (``awx_runner/job.yml`` beside this file) runs once through ``ansible_runner.run`` against a
fresh emulator, on both routes: a task on ``localhost`` (the direct route, which reads the
credential's ``DYN_*`` environment) and an account host on the dynect connection (which reads its
``dyn_*`` extra vars) that also rotates its password with the rotate_password role. The account
reaches the job only as the platform hands it over: the credential type's injectors
(``extensions/awx/credential_type_dynect.yml``) are rendered from the credential's inputs into
``env/extravars`` (each value ``!unsafe``, as the platform writes them) and ``env/envvars``.

Then every file ansible-runner wrote as output (``artifacts/<ident>/``: job events, stdout, fact
cache, status, rc) and the run's log are searched for every password and token the emulator ever
issued, and the vault password: none may appear. Not searched: the input files (``env/``,
``inventory/``), which hold the injected values by design, and ``artifacts/<ident>/command``,
ansible-runner's record of the command line and the environment it injected.
"""

from __future__ import annotations

import dataclasses
import json
import pathlib
import sys
from typing import Any

import ansible_runner
import pytest
import yaml
from jinja2.sandbox import SandboxedEnvironment

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "utils"))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "emulator"))

from harness import Emulator  # noqa: E402  pylint: disable=wrong-import-position
from run_target import find_leaked_secrets, open_sessions_after_grace, playbook_env  # noqa: E402  pylint: disable=wrong-import-position

REPO = pathlib.Path(__file__).resolve().parents[2]
JOB_DIR = pathlib.Path(__file__).resolve().parent / "awx_runner"
CREDENTIAL_TYPE = REPO / "extensions" / "awx" / "credential_type_dynect.yml"
# The credential's inputs: an emulator account (tests/emulator/accounts.json).
CREDENTIAL = {"customer": "acme", "username": "ops", "password": "Ops-Passw0rd"}
VAULT_PASSWORD = "awx-runner-vault-pass"
# ansible-runner's record of the command line and the environment it injected: input, not output.
NOT_OUTPUT = ("command",)
INVENTORY = {
    "all": {
        "vars": {"ansible_python_interpreter": "{{ ansible_playbook_python }}"},
        "hosts": {
            "localhost": {"ansible_connection": "local"},
            "acme-ops": {
                "ansible_connection": "dyn.managed_dns.dynect",
                "dyn_host": "{{ emulator_host }}",
                "dyn_port": "{{ emulator_port }}",
                "dyn_ssl": False,
                "dyn_history": True,
            },
        },
    },
}


def rendered_injectors(inputs: dict[str, str]) -> dict[str, dict[str, str]]:
    """The credential type's injectors filled from a credential's inputs, as the platform does."""
    injectors = yaml.safe_load(CREDENTIAL_TYPE.read_text(encoding="utf-8"))["injectors"]
    templates = SandboxedEnvironment()
    return {kind: {name: templates.from_string(value).render(**inputs) for name, value in names.items()} for kind, names in injectors.items()}


def unsafe_extravars(credential_vars: dict[str, str], job_vars: dict[str, Any]) -> str:
    """env/extravars as the platform writes it: the credential's values tagged ``!unsafe`` (never templated)."""
    lines = [f"{name}: !unsafe {json.dumps(value)}" for name, value in credential_vars.items()]
    lines += [f"{name}: {json.dumps(value)}" for name, value in job_vars.items()]
    return "\n".join(lines) + "\n"


def write_private_data_dir(root: pathlib.Path, emulator: Emulator, secrets_dir: pathlib.Path) -> None:
    """The job's inputs: inventory, extra vars and environment from the credential."""
    injected = rendered_injectors(CREDENTIAL)
    job_vars = {"emulator_host": emulator.host, "emulator_port": emulator.port, "secrets_dir": str(secrets_dir)}
    (root / "env").mkdir(parents=True)
    (root / "inventory").mkdir()
    (root / "env" / "extravars").write_text(unsafe_extravars(injected["extra_vars"], job_vars), encoding="utf-8")
    (root / "env" / "envvars").write_text(yaml.safe_dump(injected["env"]), encoding="utf-8")
    (root / "inventory" / "hosts.yml").write_text(yaml.safe_dump(INVENTORY), encoding="utf-8")


def make_secrets_dir(root: pathlib.Path) -> pathlib.Path:
    """Where the rotation keeps its password file (0700) and the vault password it encrypts with."""
    root.mkdir(mode=0o700)
    (root / "vault-pass").write_text(VAULT_PASSWORD + "\n", encoding="utf-8")
    (root / "vault-pass").chmod(0o600)
    return root


def artifact_outputs(artifact_dir: pathlib.Path) -> dict[str, str]:
    """Every file ansible-runner wrote as output, by its path under the job's artifact folder."""
    return {
        str(path.relative_to(artifact_dir)): path.read_text(encoding="utf-8", errors="replace")
        for path in sorted(artifact_dir.rglob("*"))
        if path.is_file() and str(path.relative_to(artifact_dir)) not in NOT_OUTPUT
    }


def leaks_by_file(outputs: dict[str, str], secrets: dict[str, list[str]]) -> dict[str, list[str]]:
    """For each output holding a secret, the secrets' names (never their values)."""
    return {name: leaked for name, text in outputs.items() if (leaked := find_leaked_secrets(text, secrets))}


@pytest.fixture
def job_environment(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the harness sets for every run (colourless output, private temp paths, a log file); ansible-runner copies it."""
    for name, value in playbook_env(tmp_path, JOB_DIR).items():
        monkeypatch.setenv(name, value)


@dataclasses.dataclass
class PlatformJob:
    """What one job left: ansible-runner's verdict, its outputs by file, and what the emulator saw."""

    status: str
    rc: int
    outputs: dict[str, str]
    stats: dict[str, Any]
    open_sessions: int
    secrets: dict[str, list[str]]


def run_platform_job(scratch: pathlib.Path) -> PlatformJob:
    """Run the job once through ansible-runner against a fresh emulator; scratch is an empty private directory."""
    secrets_dir = make_secrets_dir(scratch / "secrets")
    private_data_dir = scratch / "job"
    with Emulator() as emulator:
        write_private_data_dir(private_data_dir, emulator, secrets_dir)
        runner = ansible_runner.run(
            private_data_dir=str(private_data_dir), project_dir=str(JOB_DIR), playbook="job.yml",
            ident="job", verbosity=4, quiet=True,
        )
        open_sessions = open_sessions_after_grace(emulator)
        stats, secrets = emulator.stats(), emulator.secrets()
    outputs = artifact_outputs(private_data_dir / "artifacts" / "job")
    outputs["ansible.log"] = (scratch / "ansible.log").read_text(encoding="utf-8")  # ANSIBLE_LOG_PATH of playbook_env
    return PlatformJob(runner.status, runner.rc, outputs, stats, open_sessions, {**secrets, "vault password": [VAULT_PASSWORD]})


def assert_nothing_leaked(job: PlatformJob) -> None:
    """First, so that output holding a secret is never shown."""
    leaks = leaks_by_file(job.outputs, job.secrets)
    assert not leaks, f"secrets in ansible-runner's output: {leaks}"
    assert job.secrets["passwords"], "the scan had no secrets to look for"


def assert_scanned_what_the_platform_keeps(job: PlatformJob) -> None:
    """The outputs are all there: job events, stdout, status, rc, and the fact cache with the account's history."""
    assert {"stdout", "status", "rc"} <= set(job.outputs)
    assert sum(name.startswith("job_events/") for name in job.outputs) > 20
    cached = [text for name, text in job.outputs.items() if name.startswith("fact_cache/") and name.endswith("acme-ops")]
    assert len(cached) == 1 and "/REST/Password/" in cached[0], "the account's history (a password change among it) is not in the fact cache"


def assert_the_emulator_saw_both_routes(job: PlatformJob) -> None:
    """One login and logout each: the direct task, the account's helper (the zones, the change, the
    history), the role's direct check of the current password and its check of the new one."""
    assert job.stats["requests"] == {"POST /REST/Session": 4, "GET /REST/Zone": 2, "PUT /REST/Password": 1, "DELETE /REST/Session": 4}
    assert (job.stats["logins"], job.stats["failed_logins"], job.stats["logouts"], job.open_sessions) == (4, 0, 4, 0)


@pytest.mark.usefixtures("job_environment")
def test_a_platform_job_on_both_routes_writes_no_secret(tmp_path: pathlib.Path) -> None:
    """One run (about 6 s): ansible-runner is the costly part."""
    job = run_platform_job(tmp_path)
    assert_nothing_leaked(job)
    assert (job.status, job.rc) == ("successful", 0), job.outputs.get("stdout", "")[-20000:]
    assert_scanned_what_the_platform_keeps(job)
    assert_the_emulator_saw_both_routes(job)
