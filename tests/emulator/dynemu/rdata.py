# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The record types the emulator serves: their rdata fields (spec §5) and how a field's value is checked.

One table drives everything: the /REST/<T>Record resources, the keys of an AllRecord ``detail``
answer, the ``rdata_<t>`` keys of a ZoneChanges entry and the checks of a record body.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any


class RdataError(ValueError):
    """A record body the API refuses: ``field`` names the culprit, ``problem`` says why."""

    def __init__(self, field: str, problem: str, *, missing: bool = False) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem
        self.missing = missing


@dataclass(frozen=True)
class Field:
    """One rdata field of a record type, and how its value is checked."""

    name: str
    kind: str = "str"  # ip4 | ip6 | host | int | text | str | raw, see _CHECKS
    required: bool = True


@dataclass(frozen=True)
class RecordType:
    """A record type: its rdata fields and the names the API gives it."""

    name: str  # "A", "MX", ...
    fields: tuple[Field, ...]
    user_managed: bool = True  # False for SOA: users may read and update it, never add or delete it

    @property
    def resource(self) -> str:
        return f"{self.name}Record"

    @property
    def detail_key(self) -> str:
        return f"{self.name.lower()}_records"

    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


def _type(name: str, *fields: Field, user_managed: bool = True) -> RecordType:
    return RecordType(name, tuple(fields), user_managed)


_F = Field
_KEY_FIELDS = (_F("algorithm", "int"), _F("flags", "int"), _F("protocol", "int"), _F("public_key"))
_DS_FIELDS = (_F("algorithm", "int"), _F("digest"), _F("digtype", "int"), _F("keytag", "int"))

# Field names and defaults as dyn-python 1.8.6 sends them (spec §5); kinds from the recorded responses
# (ints for numeric rdata, dot-terminated host names) where recorded, else our reading of the RFCs.
TYPES: dict[str, RecordType] = {t.name: t for t in (
    _type("A", _F("address", "ip4")),
    _type("AAAA", _F("address", "ip6")),
    _type("ALIAS", _F("alias", "host")),
    _type("CAA", _F("flags", "int"), _F("tag"), _F("value")),
    _type("CDNSKEY", *_KEY_FIELDS),
    _type("CDS", *_DS_FIELDS),
    _type("CERT", _F("format", "int"), _F("tag", "int"), _F("algorithm", "int"), _F("certificate")),
    _type("CNAME", _F("cname", "host")),
    _type("CSYNC", _F("soa_serial", "int"), _F("flags", "raw"), _F("types", "raw")),
    _type("DHCID", _F("digest")),
    _type("DNAME", _F("dname", "host")),
    _type("DNSKEY", *_KEY_FIELDS),
    _type("DS", *_DS_FIELDS),
    _type("IPSECKEY", _F("precedence", "int"), _F("gatetype", "int"), _F("algorithm", "int"), _F("gateway"),
          _F("public_key")),
    _type("KEY", *_KEY_FIELDS),
    _type("KX", _F("exchange", "host"), _F("preference", "int")),
    _type("LOC", _F("altitude", "raw"), _F("latitude", "raw"), _F("longitude", "raw"), _F("horiz_pre", "raw", False),
          _F("size", "raw", False), _F("vert_pre", "raw", False), _F("version", "raw", False)),
    _type("MX", _F("exchange", "host"), _F("preference", "int")),
    _type("NAPTR", _F("order", "int"), _F("preference", "int"), _F("flags"), _F("services"), _F("regexp"),
          _F("replacement", "host")),
    _type("NS", _F("nsdname", "host")),
    _type("NSAP", _F("nsap")),
    _type("PTR", _F("ptrdname", "host")),
    _type("PX", _F("preference", "int"), _F("map822", "host"), _F("mapx400", "host")),
    _type("RP", _F("mbox", "host"), _F("txtdname", "host")),
    _type("SOA", _F("rname", "host"), _F("mname", "host"), _F("serial", "int"), _F("refresh", "int"),
          _F("retry", "int"), _F("expire", "int"), _F("minimum", "int"), user_managed=False),
    _type("SPF", _F("txtdata", "text")),
    _type("SRV", _F("priority", "int"), _F("weight", "int"), _F("port", "int"), _F("target", "host")),
    _type("SSHFP", _F("algorithm", "int"), _F("fptype", "int"), _F("fingerprint")),
    _type("TLSA", _F("cert_usage", "int"), _F("selector", "int"), _F("match_type", "int"), _F("certificate")),
    _type("TXT", _F("txtdata", "text")),
)}

