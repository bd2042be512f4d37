# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""dyn_zone_changes, run in-process against the emulator."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ansible_collections.dyn.managed_dns.plugins.modules import dyn_record_set, dyn_record_sets, dyn_session
from ansible_collections.dyn.managed_dns.plugins.module_utils._module import TaskRun
from ansible_collections.dyn.managed_dns.plugins.modules.dyn_zone_changes import main, work
from ansible_collections.dyn.managed_dns.tests.unit.plugins.module_utils.helpers import (
    BAD_ZONES,
    OPS,
    READER,
    leaked,
    requests_made,
    server_secrets,
)
from ansible_collections.dyn.managed_dns.tests.unit.plugins.module_utils.test_engine import make_engine

AS_OPS = {"customer": OPS[0], "username": OPS[1], "password": OPS[2]}
AS_READER = {"customer": READER[0], "username": READER[1], "password": READER[2]}


@pytest.fixture
def token(run_module):
    """The token of an acme/ops session opened by dyn_session (return_token=true)."""
    return run_module(dyn_session.main, return_token=True, **AS_OPS)["token"]


@pytest.fixture
def pending(run_module, token):
    """Three changes pending in the token's session: an A set added, a TXT set's TTL updated, an MX set deleted."""
    run_module(dyn_record_set.main, zone="example.com", prefix="mail", type="MX", value=["10 mx.example.com"], **AS_OPS)
    run_module(dyn_record_set.main, zone="example.com", prefix="txt", type="TXT", ttl=300, value=["old"], **AS_OPS)
    for args in (
        {"prefix": "www", "type": "A", "ttl": 60, "value": ["192.0.2.1"]},
        {"prefix": "txt", "type": "TXT", "ttl": 600, "value": ["old"]},
        {"prefix": "mail", "type": "MX", "state": "absent"},
    ):
        assert run_module(dyn_record_set.main, token=token, zone="example.com", publish=False, **args)["pending"] is True
    return token


def _summary(changes: list[dict]) -> list[tuple[str, str, str]]:
    return sorted((change["record"], change["type"], change["operation"]) for change in changes)


class TestPending:
    def test_lists_the_changes_made_in_the_same_session(self, run_module, emulator, pending):
        result = run_module(main, token=pending, zone="example.com")

        assert result["changed"] is False
        assert result["serial"] is None
        assert _summary(result["changes"]) == [
            ("mail.example.com", "MX", "delete"),
            ("txt.example.com", "TXT", "update"),
            ("www.example.com", "A", "add"),
        ]
        added = next(change for change in result["changes"] if change["type"] == "A")
        assert (added["ttl"], added["rdata"]) == (60, {"address": "192.0.2.1"})
        # Reading publishes nothing and leaves the changes pending.
        zone = emulator.zone("example.com")
        assert (zone["serial"], zone["pending_changes"]) == (3, 3)
        assert requests_made(emulator, "PUT /REST/Zone") == 2  # the fixture's two publishes only

    def test_another_session_sees_none_of_them(self, run_module, pending):
        other = run_module(dyn_session.main, return_token=True, **AS_OPS)["token"]

        assert run_module(main, token=other, zone="example.com")["changes"] == []

    def test_a_self_login_task_has_none(self, run_module, emulator, pending):
        result = run_module(main, zone="example.com", **AS_OPS)

        assert (result["changed"], result["changes"]) == (False, [])
        assert emulator.zone("example.com")["pending_changes"] == 3

    def test_zone_spelling(self, run_module, pending):
        result = run_module(main, token=pending, zone=" Example.COM. ")

        assert len(result["changes"]) == 3

    def test_missing_zone(self, run_module, emulator):
        result = run_module(main, zone="exmaple.com", **AS_OPS)

        assert result["failed"] is True
        assert result["msg"].startswith("Zone exmaple.com does not exist in customer acme")

    def test_needs_zone_change_set(self, run_module):
        result = run_module(main, zone="example.com", **AS_READER)

        assert result["failed"] is True
        assert "ZoneChangeSet is required on zone example.com" in result["msg"]


