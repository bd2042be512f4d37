# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A task pays only for the libraries its path uses (issue #15)."""

from __future__ import annotations

import ast
import os
import pathlib
import subprocess
import sys


def _collections_path() -> str:
    """The directory holding the ansible_collections tree this collection is imported from."""
    from ansible_collections.dyn.managed_dns.plugins.action import dyn_session

    return str(next(path.parent for path in pathlib.Path(dyn_session.__file__).parents if path.name == "ansible_collections"))


# Third-party HTTP libraries, which the collection no longer uses: importing one costs every task's
# worker tens of milliseconds. (The standard library's http.client, which the transport uses, costs
# about 2 ms, once in ansible-playbook: _api, which dyn_rest uses, loads the transport.)
HTTP_LIBRARIES = ("requests", "urllib3")


def test_loading_the_action_and_modules_does_not_import_an_http_library():
    # Through the dynect connection the task side sends no HTTP of its own.
    probe = (
        "import sys\n"
        "from ansible_collections.dyn.managed_dns.plugins.action import dyn_session\n"
        "from ansible_collections.dyn.managed_dns.plugins.modules import dyn_password, dyn_permissions_info, dyn_rest\n"
        f"print(sorted(name for name in {HTTP_LIBRARIES!r} if name in sys.modules))\n"
    )
    env = {**os.environ, "PYTHONPATH": _collections_path()}
    run = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"


def test_ansible_playbook_itself_imports_what_every_dyn_task_runs():
    # ansible-playbook imports the action package when its strategy looks for an action of a task's
    # name; what that import loads, every task's worker inherits compiled (plugins/action/__init__.py).
    modules = sorted(path.stem for path in pathlib.Path(_collections_path(), "ansible_collections/dyn/managed_dns/plugins/modules").glob("dyn_*.py"))
    probe = (
        "import sys\n"
        "import ansible_collections.dyn.managed_dns.plugins.action\n"
        "plugins = 'ansible_collections.dyn.managed_dns.plugins.'\n"
        "print(sorted(name[len(plugins):] for name in sys.modules if name.startswith(plugins)))\n"
        f"print(sorted(name for name in {HTTP_LIBRARIES!r} if name in sys.modules))\n"
    )
    env = {**os.environ, "PYTHONPATH": _collections_path()}
    loaded, libraries = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True).stdout.splitlines()
    expected = {"action.dyn_session", "connection.dynect", *(f"modules.{name}" for name in modules)}
    assert expected <= set(ast.literal_eval(loaded)), expected - set(ast.literal_eval(loaded))
    assert len(modules) >= 9
    # What only the helper runs stays out of ansible-playbook and so out of every task's worker.
    assert not {"module_utils._engine", "module_utils.session", "plugin_utils._helper_operations"} & set(ast.literal_eval(loaded))
    assert libraries == "[]"
