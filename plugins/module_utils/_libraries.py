# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Whether this Python has requests, found without importing it (private).

requests is imported when the first Transport is built, not before: a task that works through the
dynect connection's helper sends no HTTP itself and need not pay for the import. Its worker process
does not import the transport either (see docs/architecture.md), so the check lives apart from it.
"""

from __future__ import annotations

import importlib.util

HAS_REQUESTS = importlib.util.find_spec("requests") is not None
REQUESTS_IMPORT_ERROR: str | None = None if HAS_REQUESTS else "ModuleNotFoundError: No module named 'requests'"
