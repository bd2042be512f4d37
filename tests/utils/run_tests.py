# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run every test stage of the collection in each given virtualenv, and say what ran.

``make test`` calls this once with one ``--venv`` per ansible-core version. Per virtualenv, in order
(``--venv PATH:unit,sanity`` restricts a virtualenv to the stages it names; ``make test`` runs
integration only on the oldest and the newest version):

1. unit tests (pytest with pytest-ansible's ``--ansible-unit-inject-only``: ``tests/unit``, which
   mirrors ``plugins/``, and the emulator's own tests in ``tests/emulator``);
2. integration tests (``tests/integration``: real ``ansible-playbook`` runs against the emulator;
   on the first version that runs them, every target whose aliases say ``dyn/module_process`` twice:
   in-process and with in-process execution off, ``dyn_in_process=false``, as module processes);
3. ``ansible-test sanity`` from a real ``ansible_collections/dyn/managed_dns/`` copy (ansible-test
   refuses symlinked trees).

Then, once (they do not depend on the ansible-core version), the lints of ``tests/utils/lint.sh``:
antsibull-docs, antsibull-changelog, ansible-lint, the execution-environment build context and mypy.

Any failure, any stage that ran no test, and a run in which no stage ran make the whole run fail.
The last line is the plain ``N passed, N failed`` summary that CI reads.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import pathlib
import re
import shutil
import subprocess
import sys

REPO = pathlib.Path(__file__).resolve().parents[2]
# pytest-ansible's --ansible-unit-inject-only imports the collection from ANSIBLE_COLLECTIONS_PATH:
# a farm whose ansible_collections/dyn/managed_dns points back at this checkout.
COLLECTIONS_FARM = REPO / "collections"
SANITY_ROOT = REPO / ".tmp"
LOG_DIR = REPO / "tests" / "output" / "logs"
_SANITY_FAILURE_TAIL_LINES = 150
VENV_STAGES = ("unit", "integration", "sanity")
STAGES = (*VENV_STAGES, "lint")


@dataclasses.dataclass
class StageResult:
    core: str
    stage: str
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    ok: bool = False
    note: str = ""


def ensure_collections_farm() -> None:
    link = COLLECTIONS_FARM / "ansible_collections" / "dyn" / "managed_dns"
    if link.is_symlink() or link.exists():
        return
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(os.path.relpath(REPO, link.parent), target_is_directory=True)


def _venv_env(venv: pathlib.Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(venv)
    env["ANSIBLE_COLLECTIONS_PATH"] = str(COLLECTIONS_FARM)
    env.pop("PYTHONPATH", None)
    return env


def _core_version(venv: pathlib.Path) -> str:
    return subprocess.run(
        [venv / "bin" / "python", "-c", "import ansible.release as r; print(r.__version__)"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()


def _python_version(venv: pathlib.Path) -> str:
    return subprocess.run(
        [venv / "bin" / "python", "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()


_PYTEST_COUNT = re.compile(r"(\d+) (passed|failed|errors?|skipped|xfailed|xpassed)")


def _run_pytest(
    venv: pathlib.Path, core: str, stage: str, paths: list[str], extra: list[str], env: dict[str, str] | None = None
) -> StageResult:
    result = StageResult(core=core, stage=stage)
    print(f"\n=== ansible-core {core}: {stage} tests ({' '.join(paths)}) ===", flush=True)
    command = [str(venv / "bin" / "python"), "-m", "pytest", "-p", "no:cacheprovider", *extra, *paths]
    proc = subprocess.run(
        command, cwd=REPO, env={**_venv_env(venv), **(env or {})}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False
    )
    sys.stdout.write(proc.stdout)
    summary = [line for line in proc.stdout.splitlines() if re.search(r"\d+ (passed|failed|error)", line)]
    for count, kind in _PYTEST_COUNT.findall(summary[-1] if summary else ""):
        if kind == "passed":
            result.passed = int(count)
        elif kind in ("failed", "error", "errors"):
            result.failed += int(count)
        elif kind == "skipped":
            result.skipped = int(count)
    if proc.returncode == 5 or result.passed == 0:
        result.note = "no test ran"
    elif proc.returncode != 0:
        result.note = f"pytest exited {proc.returncode}"
        result.failed = max(result.failed, 1)
    result.ok = proc.returncode == 0 and result.passed > 0
    return result


def _copy_for_ansible_test(core: str) -> pathlib.Path:
    """A real (not symlinked) collection tree holding exactly the files git knows about."""
    root = SANITY_ROOT / f"sanity-{core}"
    shutil.rmtree(root, ignore_errors=True)
    target = root / "ansible_collections" / "dyn" / "managed_dns"
    target.mkdir(parents=True)
    listing = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO, check=True, capture_output=True,
    ).stdout.decode().split("\0")
    for name in filter(None, listing):
        source = REPO / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    # ansible-test lists files through git; inside this checkout .tmp/ is ignored, so the copy
    # gets a repository of its own, where every file counts as untracked and is tested.
    subprocess.run(["git", "init", "--quiet", target], check=True)
    return target


def _run_sanity(venv: pathlib.Path, core: str) -> StageResult:
    result = StageResult(core=core, stage="sanity")
    python = _python_version(venv)
    print(f"\n=== ansible-core {core}: ansible-test sanity (Python {python}) ===", flush=True)
    subprocess.run([venv / "bin" / "python", REPO / "tests" / "utils" / "seed_get_pip.py"], check=True)
    tree = _copy_for_ansible_test(core)
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    log_path = LOG_DIR / f"sanity-{core}.log"
    command = [str(venv / "bin" / "ansible-test"), "sanity", "--venv", "--python", python, "--color", "no"]
    with log_path.open("w") as log:
        proc = subprocess.run(command, cwd=tree, env=_venv_env(venv), stdout=log, stderr=subprocess.STDOUT, text=True, check=False)
    output = log_path.read_text()
    ran = re.findall(r'^Running sanity test "([^"]+)"', output, flags=re.MULTILINE)
    failed = re.search(r"The (\d+) sanity test\(s\) listed below \(out of (\d+)\) failed", output)
    result.failed = int(failed.group(1)) if failed else (1 if proc.returncode else 0)
    result.passed = len(ran) - (int(failed.group(1)) if failed else 0)
    result.ok = proc.returncode == 0 and bool(ran)
    if not ran:
        result.note = "no sanity test ran"
    if not result.ok:
        print(f"ansible-test sanity failed (exit {proc.returncode}); last lines of {log_path}:")
        print("\n".join(output.splitlines()[-_SANITY_FAILURE_TAIL_LINES:]))
    else:
        print(f"{len(ran)} sanity tests passed: {', '.join(ran)} (full log: {log_path.relative_to(REPO)})")
    return result


def _run_lints(venv: pathlib.Path, core: str) -> StageResult:
    result = StageResult(core=core, stage="lint")
    print(f"\n=== ansible-core {core}: lints (tests/utils/lint.sh) ===", flush=True)
    proc = subprocess.run(
        ["bash", str(REPO / "tests" / "utils" / "lint.sh"), str(venv)],
        cwd=REPO, env=_venv_env(venv), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False,
    )
    sys.stdout.write(proc.stdout)
    result.passed = proc.stdout.count(": ok\n")
    result.failed = proc.stdout.count(": FAILED\n")
    result.ok = proc.returncode == 0 and result.passed > 0
    if not result.passed:
        result.note = "no lint ran"
    return result


@dataclasses.dataclass
class VenvSpec:
    path: pathlib.Path
    stages: tuple[str, ...]  # the per-virtualenv stages this virtualenv may run


def _venv_spec(value: str) -> VenvSpec:
    """``PATH`` (every stage) or ``PATH:STAGE[,STAGE...]`` (only those)."""
    path, sep, tail = value.rpartition(":")
    if not sep or not tail or "/" in tail:
        return VenvSpec(pathlib.Path(value), VENV_STAGES)
    stages = tuple(dict.fromkeys(part.strip() for part in tail.split(",")))
    unknown = [stage for stage in stages if stage not in VENV_STAGES]
    if unknown or not path:
        raise argparse.ArgumentTypeError(
            f"{value!r}: expected PATH or PATH:STAGE[,STAGE...] with stages from {', '.join(VENV_STAGES)}"
        )
    return VenvSpec(pathlib.Path(path), stages)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--venv", action="append", required=True, type=_venv_spec, metavar="PATH[:STAGES]",
        help="a virtualenv with ansible-core; ':unit,sanity' after the path runs only those stages in it",
    )
    parser.add_argument("--skip-note", action="append", default=[], help="a loud line about a version not tested")
    parser.add_argument("--stage", action="append", choices=STAGES, help="run only these stages")
    args = parser.parse_args()
    stages = args.stage or list(STAGES)

    ensure_collections_farm()
    results: list[StageResult] = []
    not_run: list[str] = []
    # The integration targets run a second time as module processes, once: on the first version
    # that runs them (see tests/integration/test_targets.py).
    module_process_env = {"DYN_TEST_MODULE_PROCESS": "1"}
    for spec in args.venv:
        venv = spec.path.resolve()
        core = _core_version(venv)
        excluded = [stage for stage in VENV_STAGES if stage in stages and stage not in spec.stages]
        if excluded:
            not_run.append(
                f"ansible-core {core}: {', '.join(excluded)} not run by design ({spec.path} runs {', '.join(spec.stages)} only)"
            )
        if "unit" in stages and "unit" in spec.stages:
            results.append(_run_pytest(venv, core, "unit", ["tests/unit", "tests/emulator"], ["--ansible-unit-inject-only"]))
        if "integration" in stages and "integration" in spec.stages:
            # Two targets at a time (-n 2, pytest-xdist): each spends much of its time waiting on
            # the emulator, on ansible-connection helpers and on idle timeouts, so two overlap on
            # two cores and the stage takes about half as long.
            results.append(_run_pytest(venv, core, "integration", ["tests/integration"], ["-n", "2", "--durations=12"], env=module_process_env))
            module_process_env = {}
        if "sanity" in stages and "sanity" in spec.stages:
            results.append(_run_sanity(venv, core))
    if "lint" in stages:
        first = args.venv[0].path.resolve()
        results.append(_run_lints(first, _core_version(first)))

    print("\n=== Summary ===")
    print(f"{'ansible-core':<14}{'stage':<13}{'passed':>8}{'failed':>8}{'skipped':>9}  result")
    for r in results:
        verdict = "ok" if r.ok else f"FAILED {r.note}".rstrip()
        print(f"{r.core:<14}{r.stage:<13}{r.passed:>8}{r.failed:>8}{r.skipped:>9}  {verdict}")
    for note in not_run:
        print(f"    {note}")
    for note in args.skip_note:
        print(f"!!! {note}")
    if not results:
        print("!!! no stage ran: nothing was tested")
    passed = sum(r.passed for r in results)
    failed = sum(r.failed for r in results) + sum(1 for r in results if not r.ok and r.failed == 0)
    if not results:
        failed = max(failed, 1)
    print(f"{passed} passed, {failed} failed")
    return 0 if results and all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
