# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""_records' zone planner and DNS rules, without a server: what a task asks, one read of the zone, the plan."""

from __future__ import annotations

import pytest

from ansible_collections.dyn.managed_dns.plugins.module_utils import dns
from ansible_collections.dyn.managed_dns.plugins.module_utils._records import (
    PlannedSet,
    RecordSet,
    RecordValueError,
    SetChange,
    SetRequestError,
    check_dns_rules,
    plan_zone,
    set_request,
)
from ansible_collections.dyn.managed_dns.plugins.module_utils.errors import DynectConfigError, DynectDnsRuleError

ZONE = "example.com"
SOA = RecordSet(ZONE, "", "SOA", 3600, ["admin@example.com. ns1.p01.dynect.net. 1 3600 600 604800 1800"])
WWW = RecordSet("www.example.com", "www", "A", 300, ["192.0.2.1"])
MX = RecordSet(ZONE, "", "MX", 3600, ["10 mail.example.com."])


def asked(type_, value=None, *, prefix=None, record=None, ttl=None, state="present", txt_transformation="unquoted"):
    """The SetRequest of one task entry, as the modules build it."""
    options = {"record": record, "prefix": prefix, "type": type_, "ttl": ttl, "value": value, "state": state}
    return set_request(ZONE, options, txt_transformation)


class TestSetRequest:
    def test_names_and_values_are_normalised(self):
        request = asked("MX", ["10 MAIL.example.com"], record="Example.COM.", ttl=60)
        assert request.wanted == RecordSet(ZONE, "", "MX", 60, ["10 MAIL.example.com."])
        assert (request.present, request.values_given) == (True, True)

    def test_absent_without_values(self):
        request = asked("TXT", prefix="old", state="absent")
        assert (request.present, request.values_given, request.wanted.value) == (False, False, [])

    @pytest.mark.parametrize(
        ("options", "words"),
        [
            pytest.param({"ttl": 0}, "ttl must be 1 or more seconds, not 0", id="ttl"),
            pytest.param({"value": []}, "value holds no record", id="no-value"),
        ],
    )
    def test_a_set_no_set_can_be_is_a_set_request_error(self, options, words):
        with pytest.raises(SetRequestError, match=words):
            asked(**{"type_": "A", "value": ["192.0.2.1"], "prefix": "www", **options})

    def test_a_bad_value_is_a_record_value_error(self):
        with pytest.raises(RecordValueError, match="not an IPv4 address") as caught:
            asked("A", ["192.0.2.300"], prefix="www")
        assert not isinstance(caught.value, SetRequestError)


class TestPlanZone:
    def test_one_read_and_equal_values_plan_nothing(self):
        current = [SOA, WWW, MX]
        requests = [asked("A", ["192.0.2.1"], prefix="WWW", ttl=300), asked("MX", ["10 Mail.Example.com"], prefix="@")]

        plan = plan_zone(ZONE, current, requests)

        assert plan.changes == []
        assert [each.change for each in plan.sets] == [SetChange.NONE, SetChange.NONE]

    def test_new_changed_and_absent_sets(self):
        requests = [
            asked("A", ["192.0.2.2"], prefix="www"),  # differs: replaced, keeping its TTL
            asked("AAAA", ["2001:DB8:0::1"], prefix="v6", ttl=60),  # new
            asked("MX", prefix="@", state="absent"),  # deleted whatever it holds
            asked("TXT", prefix="gone", state="absent"),  # absent already
        ]

        plan = plan_zone(ZONE, [SOA, WWW, MX], requests)

        assert [(each.record, each.type, each.change) for each in plan.changes] == [
            (ZONE, "MX", SetChange.DELETE),
            ("v6.example.com", "AAAA", SetChange.REPLACE),
            ("www.example.com", "A", SetChange.REPLACE),
        ]
        assert plan.changes[2].after == WWW._replace(value=["192.0.2.2"])
        assert [each.as_change()["operation"] for each in plan.changes] == ["delete", "create", "update"]

    def test_prune_deletes_every_unnamed_set_but_the_soa(self):
        extra = RecordSet("extra.example.com", "extra", "TXT", 300, ["left over"])

        plan = plan_zone(ZONE, [SOA, WWW, MX, extra], [asked("A", ["192.0.2.1"], prefix="www")], prune=True)

        assert plan.changes == [
            PlannedSet(MX, None, SetChange.DELETE, pruned=True),
            PlannedSet(extra, None, SetChange.DELETE, pruned=True),
        ]
        assert plan.changes[1].as_change() == {
            "record": "extra.example.com", "type": "TXT", "before": extra.as_dict(), "after": None, "operation": "delete", "pruned": True,
        }

    def test_without_prune_unnamed_sets_stay(self):
        plan = plan_zone(ZONE, [SOA, WWW, MX], [asked("A", ["192.0.2.1"], prefix="www")])
        assert plan.changes == []

    def test_deletions_are_sent_first_so_a_cname_and_other_data_never_share_a_name(self):
        alias = RecordSet("alias.example.com", "alias", "CNAME", 300, ["www.example.com."])
        requests = [asked("A", ["192.0.2.7"], prefix="alias"), asked("CNAME", prefix="alias", state="absent")]

        plan = plan_zone(ZONE, [SOA, alias], requests)

        assert [(each.type, each.change) for each in plan.changes] == [("A", SetChange.REPLACE), ("CNAME", SetChange.DELETE)]
        assert [(each.type, each.change) for each in plan.writes] == [("CNAME", SetChange.DELETE), ("A", SetChange.REPLACE)]

    def test_the_zone_after_the_plan(self):
        current = [SOA, WWW, MX]
        plan = plan_zone(ZONE, current, [asked("A", ["192.0.2.2"], prefix="www"), asked("MX", prefix="@", state="absent")])

        assert sorted(plan.zone_after(current)) == sorted([SOA, WWW._replace(value=["192.0.2.2"])])

    def test_a_set_named_twice_is_refused(self):
        requests = [asked("A", ["192.0.2.1"], prefix="www"), asked("A", ["192.0.2.2"], record="WWW.example.com.")]
        with pytest.raises(RecordValueError, match="the A record set www.example.com is named more than once"):
            plan_zone(ZONE, [], requests)

    def test_txt_is_compared_exactly(self):
        txt = RecordSet("txt.example.com", "txt", "TXT", 300, ["Hello"])
        plan = plan_zone(ZONE, [txt], [asked("TXT", ["hello"], prefix="txt")])
        assert [each.change for each in plan.changes] == [SetChange.REPLACE]


