"""What every rule module builds on: :class:`Rule`, the :func:`rule` decorator and the
per-validation :class:`Context`.

A rule is a function ``check(ctx, rule)`` that yields :class:`~restquery.diagnostics.Diagnostic`
made with ``rule.at(span, ...)``. Its docstring documents it (first line: what it checks; then
*Why*, *Example*, *Fix*, *Spec*); ``docs/rules.md`` is generated from those docstrings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from restquery._records import field, record
from restquery.ast import (
    CallSegment,
    EntitySetSegment,
    KeySegment,
    KeywordSegment,
    LookupSegment,
    NamesSegment,
    Param,
    Request,
    Segment,
    Span,
)
from restquery.diagnostics import Diagnostic, Edit, Fix

TYPE_CHECKING = False  # mypy reads the TYPE_CHECKING branches; typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any

if TYPE_CHECKING:
    from restquery.catalog import Catalog, DataClass
    from restquery.shape import Shape

__all__ = [
    "ANY_PARAMETER",
    "METHOD_KNOWN",
    "Context",
    "Rule",
    "on_path",
    "rule",
    "segment_name_span",
    "triggers_of",
]

CheckFunction = Callable[["Context", "Rule"], Iterable[Diagnostic]]

if TYPE_CHECKING:
    from functools import cached_property as lazy
else:

    class lazy:
        """:class:`functools.cached_property` without its lock, which Python 3.11 takes on
        every first read: a :class:`Context` serves one validation, on one thread."""

        def __init__(self, compute):
            self.compute = compute
            self.name = compute.__name__
            self.__doc__ = compute.__doc__

        def __get__(self, obj, owner=None):
            if obj is None:
                return self
            value = obj.__dict__[self.name] = self.compute(obj)
            return value


@record
class Rule:
    """A registered rule: stable ``code``, kebab-case ``name``, ``severity``, the spec rule it
    implements (``spec``, e.g. ``"R15"``), the message template (one per code), and flags:
    ``needs_catalog`` (runs only with a catalog), ``default`` (on unless deselected)."""

    code: str
    name: str
    severity: str
    spec: str
    message: str
    check: CheckFunction = field(repr=False, compare=False)
    needs_catalog: bool = False
    default: bool = True
    #: An opt-in rule that ``--strict`` turns on (a cost, not a mistake: ``wildcard-both-ends``).
    strict: bool = False
    #: What the rule needs to find anything — documented parameter spellings, and the tokens
    #: :data:`ANY_PARAMETER`, :data:`METHOD_KNOWN` and :func:`on_path` ones: it runs only on
    #: requests with one of them. None: it runs on every request.
    when: frozenset[str] | None = field(default=None, compare=False)

    @property
    def doc(self) -> str:
        """The rule's documentation: its check's docstring, dedented."""
        import inspect  # here: it costs more to import than the rules

        return inspect.cleandoc(self.check.__doc__ or "")

    @property
    def summary(self) -> str:
        """The first paragraph of the rule's documentation, on one line."""
        text = self.doc.strip()
        if not text:
            return self.message
        return " ".join(line.strip() for line in text.split("\n\n", 1)[0].splitlines())

    def at(
        self,
        span: Span | tuple[int, int],
        *,
        param: str | None = None,
        hint: str | None = None,
        fix: Fix | None = None,
        **fields: Any,
    ) -> Diagnostic:
        """A diagnostic of this rule at ``span``; ``fields`` fill the message template."""
        return Diagnostic(
            code=self.code,
            name=self.name,
            severity=self.severity,
            message=self.message.format(**fields),
            span=Span(*span),
            param=param,
            hint=hint,
            fix=fix,
        )


#: Trigger: the request has a parameter (any, known or not).
ANY_PARAMETER = "?"
#: Trigger: the HTTP method of the request is known.
METHOD_KNOWN = "method"


def on_path(keyword: str) -> str:
    """Trigger: the path has the ``keyword`` segment (``on_path("$singleton")``)."""
    return "/" + keyword


def triggers_of(request: Request, method: str | None) -> set[str | None]:
    """The triggers a request offers: its parameters' documented spellings (``None`` for an
    unknown one), :data:`ANY_PARAMETER` when it has any, its path keywords (:func:`on_path`)
    and :data:`METHOD_KNOWN` when the method is known."""
    params = request.params
    present: set[str | None] = {p.canonical for p in params}
    if params:
        present.add(ANY_PARAMETER)
    for seg in request.path.segments:
        if type(seg) is KeywordSegment:
            present.add("/" + seg.keyword)
    if method or request.method:
        present.add(METHOD_KNOWN)
    return present


