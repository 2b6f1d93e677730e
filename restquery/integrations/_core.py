"""What the ASGI and WSGI middleware and the proxy share: the verdict on one request target,
its HTTP status, its 4D-style error body, and a bounded cache of verdicts.

Status (spec §8.1): a rejected request answers **404** when every failing diagnostic says the
catalog has no such dataclass, attribute or function (:data:`NOT_FOUND_CODES`) — the request is
well formed and names something the server does not expose, which is what 4D and Qodly answer
404 for — and **400** otherwise (a malformed or meaningless request, including one over a parse
limit). A rule that fails on a request gives **500** (the request is refused, never let through
unchecked).

Body (spec §8.2): ``{"__ERROR": [...], "diagnostics": [...]}``. ``__ERROR`` holds one entry per
failing diagnostic, in URL order: ``message`` is the diagnostic's message,
``componentSignature`` is ``"rest"`` (the REST layer refused the URL before the database engine,
whose errors carry ``"dbmg"``, saw it) and ``errCode`` is the number of the diagnostic's stable
code (``RQ301`` → ``301``, ``RQ009`` → ``9``), so a client can map it back. ``diagnostics``
holds every finding, warnings included, as :meth:`restquery.Diagnostic.to_dict` gives them.

>>> checker = Checker()
>>> checker.check("GET", "/rest/Company(11)/blobAtt?$binary=true&$expand=blobAtt").status
200
>>> verdict = checker.check("GET", "/rest/Company(11)/blobAtt?$binary=true")
>>> verdict.status, [d.code for d in verdict.failing]
(400, ['RQ301'])
>>> import json; json.loads(verdict.body)["__ERROR"][0]["errCode"]
301
"""

from __future__ import annotations

import functools
import json
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from restquery.ast import Request, Span
from restquery.diagnostics import Diagnostic
from restquery.errors import RestQuerySyntaxError
from restquery.integrations._quota import DEFAULT_ENTITY_SET_TIMEOUT, EntitySetQuota
from restquery.policy import QUOTA_CODES
from restquery.syntax.limits import DEFAULT_MAX_DEPTH, DEFAULT_MAX_LENGTH, DEFAULT_MAX_PARAMS

__all__ = [
    "COMPONENT_SIGNATURE",
    "NOT_FOUND_CODES",
    "UNCHECKED_METHODS",
    "DEFAULT_MAX_TARGET_LENGTH",
    "Admission",
    "Checker",
    "Gate",
    "Verdict",
    "err_code",
    "error_body",
    "status_for",
    "under_prefix",
]

log = logging.getLogger("restquery.integrations")

#: The ``componentSignature`` of every ``__ERROR`` entry restquery writes.
COMPONENT_SIGNATURE = "rest"

#: Diagnostics that mean "the catalog has no such name": the only ones answered with 404.
NOT_FOUND_CODES = frozenset({"RQ201", "RQ202", "RQ203"})

#: Methods passed through unchecked: a CORS preflight carries the target of the request it
#: announces, and must not be refused in its place.
UNCHECKED_METHODS = frozenset({"OPTIONS"})

#: Targets longer than this are checked every time rather than cached, so that the cache's
#: memory stays bounded (cache_size × this many bytes at most).
CACHE_MAX_TARGET = 8192

_CODE_NUMBER = re.compile(r"[A-Za-z]+0*([0-9]+)")

JSON_HEADERS = (("content-type", "application/json; charset=utf-8"),)

#: Longest request target the integrations read (bytes): uvicorn's and h11's default limit on a
#: request head, and where common servers stop (nginx 8 kB a header line, Apache 8 190 bytes).
#: Longer targets are answered 414, before anything parses them.
DEFAULT_MAX_TARGET_LENGTH = 16_384

REASONS = {
    200: "OK",
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
    414: "URI Too Long",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    504: "Gateway Timeout",
}


def err_code(code: str) -> int:
    """The ``errCode`` of a diagnostic code: its number (``"RQ301"`` → ``301``).

    >>> err_code("RQ009"), err_code("RQ301")
    (9, 301)
    """
    m = _CODE_NUMBER.fullmatch(code)
    return int(m.group(1)) if m else 0


