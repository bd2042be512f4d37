# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""dyn_record_set, run in-process against the emulator."""

from __future__ import annotations

import json

import pytest

from ansible_collections.dyn.managed_dns.plugins.modules import dyn_rest, dyn_session
from ansible_collections.dyn.managed_dns.plugins.modules.dyn_record_set import main
from ansible_collections.dyn.managed_dns.tests.unit.plugins.module_utils.helpers import (
    BAD_ZONES,
    GLOBEX_ADMIN,
    OPS,
    READER,
    leaked,
    requests_made,
    server_secrets,
)

AS_OPS = {"customer": OPS[0], "username": OPS[1], "password": OPS[2]}
AS_READER = {"customer": READER[0], "username": READER[1], "password": READER[2]}
AS_GLOBEX = {"customer": GLOBEX_ADMIN[0], "username": GLOBEX_ADMIN[1], "password": GLOBEX_ADMIN[2]}
WRITES = ("PUT", "POST", "DELETE")


def _writes(emulator) -> dict[str, int]:
    """The requests of the emulator's count that may change something, logins and logouts aside."""
    return {
        key: count for key, count in emulator.stats()["requests"].items()
        if key.split(" ", 1)[0] in WRITES and key.split(" ", 1)[1] != "/REST/Session"
    }


def _published(emulator, fqdn: str, record_type: str, zone: str = "example.com") -> list[dict]:
    """The published records of one set, as the emulator's control API shows them."""
    return [record for record in emulator.zone(zone)["records"] if (record["fqdn"].lower(), record["type"]) == (fqdn, record_type)]


@pytest.fixture
def warnings(monkeypatch):
    """The texts the module passes to ``module.warn`` (in-process, ansible-core shows them instead of returning them)."""
    from ansible.module_utils.basic import AnsibleModule

    seen: list[str] = []
    monkeypatch.setattr(AnsibleModule, "warn", lambda self, warning, *args, **kwargs: seen.append(warning))
    return seen


@pytest.fixture
def token(run_module):
    """The token of an acme/ops session opened by dyn_session (return_token=true)."""
    return run_module(dyn_session.main, return_token=True, **AS_OPS)["token"]


# The supported types: the task's values, what the module returns, and the rdata the emulator publishes.
TYPES = {
    "A": (["192.0.2.10", "192.0.2.11"], ["192.0.2.10", "192.0.2.11"], [{"address": "192.0.2.10"}, {"address": "192.0.2.11"}]),
    "AAAA": (["2001:db8::1"], ["2001:db8::1"], [{"address": "2001:db8::1"}]),
    "CNAME": (["target.example.com"], ["target.example.com."], [{"cname": "target.example.com."}]),
    "MX": (["10 mail.example.com"], ["10 mail.example.com."], [{"exchange": "mail.example.com.", "preference": 10}]),
    "NS": (["ns1.example.org"], ["ns1.example.org."], [{"nsdname": "ns1.example.org."}]),
    "PTR": (["host.example.com"], ["host.example.com."], [{"ptrdname": "host.example.com."}]),
    "SRV": (["0 5 5060 sip.example.com"], ["0 5 5060 sip.example.com."],
            [{"priority": 0, "weight": 5, "port": 5060, "target": "sip.example.com."}]),
    "TXT": (["hello world"], ["hello world"], [{"txtdata": "hello world"}]),
    "SPF": (["v=spf1 -all"], ["v=spf1 -all"], [{"txtdata": "v=spf1 -all"}]),
    "CAA": (['0 issue "letsencrypt.org"'], ['0 issue "letsencrypt.org"'], [{"flags": 0, "tag": "issue", "value": "letsencrypt.org"}]),
}


class TestCreate:
    @pytest.mark.parametrize("record_type", sorted(TYPES))
    def test_each_type_is_created_and_published_with_one_serial_bump(self, run_module, emulator, record_type):
        values, returned, rdata = TYPES[record_type]

        result = run_module(main, zone="example.com", prefix="set", type=record_type, ttl=300, value=values, **AS_OPS)

        assert result["changed"] is True
        assert result["record_set"] == {"record": "set.example.com", "prefix": "set", "type": record_type, "ttl": 300, "value": returned}
        assert (result["published"], result["pending"], result["serial"]) == (True, False, 2)
        zone = emulator.zone("example.com")
        assert (zone["serial"], zone["publishes"], zone["pending_changes"]) == (2, 1, 0)
        published = _published(emulator, "set.example.com", record_type)
        assert sorted((record["rdata"] for record in published), key=json.dumps) == sorted(rdata, key=json.dumps)
        assert {record["ttl"] for record in published} == {300}
        assert requests_made(emulator, "PUT /REST/Zone") == 1
        assert emulator.stats()["open_sessions"] == 0

    def test_a_new_set_without_ttl_gets_the_zones_default(self, run_module, emulator):
        result = run_module(main, zone="example.com", record="www.example.com", type="A", value=["192.0.2.1"], **AS_OPS)

        assert result["record_set"]["ttl"] is None
        assert [record["ttl"] for record in _published(emulator, "www.example.com", "A")] == [3600]

    def test_zone_name_alias_and_spelling(self, run_module, emulator):
        result = run_module(main, zone_name="Example.COM.", record="WWW.Example.com.", type="A", value=["192.0.2.1"], **AS_OPS)

        assert result["record_set"]["record"] == "www.example.com"
        assert len(_published(emulator, "www.example.com", "A")) == 1

    def test_apex_by_prefix(self, run_module, emulator):
        result = run_module(main, zone="example.com", prefix="@", type="MX", value=["10 mail.example.com"], **AS_OPS)

        assert (result["record_set"]["record"], result["record_set"]["prefix"]) == ("example.com", "")
        assert len(_published(emulator, "example.com", "MX")) == 1


