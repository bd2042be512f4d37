# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The password file (private): read and write it on the controller, trusting nothing we did not write.

One job: keep an account's password in a file that no other user could have planted, read or
swapped, and that is never readable by anyone else, not even for an instant. Shared by the action
``dyn_password_file`` (writes) and the lookup ``password_file`` (reads); it holds the option spec of
the action once, so that the documentation stub and the action validate against the same spec.

The file's format is an internal detail of this collection, not an interface: a JSON object
``{"format": "dyn.managed_dns.password_file/1", "account": "<customer>/<user>", "confirmed": <str|null>,
"pending": <str|null>}`` plus a newline, the whole text Ansible-Vault encrypted (format 1.1) unless
plaintext is explicitly allowed. ``confirmed`` is the password known to work; ``pending`` a new one
that was (or is about to be) sent and is not verified yet. A file written by hand, one password and
an optional newline (optionally vault-encrypted), reads as pending, account unknown, and is refused
wherever an account is given (nothing in it shows whose it is).

A write goes through a temporary file beside the target, ``.<name>.<16 hex digits>.tmp``, locked
(``flock``) until it is renamed over the target; a run killed in between leaves it behind, and
``remove_leftover_temporaries`` removes such unlocked ones.

Every refusal is a ``PasswordFileError`` whose message is one sentence naming the path and the fix,
and never holds a password or any of the file's content.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import re
import secrets
import stat
import string
from dataclasses import dataclass, field
from typing import Any, Protocol

FORMAT = "dyn.managed_dns.password_file/1"
PASSWORD_CHARACTERS = string.ascii_letters + string.digits + "-_.:+=!@^*~"
MIN_LENGTH = 8
STATES = ("inspected", "pending", "confirmed")
_MAX_SIZE = 64 * 1024  # far above any password file; stops a planted huge file from being read in
_VAULT_HEADER = b"$ANSIBLE_VAULT"
_TEMP_ATTEMPTS = 5
_TEMPORARY_TAIL = re.compile(r"\.[0-9a-f]{16}\.tmp")  # after ".<name>": see _temporary_name
# The fix for refused plaintext; each plugin passes its own words (its option names).
PLAINTEXT_FIX = "give a vault password, or allow plaintext if it is acceptable"

# The options of the action dyn_password_file, defined once: the documentation stub builds its
# AnsibleModule from it (so validate-modules compares it with the docs) and the action validates
# its task arguments against it.
ARGUMENT_SPEC: dict[str, dict[str, Any]] = {
    "path": {"type": "path", "required": True},
    "account": {"type": "str", "required": True},
    "state": {"type": "str", "default": "inspected", "choices": list(STATES)},
    "vault_password_file": {"type": "path", "default": ""},
    "allow_plaintext": {"type": "bool", "default": False},
    "current_password": {"type": "str", "no_log": True},
    "new_password": {"type": "str", "no_log": True},
    "length": {"type": "int", "default": 24},
}


class Vault(Protocol):
    """What the plugins pass in to encrypt and decrypt: ansible-core's ``VaultLib`` holding the secrets.

    Passed in because module_utils may import nothing of ansible but ansible.module_utils (the stub
    module imports this file), and the vault is controller code.
    """

    def encrypt(self, plaintext: bytes) -> bytes:
        """Vault text (format 1.1) of ``plaintext``."""

    def decrypt(self, vaulttext: bytes) -> bytes:
        """The plaintext; raises when no secret opens it."""


class PasswordFileError(Exception):
    """A password file, its directory or its vault password could not be used; the message says why and what to do."""


class UnsafePathError(PasswordFileError):
    """The path, its directory or an existing file could have been planted or read by someone else."""


class VaultPasswordError(PasswordFileError):
    """The vault password file cannot be used."""


class PlaintextRefusedError(PasswordFileError):
    """Plaintext would be written or read although it is not allowed, or in place of vault text."""


class ContentError(PasswordFileError):
    """The file's content is not a password file this code wrote, or not for this account."""