SOA_SETTABLE = ("rname", "minimum")  # the SOA rdata a user may change (spec §4, dyn-python's setters)

# AllRecord ``detail`` keys in the order recorded by Shopify/record_store (spec §4), then the types it lacked.
_RECORDED_DETAIL_ORDER = ("CNAME", "CERT", "DNAME", "AAAA", "IPSECKEY", "LOC", "PTR", "SOA", "KX", "DNSKEY", "NAPTR",
                          "RP", "MX", "KEY", "PX", "DS", "SSHFP", "NS", "DHCID", "SRV", "NSAP", "TXT", "SPF", "A")
DETAIL_ORDER: tuple[RecordType, ...] = tuple(
    TYPES[name] for name in _RECORDED_DETAIL_ORDER + tuple(sorted(set(TYPES) - set(_RECORDED_DETAIL_ORDER)))
)


def record_type_of(resource: str) -> RecordType | None:
    """``ARecord`` -> the A type (any case); None for a resource that is no record type."""
    if not resource.lower().endswith("record"):
        return None
    return TYPES.get(resource[:-len("record")].upper())


def check_rdata(rtype: RecordType, given: Any, base: dict[str, Any] | None = None) -> dict[str, Any]:
    """The stored form of ``given`` rdata, on top of ``base`` (an update keeps what it does not name).

    Unknown keys are ignored (clients send extra ones; the real API warned and went on, spec §7).
    RdataError names the first missing or invalid field.
    """
    if given is None:
        given = {}
    if not isinstance(given, dict):
        raise RdataError("rdata", "Must be an object")
    result: dict[str, Any] = {}
    for spec in rtype.fields:
        if spec.name in given and given[spec.name] is not None:
            result[spec.name] = _CHECKS[spec.kind](spec.name, given[spec.name])
        elif base is not None and spec.name in base:
            result[spec.name] = base[spec.name]
        elif spec.required:
            raise RdataError(spec.name, "required field missing", missing=True)
    return result


def identity(rtype: RecordType, rdata: dict[str, Any]) -> tuple:
    """What makes two records of a node the same record: their rdata, host names compared case-insensitively."""
    kinds = {spec.name: spec.kind for spec in rtype.fields}
    return tuple(
        (name, value.lower() if kinds.get(name) == "host" and isinstance(value, str) else value)
        for name, value in sorted(rdata.items())
    )


def _ip(version: int) -> Any:
    kind = ipaddress.IPv4Address if version == 4 else ipaddress.IPv6Address

    def check(name: str, value: Any) -> str:
        try:
            if isinstance(value, str):  # the ipaddress classes also take ints: a JSON number is no address
                return str(kind(value))
        except ValueError:
            pass
        raise RdataError(name, "Not a valid IP address")  # the recorded text (spec §7)

    return check


def _host(name: str, value: Any) -> str:
    # Host names come back dot-terminated whatever the client sent (spec §8.4).
    if not isinstance(value, str) or not value.strip():  # "." (the root) is a valid target, e.g. of NAPTR
        raise RdataError(name, "Not a valid host name")  # invented text
    return value if value.endswith(".") else value + "."


def as_int(name: str, value: Any) -> int:
    # Clients send numbers as JSON numbers or as strings ("300"); the API answers ints (spec §1).
    text = str(value).strip()
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not (text.isascii() and text.isdigit()):
        raise RdataError(name, "Must be a non-negative integer")  # invented text
    return int(value)


def _text(name: str, value: Any) -> str:
    # TXT/SPF data is stored and returned verbatim: no quotes or escapes added or removed (spec §5).
    if not isinstance(value, str):
        raise RdataError(name, "Must be a string")  # invented text
    return value


def _str(name: str, value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise RdataError(name, "Must be a string")  # invented text
    return str(value)


def _raw(name: str, value: Any) -> Any:
    if isinstance(value, (dict, list)):
        raise RdataError(name, "Must be a single value")  # invented text
    return value


_CHECKS = {"ip4": _ip(4), "ip6": _ip(6), "host": _host, "int": as_int, "text": _text, "str": _str, "raw": _raw}