class TestIdempotence:
    @pytest.mark.parametrize("record_type", sorted(TYPES))
    def test_second_run_changes_nothing_and_writes_nothing(self, run_module, emulator, record_type):
        values = TYPES[record_type][0]
        args = {"zone": "example.com", "prefix": "set", "type": record_type, "ttl": 300, "value": values, **AS_OPS}
        run_module(main, **args)
        writes = _writes(emulator)

        second = run_module(main, **args)

        assert second["changed"] is False
        assert (second["published"], second["pending"], second["serial"]) == (False, False, None)
        assert _writes(emulator) == writes
        assert emulator.zone("example.com")["serial"] == 2

    @pytest.mark.parametrize(
        ("record_type", "first", "second"),
        [
            pytest.param("CNAME", ["target.example.com"], ["TARGET.Example.COM."], id="name-case-and-dot"),
            pytest.param("AAAA", ["2001:db8::1"], ["2001:0DB8:0000:0000:0000:0000:0000:0001"], id="ipv6-forms"),
            pytest.param("A", ["192.0.2.1", "192.0.2.2"], ["192.0.2.2", "192.0.2.1"], id="order"),
            pytest.param("MX", ["10 mail.example.com", "20 mx2.example.com"], ["20 MX2.example.com.", "10 Mail.Example.Com"], id="mx"),
            pytest.param("SRV", ["0 5 5060 sip.example.com"], ["00 05 5060 SIP.example.com."], id="srv-numbers"),
            pytest.param("CAA", ['0 issue "letsencrypt.org"'], ['0 ISSUE "letsencrypt.org"'], id="caa-tag-case"),
            pytest.param("A", ["192.0.2.1"], ["192.0.2.1", "192.0.2.1"], id="repeated-value"),
        ],
    )
    def test_dns_equal_values_are_no_change(self, run_module, emulator, record_type, first, second):
        run_module(main, zone="example.com", prefix="eq", type=record_type, ttl=60, value=first, **AS_OPS)
        writes = _writes(emulator)

        result = run_module(main, zone="example.com", prefix="eq", type=record_type, ttl=60, value=second, **AS_OPS)

        assert result["changed"] is False
        assert _writes(emulator) == writes

    def test_txt_text_is_compared_exactly(self, run_module, emulator):
        run_module(main, zone="example.com", prefix="t", type="TXT", value=["Hello"], **AS_OPS)

        result = run_module(main, zone="example.com", prefix="t", type="TXT", value=["hello"], **AS_OPS)

        assert result["changed"] is True
        assert [record["rdata"]["txtdata"] for record in _published(emulator, "t.example.com", "TXT")] == ["hello"]

    def test_ttl_omitted_keeps_the_existing_ttl(self, run_module, emulator):
        run_module(main, zone="example.com", prefix="www", type="A", ttl=120, value=["192.0.2.1"], **AS_OPS)
        writes = _writes(emulator)

        same = run_module(main, zone="example.com", prefix="www", type="A", value=["192.0.2.1"], **AS_OPS)
        assert same["changed"] is False
        assert same["record_set"]["ttl"] == 120
        assert _writes(emulator) == writes

        other = run_module(main, zone="example.com", prefix="www", type="A", value=["192.0.2.2"], **AS_OPS)
        assert other["changed"] is True
        assert other["record_set"] == {"record": "www.example.com", "prefix": "www", "type": "A", "ttl": 120, "value": ["192.0.2.2"]}
        assert [(record["rdata"], record["ttl"]) for record in _published(emulator, "www.example.com", "A")] == [({"address": "192.0.2.2"}, 120)]

    def test_ttl_zero_is_refused_pointing_to_the_zone_default(self, run_module, emulator):
        # 0 means "the zone's default" to the API, which a read gives back as a number: never equal.
        result = run_module(main, zone="example.com", prefix="www", type="A", ttl=0, value=["192.0.2.1"], **AS_OPS)

        assert result["msg"] == "ttl must be 1 or more seconds, not 0; leave it out for the zone's default TTL."
        assert emulator.stats()["requests"] == {}

    def test_another_ttl_is_a_change(self, run_module, emulator):
        run_module(main, zone="example.com", prefix="www", type="A", ttl=120, value=["192.0.2.1"], **AS_OPS)

        result = run_module(main, zone="example.com", prefix="www", type="A", ttl=600, value=["192.0.2.1"], **AS_OPS)

        assert result["changed"] is True
        assert [record["ttl"] for record in _published(emulator, "www.example.com", "A")] == [600]
        assert emulator.zone("example.com")["serial"] == 3


