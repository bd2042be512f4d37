# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""dyn_record_sets, run in-process against the emulator: one read of the zone, one request per changed set, one publish."""

from __future__ import annotations

import json

import pytest

from ansible_collections.dyn.managed_dns.plugins.modules import dyn_record_set, dyn_session
from ansible_collections.dyn.managed_dns.plugins.modules.dyn_record_sets import main
from ansible_collections.dyn.managed_dns.tests.unit.plugins.module_utils.helpers import OPS, READER, leaked, server_secrets

AS_OPS = {"customer": OPS[0], "username": OPS[1], "password": OPS[2]}
AS_READER = {"customer": READER[0], "username": READER[1], "password": READER[2]}
SESSION_CALLS = ("POST /REST/Session", "DELETE /REST/Session")

SETS = [
    {"prefix": "www", "type": "A", "ttl": 300, "value": ["192.0.2.10", "192.0.2.11"]},
    {"prefix": "www", "type": "AAAA", "value": ["2001:db8::10"]},
    {"prefix": "alias", "type": "CNAME", "value": ["www.example.com"]},
    {"prefix": "@", "type": "MX", "value": ["10 mail.example.com"]},
    {"prefix": "txt", "type": "TXT", "value": ["hello world"]},
]


def _calls(emulator) -> dict[str, int]:
    """The API requests the emulator counted, logins and logouts aside."""
    return {key: count for key, count in emulator.stats()["requests"].items() if key not in SESSION_CALLS}


def _sets_of(emulator, zone: str = "example.com") -> set[tuple[str, str]]:
    """The (name, type) of every published record of the zone."""
    return {(record["fqdn"].lower(), record["type"]) for record in emulator.zone(zone)["records"]}


@pytest.fixture
def token(run_module):
    return run_module(dyn_session.main, return_token=True, **AS_OPS)["token"]


class Since:
    """The emulator, and the API requests it counts from now on (logins and logouts aside)."""

    def __init__(self, emulator) -> None:
        self.emulator = emulator
        self._start = dict(emulator.stats()["requests"])

    def calls(self) -> dict[str, int]:
        now = _calls(self.emulator)
        return {key: count - self._start.get(key, 0) for key, count in now.items() if count != self._start.get(key, 0)}


@pytest.fixture
def filled(run_module, emulator):
    """example.com with SETS published; its ``calls()`` counts from then on."""
    run_module(main, zone="example.com", record_sets=SETS, **AS_OPS)
    return Since(emulator)


class TestApply:
    def test_one_read_one_request_per_set_one_publish(self, run_module, emulator):
        result = run_module(main, zone="example.com", record_sets=SETS, **AS_OPS)

        assert result["changed"] is True
        assert (result["published"], result["pending"], result["serial"]) == (True, False, 2)
        assert [(change["record"], change["type"], change["operation"]) for change in result["changes"]] == [
            ("alias.example.com", "CNAME", "create"),
            ("example.com", "MX", "create"),
            ("txt.example.com", "TXT", "create"),
            ("www.example.com", "A", "create"),
            ("www.example.com", "AAAA", "create"),
        ]
        assert result["changes"][3]["after"] == {
            "record": "www.example.com", "prefix": "www", "type": "A", "ttl": 300, "value": ["192.0.2.10", "192.0.2.11"],
        }
        assert _calls(emulator) == {
            "GET /REST/AllRecord": 1, "PUT /REST/CNAMERecord": 1, "PUT /REST/MXRecord": 1, "PUT /REST/TXTRecord": 1,
            "PUT /REST/ARecord": 1, "PUT /REST/AAAARecord": 1, "PUT /REST/Zone": 1,
        }
        zone = emulator.zone("example.com")
        assert (zone["serial"], zone["publishes"], zone["pending_changes"]) == (2, 1, 0)
        assert {(s["prefix"] if s["prefix"] != "@" else "", s["type"]) for s in SETS} <= {
            (fqdn.removesuffix("example.com").rstrip("."), rtype) for fqdn, rtype in _sets_of(emulator)
        }
        assert emulator.stats()["open_sessions"] == 0

    def test_the_same_again_is_one_read_and_nothing_else(self, run_module, filled):
        again = [{**each, "value": [value.upper() for value in each["value"]]} if each["type"] in ("CNAME", "MX") else each for each in SETS]

        result = run_module(main, zone="Example.COM.", record_sets=again, **AS_OPS)

        assert result["changed"] is False
        assert result["changes"] == []
        assert (result["published"], result["serial"]) == (False, None)
        assert filled.calls() == {"GET /REST/AllRecord": 1}
        assert filled.emulator.zone("example.com")["empty_publishes"] == 0

    def test_a_changed_and_an_absent_set(self, run_module, filled):
        sets = [
            {"prefix": "www", "type": "A", "value": ["192.0.2.12"]},  # no ttl: keeps 300
            {"prefix": "txt", "type": "TXT", "state": "absent"},
            {"prefix": "never", "type": "TXT", "state": "absent"},
        ]

        result = run_module(main, zone="example.com", record_sets=sets, **AS_OPS)

        assert [(change["record"], change["operation"], change["pruned"]) for change in result["changes"]] == [
            ("txt.example.com", "delete", False),
            ("www.example.com", "update", False),
        ]
        assert result["changes"][1]["before"]["value"] == ["192.0.2.10", "192.0.2.11"]
        assert result["changes"][1]["after"]["ttl"] == 300
        assert filled.calls() == {"GET /REST/AllRecord": 1, "DELETE /REST/TXTRecord": 1, "PUT /REST/ARecord": 1, "PUT /REST/Zone": 1}
        assert ("txt.example.com", "TXT") not in _sets_of(filled.emulator)

    def test_notes_go_with_the_publish(self, run_module, emulator):
        result = run_module(main, zone="example.com", record_sets=SETS[:1], notes="ticket 42", history=True, **AS_OPS)

        publish = [call for call in result["history"] if call["method"] == "PUT" and "/Zone/" in call["uri"]]
        assert len(publish) == 1
        assert "ticket 42" in str(publish[0])


