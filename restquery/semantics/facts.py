"""Facts about a request that several rules read: computed from the rule context, shared, so
that no rule imports another (graphql-core's ``ValidationContext`` plays this part there).

Each is a function of the :class:`~restquery.rules.Context` (or of a node); the rule that
reports on a fact and the rules that must stay silent about it both ask here.
"""

from __future__ import annotations

from collections.abc import Iterator

from restquery.ast import (
    AttributeList,
    AttributePath,
    Boolean,
    CallSegment,
    Comparison,
    EntitySetSegment,
    Filter,
    Key,
    KeySegment,
    KeywordSegment,
    LookupSegment,
    NamesSegment,
    Origin,
    Param,
    Params,
    PathList,
    PathPart,
    RawValue,
    Request,
    Segment,
    SortList,
    Span,
    Template,
    Text,
    Word,
    is_template,
)
from restquery.params import names
from restquery.shape import PATH_KEYWORDS

TYPE_CHECKING = False  # mypy reads the TYPE_CHECKING branches; typing is not imported at run time
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, NamedTuple, TypeVar

    from restquery.catalog import Catalog, DataClass, PathResolution
    from restquery.rules._base import Context

    T = TypeVar("T")
else:
    from restquery._records import NamedTuple

#: The parameters whose value is a filter expression (``$filter``, ``$savedfilter``).
FILTER_PARAMS = names(kind="filter")


def fact(compute: Callable[[Context], T]) -> Callable[[Context], T]:
    """A fact of the request, computed once: the context keeps its value (``ctx.facts``)."""

    def once(ctx: Context) -> T:
        facts = ctx.facts
        try:
            value: T = facts[once]
        except KeyError:
            value = facts[once] = compute(ctx)
        return value

    once.__name__ = compute.__name__
    once.__qualname__ = compute.__qualname__
    once.__doc__ = compute.__doc__
    once.__wrapped__ = compute  # type: ignore[attr-defined]
    return once


# ---------------------------------------------------------------------------------------------
# Template placeholders
# ---------------------------------------------------------------------------------------------


@fact
def template_regions(ctx: Context) -> tuple[Span, ...]:
    """The spans of the names, keys and values that hold a template placeholder (spec §1.1:
    ``{{dataClass}}``, ``{{id}}``, ``$top={{n}}``), in document order. A finding located inside
    one of them is about text nobody can see, and the checker drops it; a finding about the
    request around them stands (``Employee({{id}})?$method=update`` is still RQ317)."""
    return template_spans(ctx.request, ctx.url)


def template_spans(request: Request, url: str | None, *, quoted: bool = True) -> tuple[Span, ...]:
    """:func:`template_regions` of ``request`` parsed from ``url`` (``None``: a built tree);
    without ``quoted``, templates inside quoted text and keys (literal data to a server, such
    as ``lastName='{{x}}'``) are left out."""
    if url is not None and "{{" not in url and "%7B" not in url and "%7b" not in url:
        return ()
    found: list[Span] = []
    add = found.append
    for node in request.walk():
        if isinstance(node, Template):
            add(node.span)
        elif isinstance(node, PathPart):
            if is_template(node.name):
                add(node.span)
        elif isinstance(node, (Key, Text)):
            if (quoted or not node.quoted) and is_template(str(node.value)):
                add(node.span)
        elif isinstance(node, RawValue):
            if is_template(node.text):
                add(node.span)
        elif isinstance(node, Word):
            if is_template(node.value):
                add(node.span)
        elif isinstance(node, (KeySegment, CallSegment, LookupSegment)):
            if is_template(node.name):
                add(node.name_span)
            if isinstance(node, LookupSegment) and is_template(node.attribute):
                add(node.attribute_span)
        elif isinstance(node, EntitySetSegment):
            if is_template(node.id):
                add(node.id_span)
        elif isinstance(node, Origin):
            if node.placeholder is not None:
                add(node.span)
        elif isinstance(node, Params):
            found.extend(t.span for t in node.templates())
        elif isinstance(node, Param) and is_template(node.name):
            add(_name_span(url, node) if url is not None else Span(*node.span))
    return tuple(found)


