# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""DNS record values as users write them and as the DynECT API holds them (private).

One job: translate between a record's presentation form (``10 mail.example.com``, the way zone files
and community.dns's record_set modules write values) and DynECT's ``rdata`` objects, and compare
values the way DNS does: names without regard to case or a trailing dot, IPv6 addresses in any
form, numbers as numbers, TXT text exactly; and hold the names values are kept under (zones and
records) to what DNS allows, in one normalised form. Plain Python, no API calls.
"""

from __future__ import annotations

import enum
import ipaddress
import re
import shlex
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, NamedTuple, NoReturn

from ansible_collections.dyn.managed_dns.plugins.module_utils.errors import DynectConfigError, DynectDnsRuleError

__all__ = [
    "RECORD_TYPES",
    "MalformedRecordError",
    "PlannedSet",
    "RecordSet",
    "RecordValueError",
    "SET_OPTION_RULES",
    "SetChange",
    "SetPlan",
    "SetRequest",
    "SetRequestError",
    "TXT_TRANSFORMATIONS",
    "ZonePlan",
    "api_records",
    "bare_name",
    "check_dns_rules",
    "check_requests",
    "fqdn_of",
    "plan_set",
    "plan_zone",
    "prefix_of",
    "prefix_warnings",
    "record_set_from_api",
    "same_values",
    "set_after",
    "set_options",
    "set_request",
    "zone_name",
    "zone_option",
    "ZONE_OPTION_VARIANTS",
]

TXT_TRANSFORMATIONS = ("unquoted", "quoted", "api")


class RecordValueError(ValueError):
    """A value that is not a valid record of its type; the text says which value and why."""


class MalformedRecordError(ValueError):
    """A record object from the API that lacks a field its type has; the text names the record and the field."""


class _Field(NamedTuple):
    name: str  # the rdata key
    kind: str  # "int", "name" (a host name), "text", "ipv4", "ipv6", "word"


# The record types and the rdata fields of each, in presentation order (spec dynect-records.md §5).
_FIELDS: dict[str, tuple[_Field, ...]] = {
    "A": (_Field("address", "ipv4"),),
    "AAAA": (_Field("address", "ipv6"),),
    "CNAME": (_Field("cname", "name"),),
    "NS": (_Field("nsdname", "name"),),
    "PTR": (_Field("ptrdname", "name"),),
    "MX": (_Field("preference", "int"), _Field("exchange", "name")),
    "SRV": (_Field("priority", "int"), _Field("weight", "int"), _Field("port", "int"), _Field("target", "name")),
    "CAA": (_Field("flags", "int"), _Field("tag", "word"), _Field("value", "text")),
    "TXT": (_Field("txtdata", "text"),),
    "SPF": (_Field("txtdata", "text"),),
}
RECORD_TYPES = tuple(_FIELDS)


class RecordSet(NamedTuple):
    """One record set as the modules return it: ``value`` in presentation form, sorted."""

    record: str  # the FQDN, without a trailing dot
    prefix: str  # relative to the zone; "" for the apex
    type: str
    ttl: int | None
    value: list[str]

    def as_dict(self) -> dict[str, Any]:
        return self._asdict()


class SetChange(enum.Enum):
    """What a task does to one record set."""

    REPLACE = "replace"  # write the wanted values (a new set, or in place of the set's)
    DELETE = "delete"
    NONE = "none"


class SetPlan(NamedTuple):
    """The plan for one record set: its change, and the ``on_existing`` mode that kept a differing set (else None)."""

    change: SetChange
    kept_by: str | None = None  # keep_and_fail, keep_and_warn or keep: the set differs and is left as it is


# --- names ------------------------------------------------------------------------------------
# DNS limits (RFC 1035 2.3.4): a label of 1 to 63 octets, a name of at most 253 written without
# its trailing dot. Which octets a label holds is left to the API ("*", "_acme-challenge" and
# punycode are all names it takes), but for "/" and "\\": in a request path they end the name.
_MAX_LABEL = 63
_MAX_NAME = 253


def bare_name(name: str) -> str:
    """A DNS name as the API takes and compares it: no blanks around it, no trailing dot, lower case."""
    return name.strip().rstrip(".").lower()


def _name_problem(name: str) -> str | None:
    """What makes the bare ``name`` no DNS name, naming the label at fault; None when it is one."""
    slash = next((char for char in "/\\" if char in name), None)
    if slash is not None:
        return f"holds {slash!r}, which no DNS name has"
    octets = len(name.encode("utf-8"))
    if octets > _MAX_NAME:
        return f"is {octets} octets long; a DNS name has at most {_MAX_NAME} (without the trailing dot)"
    for label in name.split("."):
        if not label:
            return "has an empty label (a dot at its start or two dots in a row)"
        if len(label.encode("utf-8")) > _MAX_LABEL:
            return f"has the label {label!r} of {len(label.encode('utf-8'))} octets; a DNS label has 1 to {_MAX_LABEL}"
    return None


def zone_name(zone: str) -> str:
    """The zone's name as the API takes it (see ``bare_name``); DynectConfigError, before any request, for no zone name.

    The one normaliser of zone names: every module that takes a zone, and the Python API, use it.
    """
    name = bare_name(zone)
    if not name:
        raise DynectConfigError(
            f"zone {zone!r} names no zone: nothing is left once the blanks and the trailing dot are dropped; "
            "give the zone's name, for example example.com"
        )
    problem = _name_problem(name)
    if problem is not None:
        raise DynectConfigError(f"zone {zone!r} {problem}; give the zone's name alone, for example example.com")
    return name


# The ``zone`` option of every module that takes one, by what the zone is to the module: the
# variants of the doc fragment ``dyn.managed_dns.zone`` (plugins/doc_fragments/zone.py), which
# document exactly these entries. zone_name normalises the value in every variant.
_ZONE_OPTIONS: dict[str, dict[str, Any]] = {
    "change": {"type": "str", "required": True, "aliases": ["zone_name"]},
    "read": {"type": "str", "required": True, "aliases": ["zone_name"]},
    "read_or_list": {"type": "str", "aliases": ["zone_name"]},
    "permission_scope": {"type": "str"},
}
ZONE_OPTION_VARIANTS = tuple(_ZONE_OPTIONS)


def zone_option(variant: str) -> dict[str, Any]:
    """The ``zone`` option's argument spec entry for ``variant`` (one of ZONE_OPTION_VARIANTS), a fresh copy."""
    entry = _ZONE_OPTIONS[variant]
    return {**entry, **({"aliases": list(entry["aliases"])} if "aliases" in entry else {})}