class TestPrune:
    def test_prune_deletes_every_other_set_but_the_soa_and_dyns_ns(self, run_module, filled):
        result = run_module(main, zone="example.com", record_sets=SETS[:2], prune=True, **AS_OPS)

        assert [(change["record"], change["type"], change["operation"], change["pruned"]) for change in result["changes"]] == [
            ("alias.example.com", "CNAME", "delete", True),
            ("example.com", "MX", "delete", True),
            ("txt.example.com", "TXT", "delete", True),
        ]
        assert filled.calls() == {
            "GET /REST/AllRecord": 1, "DELETE /REST/CNAMERecord": 1, "DELETE /REST/MXRecord": 1, "DELETE /REST/TXTRecord": 1, "PUT /REST/Zone": 1,
        }
        assert _sets_of(filled.emulator) == {("example.com", "SOA"), ("example.com", "NS"), ("www.example.com", "A"), ("www.example.com", "AAAA")}

    def test_check_mode_and_diff_show_what_prune_would_delete_and_write_nothing(self, run_module, filled):
        result = run_module(main, check_mode=True, diff=True, zone="example.com", record_sets=SETS[:4], prune=True, **AS_OPS)

        assert result["changed"] is True
        assert [(change["record"], change["pruned"]) for change in result["changes"]] == [("txt.example.com", True)]
        assert result["diff"] == {
            "before": {"record_sets": [{"record": "txt.example.com", "prefix": "txt", "type": "TXT", "ttl": 3600, "value": ["hello world"]}]},
            "after": {"record_sets": []},
        }
        assert filled.calls() == {"GET /REST/AllRecord": 1}
        assert ("txt.example.com", "TXT") in _sets_of(filled.emulator)


class TestCheckMode:
    def test_check_mode_reads_once_and_writes_nothing(self, run_module, emulator):
        result = run_module(main, check_mode=True, diff=True, zone="example.com", record_sets=SETS, **AS_OPS)

        assert result["changed"] is True
        assert len(result["changes"]) == len(SETS)
        assert result["diff"]["before"] == {"record_sets": []}
        assert len(result["diff"]["after"]["record_sets"]) == len(SETS)
        assert (result["published"], result["serial"]) == (False, None)
        assert _calls(emulator) == {"GET /REST/AllRecord": 1}

    def test_the_reader_may_plan_in_check_mode(self, run_module, emulator):
        result = run_module(main, check_mode=True, zone="example.com", record_sets=SETS, **AS_READER)

        assert result["changed"] is True
        assert _calls(emulator) == {"GET /REST/AllRecord": 1}


