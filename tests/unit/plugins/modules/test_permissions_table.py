# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The permissions table of the preflight guide cannot lie: every row runs with exactly its permissions.

The table in docs/docsite/rst/guide_preflight.rst ("Permissions each module needs") is the one
source: this file parses it, makes an emulator user per row holding exactly the permissions
listed (an accounts file of its own), and runs the row's task in-process as that user. Then it
runs the task again as a user lacking each listed permission in turn, and sees it fail; and for
``A or B``, as a user holding each alternative alone.

Adding a row is one entry in the table and one in SCENARIOS below (keyed by the row's module and
task cells as written); a row without a scenario, or a scenario without a row, fails.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from harness import Emulator, EmulatorError

from ansible_collections.dyn.managed_dns.plugins.modules import (
    dyn_password,
    dyn_permissions_info,
    dyn_record_set,
    dyn_record_set_info,
    dyn_record_sets,
    dyn_rest,
    dyn_session,
    dyn_zone,
    dyn_zone_changes,
    dyn_zone_info,
)

REPO = Path(__file__).resolve().parents[4]
GUIDE = REPO / "docs" / "docsite" / "rst" / "guide_preflight.rst"
_SECTION = "Permissions each module needs"
# Modules that send no request, and so have no row.
_NO_REQUESTS = {"dyn_password_file"}

CUSTOMER, ZONE, PASSWORD = "least", "example.com", "Least-Passw0rd"
ADMIN = "admin"  # holds every permission; prepares what a row's task finds (a set to change, to delete)
_ALL_PERMISSIONS = (
    "ZoneGet", "ZoneAdd", "ZoneUpdate", "ZoneDelete", "ZonePublish", "ZoneChangeSet", "ZoneAddNode", "ZoneRemoveNode",
    "ZoneFreeze", "ZoneThaw", "RecordAdd", "RecordGet", "RecordUpdate", "RecordDelete", "UserGet", "PermissionGet",
)


# --- the table ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One row: the module, the task (as written), and what it needs: each entry one permission, or its alternatives."""

    module: str
    task: str
    needs: tuple[tuple[str, ...], ...]

    @property
    def key(self) -> tuple[str, str]:
        return self.module, self.task

    def holding(self, without: int | None = None, alternative: tuple[int, int] | None = None) -> list[str]:
        """The permissions of a user for this row: the first alternative of each entry, less entry ``without``, or with ``alternative`` (entry, choice)."""
        chosen = []
        for index, alternatives in enumerate(self.needs):
            if index != without:
                chosen.append(alternatives[alternative[1]] if alternative and alternative[0] == index else alternatives[0])
        return chosen


def _section_lines(text: str) -> list[str]:
    """The lines of the guide's section, from its title to the next title."""
    lines = text.splitlines()
    start = lines.index(_SECTION)
    end = next((i for i in range(start + 2, len(lines) - 1) if re.fullmatch(r"-{3,}", lines[i + 1])), len(lines))
    return lines[start:end]


def _cells(lines: list[str]) -> Iterator[list[str]]:
    """The rows of the section's list-table, each a list of cell texts (continuation lines joined)."""
    row: list[str] | None = None
    table = [line.startswith(".. list-table::") for line in lines].index(True)
    for line in lines[table + 1:]:
        if line and not line.startswith(" "):
            break
        if line.startswith("  * - "):
            if row is not None:
                yield row
            row = [line[6:].strip()]
        elif line.startswith("    -") and row is not None:
            row.append(line[5:].strip())
        elif line.startswith("      ") and row is not None:
            row[-1] = f"{row[-1]} {line.strip()}"
    if row is not None:
        yield row


def _needs(cell: str) -> tuple[tuple[str, ...], ...]:
    """``A``, ``B`` or ``C`` -> ((A,), (B, C)); "none" -> ()."""
    entries = (re.findall(r"``(\w+)``", part) for part in cell.split(","))
    return tuple(tuple(entry) for entry in entries if entry)


def table_rows() -> list[Row]:
    rows = list(_cells(_section_lines(GUIDE.read_text(encoding="utf-8"))))[1:]  # the header row first
    return [Row(cells[0].strip("`"), cells[1], _needs(cells[2])) for cells in rows]


ROWS = table_rows()


def _user(row: Row, variant: str = "") -> str:
    return f"row{ROWS.index(row)}{variant}"


# --- what each row's task is, as the test runs it -----------------------------------------------

Run = Callable[..., dict[str, Any]]


@dataclass(frozen=True)
class Scenario:
    """How a row's task runs. ``run(run_module, emulator, as_user)`` returns the task's result and checks its success.

    ``setup`` is given the admin's login; ``making_changes``: permissions the row's user needs
    beyond the row's only to make the changes its task acts on (they are never among the row's).
    """

    run: Callable[[Run, Any, dict[str, Any]], dict[str, Any]]
    setup: Callable[[Run, dict[str, Any]], None] = lambda run_module, admin: None
    making_changes: tuple[str, ...] = field(default=())


