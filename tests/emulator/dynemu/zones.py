# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The DNS data: zones with their published records, and each session's pending changes.

A zone's published records change only through a publish. Until then a record change is kept in
the changeset of the (session, zone) that made it (spec §6): that session sees the published records
with its changeset played over them (a project decision), every other session the published ones
only. A changeset is kept minimal -- at most one change per published record, plus the additions --
so a change undone before publishing leaves nothing to publish.

None of these classes lock: the API holds one lock around every use of them.
"""

from __future__ import annotations

import dataclasses
import datetime
import itertools
from dataclasses import dataclass, field
from typing import Any

from .accounts import Customer

SERIAL_STYLES = ("increment", "epoch", "day", "minute")
DEFAULT_TTL = 3600  # the SOA TTL of a zone the accounts file creates; the zone's default record TTL
SERVICE_NS_TTL = 86400  # as recorded for Dyn's own apex NS records (spec §4)
_DYN_NAMESERVERS = ("ns1.p01.dynect.net.", "ns2.p01.dynect.net.", "ns3.p01.dynect.net.", "ns4.p01.dynect.net.")
_SOA_TIMERS = {"refresh": 3600, "retry": 600, "expire": 604800, "minimum": 1800}  # the recorded values (spec §4)
_FIRST_RECORD_ID = 318_812_133  # near the recorded ids, so they look like real ones
_FIRST_CHANGE_ID = 516_095_367  # the recorded ZoneChanges id (spec §6)
_FIRST_TASK_ID = 230_305_365  # the recorded publish task_id (spec §2)


@dataclass
class Record:
    """One DNS record of a zone, published or pending."""

    key: int  # unique in the book: changes name the records they replace or delete by it
    record_id: int  # 0 while the record is pending; given at publish (spec §4)
    fqdn: str  # as the client spelled it when creating the record, without the trailing dot
    rtype: str
    ttl: int  # 0: the zone's default TTL (spec §8.3)
    rdata: dict[str, Any]
    service_class: str | None = None  # NS only: "Primary" for Dyn's own apex NS, "" for the user's
    serial_style: str | None = None  # SOA only

    @property
    def node(self) -> str:
        return self.fqdn.lower()

    @property
    def is_service_record(self) -> bool:
        return self.rtype == "SOA" or self.service_class == "Primary"


@dataclass
class Change:
    """One pending change; ``record`` is the new record (add, update) or the one to delete (delete)."""

    change_id: int
    operation: str  # add | update | delete
    record: Record
    target: int | None = None  # update, delete: the key of the record replaced or deleted
    original: Record | None = None  # update: the record replaced (what a later delete lists)


class Changeset:
    """The pending changes of one session on one zone, in the order they were made."""

    def __init__(self) -> None:
        self.changes: list[Change] = []

    def add(self, change_id: int, record: Record) -> None:
        self.changes.append(Change(change_id, "add", record))

    def update(self, change_id: int, old: Record, new: Record) -> None:
        pending = self._producing(old.key)
        if pending is not None:  # a pending record changed again: still one change
            pending.record = new
        else:
            self.changes.append(Change(change_id, "update", new, target=old.key, original=old))

    def delete(self, change_id: int, old: Record) -> None:
        pending = self._producing(old.key)
        if pending is None:
            self.changes.append(Change(change_id, "delete", old, target=old.key))
        elif pending.operation == "add":  # deleting a pending addition: nothing left to publish
            self.changes.remove(pending)
        else:  # deleting a pending update: delete the published record instead
            pending.operation, pending.record = "delete", pending.original

    def apply(self, published: list[Record]) -> list[Record]:
        """The records as they will be once published (a change whose record is gone is skipped)."""
        records = list(published)
        for change in self.changes:
            if change.operation == "add":
                records.append(change.record)
                continue
            position = next((i for i, record in enumerate(records) if record.key == change.target), None)
            if position is None:  # another session's publish removed or replaced it meanwhile
                continue
            if change.operation == "update":
                records[position] = change.record
            else:
                del records[position]
        return records

    def _producing(self, key: int) -> Change | None:
        return next((c for c in self.changes if c.operation != "delete" and c.record.key == key), None)


@dataclass
class Zone:
    """A zone's published state: its records, serial, frozen flag and publish counts."""

    name: str  # lower case, without the trailing dot
    serial: int
    records: list[Record]  # published, in creation order (clients rely on a stable order, spec §8.6)
    frozen: bool = False
    publishes: int = 0  # publishes that applied changes
    empty_publishes: int = 0  # successful publishes with nothing pending
    notes: list[dict[str, Any]] = field(default_factory=list)
    zone_type: str = "Primary"

    @property
    def serial_style(self) -> str:
        return soa_of(self.records).serial_style or "increment"

    def contains(self, node: str) -> bool:
        return node == self.name or node.endswith("." + self.name)

    def summary(self) -> dict[str, Any]:
        """The zone object of GET /REST/Zone/<zone>/, in the recorded key order (spec §2)."""
        return {"zone_type": self.zone_type, "serial_style": self.serial_style, "serial": self.serial, "zone": self.name}


