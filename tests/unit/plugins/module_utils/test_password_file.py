# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The password file's private layer: path checks, the secure write, the format and the vault."""

from __future__ import annotations

import fcntl
import os
import pathlib
import string
from collections.abc import Callable
from typing import Any

import pytest

from ansible_collections.dyn.managed_dns.plugins.module_utils import _password_file as pf
from ansible_collections.dyn.managed_dns.tests.unit.plugins.action.helpers import (
    ACCOUNT,
    CURRENT,
    NEW,
    STRANGER_UID,
    VAULT_PASSWORD,
    below_open_directory,
    leftover_temporary,
    make_vault,
    mode,
    plant,
    read_record,
    secret_dir,
    vault_encrypt,
    vault_password_file,
)


@pytest.fixture
def vault() -> Any:
    return make_vault()


@pytest.fixture
def target(tmp_path: pathlib.Path) -> pathlib.Path:
    return secret_dir(tmp_path) / "acme-ops.vault"


def _record(confirmed: str | None = CURRENT, pending: str | None = NEW) -> pf.PasswordRecord:
    return pf.PasswordRecord(account=ACCOUNT, confirmed=confirmed, pending=pending)


def _load(path: pathlib.Path, vault: Any = None, **options: Any) -> pf.PasswordRecord | None:
    options.setdefault("vault_required", vault is not None)
    options.setdefault("allow_plaintext", False)
    return pf.load(str(path), vault=vault, **options)


def _refused(error: type[Exception], call: Callable[[], Any], *absent: str) -> str:
    """The message of the expected refusal: one sentence, holding none of ``absent``."""
    with pytest.raises(error) as raised:
        call()
    message = str(raised.value)
    assert message.endswith(".") and message.count(". ") == 0, message
    for text in absent + (CURRENT, NEW, VAULT_PASSWORD):
        assert text not in message
    return message


def test_vault_round_trip(target: pathlib.Path, vault: Any) -> None:
    pf.save(str(target), _record(), vault=vault, allow_plaintext=False)
    assert target.read_bytes().startswith(b"$ANSIBLE_VAULT;1.1;AES256\n")
    assert mode(target) == 0o600
    assert read_record(target) == {"format": pf.FORMAT, "account": ACCOUNT, "confirmed": CURRENT, "pending": NEW}
    loaded = _load(target, vault, account=ACCOUNT)
    assert (loaded.account, loaded.confirmed, loaded.pending, loaded.encrypted, loaded.legacy) == (ACCOUNT, CURRENT, NEW, True, False)
    assert CURRENT not in repr(loaded) and NEW not in repr(loaded)


def test_missing_file_loads_as_none(target: pathlib.Path, vault: Any) -> None:
    assert _load(target, vault) is None


def test_plaintext_round_trip_only_when_allowed(target: pathlib.Path) -> None:
    _refused(pf.PlaintextRefusedError, lambda: pf.save(str(target), _record(), vault=None, allow_plaintext=False))
    assert not target.exists()
    pf.save(str(target), _record(), vault=None, allow_plaintext=True)
    assert mode(target) == 0o600
    _refused(pf.PlaintextRefusedError, lambda: _load(target))
    assert _load(target, allow_plaintext=True).pending == NEW


def test_plaintext_file_refused_while_vault_in_force(target: pathlib.Path, vault: Any) -> None:
    pf.save(str(target), _record(), vault=None, allow_plaintext=True)
    message = _refused(pf.PlaintextRefusedError, lambda: _load(target, vault, allow_plaintext=True))
    assert "not encrypted with Ansible Vault although a vault password is in force" in message


def test_encrypted_file_needs_the_right_vault_password(target: pathlib.Path, vault: Any) -> None:
    pf.save(str(target), _record(), vault=vault, allow_plaintext=False)
    _refused(pf.VaultPasswordError, lambda: _load(target, allow_plaintext=True))
    _refused(pf.VaultPasswordError, lambda: _load(target, make_vault("another vault password")))


@pytest.mark.parametrize("encrypted", [False, True])
def test_legacy_file_reads_as_pending(target: pathlib.Path, vault: Any, encrypted: bool) -> None:
    if encrypted:
        target.write_bytes(vault_encrypt("OldPassw0rd\n"))
        target.chmod(0o600)
    else:
        plant(target, "OldPassw0rd\n")
    loaded = _load(target, vault if encrypted else None, allow_plaintext=True)
    assert (loaded.account, loaded.confirmed, loaded.pending, loaded.legacy) == (None, None, "OldPassw0rd", True)


