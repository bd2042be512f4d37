# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""_records: presentation values <-> DynECT rdata, DNS-style comparison, TXT transformations, names.

Values go in through the public functions only: ``api_records`` shows the rdata a value becomes,
``record_set_from_api`` the presentation an rdata becomes, ``canonical_values`` both in a row.
"""

from __future__ import annotations

import pytest

from ansible_collections.dyn.managed_dns.plugins.module_utils._records import (
    MalformedRecordError,
    RECORD_TYPES,
    TXT_TRANSFORMATIONS,
    RecordSet,
    RecordValueError,
    api_records,
    canonical_values,
    fqdn_of,
    prefix_of,
    record_set_from_api,
    same_values,
    zone_name,
)
from ansible_collections.dyn.managed_dns.plugins.module_utils.errors import DynectConfigError

ZONE = "example.com"


def rdata_of(record_type, value, txt_transformation="unquoted"):
    """The rdata one presentation value becomes in a replace-set request."""
    (record,) = api_records(record_type, [value], 300, txt_transformation)
    return record["rdata"]


def presentation_of(record_type, rdata, txt_transformation="unquoted"):
    """The presentation value the API's record with ``rdata`` is shown as."""
    api_record = {"zone": ZONE, "fqdn": f"x.{ZONE}", "record_type": record_type, "ttl": 300, "rdata": rdata, "record_id": 1}
    (value,) = record_set_from_api(ZONE, record_type, [api_record], txt_transformation).value
    return value


def api_record(fqdn, record_type, rdata, ttl=3600, record_id=1):
    """A record object as ``GET /REST/<T>Record/<zone>/<fqdn>/`` with ``detail: Y`` returns it."""
    return {"zone": ZONE, "fqdn": fqdn, "record_type": record_type, "ttl": ttl, "rdata": rdata, "record_id": record_id}


# --- what the module offers -------------------------------------------------------------------


def test_the_modelled_record_types_and_txt_transformations():
    assert RECORD_TYPES == ("A", "AAAA", "CNAME", "NS", "PTR", "MX", "SRV", "CAA", "TXT", "SPF")
    assert TXT_TRANSFORMATIONS == ("unquoted", "quoted", "api")


def test_record_value_error_is_a_value_error():
    assert issubclass(RecordValueError, ValueError)


# --- parse: presentation -> rdata, and format back: the round trip ----------------------------

