# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run one example of the guides or README.md, as its entry in examples.yml says, against the emulator.

    run_example.py setup WORKDIR                 once: a scratch HOME, the vault and password files
    run_example.py run WORKDIR EMULATOR_URL ID   one example; prints its commands and their whole
                                                 output, then one JSON line: the emulator's counters
                                                 for this example and every problem found

The example runs as a user would run it: the blocks are written to files under the names the guide
gives them, in a folder of their own; ``HOME`` is a scratch folder where the README's install example
put the collection (``~/.ansible/collections``, as ``ansible-galaxy`` does by default, with no
``ANSIBLE_COLLECTIONS_PATH``); ``python3``, ``ansible-playbook`` and the rest come first on ``PATH``
from the virtualenv running this script; the ``DYN_HOST``, ``DYN_PORT`` and ``DYN_SSL`` variables
point the modules and the connection at the emulator (as ``tests/utils/with_emulator.py`` does); the
passwords the guides take from Ansible Vault are in an encrypted ``group_vars/all/vault.yml`` beside
the example. ``ANSIBLE_VERBOSITY=1`` makes every inner ``ansible-playbook`` run at ``-v``. Before
the example the emulator is reset (sessions, counters and changed passwords back to the accounts
file's state); after it, the script waits until no session is open and reads the counters.

Placeholders in the entry's ``env``, ``extra_vars``, ``replace``, ``cwd`` and ``creates`` values:
``@workdir@``, ``@example_dir@``, ``@home@``, ``@collection@`` (the installed collection),
``@checkout@`` (a copy of this checkout), ``@vault_password_file@``, ``@emulator_host@``,
``@emulator_port@``, ``@password_file:CUSTOMER/USER@`` (a 0600 file holding that account's password).
"""

from __future__ import annotations

import fnmatch
import json
import os
import pathlib
import re
import shlex
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from typing import Any

TARGET = pathlib.Path(__file__).resolve().parent
REPO = TARGET.parents[3]
sys.path.insert(0, str(REPO / "tests" / "utils"))

import guide_examples  # noqa: E402  pylint: disable=wrong-import-position

ACCOUNTS = REPO / "tests" / "emulator" / "accounts.json"
VENV_BIN = pathlib.Path(sys.executable).parent  # not resolved: the virtualenv's own bin folder
VAULT_PASSWORD = "guide-examples-vault-password"
_EXAMPLE_TIMEOUT = 300
_SESSION_GRACE_SECONDS = 15


def _private_dir(path: pathlib.Path) -> pathlib.Path:
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def _write_private(path: pathlib.Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)


def _passwords() -> dict[str, str]:
    """customer/user -> password, from the emulator's default accounts file."""
    accounts = json.loads(ACCOUNTS.read_text(encoding="utf-8"))
    return {
        f"{customer['name']}/{user['user_name']}": user["password"]
        for customer in accounts["customers"]
        for user in customer.get("users", [])
    }


def setup(workdir: pathlib.Path, manifest: dict[str, Any]) -> None:
    from ansible.constants import DEFAULT_VAULT_ID_MATCH  # pylint: disable=import-outside-toplevel
    from ansible.parsing.vault import VaultLib, VaultSecret  # pylint: disable=import-outside-toplevel

    _private_dir(workdir / "home")
    _write_private(workdir / "vault-password", VAULT_PASSWORD + "\n")
    passwords = _passwords()
    for account, password in passwords.items():
        _write_private(workdir / "passwords" / account.replace("/", "-"), password + "\n")
    # The variables the guides take passwords from, encrypted as the guides advise: an account's
    # password ("customer/user"), or a value of its own ({value: ...}, such as a new password).
    plain = "".join(
        f"{name}: {json.dumps(source['value'] if isinstance(source, dict) else passwords[source])}\n"
        for name, source in manifest["vault_vars"].items()
    )
    vault = VaultLib([(DEFAULT_VAULT_ID_MATCH, VaultSecret(VAULT_PASSWORD.encode()))])
    _write_private(workdir / "vault.yml", vault.encrypt(plain.encode()).decode())
    checkout = workdir / "checkout"
    names = _checkout_files()
    for name in names:
        source = REPO / name
        if source.is_file() and not source.is_symlink():
            (checkout / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, checkout / name)
    print(f"set up {workdir}: HOME, vault file, password files, a copy of the checkout ({len(names)} files)")


def _checkout_files() -> list[str]:
    """What "this checkout" holds: the files git knows about (tracked, or new and not ignored); in a
    tree that is no git checkout (ansible-test's copy), every file .gitignore does not exclude."""
    listed = subprocess.run(
        ["git", "-C", str(REPO), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        check=False, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
    )
    if listed.returncode == 0 and (REPO / ".git").exists():
        return [name for name in listed.stdout.decode().split("\0") if name]
    patterns = [line.strip() for line in (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()
                if line.strip() and not line.startswith("#")] + [".git/"]

    def ignored(relative: pathlib.PurePath, is_dir: bool) -> bool:
        for pattern in patterns:
            if pattern.endswith("/") and not is_dir:
                continue
            bare = pattern.strip("/")
            if pattern.startswith("/") or "/" in bare:
                if fnmatch.fnmatch(relative.as_posix(), bare):
                    return True
            elif fnmatch.fnmatch(relative.name, bare):
                return True
        return False

    names = []
    for folder, dirs, files in os.walk(REPO):
        here = pathlib.Path(folder).relative_to(REPO)
        dirs[:] = [name for name in dirs if not ignored(here / name, True)]
        names += [(here / name).as_posix() for name in files if not ignored(here / name, False)]
    return names


class Example:
    """One entry of the manifest, run once."""

    def __init__(self, workdir: pathlib.Path, emulator_url: str, example_id: str, manifest: dict[str, Any]) -> None:
        self.workdir = workdir
        self.emulator_url = emulator_url.rstrip("/")
        self.id = example_id
        self.entry: dict[str, Any] = manifest["examples"][example_id]
        self.kind: str = self.entry["run"]
        self.blocks = guide_examples.all_blocks()[0]
        self.block = self.blocks.get(example_id)
        self.dir = workdir / "examples" / example_id
        self.home = workdir / "home"
        parsed = urllib.parse.urlsplit(self.emulator_url)
        self.places = {
            "workdir": str(workdir),
            "example_dir": str(self.dir),
            "home": str(self.home),
            "collection": str(self.home / ".ansible" / "collections" / "ansible_collections" / "dyn" / "managed_dns"),
            "checkout": str(workdir / "checkout"),
            "vault_password_file": str(workdir / "vault-password"),
            "emulator_host": parsed.hostname or "",
            "emulator_port": str(parsed.port or ""),
        }
        self.problems: list[str] = []
        self.output = ""

    # ---- helpers ----

    def fill(self, value: Any) -> Any:
        """The value with its @placeholders@ replaced (recursively in lists and mappings)."""
        if isinstance(value, dict):
            return {key: self.fill(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.fill(item) for item in value]
        if not isinstance(value, str):
            return value

        def place(match: re.Match[str]) -> str:
            name = match.group(1)
            if name.startswith("password_file:"):
                return str(self.workdir / "passwords" / name.split(":", 1)[1].replace("/", "-"))
            return self.places[name]

        return re.sub(r"@([a-z_]+(?::[\w./-]+)?)@", place, value)

    def file_name(self, example_id: str) -> str:
        block = self.blocks[example_id]
        extension = {"python": ".py", "yaml": ".yml"}.get(block.language, ".txt")
        return block.filename or f"{example_id}{extension}"

    def write_block(self, example_id: str) -> pathlib.Path:
        path = self.dir / self.file_name(example_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.blocks[example_id].text, encoding="utf-8")
        return path

    def environment(self) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items() if not key.startswith("ANSIBLE_COLLECTIONS_PATH")}
        env.update(
            HOME=str(self.home),
            PATH=f"{VENV_BIN}{os.pathsep}{env.get('PATH', '/usr/bin:/bin')}",
            DYN_HOST=self.places["emulator_host"],
            DYN_PORT=self.places["emulator_port"],
            DYN_SSL="no",
            ANSIBLE_VERBOSITY="1",
            PIP_NO_INDEX="1",  # pip may only find what is installed: no package index in tests
            PIP_DISABLE_PIP_VERSION_CHECK="1",
        )
        if self.kind == "python":  # the folder holding ansible_collections, as the guides say
            env["PYTHONPATH"] = str(self.home / ".ansible" / "collections")
        env.update({key: str(value) for key, value in self.fill(self.entry.get("env") or {}).items()})
        return env

    def control(self, action: str) -> dict[str, Any]:
        request = urllib.request.Request(
            f"{self.emulator_url}/__emulator__/{action}",
            data=b"{}" if action == "reset" else None,
            method="POST" if action == "reset" else "GET",
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)

    def execute(self, command: list[str], *, cwd: pathlib.Path, stdin: pathlib.Path | None = None) -> int:
        print(f"$ {shlex.join(command)}    (in {cwd})", flush=True)
        with open(stdin or os.devnull, "rb") as source:
            process = subprocess.run(
                command, cwd=cwd, env=self.environment(), stdin=source, stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT, timeout=_EXAMPLE_TIMEOUT, check=False,
            )
        text = process.stdout.decode("utf-8", "replace")
        print(text, end="" if text.endswith("\n") or not text else "\n", flush=True)
        self.output += text
        return process.returncode

    # ---- the kinds ----

    def prepare(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)
        _private_dir(self.dir)
        for used in [*(self.entry.get("files") or []), *([self.entry["inventory"]] if self.entry.get("inventory") else [])]:
            self.write_block(used)
        for host, variables in (self.entry.get("host_vars") or {}).items():
            _private_dir(self.dir / "host_vars")
            (self.dir / "host_vars" / f"{host}.yml").write_text(json.dumps(variables) + "\n", encoding="utf-8")
        if self.entry.get("vault"):
            vault_file = self.dir / "group_vars" / "all" / "vault.yml"
            vault_file.parent.mkdir(parents=True)
            shutil.copy2(self.workdir / "vault.yml", vault_file)

    def ansible_options(self) -> list[str]:
        options = []
        if self.entry.get("inventory"):
            options += ["-i", str(self.dir / self.file_name(self.entry["inventory"]))]
        if self.entry.get("vault"):
            options += ["--vault-password-file", self.places["vault_password_file"]]
        if self.entry.get("extra_vars"):
            options += ["-e", json.dumps(self.fill(self.entry["extra_vars"]))]
        if self.entry.get("check"):
            options.append("--check")
        return options

    def run_playbook(self) -> int:
        if self.block is None:  # a play of this target, for a documented situation no example shows
            playbook = self.dir / self.entry["source"]
            shutil.copy2(TARGET / self.entry["source"], playbook)
        else:
            playbook = self.write_block(self.id)
        return self.execute([str(VENV_BIN / "ansible-playbook"), *self.ansible_options(), str(playbook)], cwd=self.dir)

    def run_inventory(self) -> int:
        inventory = self.write_block(self.id)
        options = ["--vault-password-file", self.places["vault_password_file"]] if self.entry.get("vault") else []
        rc = self.execute([str(VENV_BIN / "ansible-inventory"), "-i", str(inventory), *options, "--list"], cwd=self.dir)
        if rc == 0 and "hosts" in self.entry:
            listed = json.loads(self.output[self.output.index("{"):]).get("_meta", {}).get("hostvars", {})
            if sorted(listed) != sorted(self.entry["hosts"]):
                self.problems.append(f"the inventory lists hosts {sorted(listed)}, expected {sorted(self.entry['hosts'])}")
        return rc

    def run_python(self) -> int:
        script = self.write_block(self.id)
        return self.execute([str(VENV_BIN / "python3"), str(script)], cwd=self.dir)

    def shell_lines(self) -> list[tuple[str, str, list[str]]]:
        """(command as documented, command to run or "" to skip it, expected output lines) of a
        console or bash block; skip and replace applied."""
        pairs: list[tuple[str, list[str]]] = []
        for line in self.block.text.splitlines():
            if self.kind == "bash":
                if pairs and pairs[-1][0].endswith("\\"):
                    pairs[-1] = (pairs[-1][0] + "\n" + line, [])
                else:
                    pairs.append((line, []))
            elif line.startswith("$ "):
                pairs.append((line[2:], []))
            elif pairs and pairs[-1][0].endswith("\\"):
                pairs[-1] = (pairs[-1][0] + "\n" + line, [])
            elif pairs:
                pairs[-1][1].append(line.rstrip())
        result = []
        for documented, expected in pairs:
            command = documented
            if any(text in documented for text in self.entry.get("skip") or {}):
                command, expected = "", []
            for text, replacement in self.fill(self.entry.get("replace") or {}).items():
                command = command.replace(text, replacement)
            result.append((documented, command, expected))
        return result

    def run_shell(self) -> int:
        """One bash runs every command in turn, as a user types them; a failing one ends it."""
        outputs = _private_dir(self.dir / ".outputs")
        script = []
        lines = self.shell_lines()
        for number, (documented, command, _expected) in enumerate(lines):
            script.append(f"printf '%s\\n' {shlex.quote('$ ' + documented)}")
            reasons = [why for text, why in (self.entry.get("skip") or {}).items() if text in documented]
            if reasons:
                script.append(f"printf '%s\\n' {shlex.quote('(not run: ' + reasons[0] + ')')}")
                continue
            if not command.strip() or command.lstrip().startswith("#"):  # a comment: nothing to run
                continue
            script += [
                "{",
                command,
                f"}} > {outputs}/{number} 2>&1 || __example_rc=$?",
                f"cat {outputs}/{number}",
                '[ "${__example_rc:-0}" = 0 ] || exit "$__example_rc"',
            ]
        (self.dir / ".example.sh").write_text("\n".join(script) + "\n", encoding="utf-8")
        cwd = pathlib.Path(self.fill(self.entry.get("cwd", "@example_dir@")))
        stdin = pathlib.Path(self.fill(self.entry["stdin"])) if self.entry.get("stdin") else None
        rc = self.execute(["bash", str(self.dir / ".example.sh")], cwd=cwd, stdin=stdin)
        for number, (documented, command, expected) in enumerate(lines):
            produced = outputs / str(number)
            if expected and produced.exists():
                printed = [line.rstrip() for line in produced.read_text(encoding="utf-8").splitlines()]
                if printed != expected:
                    self.problems.append(f"{documented!r} printed {printed}, the guide shows {expected}")
        return rc

    def check_message(self) -> int:
        """The block's text, blanks folded, is in the output of the entry shown_by names."""
        shown_by = self.entry["shown_by"]
        saved = self.workdir / "outputs" / f"{shown_by}.out"
        if not saved.exists():
            self.problems.append(f"{shown_by} has not run before {self.id}")
            return 1
        message = " ".join(self.block.text.split())
        print(f"looking in the output of {shown_by} for:\n  {message}")
        if message not in " ".join(saved.read_text(encoding="utf-8").split()):
            self.problems.append(f"the output of {shown_by} does not contain the documented message {message!r}")
            return 1
        print("found")
        return 0

    # ---- one run ----

    def run(self) -> dict[str, Any]:
        # requests and failed_logins stay None for examples that do not use the target's emulator.
        summary: dict[str, Any] = {"id": self.id, "kind": self.kind, "requests": None, "failed_logins": None}
        started = time.monotonic()
        if self.kind == "message":
            summary["rc"] = self.check_message()
        else:
            # A background example runs alongside the others, so it must leave the target's emulator alone.
            uses_emulator = not self.entry.get("background")
            self.prepare()
            if uses_emulator:
                self.control("reset")
            runner = {"playbook": self.run_playbook, "inventory": self.run_inventory, "python": self.run_python,
                      "console": self.run_shell, "bash": self.run_shell}[self.kind]
            for turn in range(self.entry.get("times", 1)):
                if turn:
                    print(f"--- the same again (run {turn + 1})", flush=True)
                summary["rc"] = rc = runner()
                if rc != self.entry.get("rc", 0):
                    self.problems.append(f"exit code {rc}, expected {self.entry.get('rc', 0)}")
                    break
            summary["run_seconds"] = round(time.monotonic() - started, 1)
            if uses_emulator:
                deadline = time.monotonic() + _SESSION_GRACE_SECONDS
                while (stats := self.control("stats"))["open_sessions"] and time.monotonic() < deadline:
                    time.sleep(0.25)
                summary.update(requests=stats["requests"], failed_logins=stats["failed_logins"],
                               open_sessions=stats["open_sessions"])
                if stats["open_sessions"]:
                    self.problems.append(f"{stats['open_sessions']} sessions left open")
            for pattern in self.entry.get("output") or []:
                if not re.search(pattern, self.output, re.MULTILINE):
                    self.problems.append(f"the output does not match {pattern!r}")
            for pattern in self.entry.get("not_output") or []:
                if re.search(pattern, self.output, re.MULTILINE):
                    self.problems.append(f"the output matches {pattern!r}")
            for path in self.fill(self.entry.get("creates") or []):
                if not pathlib.Path(path).exists():
                    self.problems.append(f"{path} was not created")
            _write_private(self.workdir / "outputs" / f"{self.id}.out", self.output)
        summary.update(seconds=round(time.monotonic() - started, 1), problems=self.problems)
        return summary


def main(argv: list[str]) -> int:
    manifest = guide_examples.load_manifest()
    if argv[:1] == ["setup"] and len(argv) == 2:
        setup(pathlib.Path(argv[1]), manifest)
        return 0
    if argv[:1] == ["run"] and len(argv) == 4:
        example = Example(pathlib.Path(argv[1]), argv[2], argv[3], manifest)
        print(f"=== {example.id} ({example.kind}; {example.block.location if example.block else example.entry['source']})", flush=True)
        summary = example.run()
        print(json.dumps(summary, sort_keys=True))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
