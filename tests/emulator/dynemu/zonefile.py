# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reading a BIND zone file (POST /REST/ZoneFile) into the records the emulator models.

The subset read: ``$ORIGIN`` and ``$TTL``; records with an owner (``@``, relative or absolute), blank
(the previous owner), TTL (seconds or BIND units such as ``1h``) and class ``IN`` in either order; ``;``
comments; parentheses across lines; the SOA and the record types of rdata.py in their presentation
order. Anything else is refused with its line number (ZoneFileError), never guessed at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .rdata import TYPES

# Each type's rdata fields in zone-file order (RFC presentation formats); ``*`` marks the last field
# taking the rest of the line (base64 or hex data that may be split by blanks).
_PRESENTATION: dict[str, tuple[str, ...]] = {
    "A": ("address",), "AAAA": ("address",), "ALIAS": ("alias",), "CNAME": ("cname",), "DNAME": ("dname",),
    "NS": ("nsdname",), "PTR": ("ptrdname",), "MX": ("preference", "exchange"), "KX": ("preference", "exchange"),
    "SRV": ("priority", "weight", "port", "target"), "CAA": ("flags", "tag", "value"), "TXT": ("txtdata",),
    "SPF": ("txtdata",), "SSHFP": ("algorithm", "fptype", "fingerprint*"),
    "TLSA": ("cert_usage", "selector", "match_type", "certificate*"), "DS": ("keytag", "algorithm", "digtype", "digest*"),
    "CDS": ("keytag", "algorithm", "digtype", "digest*"), "DNSKEY": ("flags", "protocol", "algorithm", "public_key*"),
    "CDNSKEY": ("flags", "protocol", "algorithm", "public_key*"), "KEY": ("flags", "protocol", "algorithm", "public_key*"),
    "NAPTR": ("order", "preference", "flags", "services", "regexp", "replacement"), "RP": ("mbox", "txtdname"),
    "PX": ("preference", "map822", "mapx400"), "CERT": ("format", "tag", "algorithm", "certificate*"),
    "DHCID": ("digest*",), "NSAP": ("nsap",), "IPSECKEY": ("precedence", "gatetype", "algorithm", "gateway", "public_key*"),
}
_SOA_FIELDS = ("mname", "rname", "serial", "refresh", "retry", "expire", "minimum")
_TTL_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[^\s"]+')


class ZoneFileError(ValueError):
    """A zone file the emulator cannot read: ``line`` is where (1-based), the message says why."""

    def __init__(self, line: int, problem: str) -> None:
        super().__init__(f"Line {line}: {problem}" if line else problem)


@dataclass
class FileRecord:
    """One record of the file: absolute name without the dot, type, TTL (None: the zone's default), rdata."""

    fqdn: str
    rtype: str
    ttl: int | None
    rdata: dict[str, Any]
    line: int = 0  # where it is in the file, for a refusal of its rdata


@dataclass
class _Reader:
    """The state while reading: the origin, the default TTL and the previous owner."""

    origin: str
    default_ttl: int | None = None
    owner: str | None = None
    records: list[FileRecord] = field(default_factory=list)


def parse_zone_file(text: str, zone: str) -> list[FileRecord]:
    """The file's records, the SOA among them; ZoneFileError for what the emulator cannot read."""
    reader = _Reader(origin=zone)
    for number, line in _logical_lines(text):
        try:
            _read_line(reader, line, zone)
        except ZoneFileError as error:
            raise ZoneFileError(number, str(error)) from None
        if reader.records and not reader.records[-1].line:
            reader.records[-1].line = number
    return reader.records


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """(first line number, text) per entry: comments dropped, parenthesised continuations joined."""
    entries: list[tuple[int, str]] = []
    pending, start, depth = "", 0, 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = _without_comment(raw)
        if depth == 0:
            pending, start = line, number
        else:
            pending += " " + line
        depth += line.count("(") - line.count(")")
        if depth < 0:
            raise ZoneFileError(number, "')' without '('")
        if depth == 0 and pending.strip():
            entries.append((start, pending.replace("(", " ").replace(")", " ")))
    if depth:
        raise ZoneFileError(start, "'(' is never closed")
    return entries


def _without_comment(line: str) -> str:
    """The line up to a ``;`` that is not inside a quoted string."""
    quoted = False
    for index, char in enumerate(line):
        if char == '"' and (index == 0 or line[index - 1] != "\\"):
            quoted = not quoted
        elif char == ";" and not quoted:
            return line[:index]
    return line


def _read_line(reader: _Reader, line: str, zone: str) -> None:
    tokens = _TOKEN.findall(line)
    if tokens[0].startswith("$"):
        _directive(reader, tokens, zone)
        return
    if line[0] in " \t":
        if reader.owner is None:
            raise ZoneFileError(0, "a record without an owner name comes before any owner")
        owner = reader.owner
    else:
        owner = _absolute(tokens.pop(0), reader.origin)
    if not (owner == zone or owner.endswith("." + zone)):
        raise ZoneFileError(0, f"{owner} is not in zone {zone}")
    reader.owner = owner
    ttl, rtype, rest = _ttl_class_type(tokens)
    reader.records.append(FileRecord(owner, rtype, ttl if ttl is not None else reader.default_ttl, _rdata(rtype, rest, reader.origin)))


def _directive(reader: _Reader, tokens: list[str], zone: str) -> None:
    name = tokens[0].upper()
    if name not in ("$ORIGIN", "$TTL") or len(tokens) != 2:
        raise ZoneFileError(0, f"{tokens[0]} is not supported (only $ORIGIN <name> and $TTL <ttl>)")
    if name == "$TTL":
        reader.default_ttl = _ttl(tokens[1])
        return
    origin = _absolute(tokens[1], reader.origin)
    if not (origin == zone or origin.endswith("." + zone)):
        raise ZoneFileError(0, f"$ORIGIN {origin} is not in zone {zone}")
    reader.origin = origin


def _ttl_class_type(tokens: list[str]) -> tuple[int | None, str, list[str]]:
    """The optional TTL and class (either order), the type, and the rdata tokens after them."""
    ttl: int | None = None
    while tokens and (tokens[0].upper() in ("IN", "CH", "HS") or tokens[0][:1].isdigit()):
        token = tokens.pop(0)
        if token.upper() in ("CH", "HS"):
            raise ZoneFileError(0, f"class {token} is not supported (only IN)")
        if token.upper() != "IN":
            ttl = _ttl(token)
    if not tokens:
        raise ZoneFileError(0, "the record has no type")
    rtype = tokens[0].upper()
    if rtype != "SOA" and rtype not in _PRESENTATION:
        raise ZoneFileError(0, f"record type {tokens[0]} is not supported")
    return ttl, rtype, tokens[1:]


def _ttl(token: str) -> int:
    """Seconds, or BIND units (``1h30m``)."""
    if token.isdigit():
        return int(token)
    parts = re.fullmatch(r"(?:\d+[smhdwSMHDW])+", token) and re.findall(r"(\d+)([a-zA-Z])", token)
    if not parts:
        raise ZoneFileError(0, f"{token} is not a TTL")
    return sum(int(count) * _TTL_UNITS[unit.lower()] for count, unit in parts)


def _absolute(name: str, origin: str) -> str:
    """A name of the file as an absolute name without the trailing dot, lower case."""
    if name == "@":
        return origin
    if name.endswith("."):
        return name[:-1].lower()
    return f"{name}.{origin}".lower()


def _rdata(rtype: str, tokens: list[str], origin: str) -> dict[str, Any]:
    if rtype == "SOA":
        return _soa(tokens, origin)
    if rtype in ("TXT", "SPF"):
        return {"txtdata": _text(tokens)}
    names = _PRESENTATION[rtype]
    if len(tokens) < len(names) or (len(tokens) > len(names) and not names[-1].endswith("*")):
        raise ZoneFileError(0, f"{rtype} takes {len(names)} values ({', '.join(n.rstrip('*') for n in names)})")
    values = tokens[:len(names) - 1] + ["".join(tokens[len(names) - 1:])]
    kinds = {spec.name: spec.kind for spec in TYPES[rtype].fields}
    return {name.rstrip("*"): _value(value, kinds.get(name.rstrip("*")), origin) for name, value in zip(names, values)}


def _value(token: str, kind: str | None, origin: str) -> str:
    """A field's value: host names made absolute (dot-terminated), quotes taken off other strings."""
    if kind == "host":
        return token if token.endswith(".") else _absolute(token, origin) + "."
    return _unquoted(token)


def _soa(tokens: list[str], origin: str) -> dict[str, Any]:
    if len(tokens) != len(_SOA_FIELDS):
        raise ZoneFileError(0, "SOA takes 7 values (mname rname serial refresh retry expire minimum)")
    values = dict(zip(_SOA_FIELDS, tokens))
    rdata: dict[str, Any] = {name: _ttl(values[name]) for name in _SOA_FIELDS[2:]}
    rdata["mname"] = _value(values["mname"], "host", origin)
    rdata["rname"] = _mailbox(_value(values["rname"], "host", origin))
    return rdata


def _mailbox(name: str) -> str:
    """``hostmaster.example.com.`` -> ``hostmaster@example.com.``: the form the API shows (spec §4)."""
    match = re.match(r"((?:[^.\\]|\\.)*)\.(.*)", name)
    return f"{match.group(1)}@{match.group(2)}" if match and match.group(2) else name


def _text(tokens: list[str]) -> str:
    """TXT data: the character-strings joined, as the collection reads DynECT's TXT data [INF]."""
    if not tokens:
        raise ZoneFileError(0, "TXT takes at least one string")
    return "".join(_unquoted(token) for token in tokens)


def _unquoted(token: str) -> str:
    if len(token) >= 2 and token[0] == token[-1] == '"':
        return re.sub(r"\\(.)", r"\1", token[1:-1])
    return token