# (type, value as the user writes it, txt_transformation, rdata sent to the API, value as written back)
ROUND_TRIPS = [
    pytest.param("A", "192.0.2.1", "unquoted", {"address": "192.0.2.1"}, "192.0.2.1", id="A"),
    pytest.param("A", "  198.51.100.7 ", "unquoted", {"address": "198.51.100.7"}, "198.51.100.7", id="A-blanks-around"),
    pytest.param("AAAA", "2001:db8::1", "unquoted", {"address": "2001:db8::1"}, "2001:db8::1", id="AAAA-compressed"),
    pytest.param("AAAA", "2001:DB8:0:0::1", "unquoted", {"address": "2001:db8::1"}, "2001:db8::1", id="AAAA-upper-case-zeros"),
    pytest.param(
        "AAAA", "2001:0db8:0000:0000:0000:0000:0000:0001", "unquoted", {"address": "2001:db8::1"}, "2001:db8::1", id="AAAA-exploded"
    ),
    pytest.param("AAAA", "::1", "unquoted", {"address": "::1"}, "::1", id="AAAA-loopback"),
    pytest.param("CNAME", "www.example.org", "unquoted", {"cname": "www.example.org."}, "www.example.org.", id="CNAME-no-dot"),
    pytest.param("CNAME", "www.example.org.", "unquoted", {"cname": "www.example.org."}, "www.example.org.", id="CNAME-dot"),
    pytest.param("CNAME", "WWW.Example.ORG", "unquoted", {"cname": "WWW.Example.ORG."}, "WWW.Example.ORG.", id="CNAME-mixed-case-kept"),
    pytest.param("NS", "ns1.example.net", "unquoted", {"nsdname": "ns1.example.net."}, "ns1.example.net.", id="NS-no-dot"),
    pytest.param("NS", "NS1.Example.NET.", "unquoted", {"nsdname": "NS1.Example.NET."}, "NS1.Example.NET.", id="NS-dot-mixed-case"),
    pytest.param("PTR", "host.example.com", "unquoted", {"ptrdname": "host.example.com."}, "host.example.com.", id="PTR-no-dot"),
    pytest.param("PTR", "Host.Example.com.", "unquoted", {"ptrdname": "Host.Example.com."}, "Host.Example.com.", id="PTR-dot-mixed-case"),
    pytest.param(
        "MX", "10 mail.example.com", "unquoted", {"preference": 10, "exchange": "mail.example.com."}, "10 mail.example.com.", id="MX"
    ),
    pytest.param(
        "MX", "  010   Mail.Example.com.  ", "unquoted", {"preference": 10, "exchange": "Mail.Example.com."}, "10 Mail.Example.com.",
        id="MX-blanks-leading-zero-dot"
    ),
    pytest.param("MX", "0 mx", "unquoted", {"preference": 0, "exchange": "mx."}, "0 mx.", id="MX-single-label-taken-as-absolute"),
    pytest.param(
        "SRV", "10 20 5060 sip.example.com", "unquoted", {"priority": 10, "weight": 20, "port": 5060, "target": "sip.example.com."},
        "10 20 5060 sip.example.com.", id="SRV"
    ),
    pytest.param(
        "SRV", "0 0 443 _svc.Example.com.", "unquoted", {"priority": 0, "weight": 0, "port": 443, "target": "_svc.Example.com."},
        "0 0 443 _svc.Example.com.", id="SRV-underscore-dot"
    ),
    pytest.param(
        "CAA", '0 issue "letsencrypt.org"', "unquoted", {"flags": 0, "tag": "issue", "value": "letsencrypt.org"},
        '0 issue "letsencrypt.org"', id="CAA-quoted-value"
    ),
    pytest.param(
        "CAA", "0 issue letsencrypt.org", "unquoted", {"flags": 0, "tag": "issue", "value": "letsencrypt.org"},
        '0 issue "letsencrypt.org"', id="CAA-unquoted-value"
    ),
    pytest.param(
        "CAA", '128 ISSUEWILD ";"', "unquoted", {"flags": 128, "tag": "issuewild", "value": ";"}, '128 issuewild ";"',
        id="CAA-tag-lower-cased"
    ),
    pytest.param(
        "CAA", '0 iodef "mailto:security@example.com"', "unquoted",
        {"flags": 0, "tag": "iodef", "value": "mailto:security@example.com"}, '0 iodef "mailto:security@example.com"', id="CAA-iodef"
    ),
    pytest.param(
        "CAA", '0 issue "ca.example; account=a b"', "unquoted", {"flags": 0, "tag": "issue", "value": "ca.example; account=a b"},
        '0 issue "ca.example; account=a b"', id="CAA-quoted-value-with-blanks"
    ),
    pytest.param(
        "CAA", r'0 issue "say \"hi\" \\ bye"', "unquoted", {"flags": 0, "tag": "issue", "value": 'say "hi" \\ bye'},
        r'0 issue "say \"hi\" \\ bye"', id="CAA-escapes"
    ),
    pytest.param("CAA", '0 issue ""', "unquoted", {"flags": 0, "tag": "issue", "value": ""}, '0 issue ""', id="CAA-empty-value"),
    pytest.param("TXT", "v=spf1 -all", "unquoted", {"txtdata": "v=spf1 -all"}, "v=spf1 -all", id="TXT-unquoted"),
    pytest.param("TXT", '"a" "b"', "unquoted", {"txtdata": '"a" "b"'}, '"a" "b"', id="TXT-unquoted-keeps-quotes"),
    pytest.param("TXT", r'say "hi" \ bye', "unquoted", {"txtdata": r'say "hi" \ bye'}, r'say "hi" \ bye', id="TXT-unquoted-verbatim"),
    pytest.param("TXT", '"v=spf1 -all"', "quoted", {"txtdata": "v=spf1 -all"}, '"v=spf1 -all"', id="TXT-quoted"),
    pytest.param("TXT", '"a" "b"', "quoted", {"txtdata": "ab"}, '"ab"', id="TXT-quoted-strings-joined"),
    pytest.param("TXT", '"a b"   "c"', "quoted", {"txtdata": "a bc"}, '"a bc"', id="TXT-quoted-blanks-inside-kept"),
    pytest.param("TXT", r'"say \"hi\""', "quoted", {"txtdata": 'say "hi"'}, r'"say \"hi\""', id="TXT-quoted-escaped-quotes"),
    pytest.param("TXT", r'"back\\slash"', "quoted", {"txtdata": "back\\slash"}, r'"back\\slash"', id="TXT-quoted-escaped-backslash"),
    pytest.param("TXT", '""', "quoted", {"txtdata": ""}, '""', id="TXT-quoted-empty"),
    pytest.param("TXT", '"a" "b"', "api", {"txtdata": '"a" "b"'}, '"a" "b"', id="TXT-api-verbatim"),
    pytest.param("TXT", "v=DKIM1; p=abc", "api", {"txtdata": "v=DKIM1; p=abc"}, "v=DKIM1; p=abc", id="TXT-api-bare"),
    pytest.param("SPF", "v=spf1 mx -all", "unquoted", {"txtdata": "v=spf1 mx -all"}, "v=spf1 mx -all", id="SPF-unquoted"),
    pytest.param("SPF", '"v=spf1 " "mx -all"', "quoted", {"txtdata": "v=spf1 mx -all"}, '"v=spf1 mx -all"', id="SPF-quoted-joined"),
    pytest.param("SPF", '"v=spf1" "-all"', "api", {"txtdata": '"v=spf1" "-all"'}, '"v=spf1" "-all"', id="SPF-api"),
]


@pytest.mark.parametrize(("record_type", "value", "txt_transformation", "rdata", "written"), ROUND_TRIPS)
def test_a_value_parses_into_the_rdata_the_api_takes(record_type, value, txt_transformation, rdata, written):
    assert rdata_of(record_type, value, txt_transformation) == rdata


@pytest.mark.parametrize(("record_type", "value", "txt_transformation", "rdata", "written"), ROUND_TRIPS)
def test_the_api_rdata_is_written_back_in_presentation_form(record_type, value, txt_transformation, rdata, written):
    assert presentation_of(record_type, rdata, txt_transformation) == written


