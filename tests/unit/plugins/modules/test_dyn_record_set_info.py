# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""dyn_record_set_info, run in-process against the emulator."""

from __future__ import annotations

import json

import pytest

from ansible_collections.dyn.managed_dns.plugins.modules import dyn_record_set, dyn_session
from ansible_collections.dyn.managed_dns.plugins.modules.dyn_record_set_info import main
from ansible_collections.dyn.managed_dns.tests.unit.plugins.module_utils.helpers import (
    BAD_ZONES,
    OPS,
    READER,
    leaked,
    requests_made,
    server_secrets,
)

AS_OPS = {"customer": OPS[0], "username": OPS[1], "password": OPS[2]}
AS_READER = {"customer": READER[0], "username": READER[1], "password": READER[2]}
DYN_NS = ["ns1.p01.dynect.net.", "ns2.p01.dynect.net.", "ns3.p01.dynect.net.", "ns4.p01.dynect.net."]


@pytest.fixture
def records(run_module):
    """Published: www A (two values, TTL 300) and TXT, api.www A, and an apex MX."""
    for args in (
        {"prefix": "www", "type": "A", "ttl": 300, "value": ["192.0.2.2", "192.0.2.1"]},
        {"prefix": "www", "type": "TXT", "ttl": 300, "value": ["site"]},
        {"prefix": "api.www", "type": "A", "ttl": 60, "value": ["192.0.2.9"]},
        {"prefix": "", "type": "MX", "ttl": 600, "value": ["10 mail.example.com"]},
    ):
        assert run_module(dyn_record_set.main, zone="example.com", **args, **AS_OPS)["changed"] is True


@pytest.fixture
def token(run_module):
    """The token of an acme/ops session opened by dyn_session (return_token=true)."""
    return run_module(dyn_session.main, return_token=True, **AS_OPS)["token"]


def _names(sets: list[dict]) -> list[tuple[str, str]]:
    return [(each["record"], each["type"]) for each in sets]


class TestOneSet:
    def test_one_set(self, run_module, emulator, records):
        reads = requests_made(emulator, "GET /REST/ARecord")

        result = run_module(main, zone="example.com", prefix="www", type="A", **AS_READER)

        assert result["changed"] is False
        assert result["sets"] == [{"record": "www.example.com", "prefix": "www", "type": "A", "ttl": 300, "value": ["192.0.2.1", "192.0.2.2"]}]
        assert requests_made(emulator, "GET /REST/ARecord") == reads + 1
        assert requests_made(emulator, "GET /REST/AllRecord") == 0

    def test_by_record_name(self, run_module, records):
        result = run_module(main, zone="example.com", record="WWW.example.com.", type="TXT", **AS_READER)

        assert result["sets"] == [{"record": "www.example.com", "prefix": "www", "type": "TXT", "ttl": 300, "value": ["site"]}]

    def test_a_set_read_here_writes_back_unchanged(self, run_module, emulator, records):
        found = run_module(main, zone="example.com", prefix="", type="MX", **AS_OPS)["sets"][0]
        before = emulator.zone("example.com")["serial"]

        result = run_module(dyn_record_set.main, zone="example.com", prefix=found["prefix"], type=found["type"], ttl=found["ttl"],
                            value=found["value"], **AS_OPS)

        assert result["changed"] is False
        assert emulator.zone("example.com")["serial"] == before

    def test_a_type_the_node_does_not_have(self, run_module, records):
        assert run_module(main, zone="example.com", prefix="www", type="AAAA", **AS_READER)["sets"] == []

    def test_a_missing_node_is_empty(self, run_module):
        assert run_module(main, zone="example.com", prefix="nowhere", type="A", **AS_READER)["sets"] == []

    def test_txt_quoted(self, run_module, records):
        result = run_module(main, zone="example.com", prefix="www", type="TXT", txt_transformation="quoted", **AS_READER)

        assert result["sets"][0]["value"] == ['"site"']


class TestNodeAndZone:
    def test_a_nodes_sets_and_those_below(self, run_module, emulator, records):
        result = run_module(main, zone="example.com", prefix="www", **AS_READER)

        assert _names(result["sets"]) == [("api.www.example.com", "A"), ("www.example.com", "A"), ("www.example.com", "TXT")]
        assert result["sets"][0] == {"record": "api.www.example.com", "prefix": "api.www", "type": "A", "ttl": 60, "value": ["192.0.2.9"]}
        assert requests_made(emulator, "GET /REST/AllRecord") == 1

    def test_the_whole_zone_includes_the_soa_but_not_dyns_own_ns_records(self, run_module, records):
        result = run_module(main, zone="example.com", **AS_READER)

        assert _names(result["sets"]) == [
            ("api.www.example.com", "A"),
            ("example.com", "MX"),
            ("example.com", "SOA"),
            ("www.example.com", "A"),
            ("www.example.com", "TXT"),
        ]
        by_type = {each["type"]: each for each in result["sets"] if each["record"] == "example.com"}
        assert by_type["MX"]["value"] == ["10 mail.example.com."]
        soa = by_type["SOA"]
        assert (soa["prefix"], soa["ttl"], len(soa["value"])) == ("", 3600, 1)
        assert "admin@example.com." in soa["value"][0] and "ns1.p01.dynect.net." in soa["value"][0]

    def test_a_fresh_zone(self, run_module):
        result = run_module(main, zone="example.net", **AS_READER)

        assert _names(result["sets"]) == [("example.net", "SOA")]  # Dyn's own NS records are left out

    def test_a_missing_node_is_empty(self, run_module):
        assert run_module(main, zone="example.com", prefix="nowhere", **AS_READER)["sets"] == []

    def test_check_mode_reads_all_the_same(self, run_module, records):
        assert len(run_module(main, check_mode=True, zone="example.com", prefix="www", **AS_READER)["sets"]) == 3


