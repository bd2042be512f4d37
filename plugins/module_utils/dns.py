# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The zone and record operations of the DynECT API, for tasks and plain scripts alike (public).

One job: say once which request reads or changes a zone, a record set or a zone's pending changes,
and tell what the API's NOT_FOUND refusals mean: a zone the session's customer does not have
(:class:`DynectZoneNotFoundError`) or a name not in the zone (:class:`DynectNodeNotFoundError`).
Every function takes a logged-in session: anything with ``execute`` (:class:`ApiSession`), such as
a :class:`DynectSession` or a task's session. Zone names are taken as :func:`zone_name` gives them
(re-exported here with :class:`RecordSet`, what the record reads return, and the zone planner:
:func:`set_request`, :func:`plan_zone` and :func:`check_dns_rules`, which make no request).
Part of the collection's Python API (``docs/docsite/rst/guide_migrating.rst``); it imports nothing
of ansible-core. The API's wire shapes are in ``docs/dynect_api_notes.md``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import quote

from ansible_collections.dyn.managed_dns.plugins.module_utils._protocol import ApiSession
from ansible_collections.dyn.managed_dns.plugins.module_utils._records import (
    MalformedRecordError,
    PlannedSet,
    RecordSet,
    SetChange,
    SetRequest,
    ZonePlan,
    api_records,
    bare_name,
    check_dns_rules,
    plan_zone,
    record_set_from_api,
    set_request,
    zone_name,
)
from ansible_collections.dyn.managed_dns.plugins.module_utils.errors import (
    DynectError,
    DynectGetError,
    DynectNodeNotFoundError,
    DynectZoneNotFoundError,
)

__all__ = [
    "PlannedSet",
    "RecordSet",
    "SERIAL_STYLES",
    "SetRequest",
    "ZonePlan",
    "all_record_sets",
    "check_dns_rules",
    "create_zone",
    "create_zone_from_file",
    "delete_record_set",
    "delete_zone",
    "discard_changes",
    "freeze_zone",
    "missing_in",
    "pending_changes",
    "plan_zone",
    "publish_zone",
    "read_record_set",
    "read_soa",
    "read_zone",
    "replace_record_set",
    "set_request",
    "update_soa",
    "write_change",
    "zone_details",
    "zone_name",
    "zone_names",
]

_DETAIL = {"detail": "Y"}
_Read = TypeVar("_Read")


def _segment(name: str) -> str:
    """``name`` as one segment of a request path: no trailing dot, every reserved character quoted."""
    return quote(name.rstrip("."), safe="")


def missing_in(exc: DynectError) -> str | None:
    """What a NOT_FOUND refusal says is missing (``zone``, ``node``), from the field it names; else None.

    The one reader of the API's NOT_FOUND messages (``zone: No such zone``, ``node: Not in zone``).
    """
    for message in exc.messages:
        if message.get("ERR_CD") == "NOT_FOUND":
            return str(message.get("INFO", "")).split(":", 1)[0].strip().lower() or None
    return None


def _request_of(exc: DynectError) -> dict[str, Any]:
    """The request fields of ``exc``, for a typed error that stands in for it."""
    return {"messages": exc.messages, "method": exc.method, "uri": exc.uri, "http_status": exc.http_status, "outcome_unknown": exc.outcome_unknown}


def _typed(exc: DynectError, zone: str, node: str | None) -> DynectError:
    """``exc`` as the not-found error it is, or ``exc`` itself."""
    missing = missing_in(exc)
    if missing == "zone":
        return DynectZoneNotFoundError(exc.reason, zone=zone, **_request_of(exc))
    if missing == "node" and node is not None:
        return DynectNodeNotFoundError(exc.reason, zone=zone, node=node, **_request_of(exc))
    return exc


def _call(session: ApiSession, uri: str, method: str, args: dict[str, Any] | None = None, *, zone: str, node: str | None = None) -> Any:
    """The reply's ``data``; a missing zone (or ``node``) raised as its typed error."""
    try:
        return session.execute(uri, method, args)["data"]
    except DynectError as exc:
        typed = _typed(exc, zone, node)
        if typed is exc:
            raise
        raise typed from exc


def _read_records(uri: str, read: Callable[[], _Read]) -> _Read:
    """``read()``; a record the API sent malformed is told as the failed read of ``uri`` it is."""
    try:
        return read()
    except MalformedRecordError as exc:
        # The reply came (HTTP 200) but holds what no record of its type is; a bug to report, not to retry.
        raise DynectGetError(f"the reply holds a record this collection cannot read: {exc}", method="GET", uri=f"/REST{uri}", http_status=200) from None


# --- zones ------------------------------------------------------------------------------------