def inside_template(span: Span, regions: tuple[Span, ...]) -> bool:
    """Whether ``span`` lies within one of ``regions`` (see :func:`template_regions`)."""
    start, end = span
    return any(a <= start and end <= b for a, b in regions)


# ---------------------------------------------------------------------------------------------
# Parameters
# ---------------------------------------------------------------------------------------------


def name_span(ctx: Context, param: Param) -> tuple[Span, bool]:
    """The span of ``param``'s name in the URL, and whether it is known exactly (the URL text
    is at hand and spells the decoded name as is, so an edit may replace it)."""
    url = ctx.url
    if url is None:
        return Span(*param.span), False
    span = _name_span(url, param)
    return span, url[span.start : span.end] == param.name


def _name_span(url: str, param: Param) -> Span:
    # The name ends at the first `=` of the parameter's text (or with it).
    start, end = param.span
    eq = url.find("=", start, end)
    return Span(start, eq if eq >= 0 else end)


def value_span(param: Param) -> tuple[int, int]:
    """The value's span, or the parameter's when the value is missing or empty."""
    value = param.value
    if value is None or value.span[0] == value.span[1]:
        return param.span
    return value.span


def value_text(param: Param) -> str:
    """The value as written (decoded) for a word or raw value; ``""`` when missing."""
    value = param.value
    if isinstance(value, Word):
        return value.value
    if isinstance(value, RawValue):
        return value.text
    return ""


def empty(param: Param) -> bool:
    """No value at all (``?$top``) or an empty one (``?$top=``)."""
    value = param.value
    return value is None or (isinstance(value, RawValue) and value.text == "")


@fact
def method_value(ctx: Context) -> str | None:
    """The first ``$method`` value, lower-cased, when it is a plain word; else ``None``."""
    p = ctx.param("$method")
    if p is None or not isinstance(p.value, Word):
        return None
    return p.value.value.lower()


#: How each resource is spelled in messages.
_RESOURCE = {
    "catalog": "$catalog",
    "info": "$info",
    "directory": "$directory",
    "singleton": "$singleton",
    "upload": "$upload",
    "querypath": "$querypath",
    "webform": "$getWebForm",
}


#: Parameters each descriptive resource does take (the parameter table's ``resources``).
_ALLOWED = {
    resource: frozenset(names(resource=resource)) for resource in ("singleton", "upload")
}
_CATALOG_FUNCTION = frozenset(names(resource="catalog"))


def _allowed(ctx: Context) -> frozenset[str]:
    shape = ctx.shape
    if shape.resource == "catalog" and shape.tail is not None:
        # `$catalog/{name}`: a datastore function (P18) takes `$params`; a dataclass (P17) does
        # not. Without a catalog the two cannot be told apart.
        name = shape.tail.name or ""
        cat = ctx.catalog
        if cat is not None and cat.function(name) is None and cat.dataclass(name) is not None:
            return frozenset()
        return _CATALOG_FUNCTION
    return _ALLOWED.get(shape.resource, frozenset())


def reported_by_r42(ctx: Context, name: str) -> bool:
    """True when RQ352 reports the parameter ``name`` on this request; other parameter rules
    then stay silent about it."""
    return ctx.shape.resource in _RESOURCE and name not in _allowed(ctx)


@fact
def filters(ctx: Context) -> list[tuple[Param, Filter]]:
    """The parsed ``$filter`` and ``$savedfilter`` values, in URL order (not those R42 reports
    as misplaced on a descriptive resource)."""
    out = []
    for p in ctx.iter_params():
        name = p.canonical
        if (
            name in FILTER_PARAMS
            and isinstance(p.value, Filter)
            and not reported_by_r42(ctx, name)
        ):
            out.append((p, p.value))
    return out