def rule(
    code: str,
    name: str,
    severity: str,
    *,
    spec: str,
    message: str,
    needs_catalog: bool = False,
    default: bool = True,
    strict: bool = False,
    when: Iterable[str] | None = None,
) -> Callable[[CheckFunction], Rule]:
    """Register ``check`` as a rule (the module's registry entry is the returned :class:`Rule`).

    ``when`` names what the rule is about — parameters, path keywords (:func:`on_path`),
    :data:`ANY_PARAMETER`, :data:`METHOD_KNOWN`: a request with none of them cannot make it
    report, so :func:`restquery.validate` does not run it there (``tests/test_triggers.py``
    checks that no finding is lost)."""
    if severity not in ("error", "warning"):
        raise ValueError(f"severity must be 'error' or 'warning', not {severity!r}")
    triggers = frozenset(when) if when is not None else None

    def wrap(check: CheckFunction) -> Rule:
        return Rule(
            code=code,
            name=name,
            severity=severity,
            spec=spec,
            message=message,
            check=check,
            needs_catalog=needs_catalog,
            default=default,
            strict=strict,
            when=triggers,
        )

    return wrap


def segment_name_span(seg: Segment) -> Span:
    """Where the leading name of ``seg`` is written: ``Company`` in ``Company(1)`` or
    ``Company:code(x)``, the first name of a names segment, the ID of an entity set.

    Taken from the tree, never from ``len(name)``: a percent-encoded name is longer in the
    URL than its text. A hand-built segment without that span gives its own span.
    """
    span: Span
    if isinstance(seg, (KeySegment, LookupSegment, CallSegment)):
        span = seg.name_span
    elif isinstance(seg, NamesSegment) and seg.paths and seg.paths[0].parts:
        span = seg.paths[0].parts[0].span
    elif isinstance(seg, EntitySetSegment):
        span = seg.id_span
    else:
        span = seg.span
    return Span(*span) if span[1] > span[0] else Span(*seg.span)


class Context:
    """Everything a rule may ask about the request under validation (computed lazily, once)."""

    def __init__(
        self,
        request: Request,
        *,
        url: str | None = None,
        catalog: Catalog | None = None,
        method: str | None = None,
        hide_suggestions: bool = False,
        plus_as_space: bool = False,
    ) -> None:
        self.request = request
        self.url = url
        #: True when a ``+`` of the query was read as a space (:func:`restquery.parse`).
        self.plus_as_space = plus_as_space
        self.catalog = catalog
        self.method = (method or request.method or None)
        if self.method is not None:
            self.method = self.method.upper()
        self.hide_suggestions = hide_suggestions
        #: The facts of restquery.semantics.facts computed for this request, by function.
        self.facts: dict[Any, Any] = {}

    @lazy
    def shape(self) -> Shape:
        """The classified path (:func:`restquery.shape.classify`)."""
        from restquery.shape import classify

        return classify(self.request, self.catalog)

    @lazy
    def params(self) -> dict[str, list[Param]]:
        """Known parameters by documented spelling, in URL order (unknown ones excluded)."""
        out: dict[str, list[Param]] = {}
        for p in self.request.params:
            canonical = p.canonical
            if canonical is not None:
                out.setdefault(canonical, []).append(p)
        return out

    def param(self, name: str) -> Param | None:
        """The first parameter spelled ``name`` in the docs' spelling (``"$expand"``)."""
        found = self.params.get(name)
        return found[0] if found else None

    def has(self, *names: str) -> bool:
        """True if any of ``names`` is present."""
        return any(n in self.params for n in names)

    @lazy
    def dataclass(self) -> DataClass | None:
        """The catalog's entry for the request's dataclass, if both are known."""
        name = self.shape.dataclass
        if self.catalog is None or name is None:
            return None
        return self.catalog.dataclass(name)

    def did_you_mean(self, name: str, candidates: Iterable[str]) -> str | None:
        """``"did you mean `x`?"`` with the closest names, unless suggestions are hidden."""
        if self.hide_suggestions:
            return None
        from restquery._suggest import closest

        close = closest(name, tuple(candidates))
        if not close:
            return None
        return "did you mean " + " or ".join(f"`{c}`" for c in close) + "?"

    @property
    def end(self) -> int:
        """Offset of the end of the request text (where a parameter can be appended)."""
        return self.request.span.end

    def append_param(self, text: str, description: str) -> Fix:
        """A fix that appends ``name=value`` text as the last parameter."""
        sep = "&" if self.request.params else "?"
        return Fix(
            edits=(Edit(offset=self.end, length=0, text=sep + text),), description=description
        )

    def remove_param(self, param: Param, description: str) -> Fix:
        """A fix that deletes ``param`` with its separator."""
        start, end = param.span
        url = self.url
        if len(self.request.params) == 1:
            start -= 1  # the only parameter goes with its "?"
        elif url is not None and start > 0 and url[start - 1] == "&":
            start -= 1
        elif url is not None and end < len(url) and url[end] == "&":
            end += 1
        elif url is None:
            if param is self.request.params[0]:
                end += 1
            else:
                start -= 1
        return Fix(edits=(Edit(offset=start, length=end - start, text=""),), description=description)

    def iter_params(self) -> Iterator[Param]:
        """All parameters in URL order, known or not."""
        return iter(self.request.params)
