# dyn.managed_dns — the two commands a newcomer needs: `make demo` and `make test`.
#
# Two virtualenvs, one per ansible-core version we support and test:
#   .venv       default python3 (3.11)        -> newest ansible-core 2.19.x
#   .venv-2.21  a Python >= 3.12 if one exists -> newest ansible-core 2.21.x
# Each is created on first use and refreshed when a requirements file changes.

SHELL := /bin/bash
PYTHON ?= python3
# The first Python >= 3.12 found: pyenv's, then the PATH's. Override with `make NEW_PYTHON=...`.
NEW_PYTHON ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python3 $(HOME)/.pyenv/versions/3.12*/bin/python3) \
                          $(shell command -v python3.13 python3.12 2>/dev/null))

VENV := .venv
VENV_NEW := .venv-2.21
CORE_SPEC := ansible-core>=2.19.0,<2.20
CORE_NEW_SPEC := ansible-core>=2.21.0,<2.22
REQUIREMENTS := requirements.txt requirements-test.txt

TEST_VENVS := --venv $(VENV)
ifneq ($(NEW_PYTHON),)
  TEST_VENVS += --venv $(VENV_NEW)
  NEW_VENV_DEP := $(VENV_NEW)/.installed
else
  SKIP_NOTE := --skip-note "ansible-core 2.21 NOT TESTED: no Python >= 3.12 found (set NEW_PYTHON=/path/to/python3.12+)"
endif

.PHONY: help demo test unit integration sanity lint bench venv clean

help:
	@echo "make demo   - start the bundled DynECT emulator, run the demo playbook, stop the emulator"
	@echo "make test   - unit, integration and ansible-test sanity tests on every ansible-core version"
	@echo "make bench  - benchmarks against the emulator (not part of make test)"
	@echo "make clean  - remove virtualenvs and scratch trees"

$(VENV)/.installed: $(REQUIREMENTS)
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-test.txt '$(CORE_SPEC)'
	@touch $@

$(VENV_NEW)/.installed: $(REQUIREMENTS)
	@test -x $(VENV_NEW)/bin/python || $(NEW_PYTHON) -m venv $(VENV_NEW)
	$(VENV_NEW)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-test.txt '$(CORE_NEW_SPEC)'
	@touch $@

venv: $(VENV)/.installed $(NEW_VENV_DEP)

test: venv
	@echo "Testing with: $$($(VENV)/bin/ansible --version | head -n1)$(if $(NEW_VENV_DEP), and $$($(VENV_NEW)/bin/ansible --version | head -n1))"
	$(if $(SKIP_NOTE),@echo "!!! ansible-core 2.21 will NOT be tested: no Python >= 3.12 found (set NEW_PYTHON=...)")
	$(VENV)/bin/python tests/utils/run_tests.py $(TEST_VENVS) $(SKIP_NOTE)

# Single stages, on every version (handy while developing).
unit integration sanity lint: venv
	$(VENV)/bin/python tests/utils/run_tests.py $(TEST_VENVS) --stage $@

demo: $(VENV)/.installed
	$(VENV)/bin/python tests/utils/with_emulator.py -- \
		$(VENV)/bin/ansible-playbook -i playbooks/inventory/demo.yml playbooks/demo.yml

bench: $(VENV)/.installed
	$(VENV)/bin/python tests/bench/run_all.py

clean:
	rm -rf $(VENV) $(VENV_NEW) .tmp collections tests/output dyn-managed_dns-*.tar.gz
