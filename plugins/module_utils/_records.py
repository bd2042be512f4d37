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
from typing import Any, NamedTuple

from ansible_collections.dyn.managed_dns.plugins.module_utils.errors import DynectConfigError

__all__ = [
    "RECORD_TYPES",
    "MalformedRecordError",
    "RecordSet",
    "RecordValueError",
    "SetChange",
    "SetPlan",
    "TXT_TRANSFORMATIONS",
    "api_records",
    "bare_name",
    "fqdn_of",
    "prefix_of",
    "record_set_from_api",
    "same_values",
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