def fqdn_of(zone: str, record: str | None, prefix: str | None) -> str:
    """The record's FQDN (see ``bare_name``) from ``record`` or ``prefix``; RecordValueError outside the zone or no DNS name."""
    zone = bare_name(zone)
    fqdn = bare_name(record) if record is not None else _prefixed(zone, prefix or "")
    if not fqdn:
        raise RecordValueError(f"record {record!r} names no record: nothing is left once the blanks and the trailing dot are dropped")
    if fqdn != zone and not fqdn.endswith(f".{zone}"):
        raise RecordValueError(f"record {fqdn} is not in zone {zone}")
    problem = _name_problem(fqdn)
    if problem is not None:
        raise RecordValueError(f"record {fqdn} {problem}")
    return fqdn


def _prefixed(zone: str, prefix: str) -> str:
    """``prefix`` under ``zone``: "" and "@" are the apex; dots alone are refused, not taken for it."""
    relative = bare_name(prefix)
    if not relative and prefix.strip():
        # "." or "{{ host }}." with an empty variable: the apex by accident, whose records the task would change.
        raise RecordValueError(
            f"prefix {prefix!r} names no record: nothing is left once the blanks and the trailing dot are dropped; write @ for the zone's apex"
        )
    return zone if relative in ("", "@") else f"{relative}.{zone}"


def prefix_warning(zone: str, prefix: str) -> str | None:
    """Why ``prefix`` in ``zone`` is likely a mistake, in a sentence; None when it looks meant.

    A prefix is relative to the zone, so ``www.example.com`` in zone ``example.com`` names
    ``www.example.com.example.com``: valid, and almost never wanted.
    """
    zone, relative = bare_name(zone), bare_name(prefix)
    if not zone or not (relative == zone or relative.endswith(f".{zone}")):
        return None
    return (
        f"prefix {prefix} already ends with the zone's name {zone}, and a prefix is relative to the zone: the record set "
        f"is {relative}.{zone}. To mean {relative}, give it as record: {relative} instead"
        + (" (or prefix: @)." if relative == zone else ".")
    )


