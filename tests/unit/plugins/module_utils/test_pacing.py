# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Pacing under the account's rate limit (the ``rate_limit`` option, requests per minute).

The pacer's rule is checked on a fake clock (thousands of requests, no sleeping); one test sends a
burst of 1,000 calls through a session to the emulator, timed on the fake clock and judged by the
emulator's own lock-out rule; one shows on a shortened window that the real clock is wired; and one
drives the dynect connection in-process to show that every task of a host shares one pacer.
"""

from __future__ import annotations

import bisect
import random
import time
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import pytest
from dynemu.state import RateLimiter  # the emulator's own lock-out rule (tests/emulator is on sys.path)

from ansible_collections.dyn.managed_dns.plugins.module_utils import _transport
from ansible_collections.dyn.managed_dns.plugins.module_utils._transport import (
    RATE_LIMIT_WINDOW,
    HttpReply,
    RequestPacer,
    Transport,
    request_pacer,
)
from ansible_collections.dyn.managed_dns.plugins.module_utils.errors import DynectConfigError
from ansible_collections.dyn.managed_dns.plugins.module_utils.session import DynectSession
from ansible_collections.dyn.managed_dns.tests.unit.plugins.module_utils.helpers import OPS, FakeClock, dynect_connection

# "Sustains the limit": a run takes at most this much longer than the limit requires.
SUSTAINED_SHARE = 0.95
# Far above what any test here sends: the emulator must not throttle the tests whose clock is fake.
UNLIMITED = 1_000_000


@pytest.fixture
def fake_clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    """Every pacer (also those inside sessions and connections) runs on a fake clock."""
    clock = FakeClock()
    monkeypatch.setattr(RequestPacer, "_clock", staticmethod(clock.now))
    monkeypatch.setattr(RequestPacer, "_sleep", staticmethod(clock.sleep))
    return clock


def most_in_any_window(times: Sequence[float]) -> int:
    """The most of ``times`` (sorted) in any window ``(t - 60 s, t]``, as the emulator counts."""
    return max(
        index + 1 - bisect.bisect_right(times, t - RATE_LIMIT_WINDOW, 0, index + 1) for index, t in enumerate(times)
    )


def required_seconds(requests: int, limit: int) -> float:
    """How long ``requests`` take at the least under ``limit``: request ``limit + 1`` waits a window, and so on."""
    return RATE_LIMIT_WINDOW * ((requests - 1) // limit)


def assert_paced(first: float, last: float, requests: int, limit: int) -> None:
    """Never faster than ``limit`` allows, and at least :data:`SUSTAINED_SHARE` of that speed."""
    required = required_seconds(requests, limit)
    assert required <= last - first <= required / SUSTAINED_SHARE


# --- the pacer's rule, on a fake clock -----------------------------------------------------------


def test_a_burst_up_to_the_limit_goes_at_full_speed(fake_clock):
    pacer = RequestPacer(300)
    for request in range(300):
        with pacer.turn():
            fake_clock.advance(0.002)
    assert fake_clock.sleeps == []


def test_the_request_past_the_limit_waits_until_the_oldest_answer_is_a_window_old(fake_clock):
    pacer = RequestPacer(3)
    answered = []
    for request in range(3):
        with pacer.turn():
            fake_clock.advance(0.5)
        answered.append(fake_clock.now())
    with pacer.turn():
        sent = fake_clock.now()
    assert sent - answered[0] == pytest.approx(RATE_LIMIT_WINDOW)
    assert len(fake_clock.sleeps) == 1


def test_a_request_that_got_no_answer_counts_too(fake_clock):
    pacer = RequestPacer(1)
    with pytest.raises(ConnectionError), pacer.turn():
        raise ConnectionError("dropped")  # the server may have counted it all the same
    with pacer.turn():
        pass
    assert fake_clock.sleeps == [pytest.approx(RATE_LIMIT_WINDOW)]


@pytest.mark.parametrize(("limit", "slowest_answer"), [(5, 1.0), (300, 0.05)])
def test_a_long_run_never_exceeds_the_limit_and_sustains_it(fake_clock, limit, slowest_answer):
    """Ten windows' worth of requests with random network delays, counted when the server gets them."""
    randomness = random.Random(limit)
    pacer = RequestPacer(limit)
    requests = 10 * limit + 1
    sent, arrived = [], []
    for request in range(requests):
        with pacer.turn():
            sent.append(fake_clock.now())
            delay = randomness.uniform(0.001, slowest_answer)
            # The server counts the request somewhere between our send and our receipt of its answer.
            arrived.append(sent[-1] + randomness.uniform(0.0, delay))
            fake_clock.advance(delay)
    assert most_in_any_window(sorted(arrived)) <= limit
    assert_paced(sent[0], sent[-1], requests, limit)