class TestPending:
    def test_pending_changes_are_seen_in_their_session_only(self, run_module, records, token):
        run_module(dyn_record_set.main, token=token, zone="example.com", prefix="new", type="A", value=["192.0.2.5"], publish=False)
        run_module(dyn_record_set.main, token=token, zone="example.com", prefix="www", type="TXT", state="absent", publish=False)
        other = run_module(dyn_session.main, return_token=True, **AS_OPS)["token"]

        mine = run_module(main, token=token, zone="example.com")
        theirs = run_module(main, token=other, zone="example.com")
        fresh = run_module(main, zone="example.com", **AS_READER)

        assert ("new.example.com", "A") in _names(mine["sets"])
        assert ("www.example.com", "TXT") not in _names(mine["sets"])
        for unseen in (theirs, fresh):
            assert ("new.example.com", "A") not in _names(unseen["sets"])
            assert ("www.example.com", "TXT") in _names(unseen["sets"])
        assert run_module(main, token=token, zone="example.com", prefix="new", type="A")["sets"][0]["value"] == ["192.0.2.5"]
        assert run_module(main, token=other, zone="example.com", prefix="new", type="A")["sets"] == []


class TestRefusals:
    def test_type_without_record_or_prefix_is_refused_before_any_request(self, run_module, emulator):
        result = run_module(main, zone="example.com", type="A", **AS_READER)

        assert result["failed"] is True
        assert result["msg"] == "type reads one record set, so it needs record or prefix; leave type out to read the whole zone."
        assert emulator.stats()["requests"] == {}

    def test_record_outside_the_zone_is_refused_before_any_request(self, run_module, emulator):
        result = run_module(main, zone="example.com", record="www.example.org", **AS_READER)

        assert result["msg"] == "record www.example.org is not in zone example.com; fix the task's record or prefix."
        assert emulator.stats()["requests"] == {}

    @pytest.mark.parametrize(("zone", "words"), BAD_ZONES)
    @pytest.mark.parametrize("args", [{}, {"prefix": "www"}, {"prefix": "www", "type": "A"}])
    def test_a_zone_name_no_zone_has_is_refused_before_any_request(self, run_module, emulator, zone, words, args):
        result = run_module(main, zone=zone, **args, **AS_READER)

        assert result["failed"] is True
        assert result["msg"].startswith(words)
        assert emulator.stats()["requests"] == {}

    @pytest.mark.parametrize(
        ("name", "words"),
        [
            ({"record": "www..example.com"}, "record www..example.com has an empty label"),
            ({"prefix": ".www"}, "record .www.example.com has an empty label"),
            ({"prefix": "x" * 64}, f"record {'x' * 64}.example.com has the label '{'x' * 64}' of 64 octets; a DNS label has 1 to 63"),
            ({"record": "a/b.example.com"}, "record a/b.example.com holds '/'"),
            ({"record": "."}, "record '.' names no record"),
        ],
    )
    def test_a_record_name_that_is_no_dns_name_is_refused_before_any_request(self, run_module, emulator, name, words):
        result = run_module(main, zone="example.com", **name, **AS_READER)

        assert result["failed"] is True
        assert result["msg"].startswith(words)
        assert result["msg"].endswith("; fix the task's record or prefix.")
        assert emulator.stats()["requests"] == {}

    def test_record_and_prefix_are_exclusive(self, run_module, emulator):
        result = run_module(main, zone="example.com", record="www.example.com", prefix="www", **AS_READER)

        assert "mutually exclusive" in result["msg"]
        assert emulator.stats()["requests"] == {}

    @pytest.mark.parametrize("args", [{}, {"prefix": "www"}, {"prefix": "www", "type": "A"}])
    def test_missing_zone(self, run_module, emulator, args):
        result = run_module(main, zone="exmaple.com", **args, **AS_READER)

        assert result["failed"] is True
        assert result["msg"].startswith("Zone exmaple.com does not exist in customer acme")

    def test_a_user_without_record_get(self, run_module):
        result = run_module(main, zone="globex.org", customer="globex", username="auditor", password="Audit-Only-7")

        assert result["failed"] is True
        assert "RecordGet is required on zone globex.org" in result["msg"]


class TestSecrets:
    def test_no_password_or_token_in_the_results(self, run_module, emulator, records, token):
        results = [
            run_module(main, history=True, zone="example.com", **AS_OPS),
            run_module(main, history=True, token=token, zone="example.com", prefix="www", type="A"),
        ]

        assert leaked(json.dumps(results), server_secrets(emulator)) == []
