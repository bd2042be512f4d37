# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Errors raised by the DynECT session layer.

The class names are those of dyn-python's ``dyn.tm.errors`` so that code written for the SDK keeps
catching the same things. Unlike the SDK, every error knows the request it belongs to (``method``,
``uri``, ``http_status``), keeps the API's messages as they came (``messages``), and its ``str()``
is always one readable sentence. Nothing secret is ever put into an error: the session layer only
passes API messages, request paths and transport reasons, none of which carry credentials.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

__all__ = [
    "DynectError",
    "DynectAuthError",
    "DynectChangeNotMadeError",
    "DynectChangesLostError",
    "DynectConfigError",
    "DynectCreateError",
    "DynectDeleteError",
    "DynectDnsRuleError",
    "DynectGetError",
    "DynectInvalidArgumentError",
    "DynectLoginError",
    "DynectNodeNotFoundError",
    "DynectQueryTimeout",
    "DynectUpdateError",
    "DynectZoneNotFoundError",
    "TLS_FAILURE",
    "error_class_for_method",
]

#: How a transport error about TLS starts its reason; such a reason ends with its own advice (the
#: trust, or ssl and port), so the task adds no other.
TLS_FAILURE = "TLS connection to "


class DynectError(Exception):
    """Base class of every error of this collection's DynECT client.

    :param reason: what went wrong, in the client's own words (optional when the API said it).
    :param messages: the API's ``msgs`` list (dicts with ``INFO``, ``SOURCE``, ``ERR_CD``, ``LVL``).
    :param method: HTTP method of the request that failed.
    :param uri: path of the request that failed, e.g. ``/REST/Session/``.
    :param http_status: HTTP status of the reply, or None when there was no reply.
    :param outcome_unknown: True when the request changes state (anything but a GET or the session
        keep-alive) and may or may not have been carried out, because no verdict on it came back: no
        reply, a reply that is not the API's (an error page), a job that did not finish in time or
        whose polling failed. False when the API's verdict says what happened (it refused the
        request, or the request never left), and for every read.
    """

    def __init__(
        self,
        reason: str | None = None,
        *,
        messages: Iterable[Mapping[str, Any]] = (),
        method: str | None = None,
        uri: str | None = None,
        http_status: int | None = None,
        outcome_unknown: bool = False,
    ) -> None:
        self.reason = reason
        self.outcome_unknown = outcome_unknown
        self.messages = [dict(message) for message in messages]
        self.method = method
        self.uri = uri
        self.http_status = http_status
        super().__init__(self._describe())

    @property
    def message(self) -> str:
        """The error text (the SDK's errors exposed it under this name)."""
        return str(self)

    @property
    def error_codes(self) -> list[str]:
        """The API's ``ERR_CD`` values, in order, without the empty ones."""
        return [message["ERR_CD"] for message in self.messages if message.get("ERR_CD")]

    def _describe(self) -> str:
        infos = [str(message["INFO"]) for message in self.messages if message.get("INFO")]
        detail = "; ".join([self.reason] + infos if self.reason else infos)
        if not detail:
            detail = "the API gave no message"
        if self.method is None or self.uri is None:
            return detail
        status = "" if self.http_status is None else f" (HTTP {self.http_status})"
        return f"{self.method} {self.uri} failed{status}: {detail}"


class DynectAuthError(DynectError):
    """Logging in failed, the API host could not be reached to log in, or the session is not valid."""


class DynectLoginError(DynectAuthError):
    """A login failed: the API refused the credentials, or the login got no usable answer.

    Raised where the login is made, so that nobody has to tell a login from other requests by
    its method and path. A :class:`DynectAuthError` still, as the SDK raised for a failed login.
    """


class DynectCreateError(DynectError):
    """A POST request failed."""


class DynectUpdateError(DynectError):
    """A PUT request failed."""


class DynectChangeNotMadeError(DynectUpdateError):
    """A change whose answer was lost, found by logging in not to have been carried out.

    Its outcome is known (nothing changed) and the API was reached to find that out: neither the
    network nor the API's verdict on the request is in question, so running it again is safe.
    """


class DynectGetError(DynectError):
    """A GET request failed."""


class DynectDeleteError(DynectError):
    """A DELETE request failed."""


class DynectQueryTimeout(DynectError):
    """A request turned into a job that did not finish within the session's ``job_timeout``."""


class DynectConfigError(DynectError):
    """The session was given options it cannot work with (a bad key, a proxy without a port, ...)."""


class DynectDnsRuleError(DynectConfigError):
    """Record sets that would break a rule of DNS itself, refused before any change is sent.

    ``record`` and ``record_type`` name the set at fault and ``rule`` the RFC section it breaks
    (for example ``RFC 1034 section 3.6.2``); the text says all three.
    """

    def __init__(self, reason: str | None = None, *, record: str | None = None, record_type: str | None = None, rule: str | None = None) -> None:
        self.record = record
        self.record_type = record_type
        self.rule = rule
        super().__init__(reason)


class DynectChangesLostError(DynectError):
    """A publish refused before it was sent: the zone's pending changes were lost with an earlier server session.

    DynECT keeps zone changes in the server session that made them; when the session layer had to
    log in again, the changes made before are gone, and a publish would put a partial batch live.
    """


class DynectZoneNotFoundError(DynectError):
    """The API answered NOT_FOUND for the zone a request names: the session's customer has no such zone.

    Raised by the DNS operations (``dns.py``) in place of the request's own error, whose request,
    messages and text it keeps; ``zone`` is the zone's name as the request gave it. A
    :class:`DynectError` still, so code that caught the request's error keeps catching it.
    """

    def __init__(self, reason: str | None = None, *, zone: str | None = None, **request: Any) -> None:
        self.zone = zone
        super().__init__(reason, **request)


class DynectNodeNotFoundError(DynectError):
    """The API answered NOT_FOUND for the name (node) a request names in an existing zone.

    Like :class:`DynectZoneNotFoundError`, it keeps the request's own error; ``zone`` and ``node``
    (the FQDN) say where nothing was found.
    """

    def __init__(self, reason: str | None = None, *, zone: str | None = None, node: str | None = None, **request: Any) -> None:
        self.zone = zone
        self.node = node
        super().__init__(reason, **request)


class DynectInvalidArgumentError(DynectError, ValueError):
    """An argument has a value the client refuses before sending anything.

    The signature is the SDK's. It is also a :class:`ValueError`, which is what the SDK raised for
    an invalid HTTP method, so code catching that keeps working.
    """

    def __init__(self, arg: str, value: Any, valid_args: Iterable[Any] | None = None) -> None:
        self.arg = arg
        self.value = value
        self.valid_args = None if valid_args is None else list(valid_args)
        reason = f"Invalid argument ({arg}, {value})"
        if self.valid_args is not None:
            reason += f" :: valid values are: {', '.join(map(str, self.valid_args))}"
        super().__init__(reason)


_ERROR_CLASS_BY_METHOD: dict[str, type[DynectError]] = {
    "POST": DynectCreateError,
    "PUT": DynectUpdateError,
    "GET": DynectGetError,
    "DELETE": DynectDeleteError,
}


def error_class_for_method(method: str) -> type[DynectError]:
    """The error class the SDK uses for a failed request with this HTTP method."""
    return _ERROR_CLASS_BY_METHOD.get(method.upper(), DynectError)