class TestPending:
    def test_publish_false_is_refused_on_a_self_login_task_before_any_request(self, run_module, emulator):
        result = run_module(main, zone="example.com", record_sets=SETS, publish=False, **AS_OPS)

        assert result["failed"] is True
        assert result["msg"].startswith("publish=false leaves the changes pending in the session that made them")
        assert emulator.stats()["requests"] == {}

    def test_publish_false_with_a_token_leaves_them_pending(self, run_module, emulator, token):
        result = run_module(main, token=token, zone="example.com", record_sets=SETS, publish=False)

        assert (result["changed"], result["published"], result["pending"]) == (True, False, True)
        zone = emulator.zone("example.com")
        assert (zone["publishes"], zone["pending_changes"]) == (0, sum(len(each["value"]) for each in SETS))  # one per record
        assert requests_of(emulator, "PUT /REST/Zone") == 0

        again = run_module(main, token=token, zone="example.com", record_sets=SETS, publish=False)

        assert again["changed"] is False  # the session's own read sees its pending changes


def requests_of(emulator, key):
    return emulator.stats()["requests"].get(key, 0)


class TestRefusals:
    @pytest.mark.parametrize(
        ("record_sets", "words"),
        [
            pytest.param([{"prefix": "@", "type": "CNAME", "value": ["www.example.net"]}], "a CNAME at the zone's apex example.com", id="apex"),
            pytest.param([{"prefix": "a", "type": "CNAME", "value": ["x.example.net", "y.example.net"]}], "has 2 values", id="two-values"),
            pytest.param(
                [{"prefix": "w", "type": "A", "value": ["192.0.2.1"]}, {"prefix": "w", "type": "CNAME", "value": ["x.example.net"]}],
                "record set w.example.com would stand beside", id="cname-beside-a-in-task",
            ),
            pytest.param([{"prefix": "@", "type": "MX", "value": ["10 192.0.2.5"]}], "points at the IP address 192.0.2.5", id="mx-ip"),
        ],
    )
    def test_what_breaks_dns_alone_is_refused_before_any_request(self, run_module, emulator, record_sets, words):
        result = run_module(main, zone="example.com", record_sets=record_sets, **AS_OPS)

        assert result["failed"] is True
        assert result["msg"].startswith("Refused before any change was sent: ")
        assert words in result["msg"]
        assert ("RFC 1034 section 3.6.2" in result["msg"]) or ("RFC 2181 section 10.3" in result["msg"])
        assert emulator.stats()["requests"] == {}

    def test_a_cname_beside_data_already_in_the_zone_is_refused_after_the_one_read(self, run_module, filled):
        result = run_module(main, zone="example.com", record_sets=[{"prefix": "txt", "type": "CNAME", "value": ["x.example.net"]}], **AS_OPS)

        assert result["failed"] is True
        assert "the CNAME record set txt.example.com would stand beside its TXT records; a CNAME must be the only data at its name " \
            "(RFC 1034 section 3.6.2)" in result["msg"]
        assert filled.calls() == {"GET /REST/AllRecord": 1}

    def test_an_a_record_beside_a_cname_already_in_the_zone_is_refused(self, run_module, filled):
        result = run_module(main, zone="example.com", record_sets=[{"prefix": "alias", "type": "A", "value": ["192.0.2.1"]}], **AS_OPS)

        assert result["failed"] is True
        assert "the A record set alias.example.com would stand beside the CNAME record there" in result["msg"]
        assert filled.calls() == {"GET /REST/AllRecord": 1}

    def test_replacing_a_cname_by_an_a_record_in_one_task_passes(self, run_module, filled):
        sets = [{"prefix": "alias", "type": "CNAME", "state": "absent"}, {"prefix": "alias", "type": "A", "value": ["192.0.2.1"]}]

        result = run_module(main, zone="example.com", record_sets=sets, **AS_OPS)

        assert result["changed"] is True
        assert ("alias.example.com", "A") in _sets_of(filled.emulator)

    def test_a_set_named_twice_is_refused_before_any_request(self, run_module, emulator):
        sets = [{"prefix": "www", "type": "A", "value": ["192.0.2.1"]}, {"record": "WWW.example.com.", "type": "A", "value": ["192.0.2.2"]}]

        result = run_module(main, zone="example.com", record_sets=sets, **AS_OPS)

        assert result["msg"] == "the A record set www.example.com is named more than once; name each set once."
        assert emulator.stats()["requests"] == {}

    @pytest.mark.parametrize(
        ("entry", "msg"),
        [
            pytest.param({"prefix": "www", "type": "A", "value": ["192.0.2.300"]},
                         "record_sets[1]: A value '192.0.2.300' is not an IPv4 address; fix its record, prefix or value.", id="value"),
            pytest.param({"prefix": "www", "type": "A", "ttl": 0, "value": ["192.0.2.1"]},
                         "record_sets[1]: ttl must be 1 or more seconds, not 0; leave it out for the zone's default TTL.", id="ttl"),
            pytest.param({"record": "www.example.org", "type": "A", "value": ["192.0.2.1"]},
                         "record_sets[1]: record www.example.org is not in zone example.com; fix its record, prefix or value.", id="outside"),
        ],
    )
    def test_a_bad_entry_is_named_by_its_place_before_any_request(self, run_module, emulator, entry, msg):
        result = run_module(main, zone="example.com", record_sets=[SETS[0], entry], **AS_OPS)

        assert result["msg"] == msg
        assert emulator.stats()["requests"] == {}

    @pytest.mark.parametrize(
        "entry",
        [
            pytest.param({"type": "A", "value": ["192.0.2.1"]}, id="no-name"),
            pytest.param({"prefix": "a", "record": "a.example.com", "type": "A", "value": ["192.0.2.1"]}, id="both-names"),
            pytest.param({"prefix": "a", "type": "A"}, id="present-without-value"),
            pytest.param({"prefix": "a", "type": "SOA", "value": ["x"]}, id="type"),
        ],
    )
    def test_the_suboption_rules_of_dyn_record_set_hold(self, run_module, emulator, entry):
        result = run_module(main, zone="example.com", record_sets=[entry], **AS_OPS)

        assert result["failed"] is True
        assert emulator.stats()["requests"] == {}

    def test_zone_that_does_not_exist(self, run_module, emulator):
        result = run_module(main, zone="exmaple.com", record_sets=SETS, **AS_OPS)

        assert result["msg"].startswith("Zone exmaple.com does not exist in customer acme")
        assert emulator.stats()["open_sessions"] == 0

    def test_the_reader_is_told_the_permission_it_lacks_and_nothing_is_published(self, run_module, emulator):
        result = run_module(main, zone="example.net", record_sets=SETS[:1], **AS_READER)

        assert result["msg"].startswith("Changing the A record set www.example.net failed after 0 of 1 changes to zone example.net: ")
        assert "RecordAdd" in result["msg"]
        assert "DynECT drops them" not in result["msg"]  # the first write failed: nothing was made before it
        assert emulator.zone("example.net")["publishes"] == 0

    def test_a_refused_publish_says_where_the_changes_are(self, run_module, emulator):
        from ansible_collections.dyn.managed_dns.tests.unit.plugins.module_utils.helpers import GLOBEX_ADMIN

        as_globex = {"customer": GLOBEX_ADMIN[0], "username": GLOBEX_ADMIN[1], "password": GLOBEX_ADMIN[2]}
        result = run_module(main, zone="globex.org", record_sets=[{"prefix": "www", "type": "A", "value": ["192.0.2.1"]}], **as_globex)

        assert result["msg"].startswith("1 record set of zone globex.org changed, but the zone was not published: ")
        assert "ZonePublish" in result["msg"]
        assert result["msg"].endswith(" DynECT drops them with this task's session, so nothing of them is live.")
        assert emulator.zone("globex.org", customer="globex")["publishes"] == 0

    def test_no_secret_in_the_result(self, run_module, emulator):
        result = run_module(main, zone="example.com", record_sets=SETS, history=True, **AS_OPS)

        assert leaked(repr(result), server_secrets(emulator)) == []