@pytest.mark.parametrize("encrypted", [False, True])
def test_file_without_account_label_refused_when_an_account_is_given(target: pathlib.Path, vault: Any, encrypted: bool) -> None:
    """A file written by hand does not say whose it is: it may be another account's."""
    if encrypted:
        target.write_bytes(vault_encrypt("OldPassw0rd\n"))
        target.chmod(0o600)
    else:
        plant(target, "OldPassw0rd\n")
    message = _refused(
        pf.ContentError, lambda: _load(target, vault if encrypted else None, allow_plaintext=True, account=ACCOUNT), "OldPassw0rd"
    )
    assert message.startswith(f"{target} has no account label (a file written by hand), so nothing shows it is acme/ops's;")
    assert "move it away" in message


def test_account_mismatch_refused(target: pathlib.Path, vault: Any) -> None:
    pf.save(str(target), _record(), vault=vault, allow_plaintext=False)
    message = _refused(pf.ContentError, lambda: _load(target, vault, account="acme/other"))
    assert "belongs to account acme/ops, not acme/other" in message


@pytest.mark.parametrize(
    "content",
    [
        "line one\nline two\n",
        '{"format": "someone.else/1", "secret": "s3cr3t-content"}\n',
        '{"format": "dyn.managed_dns.password_file/1", "account": null, "confirmed": "s3cr3t-content", "pending": null}\n',
        '{"format": "dyn.managed_dns.password_file/1", "account": "acme/ops", "confirmed": 12345678, "pending": null}\n',
        "\n",
    ],
)
def test_unparseable_content_refused_without_echo(target: pathlib.Path, content: str) -> None:
    plant(target, content)
    _refused(pf.ContentError, lambda: _load(target, allow_plaintext=True), "line one", "s3cr3t-content", "12345678")


def test_refusals_name_the_path_and_fix(tmp_path: pathlib.Path) -> None:
    message = _refused(pf.UnsafePathError, lambda: pf.check_path("relative/file.vault"))
    assert message.startswith("relative/file.vault is not an absolute path;")
    assert "is directly in /" in _refused(pf.UnsafePathError, lambda: pf.check_path("/file.vault"))
    assert "does not exist; create it with mode 0700" in _refused(pf.UnsafePathError, lambda: pf.check_path(str(tmp_path / "none" / "f")))
    plant(tmp_path / "plain", "x")
    assert "is not a directory" in _refused(pf.UnsafePathError, lambda: pf.check_path(str(tmp_path / "plain" / "f")))


def test_directory_must_be_the_users_and_not_writable_by_others(tmp_path: pathlib.Path, target: pathlib.Path) -> None:
    directory = target.parent
    for bits in (0o720, 0o702, 0o777):
        directory.chmod(bits)
        assert "writable by group or others" in _refused(pf.UnsafePathError, lambda: pf.check_path(str(target)))
    directory.chmod(0o700)
    os.chown(directory, STRANGER_UID, -1)
    assert f"is owned by uid {STRANGER_UID}" in _refused(pf.UnsafePathError, lambda: pf.check_path(str(target)))
    linked = tmp_path / "linked"
    linked.symlink_to(tmp_path / "secrets")
    assert "is a symbolic link" in _refused(pf.UnsafePathError, lambda: pf.check_path(str(linked / "f")))


@pytest.mark.parametrize("bits", [0o640, 0o604, 0o620, 0o602, 0o666])
def test_existing_file_open_to_others_refused(target: pathlib.Path, vault: Any, bits: int) -> None:
    plant(target, "OldPassw0rd\n", bits)
    assert "readable or writable by group or others" in _refused(pf.UnsafePathError, lambda: _load(target, vault))
    _refused(pf.UnsafePathError, lambda: pf.save(str(target), _record(), vault=vault, allow_plaintext=False))
    assert target.read_text() == "OldPassw0rd\n"