def soa_of(records: list[Record]) -> Record:
    return next(record for record in records if record.rtype == "SOA")


def default_ttl(records: list[Record]) -> int:
    """The zone's default TTL is its SOA's TTL (Netflix/denominator#357, spec §8.3)."""
    return soa_of(records).ttl or DEFAULT_TTL


def next_serial(style: str, current: int, now: datetime.datetime) -> int:
    """The serial after a publish (spec §2): +1, or the time in the style's form if that is higher."""
    if style == "epoch":
        candidate = int(now.timestamp())
    elif style == "day":
        candidate = int(now.strftime("%Y%m%d")) * 100  # YYYYMMDDxx, xx counting the day's publishes
    elif style == "minute":
        candidate = int(now.strftime("%y%m%d%H%M"))
    else:
        candidate = 0
    return max(candidate, current + 1)


class ZoneBook:
    """Every customer's zones, the sessions' changesets and the publish tasks."""

    def __init__(self, customers: dict[str, Customer]) -> None:
        self._zones: dict[tuple[str, str], Zone] = {}
        self._changesets: dict[tuple[str, str, str], Changeset] = {}  # (token, customer, zone)
        self.tasks: dict[str, dict[str, Any]] = {}
        self._keys = itertools.count(1)
        self._record_ids = itertools.count(_FIRST_RECORD_ID)
        self._change_ids = itertools.count(_FIRST_CHANGE_ID)
        self._task_ids = itertools.count(_FIRST_TASK_ID)
        for customer in customers.values():
            for name in customer.zones:
                self._zones[(customer.name, name)] = self._initial_zone(name)

    def _initial_zone(self, name: str) -> Zone:
        """A zone as the accounts file creates it: published, serial 1, its SOA and Dyn's apex NS records."""
        return Zone(name=name, serial=1, records=self._apex(name, f"admin@{name}.", DEFAULT_TTL, "increment"))

    def _apex(self, name: str, rname: str, ttl: int, style: str, timers: dict[str, int] | None = None) -> list[Record]:
        """A zone's SOA (Dyn's first name server as its mname) and Dyn's four apex NS records."""
        soa_rdata = {"rname": rname, "mname": _DYN_NAMESERVERS[0], "serial": 0, **(timers or _SOA_TIMERS)}
        records = [self._published(name, "SOA", ttl, soa_rdata, serial_style=style)]
        records += [self._published(name, "NS", SERVICE_NS_TTL, {"nsdname": ns}, service_class="Primary")
                    for ns in _DYN_NAMESERVERS]
        return records

    def create_zone(self, customer: str, name: str, soa: dict[str, Any], records: list[Record] | None = None) -> Zone:
        """A new zone (spec §2): serial 0 until its first publish; ``soa`` holds rname, ttl, serial_style and
        optionally the SOA timers; ``records`` (from a zone file) are the zone's from the start."""
        apex = self._apex(name, soa["rname"], soa["ttl"], soa["serial_style"], soa.get("timers"))
        imported = [dataclasses.replace(record, record_id=next(self._record_ids)) for record in records or []]
        zone = Zone(name=name, serial=0, records=apex + imported)
        self._zones[(customer, name)] = zone
        return zone

    def delete_zone(self, customer: str, name: str) -> None:
        """The zone and every session's pending changes to it are gone at once (spec §2: no publish needed)."""
        del self._zones[(customer, name)]
        for key in [key for key in self._changesets if key[1:] == (customer, name)]:
            del self._changesets[key]

    def zones_of(self, customer: str) -> list[Zone]:
        """The customer's zones: the accounts file's in its order, then the created ones as they came."""
        return [zone for (owner, _name), zone in self._zones.items() if owner == customer]

    def _published(self, fqdn: str, rtype: str, ttl: int, rdata: dict[str, Any], **extra: Any) -> Record:
        return Record(next(self._keys), next(self._record_ids), fqdn, rtype, ttl, rdata, **extra)

    def new_record(self, fqdn: str, rtype: str, ttl: int, rdata: dict[str, Any], **extra: Any) -> Record:
        """A pending record (record_id 0 until published)."""
        return Record(next(self._keys), 0, fqdn, rtype, ttl, rdata, **extra)

    def replaced(self, old: Record, ttl: int, rdata: dict[str, Any], **extra: Any) -> Record:
        """The pending record that replaces ``old`` (an update yields a new id at publish, spec §4)."""
        return dataclasses.replace(old, key=next(self._keys), record_id=0, ttl=ttl, rdata=rdata, **extra)

    def new_change_id(self) -> int:
        return next(self._change_ids)

    def zone(self, customer: str, name: str) -> Zone | None:
        return self._zones.get((customer, name))

    def zones_named(self, name: str) -> list[tuple[str, Zone]]:
        return [(customer, zone) for (customer, zone_name), zone in self._zones.items() if zone_name == name]

    def changeset(self, token: str, customer: str, zone: str) -> Changeset:
        return self._changesets.setdefault((token, customer, zone), Changeset())

    def pending(self, token: str, customer: str, zone: str) -> list[Change]:
        changeset = self._changesets.get((token, customer, zone))
        return changeset.changes if changeset else []

    def view(self, token: str, customer: str, zone: Zone) -> list[Record]:
        """The zone's records as this session sees them: published, with its own changes played over them."""
        changeset = self._changesets.get((token, customer, zone.name))
        return changeset.apply(zone.records) if changeset else list(zone.records)

    def discard(self, token: str, customer: str, zone: str) -> int:
        changeset = self._changesets.pop((token, customer, zone), None)
        return len(changeset.changes) if changeset else 0

    def discard_session(self, token: str) -> None:
        """A session ends (logout, expiry): its unpublished changes go with it (spec §6)."""
        for key in [key for key in self._changesets if key[0] == token]:
            del self._changesets[key]

    def pending_count(self, customer: str, zone: str, open_tokens: set[str]) -> int:
        return sum(len(changeset.changes) for (token, owner, name), changeset in self._changesets.items()
                   if (owner, name) == (customer, zone) and token in open_tokens)

    def publish(self, token: str, customer: str, zone: Zone, now: datetime.datetime) -> bool:
        """Apply this session's changeset to the zone: ids for new records, the serial bumped once.

        Returns whether there was anything to publish (publishing nothing changes nothing, spec §2).
        """
        changeset = self._changesets.pop((token, customer, zone.name), None)
        if changeset is None or not changeset.changes:
            return self._first_publish(zone, now)
        soa_id = soa_of(zone.records).record_id
        records = changeset.apply(zone.records)
        for record in records:
            if record.record_id == 0:  # a zone's one SOA keeps its id; other updates get a new one (spec §4)
                record.record_id = soa_id if record.rtype == "SOA" else next(self._record_ids)
        zone.records = records
        zone.serial = next_serial(zone.serial_style, zone.serial, now)
        zone.publishes += 1
        return True

    @staticmethod
    def _first_publish(zone: Zone, now: datetime.datetime) -> bool:
        """A new zone (serial 0) needs a publish to go live even with nothing pending (spec §6, PoShDynDnsApi)."""
        if zone.serial != 0:
            return False
        zone.serial = next_serial(zone.serial_style, 0, now)
        zone.publishes += 1
        return True

    def snapshot(self, name: str, customer: str | None, open_tokens: set[str]) -> dict[str, Any]:
        """A zone's published state for the control API; LookupError if no (or, without ``customer``, no single) zone."""
        found = [(owner, zone) for owner, zone in self.zones_named(name) if customer in (None, owner)]
        if len(found) != 1:
            owners = ", ".join(owner for owner, _zone in found)
            raise LookupError(f"no zone {name!r}" if not found else f"zone {name!r} belongs to {owners}: add ?customer=")
        owner, zone = found[0]
        ttl = default_ttl(zone.records)
        records = [{"fqdn": record.fqdn, "type": record.rtype, "ttl": record.ttl or ttl,
                    "rdata": {**record.rdata, "serial": zone.serial} if record.rtype == "SOA" else dict(record.rdata),
                    "record_id": record.record_id} for record in zone.records]
        return {"zone": zone.name, "customer": owner, "zone_type": zone.zone_type, "serial": zone.serial,
                "serial_style": zone.serial_style, "frozen": zone.frozen, "default_ttl": ttl,
                "publishes": zone.publishes, "empty_publishes": zone.empty_publishes,
                "pending_changes": self.pending_count(owner, zone.name, open_tokens), "notes": list(zone.notes),
                "records": records}

    def new_task(self, customer: str, zone: str, now: datetime.datetime, name: str = "ZonePublish") -> str:
        """A task (a publish, a zone file import), complete at once (spec §2: the emulator reports tasks complete)."""
        task_id = str(next(self._task_ids))
        self.tasks[task_id] = {"customer": customer, "zone": zone, "created": int(now.timestamp()), "name": name}
        return task_id