@dataclass(frozen=True)
class PasswordRecord:
    """What a password file holds; ``repr`` never shows a password."""

    account: str | None
    confirmed: str | None = field(default=None, repr=False)
    pending: str | None = field(default=None, repr=False)
    encrypted: bool = False
    legacy: bool = False


def _sentence(path: str, problem: str, fix: str) -> str:
    return f"{path} {problem}; {fix}."


def check_path(path: str) -> str:
    """Return the parent directory of ``path`` once both are safe to use (the file need not exist)."""
    if not os.path.isabs(path):
        raise UnsafePathError(_sentence(path, "is not an absolute path", "give the full path of the password file"))
    if not os.path.basename(path):
        raise UnsafePathError(_sentence(path, "names a directory", "give the path of a file inside it"))
    parent = os.path.dirname(path)
    if parent == os.path.dirname(parent):  # the root directory: shared by everyone by nature
        raise UnsafePathError(_sentence(path, "is directly in /", "keep password files in a directory of your own (mode 0700)"))
    _check_directory(parent)
    _check_ancestors(parent)
    return parent


def _check_directory(parent: str) -> None:
    try:
        info = os.lstat(parent)
    except FileNotFoundError:
        raise UnsafePathError(_sentence(parent, "does not exist", "create it with mode 0700 first")) from None
    except OSError as error:
        raise UnsafePathError(_sentence(parent, f"cannot be examined ({error.strerror})", "check its permissions")) from None
    if stat.S_ISLNK(info.st_mode):
        raise UnsafePathError(_sentence(parent, "is a symbolic link", "give the real directory's path instead"))
    if not stat.S_ISDIR(info.st_mode):
        raise UnsafePathError(_sentence(parent, "is not a directory", "give a path inside a directory of your own"))
    _check_owner(parent, info, "use a directory of your own (mode 0700)")
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise UnsafePathError(
            _sentence(parent, "is writable by group or others, who could swap the file", f"run chmod go-w {parent}")
        )


def _check_ancestors(parent: str) -> None:
    """Refuse a directory above ``parent`` that others may write to without the sticky bit.

    Whoever may write to a directory may rename what is in it (without the sticky bit, even what
    others own), so they could swap the directory chain below it, and our password file with it.
    Both the path as written and the path its symlinks resolve to are checked.
    """
    for ancestor in sorted(_ancestors(parent) | _ancestors(os.path.realpath(parent)), reverse=True):  # nearest first
        try:
            info = os.stat(ancestor)
        except OSError as error:
            raise UnsafePathError(_sentence(ancestor, f"cannot be examined ({error.strerror})", "check its permissions")) from None
        if info.st_mode & stat.S_IWOTH and not info.st_mode & stat.S_ISVTX:
            raise UnsafePathError(
                _sentence(ancestor, "is writable by others without the sticky bit, so anyone could swap the directories below it",
                          f"keep password files below directories only you can write to, or run chmod o-w {ancestor}")
            )


def _ancestors(directory: str) -> set[str]:
    """Every directory above ``directory``, up to and including ``/``."""
    found = set()
    parent = os.path.dirname(directory)
    while parent != directory:
        found.add(parent)
        directory, parent = parent, os.path.dirname(parent)
    return found


def _check_owner(path: str, info: os.stat_result, fix: str) -> None:
    """Only the user running Ansible may own what we trust: anyone else could have planted or swapped it."""
    if info.st_uid != os.geteuid():
        raise UnsafePathError(_sentence(path, f"is owned by uid {info.st_uid}, not by the user running Ansible (uid {os.geteuid()})", fix))