class TestPublished:
    def test_publishes_once_and_reports_what_it_published(self, run_module, emulator, pending):
        result = run_module(main, token=pending, zone="example.com", state="published")

        assert result["changed"] is True
        assert result["serial"] == 4
        assert len(result["changes"]) == 3
        assert requests_made(emulator, "PUT /REST/Zone") == 3  # the fixture's two and this one
        zone = emulator.zone("example.com")
        assert (zone["serial"], zone["publishes"], zone["pending_changes"]) == (4, 3, 0)
        records = {(record["fqdn"], record["type"]): record["rdata"] for record in zone["records"]}
        assert records[("www.example.com", "A")] == {"address": "192.0.2.1"}
        assert records[("txt.example.com", "TXT")] == {"txtdata": "old"}
        assert [record["ttl"] for record in zone["records"] if record["type"] == "TXT"] == [600]
        assert ("mail.example.com", "MX") not in records

    def test_publishing_again_changes_nothing_and_sends_no_publish(self, run_module, emulator, pending):
        run_module(main, token=pending, zone="example.com", state="published")

        again = run_module(main, token=pending, zone="example.com", state="published")

        assert (again["changed"], again["changes"], again["serial"]) == (False, [], None)
        assert requests_made(emulator, "PUT /REST/Zone") == 3
        zone = emulator.zone("example.com")
        assert (zone["serial"], zone["empty_publishes"]) == (4, 0)

    def test_nothing_pending_sends_no_publish(self, run_module, emulator, token):
        result = run_module(main, token=token, zone="example.com", state="published", notes="nothing")

        assert (result["changed"], result["serial"]) == (False, None)
        assert requests_made(emulator, "PUT /REST/Zone") == 0
        assert emulator.zone("example.com")["notes"] == []

    def test_notes_are_kept_with_the_publish(self, run_module, emulator, pending):
        run_module(main, token=pending, zone="example.com", state="published", notes="Release 42")

        notes = emulator.zone("example.com")["notes"]
        assert [(note["serial"], note["note"], note["user_name"]) for note in notes] == [(4, "Release 42", "ops")]

    def test_check_mode_publishes_nothing(self, run_module, emulator, pending):
        result = run_module(main, check_mode=True, token=pending, zone="example.com", state="published", notes="later")

        assert result["changed"] is True
        assert (len(result["changes"]), result["serial"]) == (3, None)
        assert requests_made(emulator, "PUT /REST/Zone") == 2
        zone = emulator.zone("example.com")
        assert (zone["serial"], zone["pending_changes"], zone["notes"]) == (3, 3, [])

    def test_only_this_sessions_changes_are_published(self, run_module, emulator, pending):
        other = run_module(dyn_session.main, return_token=True, **AS_OPS)["token"]
        run_module(dyn_record_set.main, token=other, zone="example.com", prefix="other", type="A", value=["192.0.2.7"], publish=False)

        run_module(main, token=pending, zone="example.com", state="published")

        zone = emulator.zone("example.com")
        assert zone["pending_changes"] == 1
        assert "other.example.com" not in {record["fqdn"] for record in zone["records"]}

    def test_a_user_who_may_neither_list_changes_nor_publish_publishes_nothing(self, run_module, emulator):
        reader = run_module(dyn_session.main, return_token=True, **AS_READER)["token"]

        result = run_module(main, token=reader, zone="example.com", state="published")

        assert result["failed"] is True
        # Issue #24: listing is not what a publish needs; publishing is.
        assert "ZonePublish is required on zone example.com" in result["msg"]
        assert emulator.zone("example.com")["serial"] == 1


class TestLostSession:
    def test_a_dead_token_publishes_nothing_and_does_not_log_in_again(self, run_module, emulator, pending):
        # A token task has no password, so the session cannot log in again and publish a partial batch.
        logins = emulator.stats()["logins"]
        emulator.fault("expire_token", match="GET /REST/ZoneChanges")

        result = run_module(main, token=pending, zone="example.com", state="published", **{"customer": OPS[0], "username": OPS[1]})

        assert result["failed"] is True
        assert "no longer valid" in result["msg"]
        assert requests_made(emulator, "PUT /REST/Zone") == 2  # the fixture's two only
        assert emulator.stats()["logins"] == logins
        zone = emulator.zone("example.com")
        assert (zone["serial"], zone["pending_changes"]) == (3, 0)