class TestReplace:
    def test_replace_makes_the_set_exactly_the_values(self, run_module, emulator):
        run_module(main, zone="example.com", prefix="www", type="A", ttl=300, value=["192.0.2.1", "192.0.2.2"], **AS_OPS)

        result = run_module(main, zone="example.com", prefix="www", type="A", ttl=300, value=["192.0.2.2", "192.0.2.3"], **AS_OPS)

        assert result["changed"] is True
        assert result["record_set"]["value"] == ["192.0.2.2", "192.0.2.3"]
        assert result["serial"] == 3
        assert sorted(record["rdata"]["address"] for record in _published(emulator, "www.example.com", "A")) == ["192.0.2.2", "192.0.2.3"]
        assert requests_made(emulator, "PUT /REST/ARecord") == 2

    def test_other_types_at_the_node_are_left_alone(self, run_module, emulator):
        run_module(main, zone="example.com", prefix="www", type="TXT", value=["keep me"], **AS_OPS)

        run_module(main, zone="example.com", prefix="www", type="A", value=["192.0.2.1"], **AS_OPS)

        assert len(_published(emulator, "www.example.com", "TXT")) == 1
        assert len(_published(emulator, "www.example.com", "A")) == 1

    @pytest.mark.parametrize(
        ("on_existing", "changed", "value"),
        [("replace", True, "192.0.2.9"), ("keep", False, "192.0.2.1"), ("keep_and_warn", False, "192.0.2.1")],
    )
    def test_on_existing_for_present(self, run_module, emulator, warnings, on_existing, changed, value):
        run_module(main, zone="example.com", prefix="www", type="A", ttl=300, value=["192.0.2.1"], **AS_OPS)
        writes = _writes(emulator)

        result = run_module(main, zone="example.com", prefix="www", type="A", value=["192.0.2.9"], on_existing=on_existing, **AS_OPS)

        assert result["changed"] is changed
        assert result["record_set"]["value"] == [value]
        assert [record["rdata"]["address"] for record in _published(emulator, "www.example.com", "A")] == [value]
        if not changed:
            assert _writes(emulator) == writes
        if on_existing == "keep_and_warn":
            assert warnings == [
                "The A record set www.example.com exists with other values (192.0.2.1, TTL 300); on_existing=keep_and_warn leaves it."
            ]
        else:
            assert warnings == []

    def test_on_existing_keep_and_fail_for_present(self, run_module, emulator):
        run_module(main, zone="example.com", prefix="www", type="A", ttl=300, value=["192.0.2.1"], **AS_OPS)
        writes = _writes(emulator)

        result = run_module(main, zone="example.com", prefix="www", type="A", value=["192.0.2.9"], on_existing="keep_and_fail", **AS_OPS)

        assert result["failed"] is True
        assert result["msg"] == (
            "The A record set www.example.com exists with other values (192.0.2.1, TTL 300); "
            "on_existing=keep_and_fail leaves it. Set on_existing=replace to change it."
        )
        assert _writes(emulator) == writes
        assert emulator.stats()["open_sessions"] == 0

    @pytest.mark.parametrize("on_existing", ["keep", "keep_and_fail", "keep_and_warn"])
    def test_on_existing_does_not_stop_a_new_set(self, run_module, emulator, on_existing):
        result = run_module(main, zone="example.com", prefix="new", type="A", value=["192.0.2.1"], on_existing=on_existing, **AS_OPS)

        assert result["changed"] is True
        assert len(_published(emulator, "new.example.com", "A")) == 1


class TestDelete:
    @pytest.fixture
    def existing(self, run_module, emulator):
        run_module(main, zone="example.com", prefix="old", type="TXT", ttl=300, value=["one", "two"], **AS_OPS)
        return _writes(emulator)

    def test_absent_without_value_deletes_whatever_the_set_holds(self, run_module, emulator, existing):
        result = run_module(main, zone="example.com", prefix="old", type="TXT", state="absent", **AS_OPS)

        assert result["changed"] is True
        assert result["record_set"] is None
        assert (result["published"], result["serial"]) == (True, 3)
        assert _published(emulator, "old.example.com", "TXT") == []
        assert requests_made(emulator, "DELETE /REST/TXTRecord") == 1

    def test_absent_twice_changes_nothing_the_second_time(self, run_module, emulator, existing):
        run_module(main, zone="example.com", prefix="old", type="TXT", state="absent", **AS_OPS)
        writes = _writes(emulator)

        result = run_module(main, zone="example.com", prefix="old", type="TXT", state="absent", **AS_OPS)

        assert result["changed"] is False
        assert _writes(emulator) == writes
        assert emulator.zone("example.com")["serial"] == 3

    def test_absent_when_the_node_does_not_exist(self, run_module, emulator):
        result = run_module(main, zone="example.com", prefix="nowhere", type="A", state="absent", **AS_OPS)

        assert result["changed"] is False
        assert result["record_set"] is None
        assert _writes(emulator) == {}

    def test_absent_with_matching_value(self, run_module, emulator, existing):
        result = run_module(main, zone="example.com", prefix="old", type="TXT", state="absent", value=["two", "one"], **AS_OPS)

        assert result["changed"] is True
        assert _published(emulator, "old.example.com", "TXT") == []

    @pytest.mark.parametrize("on_existing", ["keep", "keep_and_warn"])
    def test_absent_with_other_value_is_kept(self, run_module, emulator, warnings, existing, on_existing):
        result = run_module(main, zone="example.com", prefix="old", type="TXT", state="absent", value=["one"], on_existing=on_existing, **AS_OPS)

        assert result["changed"] is False
        assert result["record_set"]["value"] == ["one", "two"]
        assert len(_published(emulator, "old.example.com", "TXT")) == 2
        assert _writes(emulator) == existing
        expected = ["The TXT record set old.example.com exists with other values (one, two, TTL 300); on_existing=keep_and_warn leaves it."]
        assert warnings == (expected if on_existing == "keep_and_warn" else [])

    def test_absent_with_other_value_and_keep_and_fail(self, run_module, emulator, existing):
        result = run_module(main, zone="example.com", prefix="old", type="TXT", state="absent", value=["one"], on_existing="keep_and_fail", **AS_OPS)

        assert result["failed"] is True
        assert result["msg"].startswith("The TXT record set old.example.com exists with other values (one, two, TTL 300)")
        assert len(_published(emulator, "old.example.com", "TXT")) == 2
        assert _writes(emulator) == existing

    def test_absent_with_other_value_and_replace_deletes(self, run_module, emulator, existing):
        result = run_module(main, zone="example.com", prefix="old", type="TXT", state="absent", value=["one"], on_existing="replace", **AS_OPS)

        assert result["changed"] is True
        assert _published(emulator, "old.example.com", "TXT") == []


