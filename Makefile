# dyn.managed_dns — the two commands a newcomer needs: `make demo` and `make test`.
#
# Three virtualenvs, one per ansible-core minor version we support (meta/runtime.yml's
# requires_ansible) and test; tests/unit/test_tested_core_versions.py keeps the two in step:
#   .venv       default python3 (3.11)       -> newest ansible-core 2.19.x: unit, integration, sanity
#   .venv-2.20  MID_PYTHON (3.12, else 3.13) -> newest ansible-core 2.20.x: unit, sanity
#   .venv-2.21  NEW_PYTHON (3.13, else 3.12) -> newest ansible-core 2.21.x: unit, integration, sanity
# Integration runs on the oldest and the newest version only (it is the slow stage).
# Each is created on first use and refreshed when a requirements file changes.

SHELL := /bin/bash
PYTHON ?= python3
# The first Python 3.12 found (then a 3.13): pyenv's, then the PATH's. Override with `make MID_PYTHON=...`.
MID_PYTHON ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/3.12*/bin/python3 $(HOME)/.pyenv/versions/3.13*/bin/python3) \
                          $(shell command -v python3.12 python3.13 2>/dev/null))
# The first Python >= 3.12 found (3.13 first): pyenv's, then the PATH's. Override with `make NEW_PYTHON=...`.
NEW_PYTHON ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python3 $(HOME)/.pyenv/versions/3.12*/bin/python3) \
                          $(shell command -v python3.13 python3.12 2>/dev/null))

VENV := .venv
VENV_MID := .venv-2.20
VENV_NEW := .venv-2.21
CORE_SPEC := ansible-core>=2.19.0,<2.20
CORE_MID_SPEC := ansible-core>=2.20.0,<2.21
CORE_NEW_SPEC := ansible-core>=2.21.0,<2.22
REQUIREMENTS := requirements.txt requirements-test.txt
# The port `make demo` runs the emulator on: 0 lets the system pick a free one (`make demo DEMO_PORT=8080`).
DEMO_PORT ?= 0

# --venv PATH[:STAGES]: run_tests.py runs only those stages in that virtualenv.
TEST_VENVS := --venv $(VENV)
VENV_DEPS := $(VENV)/.installed
SKIP_NOTES :=
ifneq ($(MID_PYTHON),)
  TEST_VENVS += --venv $(VENV_MID):unit,sanity
  VENV_DEPS += $(VENV_MID)/.installed
else
  SKIP_NOTES += --skip-note "ansible-core 2.20 NOT TESTED: no Python 3.12+ found (set MID_PYTHON=/path/to/python3.12)"
endif
ifneq ($(NEW_PYTHON),)
  TEST_VENVS += --venv $(VENV_NEW)
  VENV_DEPS += $(VENV_NEW)/.installed
else
  SKIP_NOTES += --skip-note "ansible-core 2.21 NOT TESTED: no Python 3.12+ found (set NEW_PYTHON=/path/to/python3.13)"
endif

.PHONY: help demo test unit integration sanity lint bench venv clean

help:
	@echo "make demo   - start the bundled DynECT emulator, run the demo playbook, stop the emulator (DEMO_PORT=N: on port N)"
	@echo "make test   - unit, integration and ansible-test sanity tests on every ansible-core version"
	@echo "make bench  - benchmarks against the emulator (not part of make test)"
	@echo "make clean  - remove virtualenvs and scratch trees"

$(VENV)/.installed: $(REQUIREMENTS)
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-test.txt '$(CORE_SPEC)'
	@touch $@

$(VENV_MID)/.installed: $(REQUIREMENTS)
	@test -x $(VENV_MID)/bin/python || $(MID_PYTHON) -m venv $(VENV_MID)
	$(VENV_MID)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-test.txt '$(CORE_MID_SPEC)'
	@touch $@

$(VENV_NEW)/.installed: $(REQUIREMENTS)
	@test -x $(VENV_NEW)/bin/python || $(NEW_PYTHON) -m venv $(VENV_NEW)
	$(VENV_NEW)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-test.txt '$(CORE_NEW_SPEC)'
	@touch $@

venv: $(VENV_DEPS)

test: venv
	@for v in $(VENV_DEPS:/.installed=); do echo "Testing with: $$($$v/bin/ansible --version | head -n1)"; done
	$(if $(MID_PYTHON),,@echo "!!! ansible-core 2.20 will NOT be tested: no Python 3.12+ found (set MID_PYTHON=...)")
	$(if $(NEW_PYTHON),,@echo "!!! ansible-core 2.21 will NOT be tested: no Python 3.12+ found (set NEW_PYTHON=...)")
	$(VENV)/bin/python tests/utils/run_tests.py $(TEST_VENVS) $(SKIP_NOTES)

# Single stages, on every version that runs them (handy while developing).
unit integration sanity lint: venv
	$(VENV)/bin/python tests/utils/run_tests.py $(TEST_VENVS) --stage $@

demo: $(VENV)/.installed
	$(VENV)/bin/python tests/utils/with_emulator.py --port $(DEMO_PORT) -- \
		$(VENV)/bin/ansible-playbook -i playbooks/inventory/demo.yml playbooks/demo.yml

bench: $(VENV)/.installed
	$(VENV)/bin/python tests/bench/run_all.py

clean:
	rm -rf $(VENV) $(VENV_MID) $(VENV_NEW) .tmp collections tests/output dyn-managed_dns-*.tar.gz