def expression_nodes(ctx: Context, flt: Filter, *kinds: type) -> tuple[Any, ...]:
    """The nodes of ``flt``'s expression that are instances of ``kinds``, in document order
    (``flt.expr.find_all(*kinds)``); the tree is walked once per request, whatever the number
    of rules that ask."""
    facts = ctx.facts
    key = ("expression", id(flt), kinds)
    found = facts.get(key)
    if found is None or found[0] is not flt:
        every = ("expression", id(flt))
        nodes = facts.get(every)
        if nodes is None or nodes[0] is not flt:
            nodes = facts[every] = (flt, list(flt.expr.walk()))
        found = facts[key] = (flt, tuple([n for n in nodes[1] if isinstance(n, kinds)]))
    return found[1]


@fact
def expanded(ctx: Context) -> list[AttributePath]:
    """The attribute paths of every ``$expand``."""
    out: list[AttributePath] = []
    for p in ctx.params.get("$expand", ()):
        if isinstance(p.value, PathList):
            out.extend(p.value.paths)
    return out


@fact
def companion(ctx: Context) -> bool:
    """``$binary=true``, ``$imageformat``, ``$version`` or ``$method=subentityset``: the
    picture/BLOB and sub-entity-set uses of ``$expand``, which R15, R17 and R25 check."""
    binary = ctx.param("$binary")
    if (
        binary is not None
        and isinstance(binary.value, Boolean)
        and binary.value.value
        and ctx.shape.resource != "upload"
    ):
        return True
    if ctx.has("$imageformat", "$version"):
        return True
    method = ctx.param("$method")
    return (
        method is not None
        and isinstance(method.value, Word)
        and method.value.value.lower() == "subentityset"
    )


# ---------------------------------------------------------------------------------------------
# The path
# ---------------------------------------------------------------------------------------------


#: Keywords that name a resource and so can only start the path (§2.1): all but the three
#: that follow another segment.
ROOT_KEYWORDS = PATH_KEYWORDS - {"$all", "$entityset", "$release"}


class KeywordProblem(NamedTuple):
    """A `$` path segment R2 reports: its index in the segments and why."""

    position: int
    segment: KeywordSegment
    reason: str
    known: bool


def _is_keyword(seg: Segment | None, keyword: str) -> bool:
    # Case-insensitive, so that a misspelt `$Catalog` (reported) does not also get the `$all`
    # after it reported.
    return isinstance(seg, KeywordSegment) and seg.keyword.casefold() == keyword.casefold()


def _misplaced(segments: tuple[Segment, ...], i: int, kw: str) -> str | None:
    """Why the known keyword ``kw`` cannot stand at ``segments[i]``, or ``None``."""
    previous = segments[i - 1] if i else None
    if kw in ROOT_KEYWORDS:
        return None if i == 0 else "only allowed right after `/rest/`"
    if kw == "$all":
        ok = i == 1 and _is_keyword(previous, "$catalog")
        return None if ok else "only allowed right after `$catalog/`"
    if kw == "$release":
        return None if _is_keyword(previous, "$entityset") else (
            "only allowed right after `$entityset/`"
        )
    if kw == "$entityset":
        dataclass_path = not isinstance(segments[0], KeywordSegment)
        if i == 0 or not dataclass_path or _is_keyword(previous, "$entityset"):
            return "only allowed after a dataclass or its functions"
    return None


def keyword_problems(segments: tuple[Segment, ...]) -> list[KeywordProblem]:
    """Every `$` path segment that is unknown or out of place (shared with R3, which must not
    report the same segments again)."""
    out: list[KeywordProblem] = []
    for i, seg in enumerate(segments):
        if not isinstance(seg, KeywordSegment):
            continue
        if seg.keyword not in PATH_KEYWORDS:
            out.append(KeywordProblem(i, seg, "not a path keyword", False))
            continue
        reason = _misplaced(segments, i, seg.keyword)
        if reason is not None:
            out.append(KeywordProblem(i, seg, reason, True))
    return out