class TestDiscarded:
    def test_drops_the_pending_changes(self, run_module, emulator, pending):
        result = run_module(main, token=pending, zone="example.com", state="discarded")

        assert result["changed"] is True
        assert (len(result["changes"]), result["serial"]) == (3, None)
        assert requests_made(emulator, "DELETE /REST/ZoneChanges") == 1
        zone = emulator.zone("example.com")
        assert (zone["serial"], zone["pending_changes"]) == (3, 0)
        assert run_module(main, token=pending, zone="example.com")["changes"] == []

    def test_nothing_pending_is_no_change_but_the_discard_is_sent(self, run_module, emulator, token):
        result = run_module(main, token=token, zone="example.com", state="discarded")

        assert (result["changed"], result["changes"]) == (False, [])
        assert requests_made(emulator, "DELETE /REST/ZoneChanges") == 1

    def test_check_mode_discards_nothing(self, run_module, emulator, pending):
        result = run_module(main, check_mode=True, token=pending, zone="example.com", state="discarded")

        assert result["changed"] is True
        assert requests_made(emulator, "DELETE /REST/ZoneChanges") == 0
        assert emulator.zone("example.com")["pending_changes"] == 3


class TestRefusals:
    @pytest.mark.parametrize("state", ["published", "discarded"])
    def test_refused_on_a_self_login_task_before_any_request(self, run_module, emulator, state):
        result = run_module(main, zone="example.com", state=state, **AS_OPS)

        assert result["failed"] is True
        assert result["msg"].startswith(f"state={state} acts on the changes pending in a session, and this task logs in and out itself")
        assert emulator.stats()["requests"] == {}

    @pytest.mark.parametrize("state", ["pending", "discarded"])
    def test_notes_without_published_are_refused(self, run_module, emulator, token, state):
        result = run_module(main, token=token, zone="example.com", state=state, notes="Release 42")

        assert result["failed"] is True
        assert result["msg"] == f"notes go with a publish; remove notes, or set state=published (not {state})."
        assert requests_made(emulator, "GET /REST/ZoneChanges") == 0

    def test_empty_zone_is_refused(self, run_module, emulator, token):
        result = run_module(main, token=token, zone="")

        assert result["msg"].startswith("zone must not be empty")
        assert requests_made(emulator, "GET /REST/ZoneChanges") == 0

    @pytest.mark.parametrize(("zone", "words"), BAD_ZONES)
    @pytest.mark.parametrize("state", ["pending", "published", "discarded"])
    def test_a_zone_name_no_zone_has_is_refused_before_any_request(self, run_module, emulator, token, zone, words, state):
        before = emulator.stats()

        result = run_module(main, token=token, zone=zone, state=state)

        assert result["failed"] is True
        assert result["msg"].startswith(words)
        assert emulator.stats() == before


class TestSecrets:
    def test_no_password_or_token_in_the_results(self, run_module, emulator, pending):
        listed = run_module(main, history=True, token=pending, zone="example.com")
        published = run_module(main, history=True, token=pending, zone="example.com", state="published")

        assert [call["uri"] for call in published["history"]] == ["/REST/ZoneChanges/example.com/", "/REST/Zone/example.com/"]
        assert leaked(json.dumps([listed, published]), server_secrets(emulator)) == []


# --- a user who may publish but not list the pending changes (issue #24) -------------------------

PUBLISHER = ("acme", "publisher", "Publish-Only-1")
AS_PUBLISHER = {"customer": PUBLISHER[0], "username": PUBLISHER[1], "password": PUBLISHER[2]}
A_CHANGE = ("/ARecord/example.com/new.example.com/", "POST", {"rdata": {"address": "192.0.2.9"}})


@pytest.fixture
def publishing(emulator_factory, tmp_path):
    """An emulator whose acme/publisher holds an ACME client's minimum: changes and publishes, never lists changes."""
    permissions = ["RecordGet", "RecordAdd", "RecordUpdate", "RecordDelete", "ZoneGet", "ZoneAddNode", "ZoneRemoveNode", "ZonePublish"]
    user = {"user_name": PUBLISHER[1], "password": PUBLISHER[2], "permissions": permissions}
    path = tmp_path / "accounts.json"
    path.write_text(json.dumps({"customers": [{"name": "acme", "zones": ["example.com"], "users": [user]}]}), encoding="utf-8")
    return emulator_factory(accounts=path)


