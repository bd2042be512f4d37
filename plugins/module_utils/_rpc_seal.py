# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Seals the few secrets that must cross the persistent connection's JSON-RPC socket (private).

A module that runs through the ``dyn.managed_dns.dynect`` connection talks to the connection's
helper process over ansible-core's JSON-RPC, whose requests and replies can end up in logs
(``persistent_log_messages``) and in core's own error messages. So a new password (module to
helper) or a requested token (helper to module) never travels in clear: both sides make a
throw-away X25519 key pair, agree on a key through it, and seal the secret with AES-256-GCM.
Only public keys and sealed bytes appear on the socket.

Every seal names its direction and purpose as AES-GCM associated data (:data:`UPDATE_PASSWORD`,
:data:`PASSWORD_WORKS`, :data:`SEALED_TOKEN`): both directions share one key, so without it a
token sealed for a task could be sent back as a "new password", or a sealed password replayed
to another call; with it, a seal opens only for the call and direction it was made for.
"""

from __future__ import annotations

import base64
import os

from ansible_collections.dyn.managed_dns.plugins.module_utils._crypto import HAS_CRYPTOGRAPHY
from ansible_collections.dyn.managed_dns.plugins.module_utils.errors import DynectConfigError

if HAS_CRYPTOGRAPHY:  # else SealingKeys() says what is missing
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_KEY_INFO = b"dyn.managed_dns persistent connection seal v1"
_NONCE_BYTES = 12  # the GCM standard nonce size

#: What a seal is for: the direction it travels and the call that carries it.
UPDATE_PASSWORD = "task->helper/update_password"
PASSWORD_WORKS = "task->helper/password_works"
SEALED_TOKEN = "helper->task/sealed_token"
PURPOSES = (UPDATE_PASSWORD, PASSWORD_WORKS, SEALED_TOKEN)


class SealBox:
    """AES-256-GCM under the key two peers agreed on; every seal is bound to one purpose."""

    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(key)

    def seal(self, secret: str, purpose: str) -> bytes:
        nonce = os.urandom(_NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, secret.encode(), _associated_data(purpose))

    def open(self, sealed: bytes, purpose: str) -> str:
        try:
            return self._aead.decrypt(sealed[:_NONCE_BYTES], sealed[_NONCE_BYTES:], _associated_data(purpose)).decode()
        except (InvalidTag, ValueError):  # ValueError: too short to hold a nonce
            raise DynectConfigError(f"The dynect connection received a sealed value that is not for {purpose}; refusing it") from None

    def __repr__(self) -> str:
        return "<SealBox AES-256-GCM>"


def _associated_data(purpose: str) -> bytes:
    # An unknown purpose would be a programming error on our side; refuse it rather than seal under it.
    if purpose not in PURPOSES:
        raise ValueError(f"unknown seal purpose {purpose!r}")
    return f"dyn.managed_dns/{purpose}".encode()


class SealingKeys:
    """One side's throw-away key pair; :meth:`box_with` gives the box shared with a peer."""

    def __init__(self) -> None:
        if not HAS_CRYPTOGRAPHY:
            raise DynectConfigError(
                "The 'cryptography' Python library is required to pass secrets to the dynect connection (pip install cryptography)"
            )
        self._private = X25519PrivateKey.generate()

    @property
    def public(self) -> str:
        """This side's public key, base64 text: safe to send anywhere."""
        raw = self._private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return base64.b64encode(raw).decode()

    def box_with(self, peer_public: str) -> SealBox:
        """The box both sides derive from their own private key and the other's public key."""
        try:
            peer = X25519PublicKey.from_public_bytes(base64.b64decode(peer_public, validate=True))
        except ValueError:
            raise DynectConfigError("The dynect connection sent an unusable public key") from None
        shared = self._private.exchange(peer)
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_KEY_INFO).derive(shared)
        return SealBox(key)

    def __repr__(self) -> str:
        return "<SealingKeys X25519>"


def seal(box: SealBox, secret: str, purpose: str) -> str:
    """``secret`` sealed by ``box`` for ``purpose``, as base64 text for JSON."""
    return base64.b64encode(box.seal(secret, purpose)).decode()


def unseal(box: SealBox, sealed: str, purpose: str) -> str:
    """The secret that :func:`seal` sealed for ``purpose`` with the peer's matching box."""
    try:
        raw = base64.b64decode(sealed, validate=True)
    except (ValueError, TypeError):
        raise DynectConfigError(f"The dynect connection received a sealed value for {purpose} that is not base64; refusing it") from None
    return box.open(raw, purpose)
