# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Keeps the stored password encrypted in memory (private).

The session needs the clear password again only to log in after the server dropped the session,
so between logins it keeps the password sealed with AES-256-GCM. The SDK did the same with AES-CBC
through PyCrypto and silently kept the clear text when PyCrypto was missing; here a missing
``cryptography`` library is an error, never a plain-text fallback.
"""

from __future__ import annotations

import functools
import hashlib
import os
import traceback

from ansible_collections.dyn.managed_dns.plugins.module_utils.errors import DynectConfigError

try:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
except ImportError:
    HAS_CRYPTOGRAPHY = False
    CRYPTOGRAPHY_IMPORT_ERROR: str | None = traceback.format_exc()
else:
    HAS_CRYPTOGRAPHY = True
    CRYPTOGRAPHY_IMPORT_ERROR = None

_KEY_BYTES = 32  # AES-256
_NONCE_BYTES = 12  # the GCM standard nonce size


@functools.cache
def _process_key() -> bytes:
    """One random key per process, used by every session created with ``key=None``."""
    return os.urandom(_KEY_BYTES)


def _key_bytes(key: str | bytes | None) -> bytes:
    if key is None:
        return _process_key()
    if isinstance(key, bytes):
        if len(key) != _KEY_BYTES:
            raise DynectConfigError(f"A bytes key must be exactly {_KEY_BYTES} bytes (AES-256), not {len(key)}")
        return key
    if isinstance(key, str):
        if not key:
            raise DynectConfigError("The password encryption key must not be empty")
        # Like the SDK, any text key is accepted and stretched to 256 bits.
        return hashlib.sha256(key.encode()).digest()
    raise DynectConfigError(f"The password encryption key must be text or {_KEY_BYTES} bytes, not {type(key).__name__}")


class SecretBox:
    """Seals and opens secrets with AES-256-GCM under one key.

    :param key: text (hashed to 256 bits, as the SDK did), exactly 32 raw bytes, or None for the
        random per-process key.
    """

    def __init__(self, key: str | bytes | None = None) -> None:
        if not HAS_CRYPTOGRAPHY:
            raise DynectConfigError(
                "The 'cryptography' Python library is required to keep the password encrypted "
                "(pip install cryptography)"
            )
        self._aead = AESGCM(_key_bytes(key))

    def seal(self, secret: str) -> bytes:
        nonce = os.urandom(_NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, secret.encode(), None)

    def open(self, sealed: bytes) -> str:
        try:
            return self._aead.decrypt(sealed[:_NONCE_BYTES], sealed[_NONCE_BYTES:], None).decode()
        except InvalidTag:
            raise DynectConfigError("The stored password cannot be decrypted with this session's key") from None

    def __repr__(self) -> str:
        return "<SecretBox AES-256-GCM>"