def _plain_name(seg: Segment) -> bool:
    return isinstance(seg, NamesSegment) and seg.name is not None


def singleton_problem(segments: tuple[Segment, ...]) -> tuple[Span, str] | None:
    """Where a ``$singleton`` path lacks its class or function name, and the hint; ``None``
    when the path is fine (or not a singleton path, or the culprit is a `$` keyword, which R2
    reports)."""
    if not segments or not (
        isinstance(segments[0], KeywordSegment) and segments[0].keyword == "$singleton"
    ):
        return None
    rest = segments[1:3]
    for i, seg in enumerate(rest):
        if isinstance(seg, KeywordSegment):
            return None  # R2 reports a keyword here
        if not _plain_name(seg):
            if i == 1 and isinstance(seg, (CallSegment, KeySegment)):
                hint = (
                    "pass the arguments in the request body (POST) or in `$params`, not in the "
                    "path"
                )
            else:
                hint = "write `/rest/$singleton/{SingletonClass}/{function}`"
            return seg.span, hint
    if len(rest) == 2:
        return None
    span = Span(segments[0].span.start, segments[-1].span.end)
    if not rest:
        return span, (
            "add the singleton class and function: `/rest/$singleton/{SingletonClass}/{function}`"
        )
    return span, "add the function name after the singleton class"


CURRENT_ACTION = "login"


LEGACY_ACTIONS = ("logout", "currentUser", "currentUserBelongsTo")


ACTIONS = (CURRENT_ACTION, *LEGACY_ACTIONS)


def _is_directory(segments: tuple[Segment, ...]) -> bool:
    return bool(segments) and isinstance(segments[0], KeywordSegment) and (
        segments[0].keyword == "$directory"
    )


def directory_problem(segments: tuple[Segment, ...]) -> Segment | None:
    """The segment RQ105 reports on a ``$directory`` path (the ``$directory`` segment itself
    when no action follows), or ``None``. A `$` keyword after ``$directory/`` is R2's."""
    if not _is_directory(segments):
        return None
    if len(segments) == 1:
        return segments[0]
    action = segments[1]
    if isinstance(action, KeywordSegment):
        return None
    if isinstance(action, NamesSegment) and action.name in ACTIONS:
        return None
    return action


@fact
def path_span(ctx: Context) -> Span:
    """From the first to the last segment of the path (its whole span if it has none)."""
    segs = ctx.request.path.segments
    if not segs:
        return ctx.request.path.span
    return Span(segs[0].span.start, segs[-1].span.end)


@fact
def extra_path_span(ctx: Context) -> tuple[int, int]:
    """The segments that make the path more than a bare dataclass: the whole entity segment
    (``Employee(22)``) and what follows, or what follows the dataclass name."""
    segs = ctx.request.path.segments
    first = 0 if ctx.shape.entity or len(segs) == 1 else 1
    return segs[first].span[0], segs[-1].span[1]


@fact
def path_kind(ctx: Context) -> str:
    """What a dataclass path designates, in words, for messages."""
    shape = ctx.shape
    if shape.entity:
        return (
            "an attribute of one entity"
            if shape.form == "P8"
            else ("a function of one entity" if shape.form == "P14" else "one entity")
        )
    if shape.form in ("P9", "P10", "P11"):
        return "an entity set"
    if shape.form in ("P12", "P13", "L1", "L2"):
        return "a function"
    if shape.form == "P5":
        return "an attribute list"
    if shape.form == "P7":
        return "an attribute"
    return "a dataclass"


# ---------------------------------------------------------------------------------------------
# The URL text
# ---------------------------------------------------------------------------------------------


_BLANKS = (" ", "\t", "%20", "%09")


