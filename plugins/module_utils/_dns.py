# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The zone and record calls the DNS modules make, on either route (private).

One job: say once which request reads or changes a zone, a record set or a zone's pending
changes, and turn the API's "no such zone" into one sentence naming the zone and the customer.
Every function takes the task's session (:class:`TaskSession`); the API's wire shapes are in
``docs/dynect_api_notes.md``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from ansible_collections.dyn.managed_dns.plugins.module_utils._module import TaskFailure, TaskSession
from ansible_collections.dyn.managed_dns.plugins.module_utils._records import RecordSet, api_records, bare_name, prefix_of, record_set_from_api
from ansible_collections.dyn.managed_dns.plugins.module_utils.errors import DynectError

__all__ = [
    "all_record_sets",
    "delete_record_set",
    "discard_changes",
    "pending_changes",
    "publish_zone",
    "read_record_set",
    "read_zone",
    "replace_record_set",
    "zone_names",
]

_DETAIL = {"detail": "Y"}


def _segment(name: str) -> str:
    return quote(name.rstrip("."), safe="")


def _missing(exc: DynectError) -> str | None:
    """What a NOT_FOUND refusal says is missing (``zone``, ``node``), from the field it names; else None."""
    for message in exc.messages:
        if message.get("ERR_CD") == "NOT_FOUND":
            return str(message.get("INFO", "")).split(":", 1)[0].strip().lower() or None
    return None


def no_such_zone(session: TaskSession, zone: str, exc: DynectError) -> TaskFailure:
    """The task's failure for a zone the customer does not have."""
    customer = f"customer {session.customer}" if session.customer else "the session's customer"
    return TaskFailure(f"Zone {zone} does not exist in {customer} ({exc}); check the zone's name.")


def _zone_call(session: TaskSession, zone: str, uri: str, method: str, args: dict[str, Any] | None = None) -> dict[str, Any]:
    """``session.execute``, with a missing zone told as such."""
    try:
        return session.execute(uri, method, args)
    except DynectError as exc:
        if _missing(exc) == "zone":
            raise no_such_zone(session, zone, exc) from exc
        raise


def read_zone(session: TaskSession, zone: str) -> dict[str, Any]:
    """The zone object (``zone``, ``serial``, ``serial_style``, ``zone_type``)."""
    return _zone_call(session, zone, f"/Zone/{_segment(zone)}/", "GET")["data"]


def zone_names(session: TaskSession) -> list[str]:
    """The names of the customer's zones, sorted."""
    uris = session.execute("/Zone/", "GET")["data"] or []
    return sorted(str(uri).rstrip("/").rsplit("/", 1)[-1] for uri in uris)


def _record_uri(record_type: str, zone: str, fqdn: str) -> str:
    return f"/{record_type}Record/{_segment(zone)}/{_segment(fqdn)}/"


def read_record_set(session: TaskSession, zone: str, fqdn: str, record_type: str, txt_transformation: str) -> RecordSet | None:
    """The record set of ``record_type`` at ``fqdn`` as this session sees it, or None."""
    try:
        records = session.execute(_record_uri(record_type, zone, fqdn), "GET", dict(_DETAIL))["data"]
    except DynectError as exc:
        missing = _missing(exc)
        if missing == "zone":
            raise no_such_zone(session, zone, exc) from exc
        if missing == "node":
            return None
        raise
    return record_set_from_api(zone, record_type, _users(records or []), txt_transformation)


def _users(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The records the account owns: not Dyn's own apex NS records (``service_class``), which nobody can change."""
    return [record for record in records if not record.get("service_class")]


def all_record_sets(session: TaskSession, zone: str, fqdn: str | None, txt_transformation: str) -> list[RecordSet]:
    """Every record set of the zone, or of the node ``fqdn`` and below, sorted by name and type."""
    uri = f"/AllRecord/{_segment(zone)}/" + (f"{_segment(fqdn)}/" if fqdn else "")
    try:
        data = session.execute(uri, "GET", dict(_DETAIL))["data"] or {}
    except DynectError as exc:
        missing = _missing(exc)
        if missing == "zone":
            raise no_such_zone(session, zone, exc) from exc
        if missing == "node":
            return []
        raise
    sets: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for key, records in data.items():
        record_type = key.split("_", 1)[0].upper()
        for record in _users(records or []):
            sets.setdefault((bare_name(str(record["fqdn"])), record_type), []).append(record)
    found = [_set_of(zone, key[1], records, txt_transformation) for key, records in sorted(sets.items())]
    return [each for each in found if each is not None]


def _set_of(zone: str, record_type: str, records: list[dict[str, Any]], txt_transformation: str) -> RecordSet | None:
    try:
        return record_set_from_api(zone, record_type, records, txt_transformation)
    except KeyError:  # a type this collection does not model (SOA, DNSKEY, ...): its rdata as the API gives it
        fqdn = bare_name(str(records[0]["fqdn"]))
        values = sorted(" ".join(str(value) for value in record["rdata"].values()) for record in records)
        return RecordSet(fqdn, prefix_of(zone, fqdn), record_type, int(records[0]["ttl"]), values)


def replace_record_set(session: TaskSession, zone: str, fqdn: str, record_type: str, values: list[str], ttl: int, txt_transformation: str) -> None:
    """Make the set exactly ``values`` (pending in the session until published). ``ttl`` 0: the zone's default."""
    body = {f"{record_type}Records": api_records(record_type, values, ttl, txt_transformation)}
    _zone_call(session, zone, _record_uri(record_type, zone, fqdn), "PUT", body)


def delete_record_set(session: TaskSession, zone: str, fqdn: str, record_type: str) -> None:
    """Delete every record of the set (pending in the session until published)."""
    _zone_call(session, zone, _record_uri(record_type, zone, fqdn), "DELETE")


def publish_zone(session: TaskSession, zone: str, notes: str | None = None) -> dict[str, Any]:
    """Publish the session's pending changes to the zone; the zone object after it (its new serial)."""
    body: dict[str, Any] = {"publish": True, **({"notes": notes} if notes else {})}
    return _zone_call(session, zone, f"/Zone/{_segment(zone)}/", "PUT", body)["data"]


def pending_changes(session: TaskSession, zone: str) -> list[dict[str, Any]]:
    """The session's pending changes to the zone, each as ``{record, type, operation, ttl, rdata}``."""
    changes = _zone_call(session, zone, f"/ZoneChanges/{_segment(zone)}/", "GET")["data"] or []
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


def discard_changes(session: TaskSession, zone: str) -> None:
    """Drop the session's pending changes to the zone."""
    _zone_call(session, zone, f"/ZoneChanges/{_segment(zone)}/", "DELETE")
