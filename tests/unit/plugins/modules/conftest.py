# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fixtures for the modules' tests: run a module's ``main()`` in-process against the emulator.

The collection is imported inside the fixtures: when pytest is pointed at this folder, this file is
loaded before pytest-ansible has made ``ansible_collections`` importable.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> Iterable[None]:
    """No DYN_* variable from the caller's shell, and no session left in this thread afterwards."""
    from ansible_collections.dyn.managed_dns.plugins.module_utils._options import API_OPTIONS
    from ansible_collections.dyn.managed_dns.plugins.module_utils.session import DynectSession

    # Every variable the shared options fall back to.
    for declared in API_OPTIONS:
        monkeypatch.delenv(declared.env, raising=False)
    yield
    assert DynectSession.get_session() is None, "a module left a session registered in the thread"


@pytest.fixture
def run_module(emulator: Any, capsys: pytest.CaptureFixture[str]) -> Callable[..., dict[str, Any]]:
    """``run_module(main, *, check_mode=False, diff=False, address=True, **module_args)`` -> result.

    With ``address`` the emulator's host, port and ssl are filled in unless given. The result is
    what the module printed, the JSON Ansible would read, with ``failed`` set by ``fail_json``.
    """
    from ansible.module_utils.testing import patch_module_args

    def run(
        main: Callable[[], None], *, check_mode: bool = False, diff: bool = False, address: bool = True, **module_args: Any
    ) -> dict[str, Any]:
        args = {"host": emulator.host, "port": emulator.port, "ssl": emulator.ssl} if address else {}
        args.update(module_args)
        args.update(_ansible_check_mode=check_mode, _ansible_diff=diff)
        capsys.readouterr()  # drop anything printed before this run
        with patch_module_args(args), pytest.raises(SystemExit) as exited:
            main()
        result = json.loads(capsys.readouterr().out)
        assert (exited.value.code != 0) == bool(result.get("failed")), result
        return result

    return run
