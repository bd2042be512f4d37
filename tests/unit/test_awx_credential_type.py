# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The AWX credential type (extensions/awx/credential_type_dynect.yml) injects only names the collection reads.

Its extra_vars must be host variables of the dynect connection, its env variables the ``DYN_*``
fallbacks of the modules' options, each filled from the input field of the same option, and the
password a secret field that goes only where the collection masks it; so the file cannot drift from
the options table (plugins/module_utils/_options.py).
"""

from __future__ import annotations

import pathlib
import re
from typing import Any

import pytest
import yaml

from ansible_collections.dyn.managed_dns.plugins.connection import dynect
from ansible_collections.dyn.managed_dns.plugins.module_utils import _module
from ansible_collections.dyn.managed_dns.plugins.module_utils._options import API_OPTIONS, ApiOption

CREDENTIAL_TYPE = pathlib.Path(__file__).resolve().parents[2] / "extensions" / "awx" / "credential_type_dynect.yml"
ACCOUNT_OPTIONS = [api_option for api_option in API_OPTIONS if api_option.names_account]
# A template the platform fills from one input field, and nothing else.
_FIELD_TEMPLATE = re.compile(r"^\{\{ (\w+) \}\}$")


def _credential_type() -> dict[str, Any]:
    return yaml.safe_load(CREDENTIAL_TYPE.read_text(encoding="utf-8"))


def _fields() -> dict[str, dict[str, Any]]:
    return {field["id"]: field for field in _credential_type()["inputs"]["fields"]}


def _connection_variables() -> set[str]:
    """Every host variable the dynect connection reads (its options' ``vars``)."""
    options = yaml.safe_load(dynect.DOCUMENTATION)["options"]
    return {entry["name"] for spec in options.values() for entry in spec.get("vars", [])}


def _module_environment() -> set[str]:
    """Every environment variable the modules' shared options fall back to."""
    return {name for spec in _module._API_OPTIONS.values() for name in spec["fallback"][1]}


def _injected_option(injector: str, name: str) -> ApiOption:
    """The option an injected name stands for; fails the test for a name no option has."""
    named = {"extra_vars": {o.connection_option: o for o in API_OPTIONS}, "env": {o.env: o for o in API_OPTIONS}}[injector]
    assert name in named, f"{injector} injects {name}, which names no option of the collection"
    return named[name]


def test_it_is_a_custom_type_the_platform_accepts():
    credential_type = _credential_type()
    assert credential_type["kind"] in ("cloud", "net"), "the platform takes only these kinds for custom types"
    assert set(credential_type) <= {"name", "description", "kind", "inputs", "injectors"}
    assert set(credential_type["injectors"]) == {"extra_vars", "env"}


def test_the_inputs_are_the_account_and_the_password_is_secret():
    fields = _fields()
    assert set(fields) == {api_option.name for api_option in ACCOUNT_OPTIONS}
    assert set(_credential_type()["inputs"]["required"]) == set(fields)
    assert fields["password"].get("secret") is True
    assert all(field["type"] == "string" for field in fields.values())


@pytest.mark.parametrize("injector", ["extra_vars", "env"])
def test_each_route_gets_the_whole_account(injector):
    injected = [_injected_option(injector, name) for name in _credential_type()["injectors"][injector]]
    assert sorted(o.name for o in injected) == sorted(o.name for o in ACCOUNT_OPTIONS)


def test_extra_vars_are_variables_the_connection_reads():
    extra_vars = set(_credential_type()["injectors"]["extra_vars"])
    assert extra_vars <= _connection_variables(), f"not read by the dynect connection: {extra_vars - _connection_variables()}"


def test_env_variables_are_ones_the_modules_read():
    env = set(_credential_type()["injectors"]["env"])
    assert env <= _module_environment(), f"not read by the modules: {env - _module_environment()}"


@pytest.mark.parametrize("injector", ["extra_vars", "env"])
def test_each_name_gets_its_own_field_and_secrets_go_only_where_masked(injector):
    fields = _fields()
    for name, template in _credential_type()["injectors"][injector].items():
        api_option = _injected_option(injector, name)
        used = _FIELD_TEMPLATE.match(template)
        assert used and used.group(1) == api_option.name, f"{name} is filled from {template!r}, not from its own field"
        if fields[api_option.name].get("secret"):
            assert api_option.no_log, f"{name} gets a secret but the collection does not mask that option"
