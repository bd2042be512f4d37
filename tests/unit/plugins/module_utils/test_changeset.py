# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""_changeset.PendingZones, and the session refusing to publish a zone whose changes a new login dropped.

DynECT keeps record and node changes in the server session that made them and drops them when that
session ends; a publish after a new login would put only the later changes live. The first part
drives PendingZones directly, the second a DynectSession against the emulator.
"""

from __future__ import annotations

import pytest

from ansible_collections.dyn.managed_dns.plugins.module_utils._changeset import PendingZones
from ansible_collections.dyn.managed_dns.plugins.module_utils.errors import DynectChangesLostError, DynectError
from ansible_collections.dyn.managed_dns.plugins.module_utils.session import DynectMultiSession
from ansible_collections.dyn.managed_dns.tests.unit.plugins.module_utils.helpers import OPS, READER, requests_made
from ansible_collections.dyn.managed_dns.tests.unit.plugins.module_utils.test_engine import make_engine

PUBLISH = ("PUT", "/REST/Zone/example.com/", {"publish": True})
A_CHANGE = ("POST", "/REST/ARecord/example.com/x.example.com/", {"rdata": {"address": "192.0.2.1"}, "ttl": 0})
DISCARD = ("DELETE", "/REST/ZoneChanges/example.com/", None)


def sent(pending, method, path, args):
    """What the session does to ``pending`` around a request that succeeded."""
    pending.note_change(method, path)
    pending.record(method, path, args)


def refuses(pending, method, path, args):
    """Whether ``pending`` refuses the request (a DynectChangesLostError) before it is sent."""
    try:
        pending.check(method, path, args)
    except DynectChangesLostError:
        return True
    return False


def lost_after_a_new_login(*requests):
    """PendingZones after ``requests`` succeeded in a server session that then ended."""
    pending = PendingZones()
    for method, path, args in requests:
        pending.check(method, path, args)
        sent(pending, method, path, args)
    pending.session_ended()
    return pending


# --- PendingZones -----------------------------------------------------------------------------


def test_a_publish_of_a_zone_nobody_changed_is_allowed():
    pending = PendingZones()
    assert not refuses(pending, *PUBLISH)
    pending.session_ended()
    assert not refuses(pending, *PUBLISH)


def test_pending_changes_of_the_live_session_do_not_refuse_the_publish():
    pending = PendingZones()
    sent(pending, *A_CHANGE)
    assert not refuses(pending, *PUBLISH)


@pytest.mark.parametrize(("method", "path"), [
    pytest.param("POST", "/REST/ARecord/example.com/x.example.com/", id="POST-record"),
    pytest.param("PUT", "/REST/AAAARecord/example.com/x.example.com/", id="PUT-record-set"),
    pytest.param("PUT", "/REST/MXRecord/example.com/example.com/12345/", id="PUT-record-by-id"),
    pytest.param("DELETE", "/REST/TXTRecord/example.com/t.example.com/", id="DELETE-record-set"),
    pytest.param("DELETE", "/REST/CNAMERecord/example.com/w.example.com/0/", id="DELETE-record-by-id"),
    pytest.param("DELETE", "/REST/Node/example.com/old.example.com/", id="DELETE-node"),
    pytest.param("POST", "/REST/arecord/example.com/x.example.com/", id="resource-lower-case"),
    pytest.param("POST", "/REST/ARecord/Example.COM./x.example.com./", id="zone-upper-case-trailing-dot"),
    pytest.param("POST", "/REST/SRVRecord/example.com/_sip._udp.example.com", id="no-trailing-slash"),
])
def test_a_record_or_node_change_of_an_ended_session_refuses_the_publish(method, path):
    pending = lost_after_a_new_login((method, path, {}))
    assert refuses(pending, *PUBLISH)


@pytest.mark.parametrize(("method", "path", "args"), [
    pytest.param("GET", "/REST/ARecord/example.com/x.example.com/", {"detail": "Y"}, id="GET-record"),
    pytest.param("GET", "/REST/AllRecord/example.com/", {}, id="GET-all-records"),
    pytest.param("GET", "/REST/ANYRecord/example.com/x.example.com/", {}, id="GET-any-record"),
    pytest.param("GET", "/REST/NodeList/example.com/", {}, id="GET-node-list"),
    pytest.param("GET", "/REST/ZoneChanges/example.com/", {}, id="GET-zone-changes"),
    pytest.param("GET", "/REST/Zone/example.com/", {}, id="GET-zone"),
    pytest.param("PUT", "/REST/Zone/example.com/", {"freeze": True}, id="PUT-zone-freeze"),
    pytest.param("PUT", "/REST/Zone/example.com/", {"thaw": True}, id="PUT-zone-thaw"),
    pytest.param("POST", "/REST/UserPermissionReport/", {"user_name": "ops"}, id="POST-permission-report"),
    pytest.param("PUT", "/REST/Session/", None, id="PUT-session-keep-alive"),
])
def test_a_request_that_changes_no_record_leaves_nothing_to_lose(method, path, args):
    pending = lost_after_a_new_login((method, path, args))
    assert not refuses(pending, *PUBLISH)


@pytest.mark.parametrize("flag", [
    pytest.param(True, id="true"),
    pytest.param("true", id="string-true"),
    pytest.param("True", id="string-True"),
    pytest.param("Y", id="Y"),
    pytest.param("y", id="y"),
    pytest.param(1, id="one"),
])
def test_every_publish_spelling_is_refused(flag):
    pending = lost_after_a_new_login(A_CHANGE)
    assert refuses(pending, "PUT", "/REST/Zone/example.com/", {"publish": flag, "notes": "release"})


@pytest.mark.parametrize("path", [
    pytest.param("/REST/Zone/example.com", id="no-trailing-slash"),
    pytest.param("/REST/Zone/EXAMPLE.COM./", id="upper-case-trailing-dot"),
    pytest.param("/REST/zone/Example.com/", id="resource-lower-case"),
])
def test_the_publish_path_is_recognised_in_any_spelling(path):
    pending = lost_after_a_new_login(A_CHANGE)
    assert refuses(pending, "PUT", path, {"publish": True})


@pytest.mark.parametrize(("method", "path", "args"), [
    pytest.param("PUT", "/REST/Zone/example.com/", {"publish": False}, id="publish-false"),
    pytest.param("PUT", "/REST/Zone/example.com/", {"publish": "false"}, id="publish-string-false"),
    pytest.param("PUT", "/REST/Zone/example.com/", {"publish": None}, id="publish-none"),
    pytest.param("PUT", "/REST/Zone/example.com/", {}, id="no-args"),
    pytest.param("PUT", "/REST/Zone/example.com/", None, id="args-none"),
    pytest.param("PUT", "/REST/Zone/example.com/", {"freeze": True}, id="freeze"),
    pytest.param("GET", "/REST/Zone/example.com/", {"publish": True}, id="GET-with-publish"),
    pytest.param("POST", "/REST/Zone/example.com/", {"publish": True}, id="POST-with-publish"),
    pytest.param("PUT", "/REST/Zone/example.com/extra/", {"publish": True}, id="longer-path"),
    pytest.param("PUT", "/REST/ZoneChanges/example.com/", {"publish": True}, id="other-resource"),
    pytest.param("DELETE", "/REST/ZoneChanges/example.com/", None, id="discard"),
    pytest.param("POST", "/REST/ARecord/example.com/y.example.com/", {"rdata": {"address": "192.0.2.2"}}, id="another-change"),
])
def test_only_a_publish_of_the_lost_zone_is_refused(method, path, args):
    pending = lost_after_a_new_login(A_CHANGE)
    assert not refuses(pending, method, path, args)
    assert refuses(pending, *PUBLISH)  # checking a request changes nothing


def test_the_refusal_names_the_zone_and_the_request():
    pending = lost_after_a_new_login(("PUT", "/REST/ARecord/Example.COM/x.example.com/", {}))
    with pytest.raises(DynectChangesLostError) as caught:
        pending.check("PUT", "/REST/Zone/Example.com./", {"publish": "true"})
    error = caught.value
    assert isinstance(error, DynectError)
    assert (error.method, error.uri, error.http_status, error.outcome_unknown) == ("PUT", "/REST/Zone/Example.com./", None, False)
    assert str(error).startswith("PUT /REST/Zone/Example.com./ failed: the changes to zone example.com that were pending")
    assert "Discard the zone's pending changes and make all of them again" in str(error)


def test_a_published_zone_has_nothing_left_to_lose():
    pending = lost_after_a_new_login(A_CHANGE, PUBLISH)
    assert not refuses(pending, *PUBLISH)


def test_a_publish_that_sets_the_flag_false_publishes_nothing_and_clears_nothing():
    pending = lost_after_a_new_login(A_CHANGE, ("PUT", "/REST/Zone/example.com/", {"publish": False}))
    assert refuses(pending, *PUBLISH)


@pytest.mark.parametrize("path", [
    pytest.param("/REST/ZoneChanges/example.com/", id="plain"),
    pytest.param("/REST/ZoneChanges/EXAMPLE.com.", id="upper-case-trailing-dot-no-slash"),
])
def test_a_discard_clears_the_lost_zone(path):
    pending = lost_after_a_new_login(A_CHANGE)
    sent(pending, "DELETE", path, None)
    assert not refuses(pending, *PUBLISH)


def test_a_discard_clears_the_pending_changes_too():
    pending = PendingZones()
    sent(pending, *A_CHANGE)
    sent(pending, *DISCARD)
    pending.session_ended()
    assert not refuses(pending, *PUBLISH)


def test_new_changes_after_the_loss_do_not_make_the_publish_whole():
    pending = lost_after_a_new_login(A_CHANGE)
    sent(pending, "POST", "/REST/ARecord/example.com/y.example.com/", {})
    assert refuses(pending, *PUBLISH)
    pending.session_ended()  # and a second loss keeps it lost
    assert refuses(pending, *PUBLISH)


def test_other_zones_are_unaffected_by_the_loss():
    pending = lost_after_a_new_login(A_CHANGE)
    assert not refuses(pending, "PUT", "/REST/Zone/example.net/", {"publish": True})
    sent(pending, "POST", "/REST/ARecord/example.net/x.example.net/", {})  # changed in the new session
    assert not refuses(pending, "PUT", "/REST/Zone/example.net/", {"publish": True})
    assert refuses(pending, *PUBLISH)


def test_publishing_one_zone_leaves_the_other_pending_and_losable():
    pending = PendingZones()
    sent(pending, *A_CHANGE)
    sent(pending, "POST", "/REST/ARecord/example.net/x.example.net/", {})
    sent(pending, "PUT", "/REST/Zone/example.net/", {"publish": True})
    pending.session_ended()
    assert refuses(pending, *PUBLISH)
    assert not refuses(pending, "PUT", "/REST/Zone/example.net/", {"publish": True})


def test_losses_of_several_sessions_add_up():
    pending = lost_after_a_new_login(A_CHANGE)
    sent(pending, "DELETE", "/REST/Node/example.net/old.example.net/", None)
    pending.session_ended()
    pending.session_ended()  # an end with nothing pending loses nothing more, and forgets nothing
    assert refuses(pending, *PUBLISH)
    assert refuses(pending, "PUT", "/REST/Zone/example.net/", {"publish": True})
    assert not refuses(pending, "PUT", "/REST/Zone/example.org/", {"publish": True})


# --- the session against the emulator -------------------------------------------------------

SESSION_LOGIN = "POST /REST/Session"
ZONE_PUT = "PUT /REST/Zone"


def change_a_record(session, zone="example.com", name="x", address="192.0.2.1"):
    return session.execute(f"/ARecord/{zone}/{name}.{zone}/", "POST", {"rdata": {"address": address}, "ttl": 0})


def publish(session, zone="example.com", flag=True):
    return session.execute(f"/Zone/{zone}/", "PUT", {"publish": flag})


def force_relogin(session, emulator):
    """The next request meets an expired token: the session logs in again and sends it once more."""
    logins = requests_made(emulator, SESSION_LOGIN)
    emulator.fault("expire_token")
    assert session.execute("/Zone/example.com/", "GET")["status"] == "success"
    assert requests_made(emulator, SESSION_LOGIN) == logins + 1


def published_names(emulator, zone="example.com", record_type="A"):
    return sorted(record["fqdn"] for record in emulator.zone(zone)["records"] if record["type"] == record_type)


@pytest.mark.parametrize("flag", [pytest.param(True, id="true"), pytest.param("true", id="string-true")])
def test_a_publish_after_a_forced_relogin_is_refused_and_not_sent(connect, emulator, flag):
    session = connect()
    change_a_record(session)
    force_relogin(session, emulator)
    with pytest.raises(DynectChangesLostError) as caught:
        publish(session, flag=flag)
    assert (caught.value.method, caught.value.uri) == ("PUT", "/REST/Zone/example.com/")
    assert "zone example.com" in str(caught.value)
    assert requests_made(emulator, ZONE_PUT) == 0
    assert emulator.zone("example.com")["serial"] == 1
    assert session.execute("/Zone/", "GET")["status"] == "success"  # the session itself is fine
    assert requests_made(emulator, SESSION_LOGIN) == 2


def test_without_a_relogin_the_same_publish_is_sent(connect, emulator):
    session = connect()
    change_a_record(session)
    assert publish(session)["status"] == "success"
    assert requests_made(emulator, ZONE_PUT) == 1
    assert published_names(emulator) == ["x.example.com"]


def test_a_relogin_with_nothing_pending_refuses_nothing(connect, emulator):
    session = connect()
    session.execute("/AllRecord/example.com/", "GET")  # a read changes nothing
    force_relogin(session, emulator)
    assert publish(session)["status"] == "success"
    assert requests_made(emulator, ZONE_PUT) == 1


def test_changes_published_before_the_relogin_are_not_lost(connect, emulator):
    session = connect()
    change_a_record(session)
    publish(session)
    force_relogin(session, emulator)
    change_a_record(session, name="y", address="192.0.2.2")
    assert publish(session)["status"] == "success"
    assert published_names(emulator) == ["x.example.com", "y.example.com"]


def test_a_discard_clears_the_loss_so_a_later_publish_is_sent(connect, emulator):
    session = connect()
    change_a_record(session)
    force_relogin(session, emulator)
    with pytest.raises(DynectChangesLostError):
        publish(session)
    assert session.execute("/ZoneChanges/example.com/", "DELETE")["status"] == "success"
    change_a_record(session)  # the whole batch again, in the new session
    assert publish(session)["status"] == "success"
    assert requests_made(emulator, ZONE_PUT) == 1
    assert published_names(emulator) == ["x.example.com"]


def test_a_publish_that_meets_the_expired_token_is_refused_after_the_relogin(connect, emulator):
    session = connect()
    change_a_record(session)
    emulator.fault("expire_token", match=ZONE_PUT)
    with pytest.raises(DynectChangesLostError):
        publish(session)
    assert requests_made(emulator, ZONE_PUT) == 1  # the refused one only: not sent again
    assert requests_made(emulator, SESSION_LOGIN) == 2  # the re-login happened
    assert emulator.zone("example.com")["serial"] == 1
    assert emulator.zone("example.com")["empty_publishes"] == 0


def test_a_publish_with_nothing_lost_that_meets_the_expired_token_is_sent_again(connect, emulator):
    session = connect()
    emulator.fault("expire_token", match=ZONE_PUT)
    assert publish(session)["status"] == "success"
    assert requests_made(emulator, ZONE_PUT) == 2


def test_a_change_that_meets_the_expired_token_is_made_again_in_the_new_session(connect, emulator):
    # The re-login that drops nothing pending lets the change through; the later publish is whole.
    session = connect()
    emulator.fault("expire_token", match="POST /REST/ARecord")
    change_a_record(session)
    assert requests_made(emulator, "POST /REST/ARecord") == 2
    assert publish(session)["status"] == "success"
    assert published_names(emulator) == ["x.example.com"]


def test_changes_to_another_zone_are_unaffected(connect, emulator):
    session = connect()
    change_a_record(session, zone="example.com")
    force_relogin(session, emulator)
    change_a_record(session, zone="example.net")
    assert publish(session, zone="example.net")["status"] == "success"
    assert published_names(emulator, zone="example.net") == ["x.example.net"]
    with pytest.raises(DynectChangesLostError):
        publish(session, zone="example.com")
    assert requests_made(emulator, ZONE_PUT) == 1


def test_authenticate_again_marks_the_pending_changes_lost(connect, emulator):
    session = connect()
    change_a_record(session)
    session.authenticate()  # logs out and in again
    with pytest.raises(DynectChangesLostError):
        publish(session)
    assert requests_made(emulator, ZONE_PUT) == 0
    assert requests_made(emulator, SESSION_LOGIN) == 2


def test_pending_changes_are_kept_per_account_in_a_multi_session(connect, emulator):
    multi = connect(cls=DynectMultiSession)
    change_a_record(multi)
    multi.new_user_session(*READER)  # another account, now the active one
    force_relogin(multi, emulator)  # reader's session is the one dropped
    multi.set_active_session(OPS[1], customer=OPS[0])
    assert publish(multi)["status"] == "success"  # ops' session and changes are intact
    assert published_names(emulator) == ["x.example.com"]


# --- bugs in how the session uses PendingZones -----------------------------------------------


@pytest.mark.parametrize("end", [
    pytest.param(lambda session: session.execute("/Session/", "DELETE"), id="logout-via-execute"),
    pytest.param(
        lambda session: session.execute("/Session/", "POST", dict(zip(("customer_name", "user_name", "password"), OPS))),
        id="login-via-execute",
    ),
])
def test_ending_the_server_session_through_execute_marks_the_changes_lost(connect, emulator, end):
    session = connect()
    change_a_record(session)
    end(session)
    with pytest.raises(DynectChangesLostError):
        publish(session)
    assert requests_made(emulator, ZONE_PUT) == 0


def test_reopening_an_account_in_a_multi_session_marks_its_changes_lost(connect, emulator):
    multi = connect(cls=DynectMultiSession)
    change_a_record(multi)
    multi.new_user_session(*OPS)  # replaces ops' server session
    with pytest.raises(DynectChangesLostError):
        publish(multi)
    assert requests_made(emulator, ZONE_PUT) == 0


def test_a_change_whose_job_poll_met_the_expired_session_counts_as_lost(connect, emulator):
    session = connect()
    emulator.fault("job_redirect", match="POST /REST/ARecord")
    emulator.fault("expire_token", match="GET /REST/Job")
    with pytest.raises(DynectError) as caught:
        change_a_record(session)
    assert caught.value.outcome_unknown
    change_a_record(session, name="y", address="192.0.2.2")  # the re-login happens here
    with pytest.raises(DynectChangesLostError):
        publish(session)
    assert published_names(emulator) == []


@pytest.mark.parametrize("flag", ["TRUE", "yes", "1"])
def test_every_publish_spelling_the_api_takes_is_refused_after_a_loss(connect, emulator, flag):
    session = connect()
    change_a_record(session)
    force_relogin(session, emulator)
    with pytest.raises(DynectChangesLostError):
        publish(session, flag=flag)
    assert requests_made(emulator, ZONE_PUT) == 0


# --- what the record tells a task that may not list the changes (holds) -------------------------


def test_a_session_seen_from_its_login_knows_what_is_pending_and_what_is_not():
    pending = PendingZones()
    pending.session_ended()  # a login
    sent(pending, *A_CHANGE)
    assert (pending.holds("example.com"), pending.holds("Example.COM."), pending.holds("example.net")) == (True, True, False)
    sent(pending, *PUBLISH)
    assert pending.holds("example.com") is False


def test_an_adopted_session_cannot_know_what_others_left_pending():
    pending = PendingZones()  # no login seen: the session was adopted with its token
    assert pending.holds("example.com") is None
    sent(pending, *A_CHANGE)
    assert (pending.holds("example.com"), pending.holds("example.net")) == (True, None)


def test_a_lost_batch_counts_as_pending_so_that_its_publish_is_refused():
    pending = lost_after_a_new_login(A_CHANGE)
    assert pending.holds("example.com") is True
    sent(pending, *DISCARD)
    assert pending.holds("example.com") is False


def test_the_engine_tells_its_record_without_a_request(emulator):
    owner = make_engine(emulator)
    owner.authenticate()
    adopted = make_engine(emulator, password=None, token=owner.token)
    change_a_record(owner)
    requests = sum(emulator.stats()["requests"].values())
    assert (owner.pending_in_session("example.com"), owner.pending_in_session("example.net")) == (True, False)
    assert adopted.pending_in_session("example.com") is None
    assert sum(emulator.stats()["requests"].values()) == requests