def trim(url: str, start: int, end: int, *, left: tuple[str, ...] = ()) -> Span:
    """``[start, end)`` of ``url`` without surrounding blanks (raw or percent-encoded) and,
    on the left, without the extra ``left`` lexemes (such as an opening parenthesis)."""
    lead = _BLANKS + left
    moved = True
    while moved and start < end:
        moved = False
        for b in lead:
            if url.startswith(b, start) and start + len(b) <= end:
                start += len(b)
                moved = True
                break
    moved = True
    while moved and start < end:
        moved = False
        for b in _BLANKS:
            if url.endswith(b, start, end):
                end -= len(b)
                moved = True
                break
    return Span(start, end)


def operator_span(ctx: Context, comparison: Comparison) -> Span:
    """The characters of the URL that spell the comparator of ``comparison`` (the whole
    comparison when the URL text is not at hand)."""
    if ctx.url is None:
        return comparison.span
    span = trim(ctx.url, comparison.left.span.end, comparison.right.span.start)
    return span if span.end > span.start else comparison.span


# ---------------------------------------------------------------------------------------------
# The schema (with a catalog)
# ---------------------------------------------------------------------------------------------


class AttributeRef:
    """One attribute path of the request: the dataclasses it may be looked up on (the first is
    the one to report against), its names and the span of each name in the URL (``spans``,
    read from the path's parts when a rule reports)."""

    __slots__ = ("_where", "names", "owners", "param", "tail")

    def __init__(
        self,
        owners: tuple[DataClass, ...],
        names: tuple[str, ...],
        where: AttributePath | tuple[Span, ...],
        param: str | None = None,
        tail: bool = False,
    ) -> None:
        self.owners = owners
        self.names = names
        self._where = where
        self.param = param
        self.tail = tail

    @property
    def spans(self) -> tuple[Span, ...]:
        where = self._where
        if isinstance(where, tuple):
            return where
        return tuple([p.span for p in where.parts])

    def __repr__(self) -> str:
        return (
            f"AttributeRef(owners={self.owners!r}, names={self.names!r}, spans={self.spans!r},"
            f" param={self.param!r}, tail={self.tail!r})"
        )


#: Parameters whose value holds attribute paths.
_PATH_PARAMS = frozenset(names(kind=("filter", "sort", "attributes", "paths")))


# Forms whose result is what a function returns: the catalog does not describe it.
_FUNCTION_FORMS = frozenset({"P12", "P13", "P14", "L1", "L2"})


@fact
def path_dataclass(ctx: Context) -> DataClass | None:
    """The catalog's exposed dataclass of a dataclass path, if the catalog describes it."""
    cat = ctx.catalog
    segs = ctx.request.path.segments
    if cat is None or not segs:
        return None
    shape = ctx.shape
    if shape is not None and shape.resource != "dataclass":
        return None
    name = getattr(segs[0], "name", None)
    if not isinstance(name, str):
        return None
    dc = cat.dataclass(name)
    if dc is None or not dc.exposed or not dc.attributes_known:
        return None
    return dc


def lookup_attribute_span(ctx: Context, seg: LookupSegment) -> tuple[Span, bool]:
    """The span of the attribute name in ``Company:companyCode(…)``, and whether the URL spells
    it exactly there (a hand-built segment without that span gives the segment's span)."""
    span = seg.attribute_span if seg.attribute_span[1] > seg.attribute_span[0] else seg.span
    url = ctx.url
    return Span(*span), url is not None and url[span[0] : span[1]] == seg.attribute


def _ref(owners: tuple[DataClass, ...], path: AttributePath, param: str | None,
         tail: bool = False) -> AttributeRef:
    return AttributeRef(
        owners,
        path.names,
        path,
        param=param,
        tail=tail,
    )


def _filter_paths(flt: Filter) -> list[AttributePath]:
    """The attribute paths compared in ``flt``, in text order (placeholders in path position
    name no attribute of their own)."""
    found = [
        c.left for c in flt.expr.find_all(Comparison) if isinstance(c.left, AttributePath)
    ]
    if flt.order_by is not None:  # query()'s "order by" clause
        found.extend(item.path for item in flt.order_by.items)
    return found