class _PlaysSession:
    """What the dynect connection gives a task's work: the play's session, which logged in itself (so its record is whole)."""

    adopted = True

    def __init__(self, engine: Any) -> None:
        self._engine = engine

    def open(self) -> Any:
        return self._engine

    def take_predicted_pending(self, zone: str) -> bool:
        return False  # no check-mode record task ran before


def _work_in_plays_session(engine: Any, state: str, check_mode: bool = False) -> dict[str, Any]:
    params = {"zone": "example.com", "state": state, "notes": None}
    task = TaskRun(params, params, {}, check_mode, False, False, None, lambda text: None)
    return work(task, _PlaysSession(engine))


@pytest.fixture
def plays_session(publishing):
    engine = make_engine(publishing, *PUBLISHER)
    engine.authenticate()
    yield engine
    engine.log_out()


class TestWithoutZoneChangeSet:
    def test_the_plays_session_publishes_what_its_own_record_holds(self, publishing, plays_session):
        plays_session.execute(*A_CHANGE)

        result = _work_in_plays_session(plays_session, "published")

        assert (result["changed"], result["changes"], result["serial"]) == (True, None, 2)
        assert "could not be listed" in result["changes_note"] and "own record says changes" in result["changes_note"]
        zone = publishing.zone("example.com")
        assert (zone["serial"], zone["pending_changes"]) == (2, 0)

    def test_the_plays_session_with_nothing_pending_sends_no_publish(self, publishing, plays_session):
        result = _work_in_plays_session(plays_session, "published")

        assert (result["changed"], result["changes"], result["serial"]) == (False, None, None)
        assert "own record says nothing was pending" in result["changes_note"]
        assert requests_made(publishing, "PUT /REST/Zone") == 0

    def test_check_mode_goes_by_the_record_and_sends_nothing(self, publishing, plays_session):
        plays_session.execute(*A_CHANGE)

        result = _work_in_plays_session(plays_session, "published", check_mode=True)

        assert result["changed"] is True
        assert requests_made(publishing, "PUT /REST/Zone") == 0

    def test_the_plays_session_discards_what_its_own_record_holds(self, publishing, plays_session):
        plays_session.execute(*A_CHANGE)

        result = _work_in_plays_session(plays_session, "discarded")

        assert (result["changed"], result["changes"]) == (True, None)
        assert publishing.zone("example.com")["pending_changes"] == 0

    def test_an_adopted_token_cannot_know_so_the_zone_is_published(self, run_module, publishing):
        address = {"host": publishing.host, "port": publishing.port, "ssl": publishing.ssl}
        token = run_module(dyn_session.main, address=False, return_token=True, **address, **AS_PUBLISHER)["token"]
        run_module(dyn_record_set.main, address=False, token=token, zone="example.com", prefix="new", type="A", value=["192.0.2.9"], publish=False, **address)

        result = run_module(main, address=False, token=token, zone="example.com", state="published", **address)

        assert (result["changed"], result["changes"], result["serial"]) == (True, None, 2)
        assert "adopted with its token" in result["changes_note"]
        assert publishing.zone("example.com")["serial"] == 2

    def test_listing_is_what_state_pending_is_for(self, run_module, publishing):
        address = {"host": publishing.host, "port": publishing.port, "ssl": publishing.ssl}

        result = run_module(main, address=False, zone="example.com", **address, **AS_PUBLISHER)

        assert result["failed"] is True
        assert "ZoneChangeSet is required on zone example.com" in result["msg"]


# --- check mode's prediction of a publish (issue 25) ---------------------------------------------

SOCKET = "/nonexistent/dynect-helper-socket"
THROUGH_HELPER = {"address": False, "_ansible_socket": SOCKET}
NEW_SET = {"zone": "example.com", "prefix": "new", "type": "A", "value": ["192.0.2.9"], "publish": False}


