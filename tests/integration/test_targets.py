# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run every integration target as a real ``ansible-playbook`` against a fresh emulator.

A target is a folder ``targets/<name>/`` with ``playbook.yml``; ``tests/utils/run_target.py`` runs
it (the same code ``ansible-test integration`` runs through each target's ``runme.sh``; see
``README.md`` beside this file). Every run is made at ``-vvvv`` and its whole output and log are
searched for every password and token the emulator ever knew: a single hit fails the target. And
once ansible-playbook has ended, no DynECT session may be left open on the emulator.

With ``DYN_TEST_MODULE_PROCESS=1`` (``make test`` sets it for one ansible-core version) every
target whose ``aliases`` say ``dyn/module_process`` runs a second time with in-process execution
off (``run_target.py --module-process``: ``dyn_in_process=false``), its tasks on local and dynect
hosts alike as module processes, so both entry points of every module are proven by the same
playbooks. The alias marks the targets that run the collection's modules on a local host; the run
must show that module processes ran, so the alias cannot claim what a target does not do.

One target:  python -m pytest tests/integration/test_targets.py -k dyn_session
"""

from __future__ import annotations

import os
import pathlib
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "utils"))

from run_target import run_target  # noqa: E402  pylint: disable=wrong-import-position

TARGETS_DIR = pathlib.Path(__file__).parent / "targets"
TARGETS = sorted(p.name for p in TARGETS_DIR.iterdir() if (p / "playbook.yml").is_file())


MODULE_PROCESS_ALIAS = "dyn/module_process"


def _runs_local_modules(target: str) -> bool:
    lines = (TARGETS_DIR / target / "aliases").read_text(encoding="utf-8").splitlines()
    return MODULE_PROCESS_ALIAS in (line.split("#", 1)[0].strip() for line in lines)


RUNS = [(target, "in_process") for target in TARGETS]
if os.environ.get("DYN_TEST_MODULE_PROCESS") == "1":
    RUNS += [(target, "module_process") for target in TARGETS if _runs_local_modules(target)]

# The longest runs as measured by `make test` on two cores (seconds, ansible-core 2.19). They start
# first, so that neither of the two workers (-n 2) is left running a long target alone at the end
# while the other idles; sorted by name, the two longest ran last. Only the order depends on these
# numbers: a run missing here keeps its place after them.
LONGEST_RUNS = {
    ("role_rotate_password", "module_process"): 157,
    ("role_rotate_password", "in_process"): 108,
    ("connection_records", "in_process"): 89,
    ("guide_examples", "in_process"): 83,
    ("connection_records", "module_process"): 67,
    ("prove_fault_matrix_direct_password", "module_process"): 63,
    ("prove_bad_input", "module_process"): 53,
    ("prove_load", "in_process"): 53,
    ("direct_records", "module_process"): 53,
    ("prove_bad_input", "in_process"): 47,
    ("prove_fault_matrix_direct_password", "in_process"): 47,
    ("prove_fault_matrix_direct", "module_process"): 40,
}
RUNS.sort(key=lambda run: -LONGEST_RUNS.get(run, 0))


@pytest.mark.parametrize(("target", "route"), RUNS)
def test_target(target: str, route: str, tmp_path: pathlib.Path) -> None:
    result = run_target(TARGETS_DIR / target, tmp_path, module_process=route == "module_process")
    if not result.ok:
        pytest.fail(result.failure_text())
    if route == "module_process":
        assert "AnsiballZ_dyn_" in result.output, f"target {target}: no module process ran; remove {MODULE_PROCESS_ALIAS} from its aliases"


def test_longest_runs_name_real_targets() -> None:
    """A renamed target would silently lose its early start: every measured run must still exist."""
    stale = [run for run in LONGEST_RUNS if run[0] not in TARGETS or (run[1] == "module_process" and not _runs_local_modules(run[0]))]
    assert not stale, f"LONGEST_RUNS names runs that no longer exist: {stale}"