def check_existing_file(path: str) -> os.stat_result | None:
    """The ``lstat`` of the file at ``path`` when it is one we could have written, ``None`` when there is none."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise UnsafePathError(_sentence(path, f"cannot be examined ({error.strerror})", "check its directory's permissions")) from None
    remove = "remove it if you did not create it"
    if stat.S_ISLNK(info.st_mode):
        raise UnsafePathError(_sentence(path, "is a symbolic link", "remove it, as the password file must be a regular file"))
    if not stat.S_ISREG(info.st_mode):
        raise UnsafePathError(_sentence(path, "is not a regular file", "remove it"))
    _check_owner(path, info, remove)
    if info.st_mode & 0o077:
        raise UnsafePathError(
            _sentence(path, "is readable or writable by group or others", f"run chmod 0600 {path}, or {remove}")
        )
    if info.st_nlink > 1:
        # Another name keeps the old content when we replace this one, and can be read or changed apart from it.
        raise UnsafePathError(
            _sentence(path, f"has {info.st_nlink} hard links, so its password lives on under another name",
                      f"remove the other names (find / -samefile {path} lists them)")
        )
    return info


def read_vault_password_file(path: str) -> bytes:
    """The vault password held by ``path``, stripped like ansible-vault strips it, so both read the same password."""
    try:
        info = os.stat(path)  # follows a symlink, as ansible-vault does with this file
    except OSError as error:
        raise VaultPasswordError(
            _sentence(path, f"cannot be used as vault password file ({error.strerror})", "give an existing file holding the vault password")
        ) from None
    if not stat.S_ISREG(info.st_mode):
        raise VaultPasswordError(_sentence(path, "is not a regular file", "give a file holding the vault password"))
    if info.st_mode & (stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH):
        # ansible-vault would run it as a client script and get another password than its text.
        raise VaultPasswordError(
            _sentence(path, "is executable, and vault password scripts are not supported", "give a plain file holding the vault password (chmod a-x)")
        )
    try:
        with open(path, "rb") as handle:
            password = handle.read(_MAX_SIZE).strip()
    except OSError as error:
        raise VaultPasswordError(_sentence(path, f"cannot be read ({error.strerror})", "make it readable by the user running Ansible")) from None
    if not password:
        raise VaultPasswordError(_sentence(path, "holds no vault password", "write the vault password into it"))
    return password


def serialize(record: PasswordRecord) -> str:
    """The file's text, before encryption."""
    content = {"format": FORMAT, "account": record.account, "confirmed": record.confirmed, "pending": record.pending}
    return json.dumps(content) + "\n"


def parse(path: str, text: str, encrypted: bool) -> PasswordRecord:
    """The record in a (decrypted) file's text; a single line that is not JSON is a password written by hand."""
    try:
        content = json.loads(text)
    except ValueError:
        content = None
    if not isinstance(content, dict):
        return _parse_legacy(path, text, encrypted)
    if content.get("format") != FORMAT:
        raise ContentError(_sentence(path, "is not in a format this collection writes", "remove it or give another path"))
    values = [content.get(key) for key in ("account", "confirmed", "pending")]
    if not all(value is None or (isinstance(value, str) and value) for value in values) or values[0] is None:
        raise ContentError(_sentence(path, "holds a damaged password record", "restore it from a backup or remove it"))
    return PasswordRecord(account=values[0], confirmed=values[1], pending=values[2], encrypted=encrypted)


def _parse_legacy(path: str, text: str, encrypted: bool) -> PasswordRecord:
    password = text[:-1] if text.endswith("\n") else text
    if not password or "\n" in password or "\r" in password:
        raise ContentError(
            _sentence(path, "holds neither a password record nor a single password", "remove it or give another path")
        )
    return PasswordRecord(account=None, pending=password, encrypted=encrypted, legacy=True)