@pytest.fixture
def helper(emulator, monkeypatch):
    """The dynect connection's helper of acme/ops, in this process: a task given ``_ansible_socket`` calls it as over the socket."""
    from ansible.module_utils.connection import Connection

    from ansible_collections.dyn.managed_dns.tests.unit.plugins.plugin_utils.test_helper_operations import Host

    operations = Host(emulator).build()

    def socket(connection: Any, name: str, operation: str, *args: Any, task_history: bool = False) -> dict[str, Any]:
        assert name == "dyn_call"
        return {"result": json.loads(json.dumps(operations.run(operation, args, task_history)))}

    monkeypatch.setattr(Connection, "_exec_jsonrpc", socket)
    yield operations
    operations.log_out_at_close()


def _writes(emulator) -> int:
    """Every request the emulator counted that could change a zone (record, node and zone writes, publishes included)."""
    requests = emulator.stats()["requests"]
    return sum(count for call, count in requests.items() if not call.startswith("GET ") and not call.endswith("/REST/Session"))


class TestCheckModePrediction:
    def test_a_check_mode_publish_reports_what_the_plays_check_mode_record_tasks_would_leave_pending(self, run_module, emulator, helper):
        changed = run_module(dyn_record_set.main, check_mode=True, **THROUGH_HELPER, **NEW_SET)

        first = run_module(main, check_mode=True, **THROUGH_HELPER, zone="example.com", state="published")
        second = run_module(main, check_mode=True, **THROUGH_HELPER, zone="example.com", state="published")

        assert (changed["changed"], first["changed"], first["changes"], first["serial"]) == (True, True, [], None)
        assert first["check_mode_note"].startswith("Check mode's prediction: ")
        assert "the real run would publish them" in first["check_mode_note"]
        # The real publish takes the changes; the prediction is taken alike.
        assert second["changed"] is False and "check_mode_note" not in second
        assert _writes(emulator) == 0
        assert helper.session.pending_in_session("example.com") is False  # the session's real record is untouched

    def test_a_check_mode_discard_takes_the_prediction_of_a_zones_desired_state(self, run_module, emulator, helper):
        sets = [{"prefix": "new", "type": "A", "value": ["192.0.2.9"]}]
        run_module(dyn_record_sets.main, check_mode=True, **THROUGH_HELPER, zone="Example.COM.", record_sets=sets, publish=False)

        discarded = run_module(main, check_mode=True, **THROUGH_HELPER, zone="example.com", state="discarded")
        published = run_module(main, check_mode=True, **THROUGH_HELPER, zone="example.com", state="published")

        assert discarded["changed"] is True and "the real run would discard them" in discarded["check_mode_note"]
        assert published["changed"] is False
        assert _writes(emulator) == 0

    @pytest.mark.parametrize(
        "record_task",
        [
            pytest.param({**NEW_SET, "publish": True}, id="publishes itself"),
            pytest.param({**NEW_SET, "prefix": "txt", "type": "TXT", "value": ["hello"], "state": "absent"}, id="changes nothing"),
        ],
    )
    def test_a_check_mode_record_task_that_would_leave_nothing_pending_predicts_nothing(self, run_module, emulator, helper, record_task):
        run_module(dyn_record_set.main, check_mode=True, **THROUGH_HELPER, **record_task)

        result = run_module(main, check_mode=True, **THROUGH_HELPER, zone="example.com", state="published")

        assert result["changed"] is False and "check_mode_note" not in result
        assert _writes(emulator) == 0

    def test_the_real_pending_changes_still_count_in_check_mode_through_the_connection(self, run_module, emulator, helper):
        run_module(dyn_record_set.main, **THROUGH_HELPER, **NEW_SET)

        result = run_module(main, check_mode=True, **THROUGH_HELPER, zone="example.com", state="published")

        assert result["changed"] is True and len(result["changes"]) == 1 and "check_mode_note" not in result
        assert requests_made(emulator, "PUT /REST/Zone") == 0

    def test_on_the_direct_route_a_check_mode_publish_cannot_see_the_check_mode_record_tasks(self, run_module, emulator, token):
        # What the module's notes and the changing-records guide say: only the changes really pending count.
        run_module(dyn_record_set.main, check_mode=True, token=token, **NEW_SET)

        result = run_module(main, check_mode=True, token=token, zone="example.com", state="published")

        assert (result["changed"], result["changes"]) == (False, [])
        assert "cannot see what this play's check-mode record tasks would have changed" in result["check_mode_note"]
        assert requests_made(emulator, "PUT /REST/Zone") == 0 and requests_made(emulator, "POST /REST/ARecord") == 0