@pytest.mark.parametrize(("record_type", "value", "txt_transformation", "rdata", "written"), ROUND_TRIPS)
def test_the_written_form_parses_to_the_same_rdata_and_is_canonical(record_type, value, txt_transformation, rdata, written):
    assert rdata_of(record_type, written, txt_transformation) == rdata
    assert canonical_values(record_type, [value], txt_transformation) == [written]
    assert canonical_values(record_type, [written], txt_transformation) == [written]
    assert same_values(record_type, [value], [written], txt_transformation)


# What the API hands back can be spelt otherwise than what was sent: string numbers, exploded IPv6,
# names without the final dot, TXT text with quotes and backslashes.
API_RDATA = [
    pytest.param("AAAA", {"address": "2001:0DB8:0000:0000:0000:0000:0000:0001"}, "unquoted", "2001:db8::1", id="AAAA-exploded"),
    pytest.param("CNAME", {"cname": "www.example.org"}, "unquoted", "www.example.org.", id="CNAME-dot-added"),
    pytest.param("MX", {"preference": "10", "exchange": "mail.example.com."}, "unquoted", "10 mail.example.com.", id="MX-string-number"),
    pytest.param(
        "SRV", {"priority": "1", "weight": "2", "port": "3", "target": "t.example.com."}, "unquoted", "1 2 3 t.example.com.",
        id="SRV-string-numbers"
    ),
    pytest.param("CAA", {"flags": "0", "tag": "issue", "value": 'a"b'}, "unquoted", r'0 issue "a\"b"', id="CAA-quote-escaped"),
    pytest.param("TXT", {"txtdata": 'say "hi" \\ bye'}, "unquoted", 'say "hi" \\ bye', id="TXT-unquoted"),
    pytest.param("TXT", {"txtdata": 'say "hi" \\ bye'}, "api", 'say "hi" \\ bye', id="TXT-api"),
    pytest.param("TXT", {"txtdata": 'say "hi" \\ bye'}, "quoted", r'"say \"hi\" \\ bye"', id="TXT-quoted-escapes"),
    pytest.param("SPF", {"txtdata": "v=spf1 -all"}, "quoted", '"v=spf1 -all"', id="SPF-quoted"),
]


@pytest.mark.parametrize(("record_type", "rdata", "txt_transformation", "written"), API_RDATA)
def test_api_rdata_in_any_spelling_is_written_in_one_form(record_type, rdata, txt_transformation, written):
    assert presentation_of(record_type, rdata, txt_transformation) == written


@pytest.mark.parametrize("txt", [
    pytest.param("", id="empty"),
    pytest.param('"', id="lone-quote"),
    pytest.param("\\", id="lone-backslash"),
    pytest.param('a\\"b', id="backslash-quote"),
    pytest.param('"a" "b"', id="quoted-strings"),
    pytest.param("it's a 'test'", id="single-quotes"),
    pytest.param("tab\tand  blanks ", id="blanks"),
    pytest.param("ünïcödé ✓", id="unicode"),
])
def test_quoted_transformation_round_trips_any_txtdata(txt):
    written = presentation_of("TXT", {"txtdata": txt}, "quoted")
    assert written.startswith('"') and written.endswith('"')
    assert rdata_of("TXT", written, "quoted") == {"txtdata": txt}


def test_api_records_builds_the_replace_set_list_in_value_order():
    assert api_records("MX", ["20 b.example.com", "10 a.example.com."], 0) == [
        {"rdata": {"preference": 20, "exchange": "b.example.com."}, "ttl": 0},
        {"rdata": {"preference": 10, "exchange": "a.example.com."}, "ttl": 0},
    ]
    assert api_records("TXT", ['"a" "b"'], 600, "quoted") == [{"rdata": {"txtdata": "ab"}, "ttl": 600}]
    assert api_records("A", [], 300) == []


# --- invalid values ---------------------------------------------------------------------------

