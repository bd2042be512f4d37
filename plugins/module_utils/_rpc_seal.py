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
"""

from __future__ import annotations

import base64

from ansible_collections.dyn.managed_dns.plugins.module_utils._crypto import HAS_CRYPTOGRAPHY, SecretBox
from ansible_collections.dyn.managed_dns.plugins.module_utils.errors import DynectConfigError

if HAS_CRYPTOGRAPHY:  # else SealingKeys() says what is missing
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_KEY_INFO = b"dyn.managed_dns persistent connection seal v1"


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

    def box_with(self, peer_public: str) -> SecretBox:
        """The box both sides derive from their own private key and the other's public key."""
        try:
            peer = X25519PublicKey.from_public_bytes(base64.b64decode(peer_public, validate=True))
        except ValueError:
            raise DynectConfigError("The dynect connection sent an unusable public key") from None
        shared = self._private.exchange(peer)
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_KEY_INFO).derive(shared)
        return SecretBox(key)

    def __repr__(self) -> str:
        return "<SealingKeys X25519>"


def seal(box: SecretBox, secret: str) -> str:
    """``secret`` sealed by ``box``, as base64 text for JSON."""
    return base64.b64encode(box.seal(secret)).decode()


def unseal(box: SecretBox, sealed: str) -> str:
    """The secret that :func:`seal` sealed with the peer's matching box."""
    return box.open(base64.b64decode(sealed))