class TestCheckModeAndDiff:
    def test_check_mode_create_writes_nothing_and_shows_the_diff(self, run_module, emulator):
        result = run_module(main, check_mode=True, diff=True, zone="example.com", prefix="www", type="A", ttl=60, value=["192.0.2.1"], **AS_OPS)

        assert result["changed"] is True
        assert result["diff"] == {
            "before": {},
            "after": {"record": "www.example.com", "prefix": "www", "type": "A", "ttl": 60, "value": ["192.0.2.1"]},
        }
        assert (result["published"], result["pending"], result["serial"]) == (False, False, None)
        assert _writes(emulator) == {}
        assert requests_made(emulator, "GET /REST/ARecord") == 1
        assert emulator.zone("example.com")["serial"] == 1

    def test_check_mode_replace_and_delete(self, run_module, emulator):
        run_module(main, zone="example.com", prefix="www", type="A", ttl=60, value=["192.0.2.1"], **AS_OPS)
        writes = _writes(emulator)
        before = {"record": "www.example.com", "prefix": "www", "type": "A", "ttl": 60, "value": ["192.0.2.1"]}

        replaced = run_module(main, check_mode=True, diff=True, zone="example.com", prefix="www", type="A", value=["192.0.2.2"], **AS_OPS)
        deleted = run_module(main, check_mode=True, diff=True, zone="example.com", prefix="www", type="A", state="absent", **AS_OPS)

        assert (replaced["changed"], deleted["changed"]) == (True, True)
        assert replaced["diff"] == {"before": before, "after": {**before, "value": ["192.0.2.2"]}}
        assert deleted["diff"] == {"before": before, "after": {}}
        assert deleted["record_set"] is None
        assert _writes(emulator) == writes
        assert [record["rdata"]["address"] for record in _published(emulator, "www.example.com", "A")] == ["192.0.2.1"]

    def test_diff_without_a_change(self, run_module, emulator):
        run_module(main, zone="example.com", prefix="www", type="A", ttl=60, value=["192.0.2.1"], **AS_OPS)

        result = run_module(main, diff=True, zone="example.com", prefix="www", type="A", ttl=60, value=["192.0.2.1"], **AS_OPS)

        assert result["changed"] is False
        assert result["diff"]["before"] == result["diff"]["after"] == result["record_set"]

    def test_no_diff_unless_asked(self, run_module):
        result = run_module(main, zone="example.com", prefix="www", type="A", value=["192.0.2.1"], **AS_OPS)

        assert "diff" not in result


class TestPending:
    def test_publish_false_is_refused_on_a_self_login_task_before_any_request(self, run_module, emulator):
        result = run_module(main, zone="example.com", prefix="www", type="A", value=["192.0.2.1"], publish=False, **AS_OPS)

        assert result["failed"] is True
        assert result["msg"].startswith("publish=false leaves the change pending in the session that made it")
        assert emulator.stats()["requests"] == {}
        assert emulator.stats()["logins"] == 0

    def test_publish_false_is_refused_in_check_mode_too(self, run_module, emulator):
        result = run_module(main, check_mode=True, zone="example.com", prefix="www", type="A", value=["192.0.2.1"], publish=False, **AS_OPS)

        assert result["failed"] is True
        assert emulator.stats()["requests"] == {}

    def test_publish_false_with_a_token_leaves_the_change_pending(self, run_module, emulator, token):
        result = run_module(main, token=token, zone="example.com", prefix="www", type="A", value=["192.0.2.1"], publish=False)

        assert result["changed"] is True
        assert (result["published"], result["pending"], result["serial"]) == (False, True, None)
        zone = emulator.zone("example.com")
        assert (zone["serial"], zone["publishes"], zone["pending_changes"]) == (1, 0, 1)
        assert _published(emulator, "www.example.com", "A") == []
        assert requests_made(emulator, "PUT /REST/Zone") == 0
        assert emulator.stats()["open_sessions"] == 1  # the token's session stays open

    def test_pending_change_is_seen_by_the_next_task_of_the_session(self, run_module, emulator, token):
        args = {"token": token, "zone": "example.com", "prefix": "www", "type": "A", "value": ["192.0.2.1"], "publish": False}
        run_module(main, **args)

        again = run_module(main, **args)

        assert again["changed"] is False
        assert emulator.zone("example.com")["pending_changes"] == 1

    def test_publish_in_a_token_session_publishes_its_earlier_pending_changes_too(self, run_module, emulator, token):
        run_module(main, token=token, zone="example.com", prefix="one", type="A", value=["192.0.2.1"], publish=False)

        result = run_module(main, token=token, zone="example.com", prefix="two", type="A", value=["192.0.2.2"])

        assert (result["published"], result["serial"]) == (True, 2)
        zone = emulator.zone("example.com")
        assert (zone["serial"], zone["publishes"], zone["pending_changes"]) == (2, 1, 0)
        assert len(_published(emulator, "one.example.com", "A")) == len(_published(emulator, "two.example.com", "A")) == 1

    def test_pending_change_dies_with_its_session(self, run_module, emulator, token):
        run_module(main, token=token, zone="example.com", prefix="www", type="A", value=["192.0.2.1"], publish=False)

        run_module(dyn_session.main, state="absent", token=token)

        zone = emulator.zone("example.com")
        assert (zone["pending_changes"], zone["serial"]) == (0, 1)