# (type, value, txt_transformation, what the message says besides the value)
INVALID = [
    pytest.param("A", "192.0.2.256", "unquoted", "is not an IPv4 address", id="A-octet-too-big"),
    pytest.param("A", "192.0.2", "unquoted", "is not an IPv4 address", id="A-three-octets"),
    pytest.param("A", "192.0.2.01", "unquoted", "is not an IPv4 address", id="A-leading-zero"),
    pytest.param("A", "2001:db8::1", "unquoted", "is not an IPv4 address", id="A-given-IPv6"),
    pytest.param("A", "www.example.com", "unquoted", "is not an IPv4 address", id="A-given-name"),
    pytest.param("A", "192.0.2.1 192.0.2.2", "unquoted", "is not an IPv4 address", id="A-two-addresses"),
    pytest.param("A", "", "unquoted", "is not of the form '<address>'", id="A-empty"),
    pytest.param("AAAA", "192.0.2.1", "unquoted", "is not an IPv6 address", id="AAAA-given-IPv4"),
    pytest.param("AAAA", "2001:db8::g", "unquoted", "is not an IPv6 address", id="AAAA-bad-digit"),
    pytest.param("AAAA", "2001:db8::1::2", "unquoted", "is not an IPv6 address", id="AAAA-two-double-colons"),
    pytest.param("CNAME", "bad name.example.com", "unquoted", "is not a host name", id="CNAME-blank"),
    pytest.param("CNAME", "a..b.example.com", "unquoted", "is not a host name", id="CNAME-empty-label"),
    pytest.param("CNAME", "bad!name.example.com", "unquoted", "is not a host name", id="CNAME-bad-character"),
    pytest.param("CNAME", "", "unquoted", "is not of the form '<cname>'", id="CNAME-empty"),
    pytest.param("NS", "ns1.example.net..", "unquoted", "is not a host name", id="NS-two-dots"),
    pytest.param("PTR", "host/example.com", "unquoted", "is not a host name", id="PTR-slash"),
    pytest.param("MX", "mail.example.com", "unquoted", "is not of the form '<preference> <exchange>'", id="MX-missing-preference"),
    pytest.param("MX", "10", "unquoted", "is not of the form '<preference> <exchange>'", id="MX-missing-exchange"),
    pytest.param("MX", "ten mail.example.com", "unquoted", "'ten' is not a number", id="MX-word-for-number"),
    pytest.param("MX", "-1 mail.example.com", "unquoted", "'-1' is not a number", id="MX-negative"),
    pytest.param("MX", "1.5 mail.example.com", "unquoted", "'1.5' is not a number", id="MX-fraction"),
    pytest.param("MX", "10 mail.example.com extra", "unquoted", "is not a host name", id="MX-extra-field"),
    pytest.param(
        "SRV", "10 20 sip.example.com", "unquoted", "is not of the form '<priority> <weight> <port> <target>'", id="SRV-missing-port"
    ),
    pytest.param("SRV", "10 20 x sip.example.com", "unquoted", "'x' is not a number", id="SRV-port-not-a-number"),
    pytest.param("SRV", "10 20 5060 bad!target", "unquoted", "is not a host name", id="SRV-bad-target"),
    pytest.param("CAA", "0 issue", "unquoted", "is not of the form '<flags> <tag> <value>'", id="CAA-missing-value"),
    pytest.param("CAA", "x issue ca.example", "unquoted", "'x' is not a number", id="CAA-flags-not-a-number"),
    pytest.param("CAA", "0 is-sue ca.example", "unquoted", "is not a CAA tag", id="CAA-bad-tag"),
    pytest.param("CAA", '0 issue "ca.example', "unquoted", "does not end in one quoted string", id="CAA-unterminated"),
    pytest.param("CAA", '0 issue "', "unquoted", "does not end in one quoted string", id="CAA-lone-quote"),
    pytest.param("TXT", "v=spf1 -all", "quoted", "is not quoted", id="TXT-quoted-given-bare-text"),
    pytest.param("TXT", '"unterminated', "quoted", "is not a sequence of quoted strings", id="TXT-quoted-unterminated"),
    pytest.param("TXT", "", "quoted", "is not quoted", id="TXT-quoted-empty"),
    pytest.param("SPF", "v=spf1 -all", "quoted", "is not quoted", id="SPF-quoted-given-bare-text"),
]


@pytest.mark.parametrize(("record_type", "value", "txt_transformation", "reason"), INVALID)
def test_an_invalid_value_raises_record_value_error_naming_the_value(record_type, value, txt_transformation, reason):
    with pytest.raises(RecordValueError) as caught:
        api_records(record_type, [value], 300, txt_transformation)
    message = str(caught.value)
    assert repr(value) in message
    assert reason in message


@pytest.mark.parametrize("call", [
    pytest.param(lambda: canonical_values("A", ["192.0.2.1", "192.0.2.999"]), id="canonical_values"),
    pytest.param(lambda: same_values("A", ["192.0.2.1"], ["192.0.2.999"]), id="same_values-right"),
    pytest.param(lambda: same_values("A", ["192.0.2.999"], ["192.0.2.1"]), id="same_values-left"),
    pytest.param(lambda: api_records("A", ["192.0.2.1", "192.0.2.999"], 0), id="api_records"),
])
def test_every_entry_point_refuses_an_invalid_value(call):
    with pytest.raises(RecordValueError, match="'192.0.2.999'"):
        call()


@pytest.mark.parametrize("txt_transformation", ["unquoted", "api"])
def test_unquoted_and_api_transformations_take_any_text(txt_transformation):
    for value in ["", "unterminated \"", "v=spf1 -all", '"a" "b"']:
        assert rdata_of("TXT", value, txt_transformation) == {"txtdata": value}


# --- names: fqdn_of and prefix_of ------------------------------------------------------------