def _ok(result: dict[str, Any]) -> dict[str, Any]:
    assert not result.get("failed"), result.get("msg")
    return result


def _token(run_module: Run, as_user: dict[str, Any]) -> str:
    return _ok(run_module(dyn_session.main, return_token=True, **as_user))["token"]


def _www_set(run_module: Run, admin: dict[str, Any]) -> None:
    """A setup: the admin publishes www's A set (192.0.2.1, TTL 300)."""
    _ok(run_module(dyn_record_set.main, zone=ZONE, prefix="www", type="A", ttl=300, value=["192.0.2.1"], **admin))


def _session_states(run_module: Run, emulator: Any, as_user: dict[str, Any]) -> dict[str, Any]:
    token = _token(run_module, as_user)
    _ok(run_module(dyn_session.main, state="refreshed", token=token))
    return _ok(run_module(dyn_session.main, state="absent", token=token))


def _password(run_module: Run, emulator: Any, as_user: dict[str, Any]) -> dict[str, Any]:
    assert _ok(run_module(dyn_password.main, new_password="Least-Passw0rd-2", **as_user))["changed"] is True
    return {}


def _own_report(run_module: Run, emulator: Any, as_user: dict[str, Any]) -> dict[str, Any]:
    return _ok(run_module(dyn_permissions_info.main, **as_user))


def _other_report(run_module: Run, emulator: Any, as_user: dict[str, Any]) -> dict[str, Any]:
    result = _ok(run_module(dyn_permissions_info.main, report_user=ADMIN, **as_user))
    assert "ZoneFreeze" in result["permissions"]  # the admin's, not the row user's
    return result


def _rest(run_module: Run, emulator: Any, as_user: dict[str, Any]) -> dict[str, Any]:
    result = _ok(run_module(dyn_rest.main, path=f"/REST/Zone/{ZONE}/", **as_user))
    assert result["data"]["zone"] == ZONE
    return result


def _zone_list(run_module: Run, emulator: Any, as_user: dict[str, Any]) -> dict[str, Any]:
    result = _ok(run_module(dyn_zone_info.main, **as_user))
    assert result["zones"] == [ZONE]
    return result


def _zone(run_module: Run, emulator: Any, as_user: dict[str, Any]) -> dict[str, Any]:
    # In an adopted session, where the module lists the pending changes when it may.
    result = _ok(run_module(dyn_zone_info.main, zone=ZONE, token=_token(run_module, as_user)))
    assert result["zone"]["serial"] == 1
    return result


def _set_info(run_module: Run, emulator: Any, as_user: dict[str, Any]) -> dict[str, Any]:
    result = _ok(run_module(dyn_record_set_info.main, zone=ZONE, record=f"www.{ZONE}", type="A", **as_user))
    assert result["sets"][0]["value"] == ["192.0.2.1"]
    return result


def _record_set(expected: tuple[str, str] | None, check_mode: bool = False, **args: Any) -> Callable[[Run, Any, dict[str, Any]], dict[str, Any]]:
    """A dyn_record_set task (published, unless ``publish=False``); ``expected`` (name, address) its A set in the published zone afterwards."""

    def run(run_module: Run, emulator: Any, as_user: dict[str, Any]) -> dict[str, Any]:
        if args.get("publish") is False:
            as_user = {"token": _token(run_module, as_user)}
        result = _ok(run_module(dyn_record_set.main, check_mode=check_mode, zone=ZONE, type="A", **args, **as_user))
        assert result["changed"] is True
        published = {(record["fqdn"], record["rdata"].get("address")) for record in emulator.zone(ZONE)["records"] if record["type"] == "A"}
        assert expected is None or expected in published
        return result

    return run


def _zone_changes(state: str) -> Callable[[Run, Any, dict[str, Any]], dict[str, Any]]:
    """dyn_zone_changes ``state`` in a session where dyn_record_set left a change pending (not for state=pending)."""

    def run(run_module: Run, emulator: Any, as_user: dict[str, Any]) -> dict[str, Any]:
        token = _token(run_module, as_user)
        if state != "pending":
            _ok(run_module(dyn_record_set.main, token=token, zone=ZONE, prefix="new", type="A", value=["192.0.2.9"], publish=False))
        result = _ok(run_module(dyn_zone_changes.main, token=token, zone=ZONE, state=state))
        assert result["changed"] is (state != "pending")
        assert emulator.zone(ZONE)["pending_changes"] == 0
        assert emulator.zone(ZONE)["serial"] == (2 if state == "published" else 1)
        return result

    return run


