# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The DNS resources of /REST: Zone, ZoneFile, ZoneChanges, Task, Node, NodeList, AllRecord, ANYRecord, <T>Record.

Wire shapes follow /work/shared/spec/dynect-records.md (cited as "spec §n"). Reads show the caller's
pending changes over the published zone; writes go to the caller's changeset and answer at once;
a publish applies them (see zones.py). Message texts marked "invented" have no source.
"""

from __future__ import annotations

import datetime
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import messages
from .messages import Answer, ApiFailure
from .rdata import DETAIL_ORDER, SOA_SETTABLE, TYPES, RdataError, RecordType, as_int, check_rdata, identity, record_type_of
from .state import Session
from .zonefile import FileRecord, ZoneFileError, parse_zone_file
from .zones import DEFAULT_TTL, SERIAL_STYLES, Changeset, Record, Zone, ZoneBook, default_ttl

if TYPE_CHECKING:
    from .api import _Call

_TRUE_WORDS = ("y", "yes", "true", "1")  # "detail": "Y" / "y", "publish": true / "true" (spec §1)
_ZONE_ACTIONS = ("publish", "freeze", "thaw")
_ZONE_NAME = re.compile(r"(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.)*[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?")
# The first msg of a zone create (spec §2, REC go-dynect) and of a zone file upload (PoShDynDnsApi live output).
_SETUP_INFO = ("setup: If you plan to provide your own secondary DNS for the zone, allow notify requests from these IP "
               "addresses on your nameserver: 208.78.68.66, 2600:2003:0:1::66")


@dataclass
class _Scope:
    """What a zone-scoped request is about, once its session and zone are known."""

    session: Session
    zone: Zone
    zone_spelling: str  # the client's zone segment without a trailing dot: record URIs repeat it (spec §8.7)
    records: list[Record]  # the zone as this session sees it (published + its own pending changes)
    fqdn_as_sent: str | None  # the client's FQDN segment, echoed in single-record answers (spec §1)

    @property
    def customer(self) -> str:
        return self.session.customer.name

    @property
    def fqdn(self) -> str:
        """The FQDN segment without its trailing dot; the zone apex when the path has none."""
        return self.fqdn_as_sent.removesuffix(".") if self.fqdn_as_sent else self.zone_spelling

    @property
    def node(self) -> str:
        return self.fqdn.lower()

    @property
    def default_ttl(self) -> int:
        return default_ttl(self.records)

    def at_node(self, rtype: str | None = None, node: str | None = None) -> list[Record]:
        node = self.node if node is None else node
        return [r for r in self.records if r.node == node and (rtype is None or r.rtype == rtype)]

    def at_or_below(self) -> list[Record]:
        return [r for r in self.records if r.node == self.node or r.node.endswith("." + self.node)]

    def node_exists(self) -> bool:
        return self.node == self.zone.name or bool(self.at_or_below())


class DnsResources:
    """Serves the DNS resources from a ZoneBook; ``authenticate`` is the API's session check."""

    def __init__(self, authenticate: Callable[[_Call], Session], book: ZoneBook) -> None:
        self._authenticate = authenticate
        self.book = book

    def handlers(self) -> dict[tuple[str, str, int], Callable[[_Call], Answer]]:
        """(method, resource, number of path parameters) -> handler."""
        table: dict[tuple[str, str, int], Callable[[_Call], Answer]] = {
            ("GET", "Zone", 0): self._list_zones,
            ("GET", "Zone", 1): self._get_zone,
            ("PUT", "Zone", 1): self._update_zone,
            ("POST", "Zone", 1): self._create_zone,
            ("DELETE", "Zone", 1): self._delete_zone,
            ("POST", "ZoneFile", 1): self._import_zone_file,
            ("GET", "ZoneChanges", 1): self._get_changes,
            ("DELETE", "ZoneChanges", 1): self._discard_changes,
            ("GET", "Task", 1): self._get_task,
            ("GET", "NodeList", 1): self._node_list,
            ("GET", "NodeList", 2): self._node_list,
            ("DELETE", "Node", 2): self._delete_node,
            ("GET", "AllRecord", 1): self._all_records,
            ("GET", "AllRecord", 2): self._all_records,
            ("GET", "ANYRecord", 2): self._any_records,
        }
        for rtype in TYPES.values():
            name = rtype.resource
            table |= {
                ("POST", name, 2): self._create_record, ("GET", name, 2): self._get_record_set,
                ("PUT", name, 2): self._replace_record_set, ("DELETE", name, 2): self._delete_record_set,
                ("GET", name, 3): self._get_record, ("PUT", name, 3): self._update_record,
                ("DELETE", name, 3): self._delete_record,
            }
        return table

    # ---- common steps ---------------------------------------------------------------------------

    def _open(self, call: _Call, permission: str | None) -> _Scope:
        """Session, zone (404 if the customer has none of that name) and the permission, in that order."""
        session = self._authenticate(call)
        segment = call.route.params[0].removesuffix(".")  # clients send the zone with or without the dot (spec §1)
        zone = self.book.zone(session.customer.name, segment.lower())
        if zone is None:
            raise ApiFailure(messages.no_such_zone())
        records = self.book.view(session.token, session.customer.name, zone)
        fqdn = call.route.params[1] if len(call.route.params) > 1 else None
        scope = _Scope(session, zone, segment, records, fqdn)
        if permission:
            _require(scope, permission)
        return scope

    def _open_records(self, call: _Call, permission: str | None, *, change: bool = False) -> tuple[_Scope, RecordType]:
        """``_open`` for a <T>Record resource; ``change`` for requests that change records."""
        rtype = record_type_of(call.route.resource)
        assert rtype is not None  # the route table only sends record resources here
        scope = self._open(call, permission)
        if rtype.name == "ALIAS":
            _require(scope, "AliasService")  # ALIAS records need this service permission too (spec §9)
        if change:
            _check_changeable(scope)
        return scope, rtype

    def _changeset(self, scope: _Scope) -> Changeset:
        return self.book.changeset(scope.session.token, scope.customer, scope.zone.name)

    def _find(self, call: _Call, scope: _Scope, rtype: RecordType) -> Record:
        """The record a path's id names at its node; id 0 is the caller's first pending one of that type,
        and the id of a record the caller has updated names the pending update."""
        text = call.route.params[2]
        record_id = int(text) if text.isascii() and text.isdigit() else -1
        updated = {change.record.key for change in self.book.pending(scope.session.token, scope.customer, scope.zone.name)
                   if change.operation == "update" and change.original.record_id == record_id}
        for record in scope.at_node(rtype.name):
            if record.record_id == record_id or record.key in updated:
                return record
        raise ApiFailure(messages.not_found("record"))  # `record: No such record`, the C12 shape (invented)

    # ---- Zone -----------------------------------------------------------------------------------

    def _list_zones(self, call: _Call) -> Answer:
        session = self._authenticate(call)
        if "ZoneGet" not in session.user.granted():
            raise ApiFailure(messages.permission_denied())
        zones = [zone for zone in self.book.zones_of(session.customer.name) if session.user.allows("ZoneGet", zone.name)]
        if _truthy(call.argument("detail")):
            # The zone objects, which dyn-python's get_all_zones() reads (spec §2 [SRC]); GET Zone's shape [INF].
            data: list[Any] = [zone.summary() for zone in zones]
        else:
            data = [f"/REST/Zone/{zone.name}/" for zone in zones]
        return messages.success(f"get: Your {len(zones)} zones", data=data)

    def _get_zone(self, call: _Call) -> Answer:
        scope = self._open(call, None)
        if not scope.session.user.allows("ZoneGet", scope.zone.name):
            raise ApiFailure(messages.permission_denied())  # as before the record API: no INFO naming it
        return messages.success(f"get: Your zone, {scope.zone.name}", data=scope.zone.summary())

    def _update_zone(self, call: _Call) -> Answer:
        scope = self._open(call, None)
        action = _zone_action(call.body)
        _require(scope, {"publish": "ZonePublish", "freeze": "ZoneFreeze", "thaw": "ZoneThaw"}[action])
        if action == "freeze":
            scope.zone.frozen = True
            return messages.success("freeze: Your zone is now frozen")
        if action == "thaw":
            scope.zone.frozen = False
            return messages.success("thaw: Your zone is now thawed, you may edit normally")
        return self._publish(scope, call.body.get("notes"))

    def _publish(self, scope: _Scope, notes: Any) -> Answer:
        zone = scope.zone
        if zone.frozen:
            raise ApiFailure(messages.zone_frozen())
        now = datetime.datetime.now(datetime.timezone.utc)
        if not self.book.publish(scope.session.token, scope.customer, zone, now):
            zone.empty_publishes += 1  # nothing pending: a success that changes nothing (spec §2)
        if isinstance(notes, str) and notes:  # kept as Zone Notes (spec §2); the control API shows them
            zone.notes.append({"serial": zone.serial, "note": notes, "user_name": scope.session.user.user_name,
                               "timestamp": int(now.timestamp())})
        task_id = self.book.new_task(scope.customer, zone.name, now)
        # The recorded key order, task_id a string (spec §2).
        data = {"zone_type": zone.zone_type, "task_id": task_id, "serial": zone.serial,
                "serial_style": zone.serial_style, "zone": zone.name}
        return messages.success(f"publish: {zone.name} published", data=data)

    # ---- zone lifecycle: create, create from a zone file, delete ---------------------------------

    def _new_zone_name(self, call: _Call) -> tuple[Session, str]:
        """The session and the new zone's name: ZoneAdd on it, a valid name the customer does not have yet."""
        session = self._authenticate(call)
        name = call.route.params[0].removesuffix(".").lower()
        if not session.user.allows("ZoneAdd", name):
            raise ApiFailure(messages.permission_denied("ZoneAdd", name))
        if not _ZONE_NAME.fullmatch(name):
            raise ApiFailure(messages.invalid_data("zone", "Not a valid zone name", "create: Zone not created"))  # invented
        if self.book.zone(session.customer.name, name) is not None:
            raise ApiFailure(messages.zone_exists())
        return session, name

    def _create_zone(self, call: _Call) -> Answer:
        """POST /REST/Zone/<zone>/ (spec §2): rname and ttl required, serial_style optional; other keys ignored."""
        session, name = self._new_zone_name(call)
        body = call.body
        missing = [key for key in ("rname", "ttl") if body.get(key) in (None, "")]
        if missing:
            raise ApiFailure(messages.missing_fields(missing))
        fail_info = "create: Zone not created"  # invented
        rname = _rname(body["rname"], fail_info)
        soa = {"rname": rname, "ttl": _ttl(body["ttl"], 0, fail_info), "serial_style": _new_serial_style(body, fail_info)}
        zone = self.book.create_zone(session.customer.name, name, soa)
        created = f"create: New zone {name} created.  Publish it to put it on our server."  # two spaces, as recorded
        return messages.success(_SETUP_INFO, created, data=zone.summary())

    def _import_zone_file(self, call: _Call) -> Answer:
        """POST /REST/ZoneFile/<zone>/ ``{"file": text}``: the zone made from the file, serial 0 until published.

        The real API ran an ImportZonefile task (PoShDynDnsApi); the emulator's tasks complete at once, so
        a file it cannot read is refused here, and the zone is not made.
        """
        session, name = self._new_zone_name(call)
        text = call.body.get("file")
        if text is None or text == "":
            raise ApiFailure(messages.missing_fields(["file"]))
        if not isinstance(text, str):
            raise ApiFailure(messages.zone_file_refused("Must be a string"))  # invented
        soa, records, overridden = self._file_records(text, name)
        zone = self.book.create_zone(session.customer.name, name, soa, records)
        now = datetime.datetime.now(datetime.timezone.utc)
        task_id = self.book.new_task(session.customer.name, name, now, "ImportZonefile")
        if overridden:  # the import's results become a zone note (PoShDynDnsApi's Get-DynDnsZoneNotes example)
            zone.notes.append({"serial": 0, "note": f"Results of ImportZonefile {task_id} (complete):\n" + "\n".join(overridden),
                               "user_name": session.user.user_name, "timestamp": int(now.timestamp())})
        started = f"import: Zone {name} import initiated. This task may take a several minutes to complete."  # text PS, prefix invented
        return messages.success(_SETUP_INFO, started, data={"task_id": task_id})  # data invented: the task to follow

    def _file_records(self, text: str, zone: str) -> tuple[dict[str, Any], list[Record], list[str]]:
        """The SOA fields, the records and the override warnings of a zone file (ApiFailure if it is unreadable)."""
        try:
            parsed = parse_zone_file(text, zone)
        except ZoneFileError as error:
            raise ApiFailure(messages.zone_file_refused(str(error))) from error
        soas = [entry for entry in parsed if entry.rtype == "SOA"]
        if len(soas) != 1 or soas[0].fqdn != zone:
            raise ApiFailure(messages.zone_file_refused("Missing SOA record" if not soas else "Exactly one SOA record, at the apex"))
        records: list[Record] = []
        overridden: list[str] = []
        for entry in parsed:
            if entry.rtype == "NS" and entry.fqdn == zone:  # Dyn's own NS records replace the file's at the apex
                overridden.append(f"warn_line{entry.line} : overrode NS at {zone}. : NS {entry.rdata['nsdname']}")
            elif entry.rtype != "SOA":
                self._add_file_record(records, entry)
        soa = soas[0]
        timers = {key: soa.rdata[key] for key in ("refresh", "retry", "expire", "minimum")}
        ttl = soa.ttl if soa.ttl is not None else DEFAULT_TTL
        return {"rname": soa.rdata["rname"], "ttl": ttl, "serial_style": "increment", "timers": timers}, records, overridden

    def _add_file_record(self, records: list[Record], entry: FileRecord) -> None:
        """One record of a zone file, checked like a record the API receives; a duplicate is dropped."""
        rtype = TYPES[entry.rtype]
        try:
            rdata = check_rdata(rtype, entry.rdata)
        except RdataError as error:
            raise ApiFailure(messages.zone_file_refused(f"Line {entry.line}: {error}")) from error
        if any(r.node == entry.fqdn and r.rtype == rtype.name and identity(rtype, r.rdata) == identity(rtype, rdata) for r in records):
            return
        extra = {"service_class": ""} if rtype.name == "NS" else {}
        records.append(self.book.new_record(entry.fqdn, rtype.name, entry.ttl or 0, rdata, **extra))

    def _delete_zone(self, call: _Call) -> Answer:
        """DELETE /REST/Zone/<zone>/: gone at once, with every session's pending changes to it (spec §2)."""
        session = self._authenticate(call)
        name = call.route.params[0].removesuffix(".").lower()
        if self.book.zone(session.customer.name, name) is None:
            raise ApiFailure(messages.no_zone_to_remove())
        if not session.user.allows("ZoneDelete", name):
            raise ApiFailure(messages.permission_denied("ZoneDelete", name))
        self.book.delete_zone(session.customer.name, name)
        return messages.success("remove: Zone removed")  # spec §2 (REC go-dynect)

    # ---- ZoneChanges and Task -------------------------------------------------------------------

    def _get_changes(self, call: _Call) -> Answer:
        scope = self._open(call, "ZoneChangeSet")
        changes = self.book.pending(scope.session.token, scope.customer, scope.zone.name)
        if not changes:
            return messages.success("publish: You have not made any changes to this zone", data=[])  # spec §6 (PS)
        user_id = zlib.crc32(f"{scope.customer}/{scope.session.user.user_name}".encode())  # stable, invented
        data = [_change_entry(scope, change.change_id, change.operation, change.record, user_id) for change in changes]
        return messages.success("get: Here are your zone changes", data=data)  # invented text

    def _discard_changes(self, call: _Call) -> Answer:
        # No permission beyond the zone: the changes are the caller's own and nothing published changes.
        scope = self._open(call, None)
        count = self.book.discard(scope.session.token, scope.customer, scope.zone.name)
        return messages.success(f"discard: {count} zone changes discarded")  # spec §6 (JC, PS)

    def _get_task(self, call: _Call) -> Answer:
        session = self._authenticate(call)
        task = self.book.tasks.get(call.route.params[0])
        if task is None or task["customer"] != session.customer.name:
            raise ApiFailure(messages.not_found("task"))
        # Field names of dyn-python's Task; the emulator's tasks are complete at once (spec §2). Values invented.
        data = {"task_id": call.route.params[0], "name": task["name"], "status": "complete", "blocking": "0",
                "zone_name": task["zone"], "customer_name": task["customer"], "message": "", "debug": "",
                "step_count": 1, "total_steps": 1, "created_ts": task["created"], "modified_ts": task["created"],
                "args": []}
        return messages.success("get: Here is your task", data=data)  # invented text

    # ---- nodes ----------------------------------------------------------------------------------

    def _node_list(self, call: _Call) -> Answer:
        scope = self._open(call, "RecordGet")
        if not scope.node_exists():
            raise ApiFailure(messages.node_not_in_tree("get_node_list"))
        nodes: dict[str, str] = {}
        if scope.node == scope.zone.name:
            nodes[scope.zone.name] = scope.zone.name  # the apex, without a dot (dyn-python drops it, spec §3)
        for record in scope.at_or_below():
            nodes.setdefault(record.node, record.fqdn)
        return messages.success("get_node_list: Here is your node list", data=list(nodes.values()))

    def _delete_node(self, call: _Call) -> Answer:
        scope = self._open(call, "ZoneRemoveNode")
        _check_changeable(scope)
        if not scope.node_exists():
            raise ApiFailure(messages.node_not_in_tree("remove_node"))
        if scope.node == scope.zone.name:
            raise ApiFailure(messages.illegal_operation("remove_node: The zone apex cannot be removed"))  # invented
        changeset = self._changeset(scope)
        for record in scope.at_or_below():
            changeset.delete(self.book.new_change_id(), record)
        info = f"remove_node: {scope.fqdn} removed from tree. All records also removed."  # spec §3 (REC GD)
        return messages.success(info, data=scope.zone.summary())

    # ---- reading records ------------------------------------------------------------------------

    def _all_records(self, call: _Call) -> Answer:
        scope = self._open(call, "RecordGet")
        if not scope.node_exists():
            raise ApiFailure(messages.node_not_in_tree())
        found = scope.at_or_below()
        return messages.success("get_tree: Here is your zone tree", data=_listing(call, scope, found, by_type=True))

    def _any_records(self, call: _Call) -> Answer:
        scope = self._open(call, "RecordGet")
        if not scope.node_exists():
            raise ApiFailure(messages.host_not_in_zone("detail: Host is not in this zone"))
        found = scope.at_node()
        return messages.success(_found(len(found)), data=_listing(call, scope, found, by_type=True))

    def _get_record_set(self, call: _Call) -> Answer:
        scope, rtype = self._open_records(call, "RecordGet")
        if not scope.node_exists():
            raise ApiFailure(messages.host_not_in_zone("detail: Host is not in this zone"))
        found = scope.at_node(rtype.name)
        return messages.success(_found(len(found)), data=_listing(call, scope, found, by_type=False))

    def _get_record(self, call: _Call) -> Answer:
        scope, rtype = self._open_records(call, "RecordGet")
        record = self._find(call, scope, rtype)
        return messages.success("get: Found the record", data=_record_object(scope, record, echo=True), source="API-B")

    # ---- changing records -----------------------------------------------------------------------

    def _create_record(self, call: _Call) -> Answer:
        scope, rtype = self._open_records(call, "RecordAdd", change=True)
        if not rtype.user_managed:
            raise ApiFailure(messages.illegal_operation("add: SOA records cannot be added"))  # invented text
        fail_info = f"add: Could not create {rtype.name} record"  # the recorded text for A (spec §7)
        ttl = _ttl(call.body.get("ttl"), 0, fail_info)
        rdata = _rdata(rtype, call.body.get("rdata"), None, fail_info)
        if _duplicates(scope, rtype, rdata):
            raise ApiFailure(messages.duplicate_record())
        _check_cname_exclusivity(scope, rtype.name, len(scope.at_node(rtype.name)) + 1, fail_info)
        if not scope.at_node() and scope.node != scope.zone.name:
            _require(scope, "ZoneAddNode")
        extra = {"service_class": ""} if rtype.name == "NS" else {}  # a user's NS (spec §4)
        record = self.book.new_record(scope.fqdn, rtype.name, ttl, rdata, **extra)
        self._changeset(scope).add(self.book.new_change_id(), record)
        return messages.success("add: Record added", data=_record_object(scope, record, echo=True))

    def _update_record(self, call: _Call) -> Answer:
        scope, rtype = self._open_records(call, "RecordUpdate", change=True)
        old = self._find(call, scope, rtype)
        _refuse_dyn_ns(old, "update")
        fail_info = f"update: Could not update {rtype.name} record"  # invented, after the recorded add text
        body = call.body
        ttl = _ttl(body.get("ttl"), old.ttl, fail_info)  # a missing field keeps its value (spec §8.2)
        given = body.get("rdata")
        if rtype.name == "SOA" and isinstance(given, dict):
            given = {key: value for key, value in given.items() if key in SOA_SETTABLE}
        rdata = _rdata(rtype, given, old.rdata, fail_info)
        extra = {"serial_style": _serial_style(body, old)} if rtype.name == "SOA" else {}
        style = extra.get("serial_style", old.serial_style)
        if _same_ttl(scope, rtype, ttl, old.ttl) and (rdata, style) == (old.rdata, old.serial_style):
            # Nothing changes: no pending change (so nothing to publish); the record as it is.
            return messages.success("update: Record updated", data=_record_object(scope, old, echo=True))
        if _duplicates(scope, rtype, rdata, besides=old):
            raise ApiFailure(messages.duplicate_record("update: Record not updated"))  # second text invented
        new = self.book.replaced(old, ttl, rdata, **extra)
        self._changeset(scope).update(self.book.new_change_id(), old, new)
        return messages.success("update: Record updated", data=_record_object(scope, new, echo=True))

    def _delete_record(self, call: _Call) -> Answer:
        scope, rtype = self._open_records(call, "RecordDelete", change=True)
        record = self._find(call, scope, rtype)
        _refuse_dyn_ns(record, "delete")
        if len(scope.at_node()) == 1 and scope.node != scope.zone.name:
            _require(scope, "ZoneRemoveNode")  # the node's last record: the node goes too (spec §3)
        self._changeset(scope).delete(self.book.new_change_id(), record)
        return messages.success("delete: Record will be deleted on zone publish")  # spec §4 (JC)

    def _delete_record_set(self, call: _Call) -> Answer:
        scope, rtype = self._open_records(call, "RecordDelete", change=True)
        if not scope.node_exists():
            raise ApiFailure(messages.host_not_in_zone("get: Host not found in this zone"))  # spec §7 (MOCK DN)
        if not rtype.user_managed:
            raise ApiFailure(messages.illegal_operation("delete: SOA records cannot be deleted"))  # invented text
        # Dyn's own NS records stay: they are not the user's to delete (spec §4).
        doomed = [record for record in scope.at_node(rtype.name) if not record.is_service_record]
        if doomed and len(doomed) == len(scope.at_node()) and scope.node != scope.zone.name:
            _require(scope, "ZoneRemoveNode")
        changeset = self._changeset(scope)
        for record in doomed:
            changeset.delete(self.book.new_change_id(), record)
        return messages.success(f"delete: {len(doomed)} records deleted", source="API-B")  # spec §4 (MOCK DN)

    def _replace_record_set(self, call: _Call) -> Answer:
        scope, rtype = self._open_records(call, None, change=True)  # the permissions depend on what it does
        if not rtype.user_managed:
            raise ApiFailure(messages.illegal_operation("update: SOA records cannot be replaced"))  # invented
        wanted = _replacement(call.body, rtype)
        current = [record for record in scope.at_node(rtype.name) if not record.is_service_record]
        plan = _plan_replacement(scope, current, wanted, rtype)
        _require_for_replacement(scope, plan, current)
        kept = len(plan["keep"]) + len(plan["update"]) + len(plan["add"])
        _check_cname_exclusivity(scope, rtype.name, kept, "update: Records not replaced")
        result = self._apply_replacement(scope, plan)
        data = [_record_object(scope, record, echo=True) for record in result]
        return messages.success("update: Records replaced", data=data)  # invented text (no recorded body)

    def _apply_replacement(self, scope: _Scope, plan: dict[str, list]) -> list[Record]:
        changeset = self._changeset(scope)
        result = list(plan["keep"])
        for old, ttl, rdata in plan["update"]:
            new = self.book.replaced(old, ttl, rdata)
            changeset.update(self.book.new_change_id(), old, new)
            result.append(new)
        for ttl, rdata in plan["add"]:
            extra = {"service_class": ""} if plan["type"] == "NS" else {}
            new = self.book.new_record(scope.fqdn, plan["type"], ttl, rdata, **extra)
            changeset.add(self.book.new_change_id(), new)
            result.append(new)
        for old in plan["delete"]:
            changeset.delete(self.book.new_change_id(), old)
        return result