def status_for(failing: Sequence[Diagnostic]) -> int:
    """The HTTP status of a request refused for ``failing`` (non-empty): 403 when every one
    is a permission a policy's role lacks (RQ520), 404 when every one is a not-found
    diagnostic (:data:`NOT_FOUND_CODES`), else 400."""
    if failing and all(d.code == PERMISSION_DENIED for d in failing):
        return 403
    if failing and all(d.code in NOT_FOUND_CODES for d in failing):
        return 404
    return 400


#: The code of a request a policy's role may not make (restquery.policy): answered 403.
PERMISSION_DENIED = "RQ520"


def error_entry(message: str, code: int, signature: str = COMPONENT_SIGNATURE) -> dict[str, Any]:
    """One element of an ``__ERROR`` stack (spec §8.2)."""
    return {"message": message, "componentSignature": signature, "errCode": code}


def error_body(failing: Iterable[Diagnostic], diagnostics: Iterable[Diagnostic]) -> bytes:
    """The JSON body of a refused request: the 4D ``__ERROR`` stack of the failing
    diagnostics, then every diagnostic in full."""
    doc = {
        "__ERROR": [error_entry(d.message, err_code(d.code)) for d in failing],
        "diagnostics": [d.to_dict() for d in diagnostics],
    }
    # ASCII-only: messages may quote whatever the client sent.
    return json.dumps(doc, separators=(",", ":")).encode("ascii")


def plain_error_body(message: str, code: int, signature: str = COMPONENT_SIGNATURE) -> bytes:
    """A body with one ``__ERROR`` entry and no diagnostics (proxy and internal failures)."""
    doc = {"__ERROR": [error_entry(message, code, signature)], "diagnostics": []}
    return json.dumps(doc, separators=(",", ":")).encode("ascii")


def json_headers(body: bytes) -> list[tuple[str, str]]:
    """Headers of a JSON error response of ``body``."""
    return [*JSON_HEADERS, ("content-length", str(len(body)))]


def normalize_prefix(prefix: str | None) -> str:
    """``"/rest/"`` → ``"/rest"``; ``None``, ``""`` and ``"/"`` → ``""`` (every path)."""
    if not prefix:
        return ""
    prefix = "/" + prefix.strip("/")
    return "" if prefix == "/" else prefix.lower()


def under_prefix(path: str, prefix: str) -> bool:
    """True if the decoded ``path`` is ``prefix`` or below it.

    Compared without case and on the percent-decoded path, so that ``/REST/...`` and
    ``/%72est/...`` are checked too rather than slipping past a validating front end.

    >>> under_prefix("/rest/Company", "/rest"), under_prefix("/restful", "/rest")
    (True, False)
    """
    if not prefix:
        return True
    path = path.lower()
    return path == prefix or path.startswith(prefix + "/")