class TestRefusals:
    def test_zone_that_does_not_exist(self, run_module, emulator):
        result = run_module(main, zone="exmaple.com", prefix="www", type="A", value=["192.0.2.1"], **AS_OPS)

        assert result["failed"] is True
        assert result["msg"].startswith("Zone exmaple.com does not exist in customer acme")
        assert result["msg"].endswith("check the zone's name.")
        assert _writes(emulator) == {}
        assert emulator.stats()["open_sessions"] == 0

    @pytest.mark.parametrize(("zone", "words"), BAD_ZONES)
    @pytest.mark.parametrize("state", ["present", "absent"])
    def test_a_zone_name_no_zone_has_is_refused_before_any_request(self, run_module, emulator, zone, words, state):
        result = run_module(main, zone=zone, prefix="www", type="A", value=["192.0.2.1"], state=state, **AS_OPS)

        assert result["failed"] is True
        assert result["msg"].startswith(words)
        assert emulator.stats()["requests"] == {}

    @pytest.mark.parametrize(
        ("name", "words"),
        [
            ({"prefix": "a..b"}, "record a..b.example.com has an empty label (a dot at its start or two dots in a row)"),
            ({"record": ".example.com"}, "record .example.com has an empty label"),
            ({"prefix": "y" * 64}, f"has the label '{'y' * 64}' of 64 octets; a DNS label has 1 to 63"),
            ({"prefix": ".".join(["z" * 63] * 4)}, "is 267 octets long; a DNS name has at most 253 (without the trailing dot)"),
            ({"prefix": "a/b"}, "record a/b.example.com holds '/', which no DNS name has"),
        ],
    )
    def test_a_record_name_that_is_no_dns_name_is_refused_before_any_request(self, run_module, emulator, name, words):
        result = run_module(main, zone="example.com", type="A", value=["192.0.2.1"], **name, **AS_OPS)

        assert result["failed"] is True
        assert words in result["msg"]
        assert result["msg"].startswith("record ")
        assert result["msg"].endswith("; fix the task's record, prefix or value.")
        assert emulator.stats()["requests"] == {}

    @pytest.mark.parametrize("prefix", [".", ".."])
    def test_a_prefix_of_dots_is_refused_instead_of_changing_the_apex(self, run_module, emulator, prefix):
        # "{{ host }}." with an empty host: before, the apex's A set was replaced.
        result = run_module(main, zone="example.com", prefix=prefix, type="A", value=["192.0.2.1"], **AS_OPS)

        assert result["msg"] == (
            f"prefix '{prefix}' names no record: nothing is left once the blanks and the trailing dot are dropped; "
            "write @ for the zone's apex; fix the task's record, prefix or value."
        )
        assert emulator.stats()["requests"] == {}

    @pytest.mark.parametrize(
        ("name", "record_type", "value", "fqdn"),
        [
            ({"prefix": "*"}, "A", "192.0.2.7", "*.example.com"),
            ({"prefix": "_acme-challenge"}, "TXT", "token-value", "_acme-challenge.example.com"),
            ({"record": "xn--bcher-kva.example.com"}, "A", "192.0.2.8", "xn--bcher-kva.example.com"),
            ({"prefix": "z" * 63}, "A", "192.0.2.9", f"{'z' * 63}.example.com"),
        ],
    )
    def test_names_the_api_takes_are_sent(self, run_module, emulator, name, record_type, value, fqdn):
        result = run_module(main, zone="example.com", type=record_type, value=[value], **name, **AS_OPS)

        assert not result.get("failed"), result.get("msg")
        assert result["record_set"]["record"] == fqdn
        assert _published(emulator, fqdn, record_type)

    def test_another_customers_zone_does_not_exist_for_this_one(self, run_module):
        result = run_module(main, zone="globex.org", prefix="www", type="A", value=["192.0.2.1"], **AS_OPS)

        assert result["msg"].startswith("Zone globex.org does not exist in customer acme")

    def test_no_publish_permission_is_named(self, run_module, emulator):
        result = run_module(main, zone="globex.org", prefix="www", type="A", value=["192.0.2.1"], **AS_GLOBEX)

        assert result["failed"] is True
        assert result["msg"].startswith("The A record set www.globex.org was changed, but zone globex.org was not published: DynECT refused")
        assert "ZonePublish is required on zone globex.org" in result["msg"]
        assert result["msg"].endswith("DynECT drops it with this task's session, so nothing of it is live.")
        zone = emulator.zone("globex.org")
        assert (zone["serial"], zone["pending_changes"]) == (1, 0)  # the change died with the task's session
        assert emulator.stats()["open_sessions"] == 0

    @pytest.mark.parametrize("adopted", [True, False])
    def test_a_publish_refused_for_a_lost_batch_does_not_advise_publishing_again(self, adopted):
        from unittest.mock import MagicMock

        import functools

        from ansible_collections.dyn.managed_dns.plugins.module_utils._module import TaskFailure, TaskSessions
        from ansible_collections.dyn.managed_dns.plugins.module_utils._records import RecordSet
        from ansible_collections.dyn.managed_dns.plugins.module_utils.errors import DynectChangesLostError
        from ansible_collections.dyn.managed_dns.plugins.modules.dyn_record_set import _publish

        # Only the connection's session can lose a batch (it logs in again by itself); the refusal is its own.
        lost = DynectChangesLostError("the changes to zone example.com ... Discard the zone's pending changes and make all of them again")
        session = MagicMock(execute=MagicMock(side_effect=lost))
        sessions = MagicMock(adopted=adopted, describe_error=str)
        sessions.where_pending = functools.partial(TaskSessions.where_pending, sessions)  # the real wording
        wanted = RecordSet("www.example.com", "www", "A", 300, ["192.0.2.1"])

        with pytest.raises(TaskFailure) as failed:
            _publish(sessions, session, "example.com", wanted)

        message = str(failed.value)
        assert message.startswith("The A record set www.example.com was changed, but zone example.com was not published: ")
        assert message.endswith("make all of them again")
        assert "state=published" not in message

    def test_reader_may_not_change_another_zone(self, run_module, emulator):
        result = run_module(main, zone="example.net", prefix="www", type="A", value=["192.0.2.1"], **AS_READER)

        assert result["failed"] is True
        assert "RecordAdd is required on zone example.net" in result["msg"]
        assert requests_made(emulator, "PUT /REST/Zone") == 0
        assert emulator.zone("example.net")["serial"] == 1

    def test_reader_may_read_in_check_mode(self, run_module, emulator):
        result = run_module(main, check_mode=True, zone="example.net", prefix="www", type="A", value=["192.0.2.1"], **AS_READER)

        assert result["changed"] is True
        assert _writes(emulator) == {}

    def test_frozen_zone(self, run_module, emulator):
        frozen = run_module(dyn_rest.main, method="PUT", path="Zone/example.com/", body={"freeze": True}, **AS_OPS)
        assert frozen["changed"] is True

        result = run_module(main, zone="example.com", prefix="www", type="A", value=["192.0.2.1"], **AS_OPS)

        assert result["failed"] is True
        assert "This zone is frozen; thaw it to make changes" in result["msg"]
        assert emulator.zone("example.com")["serial"] == 1

    def test_publish_answered_with_a_job_still_succeeds(self, run_module, emulator):
        emulator.fault("job_redirect", match="PUT /REST/Zone")

        result = run_module(main, zone="example.com", prefix="www", type="A", value=["192.0.2.1"], **AS_OPS)

        assert result["changed"] is True
        assert (result["published"], result["serial"]) == (True, 2)
        assert requests_made(emulator, "PUT /REST/Zone") == 1
        assert requests_made(emulator, "GET /REST/Job") >= 1
        assert emulator.zone("example.com")["serial"] == 2
        assert emulator.stats()["open_sessions"] == 0

    @pytest.mark.parametrize(
        ("record_type", "value", "words"),
        [
            ("A", "300.1.2.3", "A value '300.1.2.3' is not an IPv4 address"),
            ("A", "2001:db8::1", "is not an IPv4 address"),
            ("AAAA", "192.0.2.1", "is not an IPv6 address"),
            ("MX", "mail.example.com", "MX value 'mail.example.com' is not of the form '<preference> <exchange>'"),
            ("MX", "ten mail.example.com", "'ten' is not a number"),
            ("SRV", "0 5 sip.example.com", "is not of the form '<priority> <weight> <port> <target>'"),
            ("CNAME", "bad name.example.com", "'bad name.example.com' is not a host name"),
            ("CNAME", "a..example.com", "is not a host name"),
            ("CAA", '0 iss-ue "x"', "is not a CAA tag"),
            ("CAA", '0 issue "unterminated', "quoted string"),
        ],
    )
    def test_bad_values_fail_before_any_request(self, run_module, emulator, record_type, value, words):
        result = run_module(main, zone="example.com", prefix="www", type=record_type, value=[value], **AS_OPS)

        assert result["failed"] is True
        assert words in result["msg"]
        assert result["msg"].endswith("; fix the task's record, prefix or value.")
        assert emulator.stats()["requests"] == {}

    def test_negative_ttl_fails_before_any_request(self, run_module, emulator):
        result = run_module(main, zone="example.com", prefix="www", type="A", ttl=-1, value=["192.0.2.1"], **AS_OPS)

        assert result["msg"] == "ttl must be 1 or more seconds, not -1; leave it out for the zone's default TTL."
        assert emulator.stats()["requests"] == {}

    @pytest.mark.parametrize(
        "name", [{"record": "www.example.org"}, {"record": "badexample.com"}, {"record": "example"}, {"record": "com"}]
    )
    def test_record_outside_the_zone_is_refused(self, run_module, emulator, name):
        result = run_module(main, zone="example.com", type="A", value=["192.0.2.1"], **name, **AS_OPS)

        assert result["failed"] is True
        assert "is not in zone example.com" in result["msg"]
        assert emulator.stats()["requests"] == {}

    @pytest.mark.parametrize(
        ("args", "words"),
        [
            ({"prefix": "www"}, "state is present but all of the following are missing: value"),
            ({"value": ["192.0.2.1"]}, "one of the following is required: record, prefix"),
            ({"prefix": "www", "record": "www.example.com", "value": ["192.0.2.1"]}, "parameters are mutually exclusive: record|prefix"),
            ({"record": " ", "value": ["192.0.2.1"]}, "record must not be empty"),
        ],
    )
    def test_incomplete_tasks_are_refused_before_any_request(self, run_module, emulator, args, words):
        result = run_module(main, zone="example.com", type="A", **args, **AS_OPS)

        assert result["failed"] is True
        assert words in result["msg"]
        assert emulator.stats()["requests"] == {}