def prefix_warnings(params: Mapping[str, Any]) -> list[str]:
    """:func:`prefix_warning` for a task's ``prefix`` and each ``record_sets`` entry's, in order."""
    zone = params.get("zone")
    if not isinstance(zone, str):
        return []
    found = [("", params.get("prefix"))]
    entries = params.get("record_sets")
    if isinstance(entries, list):
        found += [(f"record_sets[{index}]: ", entry.get("prefix")) for index, entry in enumerate(entries) if isinstance(entry, Mapping)]
    warnings = [(where, prefix_warning(zone, prefix)) for where, prefix in found if isinstance(prefix, str)]
    return [f"{where}{warning}" for where, warning in warnings if warning is not None]


def prefix_of(zone: str, fqdn: str) -> str:
    """``fqdn`` relative to ``zone`` ("" for the apex); RecordValueError outside the zone."""
    zone, fqdn = bare_name(zone), bare_name(fqdn)
    if fqdn == zone:
        return ""
    if not fqdn.endswith(f".{zone}"):
        raise RecordValueError(f"record {fqdn} is not in zone {zone}")
    return fqdn[: -len(zone) - 1]


def api_records(record_type: str, values: Iterable[str], ttl: int, txt_transformation: str = "unquoted") -> list[dict[str, Any]]:
    """The ``<Type>Records`` list of a replace-set request for ``values``."""
    return [{"rdata": _rdata(record_type, value, txt_transformation), "ttl": ttl} for value in values]


def record_set_from_api(zone: str, record_type: str, records: Sequence[Mapping[str, Any]], txt_transformation: str = "unquoted") -> RecordSet | None:
    """The record set the API's record objects (``detail: Y``) make up, or None for no records.

    A type this collection does not model (SOA, DNSKEY, ...) has its rdata fields as the API gives
    them, joined by blanks. MalformedRecordError for a record that lacks a field of its type.
    """
    if not records:
        return None
    fqdn = bare_name(str(_api_field(records[0], "fqdn", record_type)))
    ttls = {int(_api_field(record, "ttl", record_type)) for record in records}
    values = sorted(_value_from_api(record_type, record, txt_transformation) for record in records)
    # Several TTLs in one set: none of them is the set's, so any wanted TTL differs.
    return RecordSet(fqdn, prefix_of(zone, fqdn), record_type, ttls.pop() if len(ttls) == 1 else None, values)


def _api_field(record: Mapping[str, Any], name: str, record_type: str) -> Any:
    """``record[name]``; MalformedRecordError, naming the record, when the API left it out."""
    if name not in record:
        raise MalformedRecordError(f"the API's {record_type} record {record.get('fqdn', '(no fqdn)')} has no {name!r}")
    return record[name]


def _value_from_api(record_type: str, record: Mapping[str, Any], txt_transformation: str) -> str:
    """One API record's value: in presentation form, or for an unmodelled type its rdata fields joined by blanks."""
    rdata = _api_field(record, "rdata", record_type)
    if record_type not in _FIELDS:
        return " ".join(str(value) for value in rdata.values())
    # A modelled record without one of its fields is malformed: never shown as "None", nor as unmodelled.
    for field in _FIELDS[record_type]:
        if field.name not in rdata:
            raise MalformedRecordError(f"the API's {record_type} record {record.get('fqdn', '(no fqdn)')} has no {field.name!r} in its rdata")
    return _presentation(record_type, rdata, txt_transformation)


def same_values(record_type: str, left: Iterable[str], right: Iterable[str], txt_transformation: str = "unquoted") -> bool:
    """Whether two lists of presentation values are the same set of records, as DNS compares them."""
    def keys(values: Iterable[str]) -> set[tuple[Any, ...]]:
        return {_compare_key(record_type, _rdata(record_type, value, txt_transformation)) for value in values}

    return keys(left) == keys(right)


def canonical_values(record_type: str, values: Iterable[str], txt_transformation: str = "unquoted") -> list[str]:
    """``values`` validated and written the way the API will hand them back, sorted, DNS-equal repeats dropped."""
    unique: dict[tuple[Any, ...], str] = {}
    for value in values:
        rdata = _rdata(record_type, value, txt_transformation)
        unique.setdefault(_compare_key(record_type, rdata), _presentation(record_type, rdata, txt_transformation))
    return sorted(unique.values())