def decode_target(raw: bytes) -> str | bytes:
    """The target as text when it is UTF-8, else the bytes (the parser then reports RQ009 at
    the offending byte)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw


@dataclass(frozen=True, slots=True)
class Verdict:
    """The checker's answer for one (method, target).

    ``request`` is the parsed tree (``None`` when the target does not parse); ``diagnostics``
    every finding; ``failing`` the findings that refuse the request; ``status`` 200 when the
    request may go on, else the status to answer with ``body`` (and, for a quota, a
    ``Retry-After`` of ``retry_after`` seconds).
    """

    request: Request | None
    diagnostics: tuple[Diagnostic, ...]
    failing: tuple[Diagnostic, ...]
    status: int
    body: bytes
    retry_after: int | None = None

    def headers(self) -> list[tuple[str, str]]:
        """The headers of the refusal: JSON, and ``Retry-After`` for a quota."""
        out = json_headers(self.body)
        return out + [("retry-after", str(self.retry_after))] if self.retry_after is not None else out

    @property
    def ok(self) -> bool:
        return self.status == 200


class Checker:
    """Parses and validates request targets for a server, with the options of
    :class:`~restquery.integrations.asgi.RestQueryMiddleware`, caching verdicts.

    The cache is an LRU of ``cache_size`` entries (0 turns it off) keyed by (method, raw
    target); trees and diagnostics are immutable, so a cached verdict can be shared by
    concurrent requests. It is safe to use from many threads.
    """

    def __init__(
        self,
        *,
        catalog: Any = None,
        project: Any = None,
        hide_suggestions: bool = True,
        reject_warnings: bool = False,
        select: str | Iterable[str] | None = None,
        ignore: str | Iterable[str] | None = None,
        max_errors: int = 100,
        max_length: int | None = DEFAULT_MAX_LENGTH,
        max_depth: int | None = DEFAULT_MAX_DEPTH,
        max_params: int | None = DEFAULT_MAX_PARAMS,
        cache_size: int = 1024,
        plus_as_space: bool = False,
        policy: Any = None,
    ) -> None:
        from restquery.checker import select_rules
        from restquery.policy import policy_argument

        self.catalog = _load_catalog(catalog, project)
        self.policy = policy_argument(policy)
        self.hide_suggestions = hide_suggestions
        self.reject_warnings = reject_warnings
        from restquery.rules import rule_keys

        self.select = rule_keys(select, "select") or None
        self.ignore = rule_keys(ignore, "ignore") or None
        self.max_errors = max_errors
        self.plus_as_space = plus_as_space
        self.limits: dict[str, Any] = {
            "max_length": max_length, "max_depth": max_depth, "max_params": max_params,
            "plus_as_space": plus_as_space,
        }
        select_rules(self.select, self.ignore)  # an unknown rule name fails now, not per request
        if cache_size < 0:
            raise ValueError("cache_size must be 0 or more")
        self._cached = functools.lru_cache(maxsize=cache_size)(self._check) if cache_size else None

    def check(self, method: str, target: str | bytes) -> Verdict:
        """The verdict on ``target`` (the request target exactly as the client sent it) for
        the HTTP ``method``."""
        if self._cached is not None and len(target) <= CACHE_MAX_TARGET:
            return self._cached(method, target)
        return self._check(method, target)

    def cache_info(self) -> Any:
        """``functools.lru_cache`` statistics (``None`` without a cache)."""
        return self._cached.cache_info() if self._cached is not None else None

    def _validate(self, request: Request, text: str | None, method: str) -> list[Diagnostic]:
        # Once, on the tree and the text together: the rules see the separators around the
        # spans (for fixes) without parsing the text a second time.
        from restquery.checker import run_rules

        diags = run_rules(
            request,
            url=text,
            catalog=self.catalog,
            method=method,
            max_errors=self.max_errors,
            hide_suggestions=self.hide_suggestions,
            select=self.select,
            ignore=self.ignore,
            plus_as_space=self.plus_as_space,
            policy=self.policy,
        )
        if text is not None:
            diags = _refuse_smuggling(text, request, diags)
        return _refuse_templates(text, request, diags)

    def _check(self, method: str, target: str | bytes) -> Verdict:
        from restquery.checker import syntax_diagnostic
        from restquery.parser import parse

        # HEAD is GET without the body: the method rules must judge it as GET.
        method = "GET" if method == "HEAD" else method
        request: Request | None = None
        try:
            try:
                request = parse(target, method=method, **self.limits)
            except RestQuerySyntaxError as err:
                diags = [syntax_diagnostic(err)]
            else:
                diags = self._validate(request, target if isinstance(target, str) else None, method)
            failing = tuple(d for d in diags if d.severity == "error" or self.reject_warnings)
        except Exception as err:  # a bug must not let the request through, nor answer in text
            log.exception("restquery could not check %s %r", method, target)
            body = plain_error_body(f"The request could not be checked: {err}", 500)
            return Verdict(None, (), (), 500, body)
        if not failing:
            return Verdict(request, tuple(diags), (), 200, b"")
        return Verdict(
            request, tuple(diags), failing, status_for(failing), error_body(failing, diags)
        )


def _refuse_smuggling(
    text: str, request: Request, diags: list[Diagnostic]
) -> list[Diagnostic]:
    """Make every raw ``&`` inside a quoted value an error, whatever the rule selection: the
    application behind, and perhaps 4D, splits the query there and would see parameters that
    were never checked (``$filter="x='&$method=delete&'"``)."""
    from restquery.rules import get
    from restquery.rules.r06_parameters import quoted_ampersands

    rule = get("RQ112")
    errors = [
        replace(d, severity="error") for d in quoted_ampersands(rule, text, request.params)
    ]
    if not errors:
        return diags
    kept = [d for d in diags if d.code != rule.code]
    return sorted([*kept, *errors], key=lambda d: (d.span.start, d.span.end, d.code))


def _refuse_templates(
    text: str | None, request: Request, diags: list[Diagnostic]
) -> list[Diagnostic]:
    """Make every template placeholder outside quoted text an error (RQ015): the rules leave
    ``{{id}}`` unjudged, as a template is in docs and collections, but a request that still
    holds one was sent by a client that forgot to fill it, and nothing checked what 4D gets."""
    from restquery.semantics.facts import template_spans
    from restquery.syntax.explain import INTEGRATION_CODES

    spans = template_spans(request, text, quoted=False)
    if not spans:
        return diags
    name, message = INTEGRATION_CODES["RQ015"]
    errors = [
        Diagnostic(
            code="RQ015",
            name=name,
            severity="error",
            message=message,
            span=span,
            hint="fill in the placeholder before sending the request",
        )
        for span in spans
    ]
    return sorted([*diags, *errors], key=lambda d: (d.span.start, d.span.end, d.code))


@dataclass(frozen=True, slots=True)
class Admission:
    """The front door's answer on one request: ``target`` is what to hand on (origin-form, the
    bytes that were validated); ``verdict`` is ``None`` for a request outside the prefix,
    else the verdict (its ``ok`` says whether the request may go on)."""

    target: bytes
    verdict: Verdict | None


class Gate:
    """The one decision every integration makes on a request: route the target
    (:func:`restquery.integrations._target.route`), refuse what could reach the REST server
    unchecked, answer 414 beyond ``max_target_length`` bytes, and have the :class:`Checker`
    judge the rest. ``checker_options`` are those of :class:`Checker`."""

    def __init__(
        self,
        *,
        prefix: str | None = "/rest",
        max_target_length: int | None = DEFAULT_MAX_TARGET_LENGTH,
        **checker_options: Any,
    ) -> None:
        if max_target_length is not None and max_target_length < 1:
            raise ValueError("max_target_length must be 1 or more (or None)")
        self.prefix = normalize_prefix(prefix)
        self.max_target_length = max_target_length
        self.checker = Checker(**checker_options)
        limit = getattr(self.checker.policy, "max_entity_sets", None)
        self.quota: EntitySetQuota | None = EntitySetQuota(limit) if limit is not None else None

    def admit(
        self,
        method: str,
        target: bytes,
        *,
        authorities: Iterable[str] = (),
        routed_paths: Iterable[str] = (),
        client: str | None = None,
    ) -> Admission:
        """Decide on ``target``, the request target exactly as the client sent it.

        ``authorities`` are the ``host[:port]`` names the server answers to (an absolute-form
        target may name them); ``routed_paths`` the decoded paths the server itself will
        route by (ASGI ``path``, WSGI ``SCRIPT_NAME + PATH_INFO``), so that a request the
        application would see under the prefix is never let past unchecked. ``client`` (its
        address) is whose entity sets the policy's quota counts.
        """
        try:
            admission = self._admit(method, target, authorities, routed_paths)
            verdict = admission.verdict
            if self.quota is not None and verdict is not None and verdict.ok and verdict.request is not None:
                return self._count(admission, verdict.request, client or "")
            return admission
        except Exception as err:  # a bug must not let the request through, nor answer in text
            log.exception("restquery could not route %s %r", method, target)
            body = plain_error_body(f"The request could not be checked: {err}", 500)
            return Admission(target, Verdict(None, (), (), 500, body))

    def _admit(
        self,
        method: str,
        target: bytes,
        authorities: Iterable[str],
        routed_paths: Iterable[str],
    ) -> Admission:
        from restquery.integrations._target import PASS, REFUSE, route

        limit = self.max_target_length
        if limit is not None and len(target) > limit:
            return Admission(target, _too_long(len(target), limit))
        where = route(
            method, target, self.prefix, authorities=authorities, routed_paths=routed_paths
        )
        if where.action == PASS:
            return Admission(where.target, None)
        if where.action == REFUSE:
            assert where.refusal is not None
            failing = (where.refusal,)
            return Admission(where.target, Verdict(None, failing, failing, 400, error_body(failing, failing)))
        if method in UNCHECKED_METHODS:
            return Admission(where.target, None)
        return Admission(where.target, self.checker.check(method, decode_target(where.target)))


    def _count(self, admission: Admission, request: Request, client: str) -> Admission:
        """The quota's say on an admitted request: a new entity set is one more for
        ``client`` (429 beyond the limit), a release one fewer."""
        assert self.quota is not None
        verb = request.param("$method")
        word = str(getattr(verb.value, "value", "")).lower() if verb is not None else ""
        if word == "entityset":
            timeout = request.param("$timeout")
            seconds = getattr(timeout.value, "value", None) if timeout is not None else None
            lifetime = seconds if isinstance(seconds, int) else DEFAULT_ENTITY_SET_TIMEOUT
            wait = self.quota.take(client, lifetime)
            if wait is not None:
                policy = self.checker.policy
                assert policy is not None  # the quota is the policy's
                d = policy.over_quota(request, self.quota.held(client))
                body = error_body((d,), (d,))
                return Admission(admission.target, Verdict(request, (d,), (d,), QUOTA_CODES[d.code], body, wait))
        elif word == "release":
            self.quota.give_back(client)
        else:
            from restquery.shape import classify

            if classify(request).release:  # $entityset/$release: the sets are in the body
                self.quota.give_back(client, None)
        return admission


def _too_long(length: int, limit: int) -> Verdict:
    d = Diagnostic(
        code="RQ010",
        name="limit-exceeded",
        severity="error",
        message=f"The request target is {length} bytes long, over the limit max_target_length={limit}.",
        span=Span(limit, length),
        hint="shorten the URL or raise the max_target_length option",
    )
    return Verdict(None, (d,), (d,), 414, error_body((d,), (d,)))


def _load_catalog(catalog: Any, project: Any) -> Any:
    from restquery.catalog import catalog_argument

    return catalog_argument(catalog, project)

class Middleware:
    """What the ASGI and the WSGI middleware share, everything but their protocol: the options
    and the :class:`Gate` they make. The adapters (:mod:`restquery.integrations.asgi`,
    :mod:`restquery.integrations.wsgi`) only read a request and answer it.

    ``catalog`` (a :class:`restquery.Catalog`, a ``$catalog/$all`` JSON document or a path)
    or ``project`` (the path of a 4D project, read with :meth:`restquery.Catalog.from_project`)
    turns on the schema rules and the 404 answers; ``hide_suggestions`` (default ``True``)
    keeps "did you mean" hints, which would reveal the schema, out of the bodies;
    ``reject_warnings`` refuses requests that draw only warnings too; ``select`` / ``ignore``
    choose rules as in :func:`restquery.validate`; ``max_target_length`` (default
    :data:`DEFAULT_MAX_TARGET_LENGTH`, 16 KiB) is the longest target read, answered 414
    beyond; ``max_length``, ``max_depth``, ``max_params`` are the parse limits and
    ``max_errors`` caps the diagnostics of one request; ``cache_size`` bounds the LRU cache of
    verdicts (0 turns it off); ``plus_as_space`` reads a ``+`` of the query string as a space,
    for applications whose clients encode spaces that way (default ``False``: a plus, as
    RFC 3986 and the 4D documentation, which never writes a space as ``+``, have it; spec
    §1.4). Either way the request goes on as the bytes that were judged. ``policy`` (a
    :class:`restquery.Policy`, a table of its keys or a TOML file) adds the server's limits
    and allow-lists (RQ5xx, answered 400).
    """

    def __init__(
        self,
        app: Any,
        *,
        prefix: str | None = "/rest",
        catalog: Any = None,
        project: Any = None,
        hide_suggestions: bool = True,
        reject_warnings: bool = False,
        select: str | Iterable[str] | None = None,
        ignore: str | Iterable[str] | None = None,
        max_errors: int = 100,
        max_target_length: int | None = DEFAULT_MAX_TARGET_LENGTH,
        max_length: int | None = DEFAULT_MAX_LENGTH,
        max_depth: int | None = DEFAULT_MAX_DEPTH,
        max_params: int | None = DEFAULT_MAX_PARAMS,
        cache_size: int = 1024,
        plus_as_space: bool = False,
        policy: Any = None,
    ) -> None:
        self.app = app
        self.gate = Gate(
            prefix=prefix,
            max_target_length=max_target_length,
            catalog=catalog,
            project=project,
            hide_suggestions=hide_suggestions,
            reject_warnings=reject_warnings,
            select=select,
            ignore=ignore,
            max_errors=max_errors,
            max_length=max_length,
            max_depth=max_depth,
            max_params=max_params,
            cache_size=cache_size,
            plus_as_space=plus_as_space,
            policy=policy,
        )
        self.prefix = self.gate.prefix
        self.checker = self.gate.checker