@fact
def attribute_paths(ctx: Context) -> list[AttributeRef]:
    """Every attribute path of the request with the dataclass(es) it is looked up on."""
    return list(_attribute_paths(ctx))


def _attribute_paths(ctx: Context) -> Iterator[AttributeRef]:
    """Every attribute path of the request with the dataclass(es) it is looked up on."""
    cat = ctx.catalog
    dc = path_dataclass(ctx)
    if cat is None or dc is None:
        return
    shape = ctx.shape
    segs = ctx.request.path.segments
    first = segs[0]
    own = (dc,)
    form = shape.form if shape is not None else None

    if isinstance(first, LookupSegment):
        span, _ = lookup_attribute_span(ctx, first)
        yield AttributeRef(own, (first.attribute,), (span,))

    # After an entity's relation attribute (P8), the parameters name attributes of its target.
    target: DataClass | None = None
    to_many_tail = False
    if shape is not None and form is not None:
        if shape.projection is not None:
            for path in shape.projection.paths:
                yield _ref(own, path, None)
        if shape.tail is not None and shape.tail_kind != "function":
            for path in shape.tail.paths:
                yield _ref(own, path, None, tail=shape.tail.name is not None)
            if form == "P8":
                res = cat.resolve_path(dc, shape.tail.paths[0].names)
                if res.ok and res.checked and res.target is not None:
                    target, to_many_tail = res.target, res.to_many
    if form == "P11":
        return
    if form == "P8":
        if target is None:
            return  # a picture, BLOB or scalar value: its parameters name no attributes
        data_owners: tuple[DataClass, ...] = (target,)
        expand_owners: tuple[DataClass, ...] = (dc, target)
    else:
        data_owners = expand_owners = own
    result_described = form not in _FUNCTION_FORMS

    for name, occurrences in ctx.params.items():
        if name not in _PATH_PARAMS:
            continue
        for p in occurrences:
            value = p.value
            if isinstance(value, Filter):  # $filter, $savedfilter
                for path in _filter_paths(value):
                    yield _ref(data_owners, path, name)
            elif isinstance(value, SortList):
                if name != "$subOrderby":
                    owners: tuple[DataClass, ...] = data_owners
                elif to_many_tail and target is not None:
                    owners = (target,)
                else:
                    continue
                for item in value.items:
                    yield _ref(owners, item.path, name)
            elif isinstance(value, AttributeList) and result_described:
                for attr in value.items:
                    if attr.path is not None:
                        yield _ref(data_owners, attr.path, name)
            elif isinstance(value, PathList) and result_described:  # $expand
                for path in value.paths:
                    yield _ref(expand_owners, path, name)


def resolve(cat: Catalog, ref: AttributeRef) -> tuple[DataClass, PathResolution]:
    """The resolution of ``ref`` on the first of its owners where it resolves (else on the
    first owner), with that owner."""
    first = cat.resolve_path(ref.owners[0], ref.names)
    if first.ok:
        return ref.owners[0], first
    for owner in ref.owners[1:]:
        res = cat.resolve_path(owner, ref.names)
        if res.ok:
            return owner, res
    return ref.owners[0], first


def is_relation(ctx: Context, path: AttributePath) -> bool | None:
    """With a catalog: whether ``path`` leads to a relation (or an alias of one) from the
    path's dataclass; ``None`` when the catalog cannot tell or the name does not resolve (R10)."""
    dc, cat = ctx.dataclass, ctx.catalog
    if dc is None or cat is None:
        return None
    res = cat.resolve_path(dc, path.names)
    if not res.ok or not res.checked or res.attribute is None:
        return None
    if res.in_object:
        return False
    if res.target is not None or (res.effective is not None and res.effective.is_relation):
        return True
    eff = res.effective
    if eff is None or (eff.type_class == "unknown" and not eff.is_relation):
        return None
    return False