class TestTxtTransformation:
    def test_quoted_strings_are_joined(self, run_module, emulator):
        result = run_module(
            main, zone="example.com", prefix="spf", type="TXT", value=['"v=spf1 " "include:example.net -all"'], txt_transformation="quoted", **AS_OPS
        )

        assert result["record_set"]["value"] == ['"v=spf1 include:example.net -all"']
        assert [record["rdata"]["txtdata"] for record in _published(emulator, "spf.example.com", "TXT")] == ["v=spf1 include:example.net -all"]

    def test_quoted_escapes(self, run_module, emulator):
        run_module(main, zone="example.com", prefix="q", type="TXT", value=[r'"say \"hi\" \\ bye"'], txt_transformation="quoted", **AS_OPS)

        assert [record["rdata"]["txtdata"] for record in _published(emulator, "q.example.com", "TXT")] == ['say "hi" \\ bye']

    def test_quoted_and_unquoted_name_the_same_text(self, run_module, emulator):
        run_module(main, zone="example.com", prefix="t", type="TXT", value=["v=spf1 -all"], **AS_OPS)
        writes = _writes(emulator)

        result = run_module(main, zone="example.com", prefix="t", type="TXT", value=['"v=spf1" " -all"'], txt_transformation="quoted", **AS_OPS)

        assert result["changed"] is False
        assert result["record_set"]["value"] == ['"v=spf1 -all"']
        assert _writes(emulator) == writes

    def test_quoted_needs_quotes(self, run_module, emulator):
        result = run_module(main, zone="example.com", prefix="t", type="TXT", value=["v=spf1 -all"], txt_transformation="quoted", **AS_OPS)

        assert result["failed"] is True
        assert "is not quoted" in result["msg"]
        assert emulator.stats()["requests"] == {}

    def test_unquoted_text_keeps_its_quotes(self, run_module, emulator):
        run_module(main, zone="example.com", prefix="t", type="TXT", value=['"already quoted"'], **AS_OPS)

        assert [record["rdata"]["txtdata"] for record in _published(emulator, "t.example.com", "TXT")] == ['"already quoted"']