def _record_sets(expected: tuple[str, str] | None, check_mode: bool = False, **args: Any) -> Callable[[Run, Any, dict[str, Any]], dict[str, Any]]:
    """A dyn_record_sets task; ``expected`` (name, address) an A set in the published zone afterwards, else none but the SOA's company."""

    def run(run_module: Run, emulator: Any, as_user: dict[str, Any]) -> dict[str, Any]:
        result = _ok(run_module(dyn_record_sets.main, check_mode=check_mode, zone=ZONE, **args, **as_user))
        assert result["changed"] is True
        published = {(record["fqdn"], record["rdata"].get("address")) for record in emulator.zone(ZONE)["records"] if record["type"] == "A"}
        assert (expected in published) if expected else (check_mode or not published)
        return result

    return run


def _dyn_zone(zone: str, check: Callable[[dict[str, Any]], bool], **args: Any) -> Callable[[Run, Any, dict[str, Any]], dict[str, Any]]:
    """A dyn_zone task on ``zone``; ``check`` holds on the emulator's view of it afterwards (None when it is gone)."""

    def run(run_module: Run, emulator: Any, as_user: dict[str, Any]) -> dict[str, Any]:
        result = _ok(run_module(dyn_zone.main, zone=zone, **args, **as_user))
        assert result["changed"] is True
        assert check(_zone_view(emulator, zone)), _zone_view(emulator, zone)
        return result

    return run


def _zone_view(emulator: Any, zone: str) -> dict[str, Any] | None:
    """The emulator's view of ``zone``, or None when it does not exist."""
    try:
        return emulator.zone(zone)
    except EmulatorError:  # no such zone
        return None


_MAKING_A_CHANGE = ("RecordGet", "RecordAdd", "ZoneAddNode")  # dyn_record_set publish=false at a new name

SCENARIOS: dict[tuple[str, str], Scenario] = {
    ("dyn_session", "``state=present``, ``refreshed`` or ``absent``"): Scenario(_session_states),
    ("dyn_password", "change the user's own password"): Scenario(_password),
    ("dyn_permissions_info", "the user's own report"): Scenario(_own_report),
    ("dyn_permissions_info", "``report_user`` (another user's report)"): Scenario(_other_report),
    ("dyn_rest", "a request, for example ``GET /REST/Zone/<zone>/``"): Scenario(_rest),
    ("dyn_zone_info", "list the zones (no ``zone``)"): Scenario(_zone_list),
    ("dyn_zone_info", "``zone``"): Scenario(_zone),
    ("dyn_record_set_info", "any"): Scenario(_set_info, setup=_www_set),
    ("dyn_record_set", "``state=present``: a set at a new name"): Scenario(
        _record_set((f"new.{ZONE}", "192.0.2.5"), prefix="new", value=["192.0.2.5"])
    ),
    ("dyn_record_set", "``state=present``: other values in an existing set"): Scenario(
        _record_set((f"www.{ZONE}", "192.0.2.2"), prefix="www", value=["192.0.2.2"]), setup=_www_set
    ),
    ("dyn_record_set", "``state=present``: only the TTL changes"): Scenario(
        _record_set((f"www.{ZONE}", "192.0.2.1"), prefix="www", ttl=600, value=["192.0.2.1"]), setup=_www_set
    ),
    ("dyn_record_set", "``state=absent``: the name's last set"): Scenario(_record_set(None, prefix="www", state="absent"), setup=_www_set),
    ("dyn_record_set", "``publish=false``: a set at a new name"): Scenario(_record_set(None, prefix="new", value=["192.0.2.5"], publish=False)),
    ("dyn_record_set", "check mode"): Scenario(_record_set(None, check_mode=True, prefix="new", value=["192.0.2.5"])),
    ("dyn_record_sets", "a set at a new name (one read of the zone, one write, one publish)"): Scenario(
        _record_sets((f"new.{ZONE}", "192.0.2.5"), record_sets=[{"prefix": "new", "type": "A", "value": ["192.0.2.5"]}])
    ),
    ("dyn_record_sets", "``prune=true``: a set no entry names, the name's last"): Scenario(
        _record_sets(None, record_sets=[], prune=True), setup=_www_set
    ),
    ("dyn_record_sets", "check mode"): Scenario(
        _record_sets(None, check_mode=True, record_sets=[{"prefix": "new", "type": "A", "value": ["192.0.2.5"]}])
    ),
    ("dyn_zone", "``state=present``: a new zone (``contact``)"): Scenario(
        _dyn_zone("new.example", lambda view: view is not None and view["serial"] > 0, contact="hostmaster@new.example", ttl=3600)
    ),
    ("dyn_zone", "``state=present``: an existing zone's SOA (``contact``)"): Scenario(
        _dyn_zone(ZONE, lambda view: view is not None and view["serial"] > 1, contact="hostmaster@example.com")
    ),
    ("dyn_zone", "``frozen=true`` on an existing zone"): Scenario(_dyn_zone(ZONE, lambda view: view is not None and view["frozen"] is True, frozen=True)),
    ("dyn_zone", "``state=absent``"): Scenario(_dyn_zone(ZONE, lambda view: view is None, state="absent")),
    ("dyn_zone_changes", "``state=pending``"): Scenario(_zone_changes("pending")),
    ("dyn_zone_changes", "``state=published``"): Scenario(_zone_changes("published"), making_changes=_MAKING_A_CHANGE),
    ("dyn_zone_changes", "``state=discarded``"): Scenario(_zone_changes("discarded"), making_changes=_MAKING_A_CHANGE),
}