# --- one value --------------------------------------------------------------------------------


def _rdata(record_type: str, value: str, txt_transformation: str) -> dict[str, Any]:
    """The rdata object of one presentation value; RecordValueError when it is not one."""
    fields = _FIELDS[record_type]
    if fields[-1].kind == "text" and len(fields) == 1:
        return {fields[0].name: _txt_to_api(value, txt_transformation)}
    parts = _split(value, len(fields))
    if len(parts) != len(fields):
        wanted = " ".join(f"<{field.name}>" for field in fields)
        raise RecordValueError(f"{record_type} value {value!r} is not of the form {wanted!r}")
    return {field.name: _PARSE[field.kind](part, record_type, value) for field, part in zip(fields, parts)}


def _split(value: str, count: int) -> list[str]:
    """``value`` split at blanks into at most ``count`` parts; a last part may be one quoted string (CAA)."""
    head = value.strip().split(None, count - 1)
    if head and len(head) == count and head[-1].startswith('"'):
        head[-1] = _unquote(head[-1], value)
    return head


_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"')


def _presentation(record_type: str, rdata: Mapping[str, Any], txt_transformation: str) -> str:
    fields = _FIELDS[record_type]
    if fields[-1].kind == "text" and len(fields) == 1:
        return _txt_from_api(str(rdata.get(fields[0].name, "")), txt_transformation)
    return " ".join(_FORMAT[field.kind](rdata.get(field.name)) for field in fields)


def _compare_key(record_type: str, rdata: Mapping[str, Any]) -> tuple[Any, ...]:
    return tuple(_COMPARE[field.kind](rdata.get(field.name)) for field in _FIELDS[record_type])


def _parse_int(text: str, record_type: str, value: str) -> int:
    if not re.fullmatch(r"[0-9]+", text):
        raise RecordValueError(f"{record_type} value {value!r}: {text!r} is not a number")
    return int(text)


def _parse_name(text: str, record_type: str, value: str) -> str:
    if text == ".":
        return text  # the root: MX "0 ." (no mail), SRV target "." (no service)
    if not re.fullmatch(r"[A-Za-z0-9_*-]+(\.[A-Za-z0-9_*-]+)*\.?", text):
        raise RecordValueError(f"{record_type} value {value!r}: {text!r} is not a host name")
    return text if text.endswith(".") else f"{text}."  # DynECT takes every name as absolute


def _parse_address(version: int) -> Callable[[str, str, str], str]:
    def parse(text: str, record_type: str, value: str) -> str:
        try:
            address = ipaddress.ip_address(text)
        except ValueError:
            address = None
        if address is None or address.version != version or getattr(address, "scope_id", None):
            raise RecordValueError(f"{record_type} value {value!r} is not an IPv{version} address")
        return address.compressed

    return parse


def _parse_word(text: str, record_type: str, value: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9]+", text):
        raise RecordValueError(f"{record_type} value {value!r}: {text!r} is not a CAA tag")
    return text.lower()


_PARSE: dict[str, Callable[[str, str, str], Any]] = {
    "int": _parse_int,
    "name": _parse_name,
    "ipv4": _parse_address(4),
    "ipv6": _parse_address(6),
    "word": _parse_word,
    "text": lambda text, record_type, value: text,
}
_FORMAT: dict[str, Callable[[Any], str]] = {
    "int": lambda field: str(int(field)),
    "name": lambda field: f"{str(field).rstrip('.')}." if str(field) != "." else ".",
    "ipv4": str,
    "ipv6": lambda field: ipaddress.ip_address(str(field)).compressed,
    "word": str,
    "text": lambda field: _quote(str(field)),
}
_COMPARE: dict[str, Callable[[Any], Any]] = {
    "int": int,
    "name": lambda field: str(field).rstrip(".").lower(),
    "ipv4": lambda field: ipaddress.ip_address(str(field)),
    "ipv6": lambda field: ipaddress.ip_address(str(field)),
    "word": lambda field: str(field).lower(),
    "text": str,
}