class TestSecrets:
    def test_no_password_or_token_in_the_result(self, run_module, emulator):
        result = run_module(main, history=True, diff=True, zone="example.com", prefix="www", type="A", value=["192.0.2.1"], **AS_OPS)

        assert [call["uri"] for call in result["history"]] == [
            "/REST/Session/", "/REST/ARecord/example.com/www.example.com/", "/REST/ARecord/example.com/www.example.com/",
            "/REST/Zone/example.com/", "/REST/Session/",
        ]
        assert leaked(json.dumps(result), server_secrets(emulator)) == []

    def test_no_token_in_the_result_of_a_token_task(self, run_module, emulator, token):
        result = run_module(main, history=True, token=token, zone="example.com", prefix="www", type="A", value=["192.0.2.1"], publish=False)

        assert result["pending"] is True
        assert leaked(json.dumps(result), server_secrets(emulator)) == []

    def test_failure_carries_no_secret(self, run_module, emulator):
        result = run_module(main, history=True, zone="globex.org", prefix="www", type="A", value=["192.0.2.1"], **AS_GLOBEX)

        assert result["failed"] is True
        assert leaked(json.dumps(result), server_secrets(emulator)) == []


class TestApexNameServers:
    """Dyn's own apex NS records (service_class Primary) are not the user's: the API never changes or deletes them."""

    def test_an_apex_ns_set_is_idempotent(self, run_module, emulator):
        args = {"zone": "example.com", "prefix": "", "type": "NS", "value": ["ns1.example.org"], **AS_OPS}
        first = run_module(main, **args)
        assert first["changed"] is True
        assert {"nsdname": "ns1.example.org."} in [record["rdata"] for record in _published(emulator, "example.com", "NS")]
        writes = _writes(emulator)

        second = run_module(main, **args)

        assert second["changed"] is False
        assert _writes(emulator) == writes

    def test_deleting_the_apex_ns_set_when_only_dyns_remain_changes_nothing(self, run_module, emulator):
        result = run_module(main, zone="example.com", prefix="", type="NS", state="absent", **AS_OPS)

        assert len(_published(emulator, "example.com", "NS")) == 4
        assert result["changed"] is False
        assert _writes(emulator) == {}


class TestEmptyValue:
    def test_an_empty_value_is_refused_before_any_request(self, run_module, emulator):
        result = run_module(main, zone="example.com", prefix="empty", type="A", value=[], **AS_OPS)

        assert result["msg"] == "value holds no record; give at least one, or remove the set with state=absent."
        assert emulator.stats()["requests"] == {}
        assert _writes(emulator) == {}
        assert emulator.zone("example.com")["empty_publishes"] == 0


