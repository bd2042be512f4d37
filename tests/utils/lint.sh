#!/usr/bin/env bash
# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The collection's lints; exits non-zero on any finding.
#
#   tests/utils/lint.sh [VENV]        (VENV defaults to .venv)
#
# 1. antsibull-docs lint-collection-docs --plugin-docs --check-extra-docs-refs: every plugin's and
#    role's documentation, docs/docsite (extra-docs.yml, rst/) and the references in it.
#    antsibull-docs copies the files git knows about into a collection tree of its own; it must run
#    on this checkout (a copy inside an ignored folder such as .tmp/ would look empty to it).
# 2. antsibull-changelog lint: the changelog fragments.
# 3. ansible-lint, production profile, on roles/ and playbooks/ (config: .ansible-lint).
# 4. ansible-builder: meta/execution-environment.yml makes a build context, and builder's own
#    introspection finds requirements.txt and bindep.txt through it.
# 5. mypy (config: mypy.ini): the type annotations of plugins/, read as the package ansible-core loads.
set -u -o pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="$(cd "${1:-$REPO/.venv}" && pwd)"
export PATH="$VENV/bin:$PATH"
export ANSIBLE_NOCOLOR=1 NO_COLOR=1 ANSIBLE_FORCE_COLOR=0
cd "$REPO"

failures=()
step() {  # step NAME COMMAND...: run, show, remember a failure
    local name="$1"; shift
    echo "=== lint: $name ==="
    if "$@"; then
        echo "--- $name: ok"
    else
        echo "--- $name: FAILED"
        failures+=("$name")
    fi
}

# A real (not symlinked) collection tree holding the files git knows about, as ansible-test's,
# for ansible-lint (resolving the collection's modules and roles) and ansible-builder.
LINT_ROOT="$REPO/.tmp/lint"
COPY="$LINT_ROOT/ansible_collections/dyn/managed_dns"
rm -rf "$LINT_ROOT"
mkdir -p "$COPY"
git ls-files -z --cached --others --exclude-standard \
    | while IFS= read -r -d '' name; do
        [[ -f "$name" ]] && install -D -m "$(stat -c %a "$name")" "$name" "$COPY/$name"
      done

lint_docs() {
    antsibull-docs lint-collection-docs --plugin-docs --check-extra-docs-refs .
}

lint_changelog() {
    antsibull-changelog lint
}

lint_ansible() {
    # Modules and roles of this collection are resolved through the copy.
    (cd "$COPY" && ANSIBLE_COLLECTIONS_PATH="$LINT_ROOT" ansible-lint --nocolor --profile production roles playbooks)
}

lint_ee() {
    local scratch
    scratch="$(mktemp -d)" || return 1
    # The definition's dependency files are relative to the collection's root (the way
    # ansible-builder reads it from an installed collection), so it is built from there.
    cp "$COPY/meta/execution-environment.yml" "$scratch/execution-environment.yml" \
        && cp "$COPY/requirements.txt" "$COPY/bindep.txt" "$scratch/" \
        && ansible-builder create --file "$scratch/execution-environment.yml" --context "$scratch/context" \
        && test -s "$scratch/context/_build/requirements.txt" \
        && test -s "$scratch/context/_build/bindep.txt" \
        && python "$scratch/context/_build/scripts/introspect.py" introspect "$LINT_ROOT" > "$scratch/introspect.txt" \
        && cat "$scratch/introspect.txt" \
        && grep -q 'cryptography.*from collection dyn.managed_dns' "$scratch/introspect.txt" \
        && grep -q 'ca-certificates.*from collection dyn.managed_dns' "$scratch/introspect.txt"
    local rc=$?
    rm -rf "$scratch"
    return $rc
}

lint_types() {
    # The copy is a real ansible_collections tree, so no collections/ link is needed here.
    MYPYPATH="$LINT_ROOT" mypy --config-file mypy.ini -p ansible_collections.dyn.managed_dns.plugins
}

step "antsibull-docs lint-collection-docs --plugin-docs --check-extra-docs-refs" lint_docs
step "antsibull-changelog lint" lint_changelog
step "ansible-lint --profile production roles playbooks" lint_ansible
step "ansible-builder create (execution environment)" lint_ee
step "mypy plugins" lint_types

if ((${#failures[@]})); then
    echo "lint FAILED: ${failures[*]}"
    exit 1
fi
echo "lint passed: antsibull-docs, antsibull-changelog, ansible-lint, ansible-builder, mypy"
