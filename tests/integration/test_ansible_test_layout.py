# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The integration targets are in ansible-test's layout, and ``ansible-test integration`` runs them.

(a) Every folder under ``targets/`` is either a target (``playbook.yml``, an ``aliases`` file and the
    shared executable ``runme.sh``, which runs ``tests/utils/run_target.py``) or a helper folder of
    other targets (``aliases`` saying ``hidden``, and named by them as ``needs/target/<folder>``).
    ansible-test lists exactly the targets pytest runs.
(b) ``ansible-test integration --venv`` runs one small target from a real copy of the collection
    and passes: the same run, secret scan and session check as ``test_targets.py``.
"""

from __future__ import annotations

import os
import pathlib
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
TARGETS_DIR = REPO / "tests" / "integration" / "targets"
FOLDERS = sorted(p.name for p in TARGETS_DIR.iterdir() if p.is_dir() and p.name != "__pycache__")
TARGETS = [name for name in FOLDERS if (TARGETS_DIR / name / "playbook.yml").is_file()]
HELPERS = [name for name in FOLDERS if name not in TARGETS]
RUNME_SHEBANG = "#!/usr/bin/env bash"  # one ansible-test's sanity "shebang" test allows in targets
ANSIBLE_TEST = pathlib.Path(sys.executable).with_name("ansible-test")
PYTHON_VERSION = "%d.%d" % sys.version_info[:2]
# Small and fast (direct route, a few tasks): the target (b) runs through ansible-test.
SMALL_TARGET = "module_token_reuse"
# What a copy of the collection needs to run targets (the rest of tests/ holds the emulator and runner).
COPIED = ("README.md", "docs", "galaxy.yml", "meta", "plugins", "roles", "requirements.txt", "requirements-test.txt", "tests")
_ANSIBLE_TEST_TIMEOUT = 600


def _aliases(folder: str) -> list[str]:
    """The aliases as ansible-test reads them: comments and blank lines dropped (none without the file)."""
    path = TARGETS_DIR / folder / "aliases"
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    return [line for line in (re.sub(r"(^| )#.*$", "", raw).strip() for raw in lines) if line]


def _folders_used(target: str) -> set[str]:
    """Other target folders this target's files reach into (``../<folder>/``)."""
    used: set[str] = set()
    for path in (TARGETS_DIR / target).iterdir():
        if path.is_file() and path.suffix in (".yml", ".yaml", ".py", ".cfg"):
            used.update(re.findall(r"\.\./([A-Za-z0-9_]+)/", path.read_text(encoding="utf-8")))
    return used & set(FOLDERS) - {target}


# ---- (a) the layout ----

@pytest.mark.parametrize("folder", FOLDERS)
def test_every_folder_has_aliases(folder: str) -> None:
    assert (TARGETS_DIR / folder / "aliases").is_file(), (
        f"targets/{folder} has no aliases file: a target needs one (see tests/integration/README.md)"
    )


@pytest.mark.parametrize("target", TARGETS)
def test_target_is_an_ansible_test_script_target(target: str) -> None:
    runme = TARGETS_DIR / target / "runme.sh"
    assert runme.is_file(), f"targets/{target} has no runme.sh: copy another target's (they are all the same)"
    assert os.access(runme, os.X_OK), f"targets/{target}/runme.sh is not executable (chmod +x; git keeps the bit)"
    text = runme.read_text(encoding="utf-8")
    assert text.splitlines()[0] == RUNME_SHEBANG
    assert re.search(r"^set -eu", text, flags=re.MULTILINE)
    assert "tests/utils/run_target.py" in text
    aliases = _aliases(target)
    assert "context/controller" in aliases, f"targets/{target}/aliases: the modules run on the controller"
    assert not {"hidden", "disabled", "unsupported", "unstable"} & set(aliases), f"targets/{target} would not run"
    for helper in _folders_used(target):
        assert f"needs/target/{helper}" in aliases, f"targets/{target} uses ../{helper}/: alias needs/target/{helper}"