# --- the emulator with a user per row and per permission left out ------------------------------


def _users() -> Iterator[tuple[str, list[str]]]:
    yield ADMIN, list(_ALL_PERMISSIONS)
    for row in ROWS:
        extra = list(SCENARIOS[row.key].making_changes) if row.key in SCENARIOS else []
        yield _user(row), row.holding() + extra
        for index, alternatives in enumerate(row.needs):
            yield _user(row, f"-without{index}"), row.holding(without=index) + extra
            for choice in range(1, len(alternatives)):
                yield _user(row, f"-alt{index}-{choice}"), row.holding(alternative=(index, choice)) + extra


def accounts() -> dict[str, Any]:
    users = [{"user_name": name, "password": PASSWORD, "permissions": permissions} for name, permissions in _users()]
    return {"customers": [{"name": CUSTOMER, "zones": [ZONE], "users": users}]}


@pytest.fixture(scope="module")
def least_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    path = tmp_path_factory.mktemp("permissions") / "accounts.json"
    path.write_text(json.dumps(accounts()), encoding="utf-8")
    with Emulator(accounts=path) as server:
        yield server


@pytest.fixture
def emulator(least_server: Emulator) -> Emulator:
    """The emulator run_module talks to (overrides the default one): this file's accounts, reset."""
    least_server.reset()
    return least_server


def _as(user: str) -> dict[str, Any]:
    return {"customer": CUSTOMER, "username": user, "password": PASSWORD}


def _run_row(run_module: Run, emulator: Any, row: Row, user: str) -> dict[str, Any]:
    scenario = SCENARIOS[row.key]
    scenario.setup(run_module, _as(ADMIN))
    return scenario.run(run_module, emulator, _as(user))


# --- the tests ----------------------------------------------------------------------------------


def _row_id(row: Row) -> str:
    return f"{row.module}:{re.sub(r'[^A-Za-z0-9=<>/]+', '_', row.task).strip('_')}"


def test_the_table_has_rows_for_every_module() -> None:
    modules = {path.stem for path in (REPO / "plugins" / "modules").glob("dyn_*.py")} - _NO_REQUESTS
    assert modules == {row.module for row in ROWS}


def test_every_row_has_a_scenario_and_every_scenario_a_row() -> None:
    assert set(SCENARIOS) == {row.key for row in ROWS}


def test_rows_name_known_permissions_and_scenarios_add_none_of_theirs() -> None:
    for row in ROWS:
        listed = {permission for alternatives in row.needs for permission in alternatives}
        assert listed <= set(_ALL_PERMISSIONS), row
        assert not listed & set(SCENARIOS[row.key].making_changes), row


@pytest.mark.parametrize("row", ROWS, ids=_row_id)
def test_a_row_works_with_exactly_its_permissions(run_module: Run, emulator: Any, row: Row) -> None:
    _run_row(run_module, emulator, row, _user(row))


@pytest.mark.parametrize(
    ("row", "index"),
    [(row, index) for row in ROWS for index in range(len(row.needs))],
    ids=[f"{_row_id(row)}-without-{'|'.join(entry)}" for row in ROWS for entry in row.needs],
)
def test_each_permission_of_a_row_is_needed(run_module: Run, emulator: Any, row: Row, index: int) -> None:
    with pytest.raises(AssertionError) as failed:
        _run_row(run_module, emulator, row, _user(row, f"-without{index}"))
    # The task failed because the API refused a permission, not for anything else.
    assert re.search(r"is required on zone|does not have permission", str(failed.value)), failed.value


@pytest.mark.parametrize(
    ("row", "index", "choice"),
    [(row, index, choice) for row in ROWS for index, entry in enumerate(row.needs) for choice in range(1, len(entry))],
    ids=lambda value: _row_id(value) if isinstance(value, Row) else str(value),
)
def test_each_alternative_will_do(run_module: Run, emulator: Any, row: Row, index: int, choice: int) -> None:
    _run_row(run_module, emulator, row, _user(row, f"-alt{index}-{choice}"))
