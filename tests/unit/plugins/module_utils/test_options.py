# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every place that offers the API options agrees with the one table in ``_options.py``.

Python builds its specs from the table; YAML and documentation cannot, so they are checked here:
the ``api`` doc fragment, the dynect connection's DOCUMENTATION, and both roles' argument specs and
the module_defaults through which they forward the options on their direct route.
"""

from __future__ import annotations

import pathlib
import re

import pytest
import yaml

from ansible_collections.dyn.managed_dns.plugins.connection import dynect
from ansible_collections.dyn.managed_dns.plugins.doc_fragments.api import ModuleDocFragment
from ansible_collections.dyn.managed_dns.plugins.module_utils import _module, session
from ansible_collections.dyn.managed_dns.plugins.module_utils._options import API_OPTIONS, transport_warnings

REPO = pathlib.Path(__file__).resolve().parents[4]
# The roles and the file whose dyn group module_defaults forward the options on the direct route.
ROLES = {"preflight": "tasks/direct.yml", "rotate_password": "tasks/main.yml"}
# Given to the roles' own login tasks, not through the forwarded module_defaults.
_ROLE_ACCOUNT = ("customer", "username")


def _doc_options(documentation: str) -> dict[str, dict]:
    return yaml.safe_load(documentation)["options"]


def test_the_doc_fragment_documents_exactly_the_table():
    documented = _doc_options(ModuleDocFragment.DOCUMENTATION)
    assert set(documented) - {"session"} == {declared.name for declared in API_OPTIONS}
    for declared in API_OPTIONS:
        doc = documented[declared.name]
        assert doc["type"] == declared.type, declared.name
        assert doc.get("default") == declared.default, declared.name
        assert doc.get("aliases", []) == list(declared.aliases), declared.name
        assert f"E({declared.env})" in " ".join(doc["description"]), declared.name


def test_the_modules_argument_spec_is_the_table():
    for declared in API_OPTIONS:
        spec = _module._API_OPTIONS[declared.name]
        assert (spec["type"], spec.get("default"), spec.get("no_log", False)) == (declared.type, declared.default, declared.no_log)
        assert spec["fallback"][1] == [declared.env]


def test_the_connection_documents_its_share_of_the_table():
    documented = _doc_options(dynect.DOCUMENTATION)
    for declared in API_OPTIONS:
        if not declared.on_connection:
            assert declared.connection_option not in documented
            continue
        doc = documented[declared.connection_option]
        assert doc["type"] == declared.type, declared.name
        assert doc.get("default") == declared.default, declared.name
        if declared.names_account:
            # Issue #22: the account comes from the host's own dyn_* variable only.
            assert doc["vars"] == [{"name": declared.connection_option}], declared.name
            assert "env" not in doc and "ini" not in doc, declared.name
        else:
            assert {"name": declared.env} in doc["env"], declared.name
            assert {"name": declared.connection_option} in doc["vars"], declared.name
    assert dynect._SECRET_OPTIONS == {d.connection_option for d in API_OPTIONS if d.no_log and d.on_connection}
    # Every session setting reaches the helper's sessions (history is the helper's own business).
    assert set(dynect._SESSION_OPTIONS.values()) == {
        d.name for d in API_OPTIONS if d.session_keyword and d.on_connection and d.name != "history"
    }


def test_the_python_api_reads_the_same_variables():
    assert session._ENV_TYPES == {declared.name: declared.type for declared in API_OPTIONS}


@pytest.mark.parametrize("role", sorted(ROLES))
def test_a_role_offers_every_forwarded_option_with_its_type_and_secrecy(role):
    specs = yaml.safe_load((REPO / "roles" / role / "meta" / "argument_specs.yml").read_text())
    options = specs["argument_specs"]["main"]["options"]
    for declared in API_OPTIONS:
        if declared.role_suffix is None:
            continue
        spec = options[f"{role}_{declared.role_suffix}"]
        assert spec["type"] == declared.type, declared.name
        assert spec.get("no_log", False) == declared.no_log, declared.name


@pytest.mark.parametrize("role", sorted(ROLES))
def test_a_role_forwards_every_endpoint_option_on_its_direct_route(role):
    # Issue #15: preflight once forwarded 5 of the connection's 13 settings, so a host with
    # dyn_proxy_host was checked without its proxy.
    tasks = (REPO / "roles" / role / ROLES[role]).read_text()
    for declared in API_OPTIONS:
        if declared.role_suffix is None or declared.name in _ROLE_ACCOUNT:
            continue
        forwarding = (
            rf"\n\s+{declared.name}: \"{{{{ {role}_{declared.role_suffix} \| default\({declared.connection_option}\) "
            rf"\| default\(omit\) }}}}\"\n"
        )
        assert re.search(forwarding, tasks), f"{role} does not forward {declared.name}"


# --- Issue #23 (2): one wording of the transport warnings, for modules and the connection alike -----------

_IN_CLEAR = "which is not this machine: the password and token cross the network in clear."


@pytest.mark.parametrize(
    ("host", "ssl", "validate_certs", "expected"),
    [
        ("api.dynect.net", True, True, []),
        ("127.0.0.1", False, True, []),
        ("localhost", False, False, []),
        ("127.0.0.1", True, False, [
            "validate_certs is off for 127.0.0.1: the DynECT API's certificate is not checked, so anyone on the network path can "
            "pose as the API and receive the password and token. Give the CA with ca_path instead."
        ]),
        ("api.example.net", False, True, [f"ssl is off for api.example.net, {_IN_CLEAR}"]),
        ("http://ops:Url-Secret-1@api.example.net", False, True, [f"ssl is off for the API host, {_IN_CLEAR}"]),
        (None, False, True, [f"ssl is off for the API host, {_IN_CLEAR}"]),
    ],
)
def test_the_transport_warnings_of_a_module(host, ssl, validate_certs, expected):
    assert transport_warnings(host, ssl, validate_certs) == expected


def test_the_connection_gets_the_same_warnings_in_the_words_of_its_host_variables():
    warnings = transport_warnings("api.example.net", True, False, option_prefix="dyn_") + transport_warnings("api.example.net", False, True, "dyn_")
    assert warnings == [
        "dyn_validate_certs is off for api.example.net: the DynECT API's certificate is not checked, so anyone on the network path "
        "can pose as the API and receive the password and token. Give the CA with dyn_ca_path instead.",
        "dyn_ssl is off for api.example.net, which is not this machine: the password and token cross the network in clear.",
    ]