class TestPlan:
    """The plan is a typed value: the change to make, apart from the on_existing mode that kept a differing set."""

    EXISTING = ("www.example.com", "www", "A", 300, ["192.0.2.1"])

    @staticmethod
    def plan(existing, value, state="present", on_existing="replace"):
        from ansible_collections.dyn.managed_dns.plugins.module_utils._records import RecordSet, SetRequest, plan_set

        request = SetRequest(RecordSet("www.example.com", "www", "A", None, value or []), state == "present", bool(value))
        return plan_set(request, None if existing is None else RecordSet(*existing), on_existing)

    @pytest.mark.parametrize(
        ("existing", "value", "state", "on_existing", "change", "kept_by"),
        [
            pytest.param(None, ["192.0.2.1"], "present", "replace", "REPLACE", None, id="new-set"),
            pytest.param(None, None, "absent", "replace", "NONE", None, id="absent-already"),
            pytest.param(EXISTING, ["192.0.2.1"], "present", "replace", "NONE", None, id="same"),
            pytest.param(EXISTING, ["192.0.2.9"], "present", "replace", "REPLACE", None, id="differs"),
            pytest.param(EXISTING, None, "absent", "replace", "DELETE", None, id="delete-whatever"),
            pytest.param(EXISTING, ["192.0.2.9"], "absent", "replace", "DELETE", None, id="delete-differs"),
            pytest.param(EXISTING, ["192.0.2.9"], "present", "keep_and_fail", "NONE", "keep_and_fail", id="kept-fail"),
            pytest.param(EXISTING, ["192.0.2.9"], "absent", "keep_and_warn", "NONE", "keep_and_warn", id="kept-warn"),
            pytest.param(EXISTING, ["192.0.2.9"], "present", "keep", "NONE", "keep", id="kept"),
        ],
    )
    def test_the_plan_says_the_change_and_what_kept_the_set(self, existing, value, state, on_existing, change, kept_by):
        from ansible_collections.dyn.managed_dns.plugins.module_utils._records import SetChange, SetPlan

        assert self.plan(existing, value, state, on_existing) == SetPlan(SetChange[change], kept_by)


class TestDnsRules:
    """Rules of DNS itself (RFC 1034 section 3.6.2, RFC 2181 section 10.3), checked before a change is sent."""

    @pytest.mark.parametrize(
        ("args", "words"),
        [
            pytest.param({"prefix": "@", "type": "CNAME", "value": ["www.example.net"]}, "a CNAME at the zone's apex example.com", id="apex"),
            pytest.param({"prefix": "a", "type": "CNAME", "value": ["x.example.net", "y.example.net"]}, "has 2 values", id="two-values"),
            pytest.param({"prefix": "@", "type": "MX", "value": ["10 192.0.2.5"]}, "points at the IP address 192.0.2.5", id="mx-ip"),
            pytest.param({"prefix": "_sip._tcp", "type": "SRV", "value": ["0 5 5060 192.0.2.6"]}, "points at the IP address 192.0.2.6", id="srv-ip"),
            pytest.param({"prefix": "sub", "type": "NS", "value": ["192.0.2.7"]}, "points at the IP address 192.0.2.7", id="ns-ip"),
        ],
    )
    def test_what_breaks_dns_alone_is_refused_before_any_request(self, run_module, emulator, args, words):
        result = run_module(main, zone="example.com", **args, **AS_OPS)

        assert result["failed"] is True
        assert result["msg"].startswith("Refused before any change was sent: ")
        assert words in result["msg"]
        assert result["msg"].endswith("section 3.6.2). Fix the task's record set.") or result["msg"].endswith("section 10.3). Fix the task's record set.")
        assert emulator.stats()["requests"] == {}

    def test_a_cname_beside_other_data_is_refused_after_one_read_of_its_name(self, run_module, emulator):
        run_module(main, zone="example.com", prefix="www", type="A", value=["192.0.2.1"], **AS_OPS)
        before = dict(emulator.stats()["requests"])

        result = run_module(main, zone="example.com", prefix="www", type="CNAME", value=["web.example.net"], **AS_OPS)

        assert result["msg"] == (
            "Refused before any change was sent: the CNAME record set www.example.com would stand beside its A records; "
            "a CNAME must be the only data at its name (RFC 1034 section 3.6.2). Fix the task's record set."
        )
        new = {key: count - before.get(key, 0) for key, count in emulator.stats()["requests"].items() if count != before.get(key, 0)}
        assert new == {"POST /REST/Session": 1, "GET /REST/AllRecord": 1, "DELETE /REST/Session": 1}
        assert _published(emulator, "www.example.com", "CNAME") == []

    def test_a_cname_is_read_with_its_names_records_in_one_request(self, run_module, emulator):
        args = {"zone": "example.com", "prefix": "alias", "type": "CNAME", "value": ["web.example.net"], **AS_OPS}
        run_module(main, **args)
        run_module(main, zone="example.com", prefix="sub.alias", type="A", value=["192.0.2.1"], **AS_OPS)  # below the name: no conflict

        again = run_module(main, **{**args, "value": ["WEB.example.net."]})
        replaced = run_module(main, **{**args, "value": ["other.example.net"]})

        assert (again["changed"], replaced["changed"]) == (False, True)
        assert requests_made(emulator, "GET /REST/AllRecord") == 3
        assert requests_made(emulator, "GET /REST/CNAMERecord") == 0
        assert [record["rdata"] for record in _published(emulator, "alias.example.com", "CNAME")] == [{"cname": "other.example.net."}]
