"""``validate()`` and ``assert_valid()``: run the rules of spec §7 over a URL or a parsed tree.

>>> import restquery
>>> restquery.validate("/rest/Company(11)/blobAtt?$binary=true&$expand=blobAtt")
[]
>>> [d.code for d in restquery.validate("/rest/Employee?$filter=")]
['RQ004']
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from restquery.ast import Request
from restquery.diagnostics import Diagnostic
from restquery.errors import RestQueryError, RestQuerySyntaxError, ValidationError
from restquery.syntax.limits import DEFAULT_MAX_DEPTH, DEFAULT_MAX_LENGTH, DEFAULT_MAX_PARAMS

TYPE_CHECKING = False  # mypy reads the TYPE_CHECKING branches; typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any

__all__ = ["assert_valid", "run_rules", "select_rules", "syntax_diagnostic", "validate"]


def syntax_diagnostic(err: RestQuerySyntaxError) -> Diagnostic:
    """A syntax error as a diagnostic (severity error, its own RQ0xx code; its replacement,
    if it has one, as the fix)."""
    fix = None
    if err.replacement is not None:
        from restquery.diagnostics import Edit, Fix

        span = err.span
        edit = Edit(offset=span.start, length=span.end - span.start, text=err.replacement)
        fix = Fix(edits=(edit,), description=err.hint or f"write {err.replacement}")
    return Diagnostic(
        code=err.code,
        name=err.name,
        severity="error",
        message=err.message,
        span=err.span,
        hint=err.hint,
        fix=fix,
    )


def _policy(policy: Any) -> Any:
    if policy is None:
        return None
    from restquery.policy import policy_argument

    return policy_argument(policy)


def _catalog(catalog: Any) -> Any:
    from restquery.catalog import catalog_argument

    return catalog_argument(catalog)


def select_rules(select: object = None, ignore: object = None) -> tuple[Any, ...]:
    """The rules ``select`` and ``ignore`` choose (:func:`restquery.rules.selection`, the one
    selection that ``validate``, ``check``, ``lint`` and the integrations share)."""
    from restquery.rules import selection

    return selection(select, ignore)


def validate(
    url_or_request: str | bytes | Request,
    *,
    catalog: Any = None,
    method: str | None = None,
    max_errors: int = 100,
    hide_suggestions: bool = False,
    select: str | Iterable[str] | None = None,
    ignore: str | Iterable[str] | None = None,
    max_length: int | None = DEFAULT_MAX_LENGTH,
    max_depth: int | None = DEFAULT_MAX_DEPTH,
    max_params: int | None = DEFAULT_MAX_PARAMS,
    plus_as_space: bool = False,
    policy: Any = None,
) -> list[Diagnostic]:
    """Check a URL (or a tree from :func:`restquery.parse`) against the rules.

    Never raises on bad input: a syntax error becomes a diagnostic. ``catalog`` (a
    :class:`~restquery.catalog.Catalog`, a ``$catalog`` JSON document or a path to one) turns on
    the schema rules; ``method`` (the HTTP verb) turns on the method rules; at most
    ``max_errors`` diagnostics are returned, ordered by position. ``hide_suggestions`` leaves
    "did you mean" out of hints, for servers that must not reveal their schema. ``select`` and
    ``ignore`` choose rules by code, code prefix or name (a string, comma-separated, or an
    iterable of them; :func:`restquery.rules.selection`). ``max_length``, ``max_depth``,
    ``max_params`` and ``plus_as_space`` are :func:`restquery.parse`'s. ``policy`` (a
    :class:`restquery.Policy`, a table of its keys or a TOML file) adds what the server lets
    its clients ask (RQ5xx).
    """
    rules = select_rules(select, ignore)  # a bad selection is refused whatever the URL
    cat = _catalog(catalog)
    pol = _policy(policy)
    if isinstance(url_or_request, Request):
        request = url_or_request
        url = None
    else:
        from restquery.parser import parse

        try:
            request = parse(
                url_or_request, method=method, max_length=max_length, max_depth=max_depth,
                max_params=max_params, plus_as_space=plus_as_space,
            )
        except RestQuerySyntaxError as err:
            return [syntax_diagnostic(err)][:max_errors]
        url = url_or_request if isinstance(url_or_request, str) else None
    return _run(request, url, cat, method, rules, max_errors, hide_suggestions, plus_as_space, pol)


def run_rules(
    request: Request,
    *,
    url: str | None,
    catalog: Any,
    method: str | None,
    max_errors: int,
    hide_suggestions: bool,
    select: str | Iterable[str] | None,
    ignore: str | Iterable[str] | None,
    plus_as_space: bool = False,
    policy: Any = None,
) -> list[Diagnostic]:
    """The rules' findings on a parsed ``request``; ``url``, the text it was parsed from, lets
    rules look at separators and offer fixes (``plus_as_space``: how it was read, see
    :func:`restquery.parse`). :func:`validate` without the parse, for callers that need the
    tree as well (the server integrations)."""
    return _run(
        request, url, _catalog(catalog), method, select_rules(select, ignore), max_errors,
        hide_suggestions, plus_as_space, _policy(policy),
    )


def _run(
    request: Request,
    url: str | None,
    cat: Any,
    method: str | None,
    rules: tuple[Any, ...],
    max_errors: int,
    hide_suggestions: bool,
    plus_as_space: bool,
    policy: Any = None,
) -> list[Diagnostic]:
    from restquery.rules._base import Context, triggers_of
    from restquery.semantics.facts import inside_template, template_regions

    ctx = Context(
        request, url=url, catalog=cat, method=method, hide_suggestions=hide_suggestions,
        plus_as_space=plus_as_space,
    )
    found: list[Diagnostic] = []
    with_catalog = cat is not None
    if TRIGGERS:
        rules = _plan(rules).rules_for(triggers_of(request, method), with_catalog)
    else:
        rules = tuple(r for r in rules if with_catalog or not r.needs_catalog)
    for rule in rules:
        try:
            found.extend(rule.check(ctx, rule))
        except RestQueryError:
            raise
        except Exception as exc:  # a rule bug must not look like a crash of the caller
            raise RestQueryError(f"rule {rule.code} failed on this request: {exc!r}") from exc
    if found:
        regions = template_regions(ctx)
        if regions:
            found = [d for d in found if not inside_template(d.span, regions)]
    if policy is not None:
        found.extend(policy.check(request, url, method, ctx.shape))
    if len(found) > 1:
        found.sort(key=_position)
    return found[:max_errors]


def _position(d: Diagnostic) -> tuple[int, int, str]:
    return d.span.start, d.span.end, d.code


#: Run only the rules a request can trigger (each rule's ``when``); tests switch it off to
#: check that no finding depends on it.
TRIGGERS = not os.environ.get("RESTQUERY_NO_TRIGGERS")


class _Plan:
    """A selection of rules indexed by what triggers them: those that always run, and those
    that need one of some parameters, by parameter. The rules for one set of triggers are
    worked out once: requests offer few distinct sets (their parameters, path keywords and
    whether the method is known)."""

    __slots__ = ("always", "by_param", "chosen", "selection")

    #: Sets of triggers remembered per plan; past it the memo starts again.
    MEMO = 4096

    def __init__(self, rules: tuple[Any, ...]) -> None:
        self.selection = rules
        self.always: dict[bool, tuple[Any, ...]] = {
            with_catalog: tuple(
                r for r in rules if r.when is None and (with_catalog or not r.needs_catalog)
            )
            for with_catalog in (False, True)
        }
        by_param: dict[str, list[Any]] = {}
        for r in rules:
            for name in sorted(r.when or ()):
                by_param.setdefault(name, []).append(r)
        self.by_param = {name: tuple(rs) for name, rs in by_param.items()}
        self.chosen: dict[tuple[frozenset[str | None], bool], tuple[Any, ...]] = {}

    def rules_for(self, present: set[str | None], with_catalog: bool) -> tuple[Any, ...]:
        """The rules to run on a request offering the triggers ``present``, in selection
        order, each once; those that need a catalog only ``with_catalog``."""
        key = (frozenset(present), with_catalog)
        rules = self.chosen.get(key)
        if rules is None:
            extra: dict[int, Any] = {}  # by identity: hashing a rule hashes all its fields
            for name in present:
                for r in self.by_param.get(name, ()):  # type: ignore[arg-type]
                    if with_catalog or not r.needs_catalog:
                        extra[id(r)] = r
            rules = self.always[with_catalog] + tuple(extra.values())
            if len(self.chosen) >= self.MEMO:
                self.chosen.clear()
            self.chosen[key] = rules
        return rules


_PLANS: dict[int, _Plan] = {}


def _plan(rules: tuple[Any, ...]) -> _Plan:
    # Selections are cached (restquery.rules.selection), so one tuple stands for one selection.
    plan = _PLANS.get(id(rules))
    if plan is None or plan.selection is not rules:
        plan = _Plan(rules)
        if len(_PLANS) > 256:
            _PLANS.clear()
        _PLANS[id(rules)] = plan
    return plan


def assert_valid(
    url_or_request: str | bytes | Request,
    *,
    catalog: Any = None,
    method: str | None = None,
    strict: bool = False,
    max_errors: int = 100,
    hide_suggestions: bool = False,
    select: str | Iterable[str] | None = None,
    ignore: str | Iterable[str] | None = None,
    max_length: int | None = DEFAULT_MAX_LENGTH,
    max_depth: int | None = DEFAULT_MAX_DEPTH,
    max_params: int | None = DEFAULT_MAX_PARAMS,
    plus_as_space: bool = False,
    policy: Any = None,
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
    diags = validate(
        url_or_request, catalog=catalog, method=method, max_errors=max_errors,
        hide_suggestions=hide_suggestions, select=select, ignore=ignore, max_length=max_length,
        max_depth=max_depth, max_params=max_params, plus_as_space=plus_as_space, policy=policy,
    )
    failing = [d for d in diags if d.severity == "error" or strict]
    if failing:
        first = failing[0]
        more = f" (and {len(failing) - 1} more)" if len(failing) > 1 else ""
        raise ValidationError(
            f"{first.code} at {first.span.start}-{first.span.end}: {first.message}{more}", diags
        )