# ---- helpers ----------------------------------------------------------------------------------------


def _require(scope: _Scope, permission: str) -> None:
    if not scope.session.user.allows(permission, scope.zone.name):
        raise ApiFailure(messages.permission_denied(permission, scope.zone.name))


def _check_changeable(scope: _Scope) -> None:
    if scope.zone.frozen:
        raise ApiFailure(messages.zone_frozen())
    if not scope.zone.contains(scope.node):
        raise ApiFailure(messages.invalid_data("fqdn", "Name is not in this zone"))  # invented text


def _truthy(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value == 1
    return isinstance(value, str) and value.strip().lower() in _TRUE_WORDS


def _found(count: int) -> str:
    return f"detail: Found {count} record{'' if count == 1 else 's'}"  # `detail: Found 1 record` (MOCK DN)


def _zone_action(body: dict[str, Any]) -> str:
    actions = [name for name in _ZONE_ACTIONS if _truthy(body.get(name))]
    if len(actions) != 1:  # invented text: no source shows this refusal
        raise ApiFailure(messages.invalid_data("update", "Exactly one of publish, freeze or thaw must be true"))
    return actions[0]


def _ttl(value: Any, keep: int, fail_info: str) -> int:
    """A TTL as sent (int or string); absent keeps ``keep``; 0 means the zone's default (spec §8.3)."""
    if value is None or value == "":
        return keep
    try:
        return as_int("ttl", value)
    except RdataError as error:
        raise ApiFailure(messages.invalid_rdata(error.field, error.problem, fail_info)) from error


def _rdata(rtype: RecordType, given: Any, base: dict[str, Any] | None, fail_info: str) -> dict[str, Any]:
    try:
        return check_rdata(rtype, given, base)
    except RdataError as error:
        if error.missing:
            raise ApiFailure(messages.missing_fields([error.field])) from error
        raise ApiFailure(messages.invalid_rdata(error.field, error.problem, fail_info)) from error


def _serial_style(body: dict[str, Any], old: Record) -> str | None:
    style = body.get("serial_style")
    if style is None:
        return old.serial_style
    if style not in SERIAL_STYLES:  # invented text
        raise ApiFailure(messages.invalid_data("serial_style", f"Must be one of {', '.join(SERIAL_STYLES)}",
                                               "update: Could not update SOA record"))
    return style


def _rname(value: Any, fail_info: str) -> str:
    """A zone's contact as the SOA holds it: dot-terminated (spec §4)."""
    if not isinstance(value, str) or not value.strip():  # the SOA update's rule for host names (rdata.py)
        raise ApiFailure(messages.invalid_rdata("rname", "Not a valid host name", fail_info))
    return value if value.endswith(".") else value + "."


def _new_serial_style(body: dict[str, Any], fail_info: str) -> str:
    style = body.get("serial_style") or "increment"  # the documented default (spec §2)
    if style not in SERIAL_STYLES:  # invented text, as for the SOA's update
        raise ApiFailure(messages.invalid_data("serial_style", f"Must be one of {', '.join(SERIAL_STYLES)}", fail_info))
    return str(style)


def _same_ttl(scope: _Scope, rtype: RecordType, first: int, second: int) -> bool:
    """Whether two TTLs come to the same, 0 being the zone's default (the SOA's own TTL is just a number)."""
    if rtype.name == "SOA":
        return first == second
    return (first or scope.default_ttl) == (second or scope.default_ttl)


def _duplicates(scope: _Scope, rtype: RecordType, rdata: dict[str, Any], besides: Record | None = None) -> bool:
    wanted = identity(rtype, rdata)
    return any(identity(rtype, r.rdata) == wanted for r in scope.at_node(rtype.name) if r is not besides)


def _refuse_dyn_ns(record: Record, verb: str) -> None:
    if record.service_class == "Primary":  # DynECT refused this (denominator skips them); the text is invented
        raise ApiFailure(messages.illegal_operation(f"{verb}: Dyn's own NS records cannot be changed or deleted"))
    if record.rtype == "SOA" and verb == "delete":
        raise ApiFailure(messages.illegal_operation("delete: SOA records cannot be deleted"))  # invented text


def _replacement(body: dict[str, Any], rtype: RecordType) -> list[tuple[Any, Any]]:
    """The (ttl, rdata) pairs of a set replacement: ``{"<T>Records": [...]}``, or one unwrapped record (spec §4)."""
    key = next((k for k in body if k.lower() == f"{rtype.name.lower()}records"), None)
    if key is None and "rdata" in body:
        entries: Any = [body]  # external-dns PUTs one record unwrapped; taken as a one-record set [INF]
    elif key is None:
        raise ApiFailure(messages.missing_fields([f"{rtype.name}Records"]))
    else:
        entries = body[key]
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        raise ApiFailure(messages.invalid_data(f"{rtype.name}Records", "Must be a list of records"))  # invented
    fail_info = f"update: Could not update {rtype.name} record"
    return [(_ttl(entry.get("ttl"), 0, fail_info), _rdata(rtype, entry.get("rdata"), None, fail_info))
            for entry in entries]


def _plan_replacement(scope: _Scope, current: list[Record], wanted: list[tuple[int, dict]], rtype: RecordType) -> dict[str, list]:
    """What a replacement changes: a record with the same rdata is kept (or its TTL updated), the rest
    added or deleted -- so an unchanged set is no change at all."""
    plan: dict[str, list] = {"type": rtype.name, "keep": [], "update": [], "add": [], "delete": []}
    unmatched = list(current)
    seen: set[tuple] = set()
    for ttl, rdata in wanted:
        key = identity(rtype, rdata)
        if key in seen:
            raise ApiFailure(messages.duplicate_record("update: Records not replaced"))  # second text invented
        seen.add(key)
        match = next((record for record in unmatched if identity(rtype, record.rdata) == key), None)
        if match is None:
            plan["add"].append((ttl, rdata))
            continue
        unmatched.remove(match)
        if _same_ttl(scope, rtype, ttl, match.ttl) and match.rdata == rdata:
            plan["keep"].append(match)
        else:
            plan["update"].append((match, ttl, rdata))
    plan["delete"] = unmatched
    return plan


def _require_for_replacement(scope: _Scope, plan: dict[str, list], current: list[Record]) -> None:
    """A replacement needs the permissions of what it does: RecordAdd, RecordUpdate, RecordDelete, and the node ones."""
    for step, permission in (("add", "RecordAdd"), ("update", "RecordUpdate"), ("delete", "RecordDelete")):
        if plan[step]:
            _require(scope, permission)
    if scope.node == scope.zone.name:
        return
    others = len(scope.at_node()) - len(current)  # the node's records of other types
    if plan["add"] and not scope.at_node():
        _require(scope, "ZoneAddNode")
    if plan["delete"] and not others and not (plan["keep"] or plan["update"] or plan["add"]):
        _require(scope, "ZoneRemoveNode")


def _record_object(scope: _Scope, record: Record, *, echo: bool = False) -> dict[str, Any]:
    """A record as the API shows it (spec §4): effective TTL, ints, SOA's serial and style, NS's service class."""
    rdata = dict(record.rdata)
    if record.rtype == "SOA":
        rdata["serial"] = scope.zone.serial
    data: dict[str, Any] = {"zone": scope.zone.name, "ttl": record.ttl or scope.default_ttl,
                            "fqdn": scope.fqdn_as_sent if echo and scope.fqdn_as_sent else record.fqdn,
                            "record_type": record.rtype, "rdata": rdata, "record_id": record.record_id}
    if record.rtype == "SOA":
        data["serial_style"] = record.serial_style
    if record.rtype == "NS":
        data["service_class"] = record.service_class or ""
    return data


def _uri(scope: _Scope, record: Record, fqdn: str | None = None) -> str:
    # No trailing slash, the client's zone spelling, id 0 while pending (spec §4, §8.7).
    return f"/REST/{record.rtype}Record/{scope.zone_spelling}/{fqdn or record.fqdn}/{record.record_id}"


def _listing(call: _Call, scope: _Scope, records: list[Record], *, by_type: bool) -> Any:
    """URIs without ``detail``; with it the records -- grouped per type, every type present, for AllRecord/ANY."""
    if not _truthy(call.argument("detail")):
        fqdn = None if by_type else scope.fqdn
        return [_uri(scope, record, fqdn) for record in records]
    if not by_type:
        return [_record_object(scope, record) for record in records]
    return {rtype.detail_key: [_record_object(scope, r) for r in records if r.rtype == rtype.name]
            for rtype in DETAIL_ORDER}


def _change_entry(scope: _Scope, change_id: int, operation: str, record: Record, user_id: int) -> dict[str, Any]:
    """A ZoneChanges entry: the fields PoShDynDnsApi showed from live calls (spec §6), plus ``operation``.

    ``operation`` (add | update | delete) is the emulator's own extension: no source shows how the real
    API told an addition from an update or a deletion, and the collection's modules need to.
    """
    rdata = dict(record.rdata)
    if record.rtype == "SOA":
        rdata["serial"] = scope.zone.serial
    return {"id": change_id, "user_id": user_id, "zone": scope.zone.name, "fqdn": record.fqdn,
            "rdata_type": record.rtype, "ttl": record.ttl or scope.default_ttl, "serial": scope.zone.serial,
            "rdata": {f"rdata_{name.lower()}": rdata if name == record.rtype else None for name in TYPES},
            "operation": operation}


def _check_cname_exclusivity(scope: _Scope, rtype: str, count: int, fail_info: str) -> None:
    """Refuse a node that would hold ``count`` records of ``rtype`` against the CNAME rule.

    A CNAME is the only data at its node (RFC 1034 §3.6.2, RFC 2181 §10.1), so a node holds at most one,
    and never the zone apex, which always holds the SOA and NS records. No type is exempt: RFC 2181's
    exceptions (SIG, NXT, KEY for DNSSEC) became RRSIG and NSEC (RFC 3755), which the emulator does not serve.
    Only the request's node is checked: records are added and replaced one node at a time.
    """
    problem = _cname_problem(scope, rtype, count)
    if problem is not None:
        raise ApiFailure(messages.cname_conflict(problem, fail_info))


def _cname_problem(scope: _Scope, rtype: str, count: int) -> str | None:
    if count == 0:
        return None
    others = [record for record in scope.at_node() if record.rtype != rtype]
    if rtype != "CNAME":
        return messages.CNAME_BESIDE_OTHER_DATA if any(r.rtype == "CNAME" for r in others) else None
    if scope.node == scope.zone.name:
        return messages.CNAME_AT_APEX
    if count > 1:
        return messages.CNAME_NOT_SINGLE
    return messages.CNAME_BESIDE_OTHER_DATA if others else None
