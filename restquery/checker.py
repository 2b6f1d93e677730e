"""``validate()`` and ``assert_valid()``: run the rules of spec §7 over a URL or a parsed tree.

>>> import restquery
>>> restquery.validate("/rest/Company(11)/blobAtt?$binary=true&$expand=blobAtt")
[]
>>> [d.code for d in restquery.validate("/rest/Employee?$filter=")]
['RQ004']
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable
TYPE_CHECKING = False  # mypy reads the TYPE_CHECKING branches; typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any

from restquery.ast import Request
from restquery.diagnostics import Diagnostic
from restquery.errors import RestQueryError, RestQuerySyntaxError, ValidationError

__all__ = ["assert_valid", "run_rules", "select_rules", "syntax_diagnostic", "validate"]


def syntax_diagnostic(err: RestQuerySyntaxError) -> Diagnostic:
    """A syntax error as a diagnostic (severity error, its own RQ0xx code)."""
    return Diagnostic(
        code=err.code,
        name=err.name,
        severity="error",
        message=err.message,
        span=err.span,
        hint=err.hint,
    )


def _catalog(catalog: Any) -> Any:
    if catalog is None:
        return None
    from restquery.catalog import Catalog

    if isinstance(catalog, Catalog):
        return catalog
    if isinstance(catalog, (dict, str, bytes, os.PathLike)):
        return Catalog.from_json(catalog)
    raise RestQueryError(f"catalog must be a Catalog, a JSON document or a path, not {type(catalog).__name__}")


def select_rules(
    select: Iterable[str] | None = None, ignore: Iterable[str] | None = None
) -> tuple[Any, ...]:
    """The rules to run: the default ones, or those ``select`` names (codes, names, or code
    prefixes such as ``RQ3`` — a prefix selects default rules only; opt-in rules need their code
    or name), minus those ``ignore`` names. Syntax errors (RQ0xx) are not rules: they are
    always reported. A name that matches no rule raises :class:`RestQueryError`."""
    from restquery.rules import registry

    def normal(keys: Iterable[str]) -> set[str]:
        return {k.strip().upper() if k.strip()[:2].lower() == "rq" else k.strip() for k in keys}

    def matches(rule: Any, keys: set[str]) -> bool:
        # Opt-in rules are turned on by their exact code or name, never by a prefix.
        if rule.code in keys or rule.name in keys:
            return True
        return rule.default and any(rule.code.startswith(k) for k in keys)

    def check_known(keys: set[str]) -> None:
        unknown = {k for k in keys if not any(r.code.startswith(k) or r.name == k for r in rules)}
        if unknown:
            raise RestQueryError(f"no rule matches {', '.join(sorted(unknown))}")

    rules = registry()
    if select:
        keys = normal(select)
        check_known(keys)
        chosen = [r for r in rules if matches(r, keys)]
    else:
        chosen = [r for r in rules if r.default]
    if ignore:
        keys = normal(ignore)
        check_known(keys)
        chosen = [r for r in chosen if not (r.code in keys or r.name in keys or any(r.code.startswith(k) for k in keys))]
    return tuple(chosen)


@functools.lru_cache(maxsize=64)
def _selection(select: tuple[str, ...] | None, ignore: tuple[str, ...] | None) -> tuple[Any, ...]:
    return select_rules(select, ignore)


def validate(
    url_or_request: str | bytes | Request,
    *,
    catalog: Any = None,
    method: str | None = None,
    max_errors: int = 100,
    hide_suggestions: bool = False,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    **parse_options: Any,
) -> list[Diagnostic]:
    """Check a URL (or a tree from :func:`restquery.parse`) against the rules.

    Never raises on bad input: a syntax error becomes a diagnostic. ``catalog`` (a
    :class:`~restquery.catalog.Catalog`, a ``$catalog`` JSON document or a path to one) turns on
    the schema rules; ``method`` (the HTTP verb) turns on the method rules; at most
    ``max_errors`` diagnostics are returned, ordered by position. ``hide_suggestions`` leaves
    "did you mean" out of hints, for servers that must not reveal their schema. ``select`` and
    ``ignore`` choose rules by code, code prefix or name. Other keywords are parse limits.
    """
    cat = _catalog(catalog)
    if isinstance(url_or_request, Request):
        request = url_or_request
        url = None
    else:
        try:
            request = _parse(url_or_request, method, parse_options)
        except RestQuerySyntaxError as err:
            return [syntax_diagnostic(err)][:max_errors]
        url = url_or_request if isinstance(url_or_request, str) else None
    return run_rules(
        request,
        url=url,
        catalog=cat,
        method=method,
        max_errors=max_errors,
        hide_suggestions=hide_suggestions,
        select=select,
        ignore=ignore,
    )


def run_rules(
    request: Request,
    *,
    url: str | None,
    catalog: Any,
    method: str | None,
    max_errors: int,
    hide_suggestions: bool,
    select: Iterable[str] | None,
    ignore: Iterable[str] | None,
) -> list[Diagnostic]:
    """The rules' findings on a parsed ``request``; ``url``, the text it was parsed from, lets
    rules look at separators and offer fixes. :func:`validate` without the parse, for callers
    that need the tree as well (the server integrations)."""
    from restquery.rules import Context

    cat = _catalog(catalog)
    ctx = Context(
        request, url=url, catalog=cat, method=method, hide_suggestions=hide_suggestions
    )
    found: list[Diagnostic] = []
    for rule in _selection(
        tuple(select) if select else None, tuple(ignore) if ignore else None
    ):
        if rule.needs_catalog and cat is None:
            continue
        try:
            found.extend(rule.check(ctx, rule))
        except RestQueryError:
            raise
        except Exception as exc:  # a rule bug must not look like a crash of the caller
            raise RestQueryError(f"rule {rule.code} failed on this request: {exc!r}") from exc
    found.sort(key=lambda d: (d.span.start, d.span.end, d.code))
    return found[:max_errors]


def _parse(url: Any, method: str | None, options: dict[str, Any]) -> Request:
    from restquery.parser import parse

    return parse(url, method=method, **options)


def assert_valid(
    url_or_request: str | bytes | Request,
    *,
    catalog: Any = None,
    method: str | None = None,
    strict: bool = False,
    **options: Any,
) -> None:
    """Raise :class:`restquery.ValidationError` when the URL has an error (with
    ``strict=True``, a warning too); its ``diagnostics`` list every finding.

    >>> import restquery
    >>> restquery.assert_valid("/rest/Company(1)")
    >>> restquery.assert_valid("/rest/Company(11)/blobAtt?$binary=true")
    Traceback (most recent call last):
        ...
    restquery.errors.ValidationError: RQ301 at 26-38: `$binary=true` needs `$expand` naming the BLOB or picture attribute to download.
    """
    diags = validate(url_or_request, catalog=catalog, method=method, **options)
    failing = [d for d in diags if d.severity == "error" or strict]
    if failing:
        first = failing[0]
        more = f" (and {len(failing) - 1} more)" if len(failing) > 1 else ""
        raise ValidationError(
            f"{first.code} at {first.span.start}-{first.span.end}: {first.message}{more}", diags
        )