class TestSameComparisonAsDynRecordSet:
    @pytest.mark.parametrize(
        ("record_type", "first", "second"),
        [
            ("AAAA", ["2001:db8::1"], ["2001:DB8:0:0:0:0:0:1"]),
            ("MX", ["10 mail.example.com"], ["10 MAIL.example.com."]),
            ("SRV", ["0 5 5060 sip.example.com"], ["00 5 5060 sip.example.com."]),
        ],
    )
    def test_a_set_dyn_record_set_made_is_dns_equal(self, run_module, emulator, record_type, first, second):
        run_module(dyn_record_set.main, zone="example.com", prefix="set", type=record_type, value=first, **AS_OPS)
        since = Since(emulator)

        result = run_module(main, zone="example.com", record_sets=[{"prefix": "set", "type": record_type, "value": second}], **AS_OPS)

        assert result["changed"] is False
        assert since.calls() == {"GET /REST/AllRecord": 1}


class _HelperSocket:
    """ansible-core's Connection to the dynect helper, answered by the helper's own operations in this process.

    Arguments and replies go through JSON, as on the socket; every operation asked is kept.
    """

    def __init__(self, operations, asked: list[str]) -> None:
        self._operations = operations
        self._asked = asked

    def dyn_call(self, operation, *args, task_history=False):
        self._asked.append(operation)
        reply = self._operations.run(operation, tuple(json.loads(json.dumps(args))), task_history)
        return json.loads(json.dumps(reply))