@pytest.mark.parametrize("rate_limit", [None, 0])
def test_pacing_can_be_turned_off(rate_limit):
    assert request_pacer(rate_limit) is None


@pytest.mark.parametrize("rate_limit", [-1, 2.5, "300"])
def test_an_unusable_rate_limit_is_refused(rate_limit):
    with pytest.raises(DynectConfigError, match="rate_limit must be a whole number of requests per minute"):
        request_pacer(rate_limit)


# --- sessions -------------------------------------------------------------------------------------


def test_a_session_paces_at_300_per_minute_by_default(connect, emulator_factory, fake_clock):
    session = connect(server=emulator_factory(rate_limit=UNLIMITED))  # the login is the first request
    for call in range(299):
        session.execute("/Session/", "GET")
    assert fake_clock.sleeps == []
    session.execute("/Session/", "GET")
    assert fake_clock.sleeps == [pytest.approx(RATE_LIMIT_WINDOW, abs=2)]


def test_a_session_without_pacing_never_waits(connect, emulator_factory, fake_clock):
    session = connect(server=emulator_factory(rate_limit=UNLIMITED), rate_limit=0)
    for call in range(400):
        session.execute("/Session/", "GET")
    assert fake_clock.sleeps == []


@pytest.fixture
def wire(monkeypatch: pytest.MonkeyPatch, fake_clock: FakeClock) -> dict[str, list[float]]:
    """Every HTTP request a session makes, timed on the fake clock.

    The emulator answers the first request of each kind (method and path); later ones of that kind
    get that same answer again without going over the network, so that a burst of a thousand costs
    no real time either. Each request takes a simulated loopback round trip (1 to 5 ms of fake
    time). ``sent`` is when a request left, ``answered`` when its reply came back.

    It stands in at the transport's own seam, :meth:`Transport._read_reply` (inside the pacer's
    turn, as the wire is): its reply is read whole, so one can be served any number of times.
    """
    randomness = random.Random(1000)
    times: dict[str, list[float]] = {"sent": [], "answered": []}
    answers: dict[tuple[str, str], HttpReply] = {}
    real_read_reply = Transport._read_reply

    def timed_read_reply(self: Transport, method: str, path: str, body: bytes | None, headers: Mapping[str, str]) -> HttpReply:
        times["sent"].append(fake_clock.now())
        try:
            if (method, path) not in answers:
                answers[method, path] = real_read_reply(self, method, path, body, headers)
            return answers[method, path]
        finally:
            fake_clock.advance(randomness.uniform(0.001, 0.005))
            times["answered"].append(fake_clock.now())

    monkeypatch.setattr(Transport, "_read_reply", timed_read_reply)
    return times


def most_possibly_counted_in_a_window(sent: Sequence[float], answered: Sequence[float]) -> int:
    """The most requests a server could count in one window ``(t - 60 s, t]``, wherever it counts each.

    The requests go one after another, and each is counted somewhere between its send and its
    answer. If ``i`` is the last request counted in a window, then ``t >= sent[i]``: every request
    counted in that window is one of the ``j <= i`` answered after ``sent[i]`` less a minute.
    """
    # The nanosecond absorbs float rounding in the fake clock's sums.
    return max(
        index + 1 - bisect.bisect_right(answered, sent_at - RATE_LIMIT_WINDOW + 1e-9, 0, index + 1)
        for index, sent_at in enumerate(sent)
    )