def _read_bytes(path: str, expected: os.stat_result) -> bytes:
    """The file's bytes, opened without following links and checked to be the file ``lstat`` saw."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as error:
        raise UnsafePathError(_sentence(path, f"cannot be opened ({error.strerror})", "check that nobody else changes it")) from None
    with os.fdopen(descriptor, "rb") as handle:
        opened = os.fstat(handle.fileno())
        if (opened.st_dev, opened.st_ino) != (expected.st_dev, expected.st_ino):
            raise UnsafePathError(_sentence(path, "was replaced while it was being checked", "find out who changes it"))
        data = handle.read(_MAX_SIZE + 1)
    if len(data) > _MAX_SIZE:
        raise ContentError(_sentence(path, "is far too large to be a password file", "remove it or give another path"))
    return data


def load(
    path: str,
    *,
    vault: Vault | None,
    vault_required: bool,
    allow_plaintext: bool,
    account: str | None = None,
    plaintext_fix: str = PLAINTEXT_FIX,
) -> PasswordRecord | None:
    """The record in the file at ``path``, ``None`` when there is no file.

    ``vault`` decrypts an encrypted file. With ``vault_required`` (a vault password is in force) a
    plaintext file is refused outright: it cannot have been written with that password. Otherwise
    plaintext is read only when ``allow_plaintext``. With ``account``, a file of another account is refused.
    """
    check_path(path)
    info = check_existing_file(path)
    if info is None:
        return None
    data = _read_bytes(path, info)
    encrypted = data.lstrip().startswith(_VAULT_HEADER)
    if encrypted:
        text = _decrypt(path, data, vault)
    elif vault_required:
        raise PlaintextRefusedError(
            _sentence(path, "is not encrypted with Ansible Vault although a vault password is in force, so it was not written with it",
                      "remove it if you did not create it, or encrypt it with ansible-vault")
        )
    elif not allow_plaintext:
        raise PlaintextRefusedError(_sentence(path, "is not encrypted with Ansible Vault and plaintext is not allowed", plaintext_fix))
    else:
        text = _decode(path, data)
    record = parse(path, text, encrypted)
    if account is not None:
        _check_account(path, record, account)
    return record


def _check_account(path: str, record: PasswordRecord, account: str) -> None:
    """Refuse a file of another account, and one that does not say whose it is (one written by hand)."""
    if record.account is None:
        raise ContentError(
            _sentence(path, f"has no account label (a file written by hand), so nothing shows it is {account}'s",
                      "move it away and give the account's working password (ansible-vault view shows the one the file holds)")
        )
    if record.account != account:
        raise ContentError(_sentence(path, f"belongs to account {record.account}, not {account}", "give each account its own password file"))


def _decode(path: str, data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ContentError(_sentence(path, "is not UTF-8 text", "remove it or give another path")) from None


def _decrypt(path: str, data: bytes, vault: Vault | None) -> str:
    if vault is None:
        raise VaultPasswordError(
            _sentence(path, "is encrypted with Ansible Vault but no vault password is given", "give the vault password it was written with")
        )
    try:
        plaintext = vault.decrypt(data)
    except Exception:  # pylint: disable=broad-exception-caught
        # Whatever the vault raised (its AnsibleVaultError cannot be imported here) may quote the file:
        # say only what went wrong.
        raise VaultPasswordError(
            _sentence(path, "cannot be decrypted with the vault password given (or its vault text is damaged)",
                      "give the vault password it was written with")
        ) from None
    return _decode(path, plaintext)


def encrypt(
    path: str, record: PasswordRecord, vault: Vault | None, allow_plaintext: bool, plaintext_fix: str = PLAINTEXT_FIX
) -> bytes:
    """The bytes to write: vault text with ``vault``, plaintext only when ``allow_plaintext``."""
    text = serialize(record).encode("utf-8")
    if vault is not None:
        return vault.encrypt(text)
    if not allow_plaintext:
        raise PlaintextRefusedError(_sentence(path, "would be written in plaintext", plaintext_fix))
    return text


def save(
    path: str, record: PasswordRecord, *, vault: Vault | None, allow_plaintext: bool, plaintext_fix: str = PLAINTEXT_FIX
) -> None:
    """Write ``record`` to ``path`` with the checks of ``load`` first: no file we did not write is replaced."""
    data = encrypt(path, record, vault, allow_plaintext, plaintext_fix)
    check_path(path)
    check_existing_file(path)
    write_secure(path, data)


def _temporary_name(path: str) -> str:
    directory, name = os.path.split(path)
    return os.path.join(directory, f".{name}.{secrets.token_hex(8)}.tmp")


def _create_temporary(path: str) -> tuple[int, str]:
    """A new file beside ``path``, mode 0600 from its creation; never an existing file or a link."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
    for _attempt in range(_TEMP_ATTEMPTS):
        temporary = _temporary_name(path)
        try:
            descriptor = os.open(temporary, flags, 0o600)
        except FileExistsError:
            continue  # someone planted this name: never write through it, take another
        except OSError as error:
            raise PasswordFileError(_sentence(path, f"cannot be written ({error.strerror})", "check its directory")) from None
        return descriptor, temporary
    raise UnsafePathError(
        _sentence(path, "cannot be written because every temporary name tried already exists", "find out who creates files in its directory")
    )


