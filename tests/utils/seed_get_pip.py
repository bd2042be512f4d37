# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Let ``ansible-test --venv`` bootstrap pip without downloading ``get-pip.py``.

ansible-test fetches ``get-pip-<version>.py`` from a host that this workplace cannot reach, but it
first looks in ``~/.ansible/test/cache/``. We seed that cache with a tiny stand-in that runs the pip
wheel bundled with ``ensurepip`` and lets it install the requested pip from the package index.

Usage: python seed_get_pip.py   (run with the interpreter whose ansible-test will be used)
"""

from __future__ import annotations

import pathlib
import re
import sys

import ansible_test

_STAND_IN = '''\
# get-pip.py stand-in written by dyn.managed_dns tests/utils/seed_get_pip.py
import ensurepip, pathlib, sys
_wheel = next((pathlib.Path(ensurepip.__file__).parent / "_bundled").glob("pip-*.whl"))
sys.path.insert(0, str(_wheel))
from pip._internal.cli.main import main
# get-pip.py's own flags; the bundled pip does not know them and no setuptools/wheel is wanted.
_args = [a for a in sys.argv[1:] if a not in ("--no-setuptools", "--no-wheel")]
sys.exit(main(["install", "--upgrade", *_args]))
'''


def _pip_version_wanted() -> str:
    requirements = pathlib.Path(ansible_test.__file__).parent / "_internal" / "python_requirements.py"
    match = re.search(r"default_packages = dict\(\s*pip='([0-9.]+)'", requirements.read_text())
    if not match:
        sys.exit(f"Cannot find the pip version ansible-test bootstraps in {requirements}; update {__file__}.")
    return match.group(1)


def main() -> None:
    version = _pip_version_wanted()
    cache = pathlib.Path.home() / ".ansible" / "test" / "cache" / f"get_pip_{version.replace('.', '_')}.py"
    cache.parent.mkdir(parents=True, exist_ok=True)
    if not cache.exists() or cache.read_text() != _STAND_IN:
        cache.write_text(_STAND_IN)
    print(f"ansible-test pip {version} bootstrap: {cache}")


if __name__ == "__main__":
    main()
