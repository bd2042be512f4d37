#!/usr/bin/env bash
# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The ansible-test integration entry point, the same in every target (tests/integration/README.md):
# tests/utils/run_target.py runs this target's playbook.yml against a fresh emulator and fails on any
# secret in the output or logs and on any session left open. ansible-test runs this script from a
# copy of the target's folder under the collection's tests/output/; the playbook runs from the
# collection's own tests/integration/targets/<name>/, beside the files it uses (the emulator,
# tests/utils/, docs/), with the Python ansible-test gives us (with --requirements, its virtualenv
# holds tests/integration/requirements.txt).
set -eu

here="$(pwd -P)"
root="$here"
until [ -f "$root/tests/utils/run_target.py" ]; do
    if [ "$root" = / ]; then
        echo "runme.sh: no tests/utils/run_target.py in $here or above it" >&2
        exit 1
    fi
    root="$(dirname "$root")"
done

exec "${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}" "$root/tests/utils/run_target.py" \
    "$root/tests/integration/targets/$(basename "$here")"