# --- TXT and SPF ------------------------------------------------------------------------------
# DynECT stores txtdata verbatim and quotes it itself (clients send bare text; see
# docs/dynect_api_notes.md). As in community.dns: "unquoted" values are that text; "quoted" values
# are zone-file strings ("a" "b", with \" and \\), joined; "api" values go to the API as they are.


def _txt_to_api(value: str, txt_transformation: str) -> str:
    if txt_transformation != "quoted":
        return value
    try:
        parts = shlex.split(value, posix=True)
    except ValueError:
        raise RecordValueError(f"TXT value {value!r} is not a sequence of quoted strings") from None
    if not value.strip().startswith('"'):
        raise RecordValueError(f"TXT value {value!r} is not quoted; with txt_transformation=quoted, write it as \"text\"")
    return "".join(parts)


def _txt_from_api(txtdata: str, txt_transformation: str) -> str:
    return _quote(txtdata) if txt_transformation == "quoted" else txtdata


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def _unquote(text: str, value: str) -> str:
    if not _QUOTED.fullmatch(text):
        raise RecordValueError(f"value {value!r} does not end in one quoted string")
    return re.sub(r"\\(.)", r"\1", text[1:-1])


# --- a set as a task asks for it ------------------------------------------------------------


class SetRequestError(RecordValueError):
    """A set's ``ttl`` or value list that no set can have; the text says what to write instead."""


class SetRequest(NamedTuple):
    """One record set as a task asks for it."""

    wanted: RecordSet  # its ttl None: the existing set's TTL, or the zone's default for a new set
    present: bool = True
    values_given: bool = True  # absent: only a set of exactly these values is the one to delete


# The suboptions a record set is asked for with, as dyn_record_set takes them (and every entry of
# dyn_record_sets' record_sets), with the rules between them.
_SET_OPTIONS: dict[str, dict[str, Any]] = {
    "record": {"type": "str"},
    "prefix": {"type": "str"},
    "type": {"type": "str", "required": True, "choices": list(RECORD_TYPES)},
    "ttl": {"type": "int"},
    "value": {"type": "list", "elements": "str"},
    "state": {"type": "str", "choices": ["present", "absent"], "default": "present"},
}
SET_OPTION_RULES: dict[str, list[Any]] = {
    "mutually_exclusive": [("record", "prefix")],
    "required_one_of": [("record", "prefix")],
    "required_if": [("state", "present", ("value",))],
}


def set_options() -> dict[str, dict[str, Any]]:
    """The argument spec entries of a record set's options (``record`` ... ``state``), fresh copies."""
    return {name: {**entry, **({"choices": list(entry["choices"])} if "choices" in entry else {})} for name, entry in _SET_OPTIONS.items()}


def set_request(zone: str, options: Mapping[str, Any], txt_transformation: str = "unquoted") -> SetRequest:
    """The set ``options`` (as :func:`set_options` declares them) ask for in ``zone``.

    RecordValueError for a name or value that is none; SetRequestError for a TTL below 1 or a
    present set without values.
    """
    fqdn = fqdn_of(zone, options["record"], options["prefix"])
    values = canonical_values(options["type"], options["value"] or [], txt_transformation)
    ttl = options["ttl"]
    if ttl is not None and ttl < 1:
        raise SetRequestError(f"ttl must be 1 or more seconds, not {ttl}; leave it out for the zone's default TTL")
    present = options["state"] == "present"
    if present and not values:
        raise SetRequestError("value holds no record; give at least one, or remove the set with state=absent")
    return SetRequest(RecordSet(fqdn, prefix_of(zone, fqdn), options["type"], ttl, values), present, bool(options["value"]))


# --- plans ------------------------------------------------------------------------------------


def _matches(existing: RecordSet, wanted: RecordSet, txt_transformation: str) -> bool:
    same_ttl = wanted.ttl is None or existing.ttl == wanted.ttl
    return same_ttl and same_values(wanted.type, existing.value, wanted.value, txt_transformation)


