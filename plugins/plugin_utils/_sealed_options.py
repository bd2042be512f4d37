# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The dynect helper's secret options, sealed and out of ansible-core's option table (private).

ansible-core keeps a plugin's options in a plain dict that several public methods of the plugin
read, and every public method of the helper can be called over its socket. So, in the helper, the
secret options are taken out of that table by every hand-over that sets them and kept here, sealed
under a random key of the helper's process; only the plugin's own code reads them, through
:meth:`SealedOptions.get`.

A value the helper has confirmed itself (the new password of a change it carried out) is kept for
the helper's whole life: later hand-overs carry the inventory's older value, which must not undo it.
"""

from __future__ import annotations

from collections.abc import Iterable, MutableMapping
from typing import Any

from ansible_collections.dyn.managed_dns.plugins.module_utils._crypto import SecretBox


class SealedOptions:
    """The secret options ``names`` of one helper; sealed values only, never a clear one at rest."""

    def __init__(self, names: Iterable[str]) -> None:
        self._names = frozenset(names)
        self._box: SecretBox | None = None
        self._handed: dict[str, bytes] = {}  # what the last hand-over carried
        self._confirmed: dict[str, bytes] = {}  # what the helper found true itself; outlives hand-overs

    def take_from(self, table: MutableMapping[str, Any]) -> None:
        """Seal the secret values a hand-over put into ``table`` (core's option table) and leave None there."""
        handed = {}
        for name in self._names:
            if table.get(name) is not None:
                handed[name] = self._sealed(table[name])
                table[name] = None
        self._handed = handed

    def confirm(self, name: str, value: str) -> None:
        """Use ``value`` for ``name`` from now on, whatever later hand-overs carry."""
        self._confirmed[name] = self._sealed(value)

    def get(self, name: str) -> str | None:
        """The value of ``name``: the confirmed one, else the last hand-over's; None when neither has one."""
        sealed = self._confirmed.get(name, self._handed.get(name))
        return None if sealed is None or self._box is None else self._box.open(sealed)

    def handed(self) -> dict[str, bytes]:
        """The last hand-over's sealed values, to put back with :meth:`restore` when that hand-over is refused."""
        return dict(self._handed)

    def restore(self, handed: dict[str, bytes]) -> None:
        self._handed = dict(handed)

    def _sealed(self, value: str) -> bytes:
        if self._box is None:
            self._box = SecretBox(None)  # a random key of this process
        return self._box.seal(str(value))

    def __repr__(self) -> str:
        return f"<SealedOptions {sorted(self._names)}: values sealed>"
