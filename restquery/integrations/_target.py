"""Where a request target will be routed, decided once, before anything is validated.

A validating front end is only as good as its agreement with the server behind it on which
requests are REST requests. Servers normalise paths in different ways before routing: they
percent-decode (some twice), resolve ``.`` and ``..`` segments, merge ``//``, drop ``;``
parameters, read ``\\`` as ``/``, cut at a NUL, ignore trailing dots, fold case, and route an
absolute-form target (``GET http://host/rest/...``, RFC 9112 §3.2.2) by its path. A target
that *any* of those readings puts under the prefix is a REST request for this module.

:func:`route` gives one of three answers:

* **pass** — no reading puts the target under the prefix: it is not a REST request;
* **check** — the decoded path is literally under the prefix: validate exactly these bytes
  (the origin-form target; an absolute-form target for this server is reduced to it) and
  forward exactly them. Whatever else such a path holds (``..``, ``//``, ``;``, NUL) is the
  parser's to refuse as the syntax error it is;
* **refuse** — a target that is not origin-form (``CONNECT``, ``*``, no leading ``/``, an
  absolute-form target for another host), or one that some reading puts under the prefix but
  that is not literally there (``/x/../rest``, ``//rest``, ``/%2Frest``, ``/rest;x``,
  ``/rest\\x``, ``/rest.``, ``/rest%00``), or one that holds a raw ``#`` (``/rest/E#x``: a
  request target has no fragment, and a server that keeps the text after it would act on what
  was never checked): 400 with the diagnostic RQ014.

>>> route("GET", b"/rest/Company(1)", "/rest").action
'check'
>>> route("GET", b"/x/../rest/Company(1)", "/rest").action
'refuse'
>>> route("GET", b"/static/app.js", "/rest").action
'pass'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import unquote

from restquery.ast import Span
from restquery.diagnostics import Diagnostic
from restquery.syntax.explain import INTEGRATION_CODES

__all__ = ["Route", "route"]

PASS, CHECK, REFUSE = "pass", "check", "refuse"

#: Anything in a path that some server reads differently from another: percent-escapes,
#: backslashes, ``;`` parameters, ``#`` (a fragment to some, text to others), control
#: characters, empty and dot segments, a segment ending in a dot or a space.
_NEEDS_CARE = re.compile(rb"[%\\;#\x00-\x1f\x7f]|//|/\.|[. ](?:/|$)")
_ABSOLUTE = re.compile(rb"([A-Za-z][A-Za-z0-9+.\-]*)://([^/?#]*)")
_DEFAULT_PORTS = {"http": "80", "https": "443"}

#: Rounds of percent-decoding tried: a server that decodes twice turns ``%252F`` into ``/``.
_DECODE_ROUNDS = 3

@dataclass(frozen=True, slots=True)
class Route:
    """The decision on one target: ``action`` (``"pass"``, ``"check"`` or ``"refuse"``),
    ``target`` the origin-form bytes to validate and forward, and for a refusal the
    diagnostic saying why."""

    action: str
    target: bytes
    refusal: Diagnostic | None = None


def _refuse(target: bytes, hint: str, span: tuple[int, int] | None = None) -> Route:
    start, end = span if span is not None else (0, len(target))
    name, message = INTEGRATION_CODES["RQ014"]
    return Route(
        REFUSE,
        target,
        Diagnostic(
            code="RQ014",
            name=name,
            severity="error",
            message=message,
            span=Span(start, end),
            hint=hint,
        ),
    )


def _decoded(path: str) -> str:
    for _ in range(_DECODE_ROUNDS):
        if "%" not in path:
            break
        decoded = unquote(path, encoding="latin-1")
        if decoded == path:
            break
        path = decoded
    return path


def _segments(path: str) -> list[str]:
    """The literal segments of a decoded path, a trailing ``/`` aside."""
    parts = path.split("/")[1:]
    if len(parts) > 1 and parts[-1] == "":
        parts.pop()
    return parts


def _readings(path: str) -> list[list[str]]:
    """The segments of a decoded path as the most lenient servers route it."""
    path = path.replace("\\", "/")
    out = []
    for variant in {path.split("\x00", 1)[0], path.replace("\x00", ""), path.split("#", 1)[0]}:
        resolved: list[str] = []
        for seg in variant.split("/"):
            seg = seg.split(";", 1)[0]
            bare = seg.rstrip(". \t")
            if not bare and seg:
                # Only dots and blanks: "." or, for a server that trims, "..".
                bare = "." if seg.strip(" \t") == "." else ".."
            if bare in ("", "."):
                continue
            if bare == "..":
                if resolved:
                    resolved.pop()
                continue
            resolved.append(bare)
        out.append(resolved)
    return out


def _under(segments: list[str], prefix: list[str]) -> bool:
    return [s.lower() for s in segments[: len(prefix)]] == prefix


def _authority(value: str, scheme: str) -> str:
    value = value.lower().rsplit("@", 1)[-1]
    default = _DEFAULT_PORTS.get(scheme.lower())
    if default and value.endswith(":" + default):
        value = value[: -len(default) - 1]
    return value


def route(
    method: str,
    target: bytes,
    prefix: str,
    *,
    authorities: Iterable[str] = (),
    routed_paths: Iterable[str] = (),
) -> Route:
    """Decide on ``target`` (the request target as the client sent it) for ``method``.

    ``prefix`` is normalised (``"/rest"``, or ``""`` for every path); ``authorities`` are the
    ``host[:port]`` names this server answers to, which an absolute-form target may name;
    ``routed_paths`` are the decoded paths the server gave the application besides the raw
    target: a target passed by every reading is still refused if one of them is under the
    prefix (a server that routes otherwise than this module foresaw).
    """
    where = _route(method, target, prefix, authorities)
    if where.action == PASS:
        want = _segments(prefix) if prefix else []
        for path in routed_paths:
            decoded = _decoded(path)
            if any(_under(r, want) for r in [_segments(decoded), *_readings(decoded)]):
                return _refuse(
                    target,
                    "the server routes this request under the REST prefix although its target "
                    "is not there: send the path in its plain form",
                )
    return where


def _no_fragment(target: bytes) -> Route:
    """Check ``target``, unless it holds a raw ``#``: a request target has no fragment (RFC 9112
    §3.2), and a server that keeps the text after it would act on parameters never checked."""
    cut = target.find(b"#")
    if cut < 0:
        return Route(CHECK, target)
    return _refuse(
        target,
        "a request target carries no fragment: write a `#` that belongs to the URL as `%23`",
        (cut, len(target)),
    )


def _route(method: str, target: bytes, prefix: str, authorities: Iterable[str]) -> Route:
    if method == "CONNECT":
        return _refuse(target, "CONNECT is not served: send an origin-form request, such as GET /rest/...")
    if target == b"*":
        return _refuse(target, "the asterisk form is not served: send an origin-form request")
    absolute = _ABSOLUTE.match(target)
    if absolute is not None:
        scheme = absolute.group(1).decode("ascii")
        named = _authority(absolute.group(2).decode("latin-1"), scheme)
        if scheme.lower() not in _DEFAULT_PORTS or named not in {
            _authority(a, scheme) for a in authorities
        }:
            return _refuse(
                target,
                "the absolute-form target names another server: send the path and query only",
                absolute.span(),
            )
        target = target[absolute.end() :] or b"/"
        if target[:1] == b"?":
            target = b"/" + target
    if target[:1] != b"/":
        return _refuse(target, "start the request target with `/`")
    query_at = target.find(b"?")
    raw_path = target if query_at < 0 else target[:query_at]
    want = _segments(prefix) if prefix else []
    text = raw_path.decode("latin-1")
    if _NEEDS_CARE.search(raw_path) is None:
        # The common case: no server reads this path other than literally.
        return _no_fragment(target) if _under(_segments(text), want) else Route(PASS, target)
    decoded = _decoded(text)
    if _under(_segments(decoded), want):
        # Literally under the prefix: the parser judges every odd segment (`..`, `//`, `;`,
        # NUL...) as the syntax error it is.
        return _no_fragment(target)
    readings = _readings(decoded)
    for reading in readings:
        if _under(reading, want):
            return _refuse(
                target,
                "the path reaches the REST prefix only once dot or empty segments, `;`, `\\`, "
                "an encoded `/`, a NUL, a trailing dot or a `#` are normalised: send "
                f"`/{'/'.join(reading)}`",
                (0, len(raw_path)),
            )
    return Route(PASS, target)