class TestDnsRules:
    @pytest.mark.parametrize(
        ("written", "zone_after", "words"),
        [
            pytest.param(RecordSet(ZONE, "", "CNAME", None, ["www.example.net."]), [], "a CNAME at the zone's apex example.com", id="apex"),
            pytest.param(
                RecordSet("alias.example.com", "alias", "CNAME", None, ["a.example.net.", "b.example.net."]), [], "has 2 values", id="two-values"
            ),
            pytest.param(
                RecordSet("www.example.com", "www", "CNAME", None, ["web.example.net."]), [WWW],
                "the CNAME record set www.example.com would stand beside its A records", id="cname-beside-a",
            ),
            pytest.param(
                WWW, [RecordSet("www.example.com", "www", "CNAME", None, ["web.example.net."])],
                "the A record set www.example.com would stand beside the CNAME record there", id="a-beside-cname",
            ),
        ],
    )
    def test_cname_rules_name_rfc_1034(self, written, zone_after, words):
        with pytest.raises(DynectDnsRuleError, match=words) as caught:
            check_dns_rules(ZONE, [written], zone_after)
        assert caught.value.rule == "RFC 1034 section 3.6.2"
        assert (caught.value.record, caught.value.record_type) == (written.record, written.type)
        assert str(caught.value).endswith("(RFC 1034 section 3.6.2)")
        assert isinstance(caught.value, DynectConfigError)

    @pytest.mark.parametrize(
        ("type_", "value", "address"),
        [
            pytest.param("MX", "10 192.0.2.5", "192.0.2.5", id="mx"),
            pytest.param("SRV", "0 5 5060 192.0.2.6", "192.0.2.6", id="srv"),
            pytest.param("NS", "192.0.2.7", "192.0.2.7", id="ns"),
        ],
    )
    def test_a_target_that_is_an_ip_address_names_rfc_2181(self, type_, value, address):
        written = asked(type_, [value], prefix="sub").wanted
        with pytest.raises(DynectDnsRuleError, match=f"points at the IP address {address}") as caught:
            check_dns_rules(ZONE, [written])
        assert caught.value.rule == "RFC 2181 section 10.3"

    @pytest.mark.parametrize(
        ("type_", "value"),
        [("MX", "10 mail.example.com"), ("MX", "0 ."), ("SRV", "0 0 0 ."), ("NS", "ns1.example.org"), ("MX", "10 192-0-2-5.example.com")],
    )
    def test_host_names_pass(self, type_, value):
        check_dns_rules(ZONE, [asked(type_, [value], prefix="sub").wanted])

    def test_a_lone_cname_and_other_types_apart_pass(self):
        alias = RecordSet("alias.example.com", "alias", "CNAME", None, ["www.example.com."])
        check_dns_rules(ZONE, [alias, WWW], [alias, WWW, MX, SOA])

    def test_a_conflict_the_task_does_not_write_is_not_judged(self):
        old_cname = RecordSet("www.example.com", "www", "CNAME", None, ["web.example.net."])
        check_dns_rules(ZONE, [MX], [WWW, old_cname, MX])


class TestThroughDns:
    def test_the_planner_is_part_of_the_python_api(self):
        assert {"plan_zone", "set_request", "check_dns_rules", "write_change", "ZonePlan", "PlannedSet", "SetRequest"} <= set(dns.__all__)
        assert dns.plan_zone is plan_zone

    def test_write_change_sends_one_request_per_change(self):
        sent = []

        class Recorder:
            def execute(self, uri, method, args=None):
                sent.append((method, uri, args))
                return {"data": {}}

        plan = plan_zone(
            ZONE, [SOA, WWW, MX], [asked("A", ["192.0.2.2"], prefix="www"), asked("AAAA", ["2001:db8::1"], prefix="v6")], prune=True
        )
        for planned in plan.sets:
            dns.write_change(Recorder(), ZONE, planned)

        assert sent == [
            ("DELETE", "/MXRecord/example.com/example.com/", None),
            ("PUT", "/AAAARecord/example.com/v6.example.com/", {"AAAARecords": [{"rdata": {"address": "2001:db8::1"}, "ttl": 0}]}),
            ("PUT", "/ARecord/example.com/www.example.com/", {"ARecords": [{"rdata": {"address": "192.0.2.2"}, "ttl": 300}]}),
        ]