def read_zone(session: ApiSession, zone: str) -> dict[str, Any]:
    """The zone object (``zone``, ``serial``, ``serial_style``, ``zone_type``); DynectZoneNotFoundError for no such zone."""
    return _call(session, f"/Zone/{_segment(zone)}/", "GET", zone=zone)


def zone_names(session: ApiSession) -> list[str]:
    """The names of the customer's zones, sorted."""
    uris = session.execute("/Zone/", "GET")["data"] or []
    return sorted(str(uri).rstrip("/").rsplit("/", 1)[-1] for uri in uris)


def publish_zone(session: ApiSession, zone: str, notes: str | None = None) -> dict[str, Any]:
    """Publish the session's pending changes to the zone; the zone object after it (its new serial)."""
    body: dict[str, Any] = {"publish": True, **({"notes": notes} if notes else {})}
    return _call(session, f"/Zone/{_segment(zone)}/", "PUT", body, zone=zone)


def pending_changes(session: ApiSession, zone: str) -> list[dict[str, Any]]:
    """The session's pending changes to the zone, each as ``{record, type, operation, ttl, rdata}``."""
    changes = _call(session, f"/ZoneChanges/{_segment(zone)}/", "GET", zone=zone) or []
    return [_change(change) for change in changes]


def _change(change: dict[str, Any]) -> dict[str, Any]:
    record_type = str(change.get("rdata_type", ""))
    rdata = (change.get("rdata") or {}).get(f"rdata_{record_type.lower()}") or {}
    return {
        "record": str(change.get("fqdn", "")).rstrip("."),
        "type": record_type,
        # The emulator's own field (docs/dynect_api_notes.md): no recorded reply shows one.
        "operation": change.get("operation", "unknown"),
        "ttl": change.get("ttl"),
        "rdata": rdata,
    }


def discard_changes(session: ApiSession, zone: str) -> None:
    """Drop the session's pending changes to the zone."""
    _call(session, f"/ZoneChanges/{_segment(zone)}/", "DELETE", zone=zone)


# --- record sets ------------------------------------------------------------------------------


def _record_uri(record_type: str, zone: str, fqdn: str) -> str:
    return f"/{record_type}Record/{_segment(zone)}/{_segment(fqdn)}/"


def read_record_set(session: ApiSession, zone: str, fqdn: str, record_type: str, txt_transformation: str = "unquoted") -> RecordSet | None:
    """The record set of ``record_type`` at ``fqdn`` as this session sees it, or None."""
    uri = _record_uri(record_type, zone, fqdn)
    try:
        records = _call(session, uri, "GET", dict(_DETAIL), zone=zone, node=fqdn)
    except DynectNodeNotFoundError:
        return None
    return _read_records(uri, lambda: record_set_from_api(zone, record_type, _users(records or []), txt_transformation))