def write_secure(path: str, data: bytes) -> None:
    """Put ``data`` at ``path`` atomically, readable by the owner only from the first byte on."""
    descriptor, temporary = _create_temporary(path)
    try:
        try:
            # Locked until renamed, so that another run's remove_leftover_temporaries leaves it alone; the
            # lock goes with the process, so a killed run's temporary is unlocked.
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            os.fchmod(descriptor, 0o600)  # the umask could only remove bits; this states the mode whatever it is
            _write_all(descriptor, data)
            os.fsync(descriptor)
            os.replace(temporary, path)
        finally:
            os.close(descriptor)
    except BaseException as error:
        _remove_quietly(temporary)
        if isinstance(error, OSError):
            raise PasswordFileError(_sentence(path, f"cannot be written ({error.strerror})", "check its directory and disk space")) from None
        raise
    _sync_directory(os.path.dirname(path))


def _write_all(descriptor: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view):]


def _remove_quietly(temporary: str) -> None:
    try:
        os.unlink(temporary)
    except OSError:
        pass


def remove_leftover_temporaries(path: str) -> list[str]:
    """Remove the temporary files a killed run left beside ``path``; the names of those removed.

    Call it after ``check_path``: the directory is then ours and nobody else can write to it. A
    temporary that a running write still holds (locked) is left alone.
    """
    directory, name = os.path.split(path)
    try:
        entries = sorted(os.listdir(directory))
    except OSError as error:
        raise PasswordFileError(_sentence(directory, f"cannot be listed ({error.strerror})", "check its permissions")) from None
    prefix = f".{name}"
    leftovers = [entry for entry in entries if entry.startswith(prefix) and _TEMPORARY_TAIL.fullmatch(entry[len(prefix):])]
    return [entry for entry in leftovers if _remove_if_abandoned(os.path.join(directory, entry))]


def _remove_if_abandoned(temporary: str) -> bool:
    """Unlink ``temporary`` when it is a regular file of ours that no writer holds; whether it was."""
    try:
        descriptor = os.open(temporary, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return False  # gone meanwhile, or not a file we write (a symlink): not ours to remove
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid():
            return False
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.unlink(temporary)
    except OSError:
        return False  # a running write holds it, or it went away meanwhile
    finally:
        os.close(descriptor)
    return True


def _sync_directory(directory: str) -> None:
    """Make the rename durable: a crash right after a rotation must not bring the old file back."""
    try:
        descriptor = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError as error:
        if error.errno not in (errno.EINVAL, errno.ENOTSUP):  # some file systems cannot sync a directory
            raise PasswordFileError(_sentence(directory, f"cannot be synced ({error.strerror})", "check the disk")) from None
    finally:
        os.close(descriptor)


def generate_password(length: int) -> str:
    """A random password of ``length`` characters with at least one letter and one digit."""
    if length < MIN_LENGTH:
        raise PasswordFileError(f"A generated password must have at least {MIN_LENGTH} characters, not {length}; raise the length.")
    while True:
        password = "".join(secrets.choice(PASSWORD_CHARACTERS) for _index in range(length))
        if any(c in string.ascii_letters for c in password) and any(c in string.digits for c in password):
            return password