def test_hard_linked_file_refused(tmp_path: pathlib.Path, target: pathlib.Path, vault: Any) -> None:
    """Replacing the file would leave its old password under the other name, readable and changeable apart from it."""
    pf.save(str(target), _record(), vault=vault, allow_plaintext=False)
    other_name = tmp_path / "other-name"
    os.link(target, other_name)
    message = _refused(pf.UnsafePathError, lambda: _load(target, vault))
    assert message == f"{target} has 2 hard links, so its password lives on under another name; remove the other names (find / -samefile {target} lists them)."
    before = target.read_bytes()
    _refused(pf.UnsafePathError, lambda: pf.save(str(target), _record(pending=None), vault=vault, allow_plaintext=False))
    assert target.read_bytes() == before and os.path.samefile(target, other_name)
    other_name.unlink()
    assert _load(target, vault).pending == NEW


@pytest.mark.parametrize("through_a_symlink", [False, True])
def test_directory_above_writable_by_others_without_sticky_bit_refused(tmp_path: pathlib.Path, vault: Any, through_a_symlink: bool) -> None:
    target = below_open_directory(tmp_path)
    shared = target.parent.parent
    if through_a_symlink:  # mine/link -> shared/deeper (0700): shared is in the resolved path only
        deeper = shared / "deeper"
        deeper.mkdir(mode=0o700)
        secret_dir(deeper)
        (tmp_path / "mine").mkdir(mode=0o700)
        (tmp_path / "mine" / "link").symlink_to(deeper)
        target = tmp_path / "mine" / "link" / "secrets" / target.name
    message = _refused(pf.UnsafePathError, lambda: pf.check_path(str(target)))
    assert message == (
        f"{shared} is writable by others without the sticky bit, so anyone could swap the directories below it; "
        f"keep password files below directories only you can write to, or run chmod o-w {shared}."
    )
    _refused(pf.UnsafePathError, lambda: pf.save(str(target), _record(), vault=vault, allow_plaintext=False))
    _refused(pf.UnsafePathError, lambda: _load(target, vault))
    shared.chmod(0o1777)  # the sticky bit: others may add names there, never rename or remove ours
    pf.save(str(target), _record(), vault=vault, allow_plaintext=False)
    assert _load(target, vault).pending == NEW


def test_leftover_temporaries_are_removed(tmp_path: pathlib.Path, target: pathlib.Path, vault: Any) -> None:
    pf.save(str(target), _record(), vault=vault, allow_plaintext=False)
    leftovers = [leftover_temporary(target), leftover_temporary(target)]
    kept = [
        leftover_temporary(target, ".acme-ops.vault.not-hex-digits.tmp"),
        leftover_temporary(target, ".another.vault.0123456789abcdef.tmp"),  # another file's
        leftover_temporary(target, "acme-ops.vault.0123456789abcdef.tmp"),  # not hidden: not the writer's name
    ]
    planted_link = target.parent / ".acme-ops.vault.fedcba9876543210.tmp"
    planted_link.symlink_to(plant(tmp_path / "victim", "untouched"))
    held = leftover_temporary(target)
    with open(held, "rb") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # as a write under way holds its temporary
        removed = pf.remove_leftover_temporaries(str(target))
    assert sorted(removed) == sorted(path.name for path in leftovers)
    assert not any(path.exists() for path in leftovers)
    assert all(path.exists() for path in kept + [held]) and planted_link.is_symlink()
    assert (tmp_path / "victim").read_text() == "untouched" and read_record(target)["pending"] == NEW