def _users(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The records the account owns: not Dyn's own apex NS records (``service_class``), which nobody can change."""
    return [record for record in records if not record.get("service_class")]


def all_record_sets(session: ApiSession, zone: str, fqdn: str | None = None, txt_transformation: str = "unquoted") -> list[RecordSet]:
    """Every record set of the zone, or of the node ``fqdn`` and below, sorted by name and type."""
    uri = f"/AllRecord/{_segment(zone)}/" + (f"{_segment(fqdn)}/" if fqdn else "")
    try:
        data = _call(session, uri, "GET", dict(_DETAIL), zone=zone, node=fqdn or zone) or {}
    except DynectNodeNotFoundError:
        return []
    return _read_records(uri, lambda: _record_sets(zone, data, txt_transformation))


def _record_sets(zone: str, data: dict[str, list[dict[str, Any]]], txt_transformation: str) -> list[RecordSet]:
    """The sets an AllRecord reply's ``data`` (records by ``<type>_records`` key) holds, by name and type."""
    sets: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for key, records in data.items():
        record_type = key.split("_", 1)[0].upper()
        for record in _users(records or []):
            sets.setdefault((bare_name(str(record.get("fqdn", ""))), record_type), []).append(record)
    found = [record_set_from_api(zone, key[1], records, txt_transformation) for key, records in sorted(sets.items())]
    return [each for each in found if each is not None]


def replace_record_set(
    session: ApiSession, zone: str, fqdn: str, record_type: str, values: list[str], ttl: int = 0, txt_transformation: str = "unquoted"
) -> None:
    """Make the set exactly ``values`` (pending in the session until published). ``ttl`` 0: the zone's default."""
    body = {f"{record_type}Records": api_records(record_type, values, ttl, txt_transformation)}
    _call(session, _record_uri(record_type, zone, fqdn), "PUT", body, zone=zone, node=fqdn)


def delete_record_set(session: ApiSession, zone: str, fqdn: str, record_type: str) -> None:
    """Delete every record of the set (pending in the session until published); DynectNodeNotFoundError when ``fqdn`` is not in the zone."""
    _call(session, _record_uri(record_type, zone, fqdn), "DELETE", zone=zone, node=fqdn)


def write_change(session: ApiSession, zone: str, planned: PlannedSet, txt_transformation: str = "unquoted") -> None:
    """Make one set of a :class:`ZonePlan` what the plan says, in one request: a replace (PUT) or a delete (DELETE).

    Pending in the session until published; a set the plan leaves as it is sends nothing.
    """
    if planned.change is SetChange.REPLACE and planned.after is not None:
        after = planned.after
        ttl = after.ttl if after.ttl is not None else 0  # 0: the zone's default TTL
        replace_record_set(session, zone, after.record, after.type, after.value, ttl, txt_transformation)
    elif planned.change is SetChange.DELETE:
        delete_record_set(session, zone, planned.record, planned.type)


# --- zone lifecycle ---------------------------------------------------------------------------

SERIAL_STYLES = ("increment", "epoch", "day", "minute")


def zone_details(session: ApiSession) -> list[dict[str, Any]]:
    """Every zone of the customer as its zone object (``zone``, ``serial``, ``serial_style``, ``zone_type``), sorted by name; one request."""
    zones = session.execute("/Zone/", "GET", dict(_DETAIL))["data"] or []
    return sorted((dict(zone) for zone in zones if isinstance(zone, dict)), key=lambda zone: str(zone.get("zone", "")))


def create_zone(session: ApiSession, zone: str, contact: str, ttl: int, serial_style: str = "increment") -> dict[str, Any]:
    """Create a primary zone; its zone object (serial 0: it goes live with its first :func:`publish_zone`).

    ``contact`` is the zone's administrative e-mail (the SOA's rname), ``ttl`` its default record TTL.
    """
    body = {"rname": contact, "ttl": ttl, "serial_style": serial_style}
    return session.execute(f"/Zone/{_segment(zone)}/", "POST", body)["data"]


def create_zone_from_file(session: ApiSession, zone: str, zone_file: str) -> str | None:
    """Create a primary zone from the text of a BIND zone file; the id of DynECT's import task, if it names one.

    The zone goes live with its first :func:`publish_zone`; DynECT serves its own name servers at the apex.
    """
    data = session.execute(f"/ZoneFile/{_segment(zone)}/", "POST", {"file": zone_file})["data"] or {}
    task_id = data.get("task_id") if isinstance(data, dict) else None
    return None if task_id is None else str(task_id)


def delete_zone(session: ApiSession, zone: str) -> None:
    """Delete the zone with all its records, at once (no publish); DynectZoneNotFoundError for no such zone."""
    _call(session, f"/Zone/{_segment(zone)}/", "DELETE", zone=zone)


def freeze_zone(session: ApiSession, zone: str, frozen: bool = True) -> None:
    """Freeze the zone (no change to it is accepted until it is thawed), or thaw it with ``frozen=False``."""
    _call(session, f"/Zone/{_segment(zone)}/", "PUT", {"freeze": True} if frozen else {"thaw": True}, zone=zone)


def read_soa(session: ApiSession, zone: str) -> dict[str, Any]:
    """The zone's SOA settings as this session sees them: ``contact`` (no trailing dot), ``ttl``, ``serial_style``, ``record_id``."""
    uri = _record_uri("SOA", zone, zone)
    records = _call(session, uri, "GET", dict(_DETAIL), zone=zone) or []
    if not records or not isinstance(records[0], dict):
        raise DynectGetError(f"zone {zone} has no SOA record in the reply", method="GET", uri=f"/REST{uri}", http_status=200)
    soa = records[0]
    return {
        "contact": str((soa.get("rdata") or {}).get("rname", "")).rstrip("."),
        "ttl": int(soa.get("ttl") or 0),
        "serial_style": soa.get("serial_style"),
        "record_id": int(soa.get("record_id") or 0),
    }


def update_soa(session: ApiSession, zone: str, record_id: int, contact: str | None = None, ttl: int | None = None, serial_style: str | None = None) -> None:
    """Change the zone's contact, default TTL or serial style, those given (pending in the session until published)."""
    body: dict[str, Any] = {}
    if contact is not None:
        body["rdata"] = {"rname": contact}
    if ttl is not None:
        body["ttl"] = ttl
    if serial_style is not None:
        body["serial_style"] = serial_style
    _call(session, f"{_record_uri('SOA', zone, zone)}{record_id}/", "PUT", body, zone=zone)