def test_a_burst_of_1000_calls_sustains_the_limit_without_a_lock_out(connect, emulator, fake_clock, wire):
    """A burst of 1,000 calls through a session: full speed up to the limit, then just the waits it needs.

    The limit is below the burst, so that the run spans windows (one minute of fake time): 600
    requests at full speed, the rest each as soon as the request ``limit`` places earlier is a
    window old. The emulator's own lock-out rule judges the requests at their fake-clock times.
    """
    limit, calls = 600, 1000
    session = connect(rate_limit=limit, history=True)  # the login is request 1
    for call in range(calls):
        session.execute("/Session/", "GET")
    session.log_out()  # request calls + 2, paced too

    assert [record.status for record in session.history] == ["success"] * (calls + 2)
    assert emulator.stats()["requests"] == {"POST /REST/Session": 1, "GET /REST/Session": 1, "DELETE /REST/Session": 1}
    sent, answered = wire["sent"], wire["answered"]
    assert len(sent) == len(answered) == calls + 2  # every request is timed

    # Never more than the limit in any window, wherever between send and answer the server counts.
    assert most_possibly_counted_in_a_window(sent, answered) == limit
    lockout = RateLimiter(limit, lockout_seconds=RATE_LIMIT_WINDOW)
    randomness = random.Random(limit)
    assert [lockout.admit("acme", randomness.uniform(s, a)) for s, a in zip(sent, answered)] == [None] * (calls + 2)
    # Full speed up to the limit: each request left as soon as the one before was answered...
    assert sent[1:limit] == answered[: limit - 1]
    # ...then each left exactly when it fit: as its predecessor came back, or once the request
    # ``limit`` places earlier had been answered a window ago, whichever was later.
    for index in range(limit, calls + 2):
        assert sent[index] == pytest.approx(max(answered[index - 1], answered[index - limit] + RATE_LIMIT_WINDOW))
    assert fake_clock.sleeps  # the run did reach the limit
    assert_paced(sent[0], sent[-1], calls + 2, limit)


def test_the_pacer_waits_in_real_time_by_default(monkeypatch: pytest.MonkeyPatch):
    """The pacer's own clock and sleep are the real ones (on a window shortened to 0.2 s)."""
    window = 0.2
    monkeypatch.setattr(_transport, "RATE_LIMIT_WINDOW", window)
    pacer = RequestPacer(2)
    answered = []
    for request in range(2):
        with pacer.turn():
            answered.append(time.monotonic())  # just before the pacer takes the request as answered
    with pacer.turn():
        sent = time.monotonic()
    assert window <= sent - answered[0] < window + 1.0


# --- the dynect connection ------------------------------------------------------------------------


@pytest.fixture
def connection(emulator: Any, fake_clock: FakeClock) -> Iterator[Any]:
    """A dynect connection to the emulator, paced at 3 requests a minute, driven in-process.

    It is closed (a logout, paced too) while the fake clock is still in place.
    """
    connection = dynect_connection(emulator, *OPS, dyn_rate_limit=3)
    yield connection
    connection.close()
    DynectSession.close_session()


def test_every_task_through_the_connection_shares_one_pacer(connection, emulator, fake_clock):
    # Each call is what one task asks the helper for; the login is the play's first request.
    assert "error" not in connection.dyn_call("session_info")
    assert "error" not in connection.dyn_call("permission_report")
    assert "error" not in connection.dyn_call("check_permissions", ["ZoneGet"])
    assert fake_clock.sleeps == []
    # The fourth request of the play waits for the window, although its task sent no other request.
    assert "error" not in connection.dyn_call("keep_alive")
    assert fake_clock.sleeps == [pytest.approx(RATE_LIMIT_WINDOW, abs=2)]
    assert emulator.stats()["logins"] == 1
