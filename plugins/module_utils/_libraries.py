# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Whether this Python has requests, found without importing it (private; deprecated).

The collection no longer needs requests: the transport speaks HTTP with Python's standard library
(``http.client`` and ``ssl``). ``session.py`` still exports :data:`HAS_REQUESTS` and
:data:`REQUESTS_IMPORT_ERROR` for scripts that read them; they are deprecated and will be removed
in 1.0.0. Nothing of the collection reads them.
"""

from __future__ import annotations

import importlib.util

# Deprecated, removed in 1.0.0 (see the module docstring): still computed as before, for scripts that read them.
HAS_REQUESTS = importlib.util.find_spec("requests") is not None
REQUESTS_IMPORT_ERROR: str | None = None if HAS_REQUESTS else "ModuleNotFoundError: No module named 'requests'"