@pytest.fixture
def through_connection(emulator, monkeypatch):
    """The play's helper for the ops account (logged out at the end), and the operations tasks ask of it."""
    from ansible_collections.dyn.managed_dns.plugins.module_utils import _connection_rpc
    from ansible_collections.dyn.managed_dns.plugins.module_utils._api import RetryPolicy
    from ansible_collections.dyn.managed_dns.plugins.module_utils._engine import Credentials, Endpoint, SessionEngine
    from ansible_collections.dyn.managed_dns.plugins.plugin_utils._helper_operations import HelperOperations
    from ansible_collections.dyn.managed_dns.plugins.plugin_utils._sealed_options import SealedOptions
    from ansible_collections.dyn.managed_dns.tests.unit.plugins.module_utils.helpers import FAST_WAITS

    secrets = SealedOptions({"dyn_password"})
    secrets.take_from({"dyn_password": OPS[2]})
    endpoint = Endpoint.from_options(host=emulator.host, port=emulator.port, ssl=emulator.ssl)
    operations = HelperOperations(
        lambda password: SessionEngine(Credentials(OPS[0], OPS[1], password), endpoint, RetryPolicy(**FAST_WAITS)),
        secrets,
        check_login_options=lambda: None,
        play_history_on=lambda: False,
        transport_warnings=list,
        queue=lambda level, message: None,
    )
    asked: list[str] = []
    monkeypatch.setattr(_connection_rpc, "Connection", lambda socket_path: _HelperSocket(operations, asked))
    yield asked
    operations.log_out_at_close()


class TestConnectionRoute:
    """Through the dynect connection, the writes of a plan cross the helper's socket as one call (issue #24)."""

    def test_the_writes_go_to_the_helper_in_one_call(self, run_module, emulator, through_connection):
        result = run_module(main, address=False, zone="example.com", record_sets=SETS, _ansible_socket="/helper/socket")

        assert (result["changed"], result["published"]) == (True, True)
        assert _sets_of(emulator) >= {("www.example.com", "A"), ("www.example.com", "AAAA"), ("alias.example.com", "CNAME")}
        assert through_connection.count("execute_many") == 1
        assert through_connection.count("execute") == 2  # the zone's read and its publish
        assert sum(count for key, count in _calls(emulator).items() if key.startswith("PUT /REST/") and "Record" in key) == 5

    def test_a_failed_write_is_named_with_the_writes_done_before_it(self, run_module, emulator, through_connection):
        emulator.fault("server_error", match="PUT /REST/ARecord")
        result = run_module(main, address=False, zone="example.com", record_sets=SETS, _ansible_socket="/helper/socket")

        assert result["msg"].startswith("Changing the A record set www.example.com failed after 3 of 5 changes to zone example.com: ")
        assert through_connection.count("execute_many") == 1
        assert "PUT /REST/AAAARecord" not in _calls(emulator)  # the batch stopped at the failure
        assert emulator.zone("example.com")["publishes"] == 0

    def test_a_batch_whose_answer_is_lost_says_the_outcome_is_unknown(self, run_module, emulator, through_connection, monkeypatch):
        # The socket fails after the helper took the batch (e.g. persistent_command_timeout): no count of writes done is true.
        from ansible.module_utils.connection import ConnectionError as RpcConnectionError

        real_call = _HelperSocket.dyn_call

        def lose_the_batch(socket, operation, *args, task_history=False):
            reply = real_call(socket, operation, *args, task_history=task_history)
            if operation == "execute_many":
                raise RpcConnectionError("socket timed out")
            return reply

        monkeypatch.setattr(_HelperSocket, "dyn_call", lose_the_batch)
        result = run_module(main, address=False, zone="example.com", record_sets=SETS, _ansible_socket="/helper/socket")

        assert result["failed"] and "failed after" not in result["msg"]
        assert result["msg"].startswith("The 5 writes to zone example.com went to the dynect connection in one call, but no answer came back (")
        assert "which of them were made is unknown; none was published. Run the task again" in result["msg"]
        assert emulator.zone("example.com")["publishes"] == 0