def plan_set(request: SetRequest, existing: RecordSet | None, on_existing: str = "replace", txt_transformation: str = "unquoted") -> SetPlan:
    """What a task does to one set: ``on_existing`` (replace, keep_and_fail, keep_and_warn, keep) decides for a set that differs."""
    if existing is None:
        return SetPlan(SetChange.REPLACE if request.present else SetChange.NONE)
    if request.present and _matches(existing, request.wanted, txt_transformation):
        return SetPlan(SetChange.NONE)
    if not request.present and (not request.values_given or _matches(existing, request.wanted, txt_transformation)):
        return SetPlan(SetChange.DELETE)
    # The set differs from the task's: on_existing decides.
    if on_existing != "replace":
        return SetPlan(SetChange.NONE, kept_by=on_existing)
    return SetPlan(SetChange.REPLACE if request.present else SetChange.DELETE)


def set_after(existing: RecordSet | None, wanted: RecordSet, change: SetChange) -> RecordSet | None:
    """The set once ``change`` is made; a replace without a TTL keeps the existing set's (None for a new set: the zone's default)."""
    if change is SetChange.DELETE:
        return None
    if change is SetChange.NONE:
        return existing
    return wanted._replace(ttl=existing.ttl if wanted.ttl is None and existing is not None else wanted.ttl)


class PlannedSet(NamedTuple):
    """One set of a zone plan: before and after the plan (None: no set), and what makes it so."""

    before: RecordSet | None
    after: RecordSet | None
    change: SetChange
    pruned: bool = False  # deleted because no task entry names it (prune)

    @property
    def record(self) -> str:
        return (self.after or self.before or _NO_SET).record

    @property
    def type(self) -> str:
        return (self.after or self.before or _NO_SET).type

    def as_change(self) -> dict[str, Any]:
        """The set's entry of a task's ``changes``: record, type, before, after, operation, pruned."""
        operation = "delete" if self.change is SetChange.DELETE else "create" if self.before is None else "update"
        return {
            "record": self.record,
            "type": self.type,
            "before": None if self.before is None else self.before.as_dict(),
            "after": None if self.after is None else self.after.as_dict(),
            "operation": operation,
            "pruned": self.pruned,
        }


_NO_SET = RecordSet("", "", "", None, [])

# What prune never deletes: the zone's SOA (Dyn's own apex NS records are not read as the account's).
_UNPRUNABLE_TYPES = frozenset({"SOA"})


class ZonePlan(NamedTuple):
    """What one task does to a zone: every set it names or prunes, in the zone's order."""

    zone: str
    sets: tuple[PlannedSet, ...]

    @property
    def changes(self) -> list[PlannedSet]:
        """The sets that are written (replaced) or deleted: one request each."""
        return [planned for planned in self.sets if planned.change is not SetChange.NONE]

    @property
    def writes(self) -> list[PlannedSet]:
        """The changes in the order to send them: every deletion first.

        The API judges each request against the zone as the session then sees it, so a name whose
        CNAME gives way to other data (or the other way round) must never hold both, not even pending.
        """
        return sorted(self.changes, key=lambda planned: planned.change is not SetChange.DELETE)

    def zone_after(self, current: Iterable[RecordSet]) -> list[RecordSet]:
        """The zone's sets once the plan is made, from ``current`` (the read the plan was made from)."""
        planned = {(each.record, each.type): each.after for each in self.sets}
        kept = [each for each in current if (each.record, each.type) not in planned]
        return kept + [after for after in planned.values() if after is not None]


def plan_zone(
    zone: str, current: Sequence[RecordSet], requests: Sequence[SetRequest], prune: bool = False, txt_transformation: str = "unquoted"
) -> ZonePlan:
    """The plan that makes ``current`` (one read of the zone) what ``requests`` ask, each set compared as :func:`plan_set` does.

    With ``prune``, every current set no request names is deleted, but the SOA. RecordValueError
    when two requests name one set.
    """
    existing = {(each.record, each.type): each for each in current}
    planned = [_planned(request, existing.get((request.wanted.record, request.wanted.type)), txt_transformation) for request in requests]
    named = _named_once(requests)
    if prune:
        planned += [PlannedSet(each, None, SetChange.DELETE, pruned=True) for key, each in existing.items() if _prunable(key, each, named)]
    return ZonePlan(bare_name(zone), tuple(sorted(planned, key=lambda each: (each.record, each.type))))


def _planned(request: SetRequest, existing: RecordSet | None, txt_transformation: str) -> PlannedSet:
    change = plan_set(request, existing, "replace", txt_transformation).change
    return PlannedSet(existing, set_after(existing, request.wanted, change), change)