def test_every_runme_is_the_shared_one() -> None:
    """One runme.sh for all: a fix made to one is made to all."""
    texts = {target: (TARGETS_DIR / target / "runme.sh").read_bytes() for target in TARGETS}
    different = sorted(target for target, text in texts.items() if text != texts[SMALL_TARGET])
    assert not different, f"runme.sh differs from targets/{SMALL_TARGET}/runme.sh in: {', '.join(different)}"


@pytest.mark.parametrize("helper", HELPERS)
def test_helper_folder_is_hidden(helper: str) -> None:
    assert "hidden" in _aliases(helper), f"targets/{helper} has no playbook.yml, so its aliases must say hidden"
    assert not (TARGETS_DIR / helper / "runme.sh").exists(), f"targets/{helper} is no target: no runme.sh"
    assert any(f"needs/target/{helper}" in _aliases(target) for target in TARGETS), f"no target needs targets/{helper}"


# ---- (b) ansible-test itself ----

def _copy_collection(root: pathlib.Path) -> pathlib.Path:
    """A real (not symlinked) ansible_collections/dyn/managed_dns tree: ansible-test refuses symlinks."""
    tree = root / "ansible_collections" / "dyn" / "managed_dns"
    tree.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache")
    for name in COPIED:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, tree / name, ignore=ignore, symlinks=False)
        else:
            shutil.copy2(source, tree / name)
    shutil.rmtree(tree / "tests" / "output", ignore_errors=True)  # ansible-test's own results
    return tree


def _ansible_test(tree: pathlib.Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PATH"] = f"{ANSIBLE_TEST.parent}{os.pathsep}{env.get('PATH', '')}"
    for name in ("ANSIBLE_COLLECTIONS_PATH", "ANSIBLE_CONFIG", "PYTHONPATH"):
        env.pop(name, None)
    return subprocess.run(
        [str(ANSIBLE_TEST), *args, "--color", "no"], cwd=tree, env=env, timeout=_ANSIBLE_TEST_TIMEOUT,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False,
    )


@pytest.fixture(scope="module")
def collection_copy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[pathlib.Path]:
    root = tmp_path_factory.mktemp("ansible-test")
    yield _copy_collection(root)
    shutil.rmtree(root, ignore_errors=True)  # with ansible-test's virtualenv in it


def test_ansible_test_lists_the_targets_pytest_runs(collection_copy: pathlib.Path) -> None:
    proc = _ansible_test(collection_copy, "integration", "--list-targets")
    assert proc.returncode == 0, proc.stdout[-5000:]
    listed = [line for line in proc.stdout.splitlines() if re.fullmatch(r"[A-Za-z0-9_]+", line)]
    assert listed == TARGETS, proc.stdout[-5000:]


def test_ansible_test_integration_runs_a_target(collection_copy: pathlib.Path) -> None:
    # ansible-test --venv bootstraps pip with get-pip.py, which cannot be downloaded here: seed its cache.
    subprocess.run([sys.executable, str(REPO / "tests" / "utils" / "seed_get_pip.py")], check=True, capture_output=True)
    proc = _ansible_test(collection_copy, "integration", "--venv", "--requirements", "--python", PYTHON_VERSION, SMALL_TARGET)
    # The output holds run_target.py's verdict, never a secret (it withholds any output holding one).
    assert proc.returncode == 0, proc.stdout[-20000:]
    assert f"target {SMALL_TARGET}: passed" in proc.stdout, proc.stdout[-20000:]


def test_the_targets_requirements_are_the_collections():
    # ansible-test installs tests/integration/requirements.txt and does not follow -r: the lines are copies.
    def lines(name: str) -> set[str]:
        return {line.strip() for line in (REPO / name).read_text().splitlines() if line.strip() and not line.startswith(("#", "-r"))}

    tools = ("proxy.py", "dyn==", "ansible-builder")  # run by the targets: the proxy, the guides' SDK and EE build
    needed = lines("requirements.txt") | {line for line in lines("requirements-test.txt") if line.startswith(tools)}
    assert lines("tests/integration/requirements.txt") == needed
