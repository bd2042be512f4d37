# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Imports, once in ansible-playbook's own process, what every ``dyn_*`` task's worker runs.

ansible-core compiles a collection's Python files from source in every process that imports
them (its collection loader keeps no bytecode), and each task runs in a worker forked from
ansible-playbook. ansible-playbook imports this package itself, when its strategy looks for an
action plugin of the task's name (every module is routed to the one action in
``meta/runtime.yml``, so it finds none by that name): importing the one action, every module and
the dynect connection here lets each worker inherit them compiled, instead of compiling some
twenty files per task. A task's worker never imports the session engine or requests on the
connection route (see ``docs/architecture.md``), so neither is imported here.
"""

from __future__ import annotations

import importlib
import os

_PLUGINS = "ansible_collections.dyn.managed_dns.plugins"


def _preload() -> None:
    modules_dir = os.path.join(os.path.dirname(os.path.dirname(__file__)), "modules")
    names = sorted(name[:-3] for name in os.listdir(modules_dir) if name.startswith("dyn_") and name.endswith(".py"))
    for dotted in (f"{_PLUGINS}.action.dyn_session", f"{_PLUGINS}.connection.dynect", *(f"{_PLUGINS}.modules.{name}" for name in names)):
        importlib.import_module(dotted)


_preload()