def _named_once(requests: Sequence[SetRequest]) -> set[tuple[str, str]]:
    """The (record, type) of every request; RecordValueError for a set named twice, whose two wishes would fight."""
    named: set[tuple[str, str]] = set()
    for request in requests:
        key = (request.wanted.record, request.wanted.type)
        if key in named:
            raise RecordValueError(f"the {key[1]} record set {key[0]} is named more than once; name each set once")
        named.add(key)
    return named


def _prunable(key: tuple[str, str], current: RecordSet, named: set[tuple[str, str]]) -> bool:
    return key not in named and current.type not in _UNPRUNABLE_TYPES


# --- DNS rules ----------------------------------------------------------------------------------
# Checked on what a task would write, before it is sent: DynECT accepted and published all of these.
_CNAME_RULE = "RFC 1034 section 3.6.2"
_CNAME_ALONE = "a CNAME must be the only data at its name"
_TARGET_RULE = "RFC 2181 section 10.3"
# DNSSEC's own records may stand beside a CNAME (RFC 4035 section 2.5).
_BESIDE_CNAME = frozenset({"RRSIG", "NSEC"})
_HOST_TARGET_TYPES = ("MX", "SRV", "NS")


def check_dns_rules(zone: str, written: Iterable[RecordSet], zone_after: Iterable[RecordSet] = ()) -> None:
    """DynectDnsRuleError for the first rule a ``written`` set breaks, alone or beside ``zone_after`` (sets as they will be).

    The rules: a CNAME is the only data at its name, so never at the apex and with one value
    (RFC 1034 section 3.6.2); an MX, SRV or NS target is a host name, not an IP address (RFC 2181
    section 10.3). Sets nobody writes are not judged: a task does not answer for what it leaves.
    """
    by_node: dict[str, list[RecordSet]] = {}
    for each in zone_after:
        by_node.setdefault(each.record, []).append(each)
    for each in written:
        _check_set(bare_name(zone), each, [other for other in by_node.get(each.record, []) if other.type != each.type])


def _check_set(zone: str, written: RecordSet, neighbours: list[RecordSet]) -> None:
    if written.type == "CNAME":
        _check_cname(zone, written, {other.type for other in neighbours} - _BESIDE_CNAME)
    elif any(other.type == "CNAME" for other in neighbours):
        _refuse(written, _CNAME_RULE, f"the {written.type} record set {written.record} would stand beside the CNAME record there; {_CNAME_ALONE}")
    _check_targets(written)


def _check_cname(zone: str, written: RecordSet, beside: set[str]) -> None:
    if written.record == zone:
        _refuse(written, _CNAME_RULE, f"a CNAME at the zone's apex {zone}, which holds the zone's SOA and NS records; {_CNAME_ALONE}")
    if len(written.value) > 1:
        _refuse(written, _CNAME_RULE, f"the CNAME record set {written.record} has {len(written.value)} values; a name has one canonical name at most")
    if beside:
        types = ", ".join(sorted(beside))
        _refuse(written, _CNAME_RULE, f"the CNAME record set {written.record} would stand beside its {types} records; {_CNAME_ALONE}")


def _check_targets(written: RecordSet) -> None:
    """An MX, SRV or NS value whose target is an IP address (it parses as a host name of digits)."""
    if written.type not in _HOST_TARGET_TYPES:
        return
    target = next(field.name for field in _FIELDS[written.type] if field.kind == "name")
    for value in written.value:
        name = str(_rdata(written.type, value, "unquoted")[target]).rstrip(".")
        if _is_address(name):
            problem = f"the {written.type} value {value!r} of {written.record} points at the IP address {name}"
            _refuse(written, _TARGET_RULE, f"{problem}; its target must be a host name with address records")


def _is_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def check_requests(zone: str, requests: Sequence[SetRequest]) -> None:
    """What needs no read of the zone, before anything is sent: each set named once (RecordValueError), and the present sets
    against the DNS rules among themselves (DynectDnsRuleError)."""
    _named_once(requests)
    present = [request.wanted for request in requests if request.present]
    check_dns_rules(zone, present, present)


def _refuse(written: RecordSet, rule: str, problem: str) -> NoReturn:
    raise DynectDnsRuleError(f"{problem} ({rule})", record=written.record, record_type=written.type, rule=rule)