FQDNS = [
    pytest.param(ZONE, "www.example.com", None, "www.example.com", id="record"),
    pytest.param(ZONE, "WWW.Example.COM.", None, "www.example.com", id="record-upper-case-trailing-dot"),
    pytest.param("Example.COM.", "www.example.com", None, "www.example.com", id="zone-upper-case-trailing-dot"),
    pytest.param(ZONE, "example.com", None, "example.com", id="record-apex"),
    pytest.param(ZONE, "Example.Com.", None, "example.com", id="record-apex-dot"),
    pytest.param(ZONE, "a.b.example.com", None, "a.b.example.com", id="record-deep"),
    pytest.param(ZONE, None, "www", "www.example.com", id="prefix"),
    pytest.param(ZONE, None, "WWW.", "www.example.com", id="prefix-upper-case-trailing-dot"),
    pytest.param(ZONE, None, "a.b", "a.b.example.com", id="prefix-two-labels"),
    pytest.param(ZONE, None, "*", "*.example.com", id="prefix-wildcard"),
    pytest.param(ZONE, None, "@", "example.com", id="prefix-at"),
    pytest.param(ZONE, None, "", "example.com", id="prefix-empty"),
    pytest.param(ZONE, None, None, "example.com", id="neither"),
    pytest.param("example.com.", None, "mail", "mail.example.com", id="prefix-zone-dot"),
    pytest.param(ZONE, "www.example.com", "ignored", "www.example.com", id="record-wins-over-prefix"),
]


@pytest.mark.parametrize(("zone", "record", "prefix", "fqdn"), FQDNS)
def test_fqdn_of_gives_the_lower_case_name_without_trailing_dot(zone, record, prefix, fqdn):
    assert fqdn_of(zone, record, prefix) == fqdn


@pytest.mark.parametrize("record", [
    pytest.param("www.example.org", id="other-zone"),
    pytest.param("badexample.com", id="zone-name-as-suffix-without-dot"),
    pytest.param("com", id="parent"),
    pytest.param("example.com.evil.org", id="zone-name-inside"),
])
def test_fqdn_of_refuses_a_record_outside_the_zone(record):
    with pytest.raises(RecordValueError) as caught:
        fqdn_of(ZONE, record, None)
    assert str(caught.value) == f"record {record.rstrip('.').lower()} is not in zone example.com"


@pytest.mark.parametrize("record", ["", ".", " . ", ".."])
def test_fqdn_of_refuses_a_record_name_that_is_empty_once_normalised(record):
    with pytest.raises(RecordValueError) as caught:
        fqdn_of(ZONE, record, None)
    assert str(caught.value) == f"record {record!r} names no record: nothing is left once the blanks and the trailing dot are dropped"


@pytest.mark.parametrize("prefix", [".", "..", " . "])
def test_fqdn_of_refuses_a_prefix_of_dots_instead_of_taking_it_for_the_apex(prefix):
    with pytest.raises(RecordValueError) as caught:
        fqdn_of(ZONE, None, prefix)
    assert str(caught.value) == (
        f"prefix {prefix!r} names no record: nothing is left once the blanks and the trailing dot are dropped; write @ for the zone's apex"
    )


@pytest.mark.parametrize("prefix", ["", " ", "@", "@."])
def test_fqdn_of_takes_the_written_forms_of_the_apex(prefix):
    assert fqdn_of(ZONE, None, prefix) == ZONE


LABEL_63 = "a" * 63
# 63 + 1 + 63 + 1 + 63 + 1 + 49 + 1 + len("example.com") = 253 octets
NAME_253 = f"{LABEL_63}.{LABEL_63}.{LABEL_63}.{'b' * 49}.example.com"

BAD_RECORD_NAMES = [
    pytest.param("www..example.com", None, "has an empty label", id="two-dots-in-a-row"),
    pytest.param(".www.example.com", None, "has an empty label", id="leading-dot"),
    pytest.param(None, "a..b", "has an empty label", id="prefix-two-dots-in-a-row"),
    pytest.param(None, ".www", "has an empty label", id="prefix-leading-dot"),
    pytest.param(f"{'x' * 64}.example.com", None, f"has the label '{'x' * 64}' of 64 octets; a DNS label has 1 to 63", id="label-64"),
    pytest.param(None, f"www.{'y' * 70}", f"has the label '{'y' * 70}' of 70 octets", id="prefix-label-70"),
    pytest.param(None, "\u00e9" * 32, "of 64 octets", id="label-of-32-two-octet-characters"),
    pytest.param(f"c{NAME_253}", None, "is 254 octets long; a DNS name has at most 253 (without the trailing dot)", id="name-254"),
    pytest.param(None, f"{LABEL_63}.{LABEL_63}.{LABEL_63}.{'b' * 50}", "is 254 octets long", id="prefix-making-254"),
    pytest.param("a/b.example.com", None, "holds '/', which no DNS name has", id="slash"),
    pytest.param(None, "a\\b", "holds '\\\\', which no DNS name has", id="prefix-backslash"),
]


@pytest.mark.parametrize(("record", "prefix", "problem"), BAD_RECORD_NAMES)
def test_fqdn_of_refuses_a_record_that_is_no_dns_name_naming_the_label(record, prefix, problem):
    with pytest.raises(RecordValueError) as caught:
        fqdn_of(ZONE, record, prefix)
    assert str(caught.value).startswith("record ")
    assert problem in str(caught.value)