def test_a_write_under_way_keeps_its_temporary(target: pathlib.Path, vault: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another run cleaning up while this one writes: the locked temporary stays, and the rename works."""
    real_replace = os.replace
    seen = []

    def cleaning_replace(source: str, destination: str) -> None:
        seen.append(pf.remove_leftover_temporaries(destination))
        real_replace(source, destination)

    monkeypatch.setattr(os, "replace", cleaning_replace)
    pf.save(str(target), _record(), vault=vault, allow_plaintext=False)
    assert seen == [[]] and read_record(target)["pending"] == NEW
    assert os.listdir(target.parent) == [target.name]


def test_planted_files_refused(tmp_path: pathlib.Path, target: pathlib.Path, vault: Any) -> None:
    victim = plant(tmp_path / "victim", "untouched")
    target.symlink_to(victim)
    assert "is a symbolic link" in _refused(pf.UnsafePathError, lambda: _load(target, vault))
    _refused(pf.UnsafePathError, lambda: pf.save(str(target), _record(), vault=vault, allow_plaintext=False))
    target.unlink()
    os.mkfifo(target, 0o600)
    assert "is not a regular file" in _refused(pf.UnsafePathError, lambda: _load(target, vault))
    target.unlink()
    plant(target, "OldPassw0rd\n")
    os.chown(target, STRANGER_UID, -1)
    assert f"is owned by uid {STRANGER_UID}" in _refused(pf.UnsafePathError, lambda: _load(target, vault))
    _refused(pf.UnsafePathError, lambda: pf.save(str(target), _record(), vault=vault, allow_plaintext=False))
    assert victim.read_text() == "untouched" and target.read_text() == "OldPassw0rd\n"


def test_write_is_0600_from_creation_even_with_umask_0(target: pathlib.Path, vault: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    created = []
    real_open = os.open

    def watching_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        descriptor = real_open(path, flags, *args, **kwargs)
        if flags & os.O_CREAT:
            created.append((flags, os.fstat(descriptor).st_mode & 0o777))
        return descriptor

    monkeypatch.setattr(os, "open", watching_open)
    previous = os.umask(0)
    try:
        pf.save(str(target), _record(), vault=vault, allow_plaintext=False)
    finally:
        os.umask(previous)
    assert len(created) == 1
    flags, created_mode = created[0]
    assert created_mode == 0o600
    assert flags & os.O_EXCL and flags & os.O_NOFOLLOW
    assert mode(target) == 0o600
    assert os.listdir(target.parent) == [target.name]


def test_planted_temporary_name_cannot_redirect_the_write(
    tmp_path: pathlib.Path, target: pathlib.Path, vault: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    victim = plant(tmp_path / "victim", "untouched")
    planted = target.parent / ".planted.tmp"
    planted.symlink_to(victim)
    names = iter([str(planted), str(target.parent / ".fresh.tmp")])
    monkeypatch.setattr(pf, "_temporary_name", lambda path: next(names))
    pf.save(str(target), _record(), vault=vault, allow_plaintext=False)
    assert victim.read_text() == "untouched" and planted.is_symlink()
    assert read_record(target)["pending"] == NEW
    monkeypatch.setattr(pf, "_temporary_name", lambda path: str(planted))
    assert "every temporary name tried already exists" in _refused(
        pf.UnsafePathError, lambda: pf.save(str(target), _record(), vault=vault, allow_plaintext=False)
    )
    assert victim.read_text() == "untouched"


def test_temporary_file_removed_on_failure(target: pathlib.Path, vault: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def failing_replace(source: str, destination: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", failing_replace)
    assert "cannot be written (No space left on device)" in _refused(
        pf.PasswordFileError, lambda: pf.save(str(target), _record(), vault=vault, allow_plaintext=False)
    )
    assert os.listdir(target.parent) == []


def test_vault_password_file_is_read_like_ansible_vault(tmp_path: pathlib.Path) -> None:
    assert pf.read_vault_password_file(str(vault_password_file(tmp_path))) == VAULT_PASSWORD.encode()


@pytest.mark.parametrize(
    ("prepare", "expected"),
    [
        (lambda path: None, "cannot be used as vault password file (No such file or directory)"),
        (lambda path: path.mkdir(), "is not a regular file"),
        (lambda path: plant(path, " \n"), "holds no vault password"),
        (lambda path: plant(path, "#!/bin/sh\necho secret\n", 0o700), "vault password scripts are not supported"),
    ],
)
def test_unusable_vault_password_file(tmp_path: pathlib.Path, prepare: Callable[[pathlib.Path], Any], expected: str) -> None:
    path = tmp_path / "vault_pass"
    prepare(path)
    assert expected in _refused(pf.VaultPasswordError, lambda: pf.read_vault_password_file(str(path)))


@pytest.mark.parametrize("length", [8, 9, 24, 64])
def test_generated_passwords(length: int) -> None:
    for _round in range(50):
        password = pf.generate_password(length)
        assert len(password) == length
        assert set(password) <= set(pf.PASSWORD_CHARACTERS)
        assert set(password) & set(string.ascii_letters) and set(password) & set(string.digits)


def test_generation_retries_until_a_letter_and_a_digit(monkeypatch: pytest.MonkeyPatch) -> None:
    drawn = iter("abcdefgh" + "12345678" + "abc1defg")
    monkeypatch.setattr(pf.secrets, "choice", lambda characters: next(drawn))
    assert pf.generate_password(8) == "abc1defg"


def test_generation_needs_eight_characters() -> None:
    assert "at least 8 characters, not 7" in _refused(pf.PasswordFileError, lambda: pf.generate_password(7))