@pytest.mark.parametrize(
    ("record", "prefix", "fqdn"),
    [
        pytest.param("*.example.com", None, "*.example.com", id="wildcard"),
        pytest.param(None, "_acme-challenge", "_acme-challenge.example.com", id="underscore"),
        pytest.param(None, "_sip._tcp", "_sip._tcp.example.com", id="srv-owner"),
        pytest.param("xn--bcher-kva.example.com", None, "xn--bcher-kva.example.com", id="punycode"),
        pytest.param(f"{LABEL_63}.example.com", None, f"{LABEL_63}.example.com", id="label-63"),
        pytest.param(NAME_253, None, NAME_253, id="name-253"),
        pytest.param(f"{NAME_253}.", None, NAME_253, id="name-253-with-trailing-dot"),
        pytest.param(" www.example.com ", None, "www.example.com", id="blanks-around"),
    ],
)
def test_fqdn_of_takes_every_name_the_api_takes(record, prefix, fqdn):
    assert fqdn_of(ZONE, record, prefix) == fqdn


# --- zone names: the one normaliser ------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "name"),
    [("example.com", "example.com"), ("Example.COM.", "example.com"), ("  example.com \n", "example.com"),
     ("xn--bcher-kva.example", "xn--bcher-kva.example"), ("_tcp.example.com", "_tcp.example.com")],
)
def test_zone_name_is_lower_case_without_blanks_or_trailing_dot(zone, name):
    assert zone_name(zone) == name


@pytest.mark.parametrize("zone", ["", " ", ".", "..", " . ", "\t"])
def test_a_zone_name_that_normalises_to_nothing_is_refused(zone):
    with pytest.raises(DynectConfigError) as caught:
        zone_name(zone)
    assert str(caught.value) == (
        f"zone {zone!r} names no zone: nothing is left once the blanks and the trailing dot are dropped; "
        "give the zone's name, for example example.com"
    )


@pytest.mark.parametrize(
    ("zone", "problem"),
    [
        ("example.com/", "holds '/', which no DNS name has"),
        ("../Session", "holds '/'"),
        ("example.com/../../Session", "holds '/'"),
        ("example\\com", "holds '\\\\'"),
        ("example..com", "has an empty label"),
        (".example.com", "has an empty label"),
        (f"{'z' * 64}.com", "of 64 octets"),
        (".".join(["z" * 63] * 4), "is 255 octets long; a DNS name has at most 253"),
    ],
)
def test_a_zone_name_no_zone_has_is_refused_naming_the_problem(zone, problem):
    with pytest.raises(DynectConfigError) as caught:
        zone_name(zone)
    message = str(caught.value)
    assert message.startswith(f"zone {zone!r} ")
    assert problem in message
    assert message.endswith("; give the zone's name alone, for example example.com")


PREFIXES = [
    pytest.param(ZONE, "www.example.com", "www", id="one-label"),
    pytest.param("Example.COM.", "WWW.Example.com.", "www", id="case-and-dots"),
    pytest.param(ZONE, "a.b.example.com", "a.b", id="two-labels"),
    pytest.param(ZONE, "example.com", "", id="apex"),
    pytest.param(ZONE, "EXAMPLE.COM.", "", id="apex-upper-case-dot"),
    pytest.param(ZONE, "*.example.com", "*", id="wildcard"),
]


@pytest.mark.parametrize(("zone", "fqdn", "prefix"), PREFIXES)
def test_prefix_of_gives_the_name_relative_to_the_zone(zone, fqdn, prefix):
    assert prefix_of(zone, fqdn) == prefix


@pytest.mark.parametrize("prefix", ["www", "a.b", "*", ""])
def test_prefix_of_undoes_fqdn_of(prefix):
    assert prefix_of(ZONE, fqdn_of(ZONE, None, prefix)) == prefix


# --- record_set_from_api ----------------------------------------------------------------------


def test_record_set_from_api_sorts_values_and_names_the_set():
    records = [
        api_record("Example.COM.", "MX", {"preference": 20, "exchange": "mx2.example.com."}, ttl=300, record_id=2),
        api_record("Example.COM.", "MX", {"preference": 10, "exchange": "mx1.example.com."}, ttl=300, record_id=1),
    ]
    assert record_set_from_api(ZONE, "MX", records) == RecordSet(
        "example.com", "", "MX", 300, ["10 mx1.example.com.", "20 mx2.example.com."]
    )


def test_record_set_from_api_of_a_node_below_the_apex():
    records = [
        api_record("WWW.example.com", "AAAA", {"address": "2001:db8:0:0:0:0:0:2"}, ttl="600"),
        api_record("WWW.example.com", "AAAA", {"address": "2001:DB8::1"}, ttl="600"),
    ]
    record_set = record_set_from_api("example.com.", "AAAA", records)
    assert record_set == RecordSet("www.example.com", "www", "AAAA", 600, ["2001:db8::1", "2001:db8::2"])
    assert record_set.as_dict() == {
        "record": "www.example.com", "prefix": "www", "type": "AAAA", "ttl": 600, "value": ["2001:db8::1", "2001:db8::2"],
    }


def test_record_set_from_api_with_mixed_ttls_has_no_ttl():
    records = [
        api_record("x.example.com", "A", {"address": "192.0.2.1"}, ttl=300),
        api_record("x.example.com", "A", {"address": "192.0.2.2"}, ttl=600),
    ]
    record_set = record_set_from_api(ZONE, "A", records)
    assert record_set.ttl is None
    assert record_set.value == ["192.0.2.1", "192.0.2.2"]


def test_record_set_from_api_of_no_records_is_none():
    assert record_set_from_api(ZONE, "A", []) is None


@pytest.mark.parametrize(("txt_transformation", "values"), [
    pytest.param("unquoted", ['a "b"', "plain"], id="unquoted"),
    pytest.param("api", ['a "b"', "plain"], id="api"),
    pytest.param("quoted", [r'"a \"b\""', '"plain"'], id="quoted"),
])
def test_record_set_from_api_writes_txt_in_the_transformation(txt_transformation, values):
    records = [api_record("t.example.com", "TXT", {"txtdata": "plain"}), api_record("t.example.com", "TXT", {"txtdata": 'a "b"'})]
    assert record_set_from_api(ZONE, "TXT", records, txt_transformation).value == values


def test_record_set_from_api_gives_a_type_it_does_not_model_as_the_api_does():
    soa = {"rname": "admin.example.com.", "mname": "ns1.p01.dynect.net.", "serial": 1}
    assert record_set_from_api(ZONE, "SOA", [api_record("example.com", "SOA", soa)]) == RecordSet(
        "example.com", "", "SOA", 3600, ["admin.example.com. ns1.p01.dynect.net. 1"]
    )


@pytest.mark.parametrize(
    ("records", "message"),
    [
        pytest.param([api_record("x.example.com", "A", {"address": "192.0.2.1"}), {"fqdn": "x.example.com", "rdata": {"address": "192.0.2.2"}}],
                     "the API's A record x.example.com has no 'ttl'", id="no-ttl"),
        pytest.param([api_record("x.example.com", "MX", {"exchange": "mx.example.com."})],
                     "the API's MX record x.example.com has no 'preference' in its rdata", id="no-field"),
        pytest.param([{"fqdn": "x.example.com", "ttl": 300}], "the API's TXT record x.example.com has no 'rdata'", id="no-rdata"),
    ],
)
def test_a_malformed_record_of_a_modelled_type_is_refused_naming_what_it_lacks(records, message):
    record_type = message.split()[2]
    with pytest.raises(MalformedRecordError) as caught:
        record_set_from_api(ZONE, record_type, records)
    assert str(caught.value) == message


# --- same_values and canonical_values ---------------------------------------------------------

SAME = [
    pytest.param("A", ["192.0.2.1", "192.0.2.2"], ["192.0.2.2", "192.0.2.1"], "unquoted", True, id="A-order-insensitive"),
    pytest.param("A", ["192.0.2.1"], ["192.0.2.2"], "unquoted", False, id="A-other-address"),
    pytest.param("A", ["192.0.2.1"], ["192.0.2.1", "192.0.2.2"], "unquoted", False, id="A-subset"),
    pytest.param("A", [], [], "unquoted", True, id="both-empty"),
    pytest.param("A", [], ["192.0.2.1"], "unquoted", False, id="one-empty"),
    pytest.param("AAAA", ["2001:DB8:0:0::1"], ["2001:db8::1"], "unquoted", True, id="AAAA-any-form"),
    pytest.param("AAAA", ["2001:db8::1"], ["2001:db8::2"], "unquoted", False, id="AAAA-other-address"),
    pytest.param("CNAME", ["WWW.Example.com"], ["www.example.com."], "unquoted", True, id="CNAME-case-and-dot"),
    pytest.param("CNAME", ["www.example.com"], ["www.example.org"], "unquoted", False, id="CNAME-other-name"),
    pytest.param("NS", ["ns1.example.net.", "NS2.example.net"], ["ns2.example.net", "ns1.example.net"], "unquoted", True, id="NS"),
    pytest.param("PTR", ["Host.example.com"], ["host.example.com."], "unquoted", True, id="PTR"),
    pytest.param("MX", ["010 Mail.Example.com"], ["10 mail.example.com."], "unquoted", True, id="MX-number-as-number"),
    pytest.param("MX", ["10 mail.example.com"], ["20 mail.example.com"], "unquoted", False, id="MX-other-preference"),
    pytest.param("SRV", ["1 2 0443 T.example.com"], ["1 2 443 t.example.com."], "unquoted", True, id="SRV"),
    pytest.param("SRV", ["1 2 443 t.example.com"], ["1 2 444 t.example.com"], "unquoted", False, id="SRV-other-port"),
    pytest.param("CAA", ['0 ISSUE "ca.example"'], ["0 issue ca.example"], "unquoted", True, id="CAA-tag-case-and-quotes"),
    pytest.param("CAA", ['0 issue "CA.example"'], ['0 issue "ca.example"'], "unquoted", False, id="CAA-value-exact"),
    pytest.param("TXT", ["Hello"], ["hello"], "unquoted", False, id="TXT-case-exact"),
    pytest.param("TXT", ["a b"], ["a  b"], "unquoted", False, id="TXT-blanks-exact"),
    pytest.param("TXT", ['"a" "b"'], ["ab"], "unquoted", False, id="TXT-unquoted-verbatim"),
    pytest.param("TXT", ['"a" "b"'], ['"ab"'], "quoted", True, id="TXT-quoted-joined"),
    pytest.param("TXT", ['"a" "b"'], ['"a b"'], "quoted", False, id="TXT-quoted-no-blank-added"),
    pytest.param("TXT", ['"a" "b"'], ['"ab"'], "api", False, id="TXT-api-verbatim"),
    pytest.param("SPF", ['"v=spf1 " "-all"'], ['"v=spf1 -all"'], "quoted", True, id="SPF-quoted"),
]


@pytest.mark.parametrize(("record_type", "left", "right", "txt_transformation", "same"), SAME)
def test_same_values_compares_as_dns_does(record_type, left, right, txt_transformation, same):
    assert same_values(record_type, left, right, txt_transformation) is same
    swapped_left, swapped_right = right, left
    assert same_values(record_type, swapped_left, swapped_right, txt_transformation) is same  # symmetric


CANONICAL = [
    pytest.param("A", ["192.0.2.2", "192.0.2.1", "192.0.2.2"], "unquoted", ["192.0.2.1", "192.0.2.2"], id="A-sorted-repeat-dropped"),
    pytest.param("AAAA", ["2001:DB8:0:0::1", "2001:db8::1"], "unquoted", ["2001:db8::1"], id="AAAA-forms-of-one-address"),
    pytest.param("MX", ["10 mail.example.com", "10 mail.example.com."], "unquoted", ["10 mail.example.com."], id="MX-with-and-without-dot"),
    pytest.param("MX", ["010 mx.example.com", "10 mx.example.com"], "unquoted", ["10 mx.example.com."], id="MX-number-spellings"),
    pytest.param("CAA", ["0 ISSUE ca", '0 issue "ca"'], "unquoted", ['0 issue "ca"'], id="CAA-tag-case-and-quotes"),
    pytest.param("TXT", ['"a" "b"', '"ab"'], "quoted", ['"ab"'], id="TXT-quoted-joined"),
    pytest.param("TXT", ["b", "a", "b"], "unquoted", ["a", "b"], id="TXT-unquoted"),
    pytest.param("TXT", ["B", "b"], "unquoted", ["B", "b"], id="TXT-case-is-no-repeat"),
    pytest.param("A", [], "unquoted", [], id="empty"),
]


@pytest.mark.parametrize(("record_type", "values", "txt_transformation", "canonical"), CANONICAL)
def test_canonical_values_are_sorted_written_back_and_without_repeats(record_type, values, txt_transformation, canonical):
    assert canonical_values(record_type, values, txt_transformation) == canonical
    assert canonical_values(record_type, canonical, txt_transformation) == canonical  # already canonical: unchanged


# --- bugs -------------------------------------------------------------------------------------


def test_canonical_values_drop_values_that_differ_only_in_the_case_of_a_name():
    canonical = canonical_values("MX", ["10 Mail.example.com", "10 mail.example.com"])
    assert len(canonical) == 1
    assert same_values("MX", canonical, ["10 mail.example.com"])


def test_same_values_compares_sets_so_a_repeated_value_is_the_same_record():
    assert same_values("A", ["192.0.2.1", "192.0.2.1"], ["192.0.2.1"])


@pytest.mark.parametrize(("record_type", "rdata", "written"), [
    pytest.param("MX", {"preference": 0, "exchange": "."}, "0 .", id="null-MX"),
    pytest.param("SRV", {"priority": 0, "weight": 0, "port": 0, "target": "."}, "0 0 0 .", id="SRV-no-service"),
])
def test_a_root_target_read_from_the_api_compares_with_itself(record_type, rdata, written):
    existing = record_set_from_api(ZONE, record_type, [api_record("example.com", record_type, rdata)])
    assert existing.value == [written]
    assert same_values(record_type, existing.value, [written])


def test_a_host_name_with_a_leading_dot_is_refused():
    with pytest.raises(RecordValueError, match=r"'\.mail\.example\.com' is not a host name"):
        api_records("MX", ["10 .mail.example.com"], 0)


def test_an_ipv6_address_with_a_zone_index_is_refused():
    with pytest.raises(RecordValueError, match="is not an IPv6 address"):
        api_records("AAAA", ["fe80::1%eth0"], 0)


@pytest.mark.parametrize("value", [
    pytest.param('0 issue "abc\\"', id="escaped-final-quote"),
    pytest.param('0 issue "a" "b"', id="two-strings"),
])
def test_a_caa_value_that_is_not_one_quoted_string_is_refused(value):
    with pytest.raises(RecordValueError, match="quoted string"):
        api_records("CAA", [value], 0)


# The record set's fields are documented twice (dyn_record_set's record_set, dyn_record_set_info's
# sets): RETURN blocks cannot share a fragment, so this keeps both equal to what the code returns.
_RETURNED_TYPES = {"str": str, "int": int, "list": list}


@pytest.mark.parametrize(("module_name", "key"), [("dyn_record_set", "record_set"), ("dyn_record_set_info", "sets")])
def test_the_documented_record_set_fields_are_the_ones_returned(module_name, key):
    import importlib

    import yaml

    module = importlib.import_module(f"ansible_collections.dyn.managed_dns.plugins.modules.{module_name}")
    documented = yaml.safe_load(module.RETURN)[key]["contains"]
    returned = RecordSet("www.example.com", "www", "A", 300, ["192.0.2.10"]).as_dict()

    assert list(documented) == list(returned)
    for name, value in returned.items():
        assert isinstance(value, _RETURNED_TYPES[documented[name]["type"]]), name
