"""Mutations for the syntax codes and the path and schema rules (RQ0xx-RQ2xx)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hypothesis import assume
from hypothesis import strategies as st

from restquery.ast import (
    AttributePath,
    CallSegment,
    Comparison,
    EntitySetSegment,
    Filter,
    Key,
    KeySegment,
    LookupSegment,
    NamesSegment,
    Number,
    Param,
    Path,
    PathPart,
    RawValue,
    Request,
    Segment,
    SortItem,
    SortList,
    Text,
)
from restquery.params import canonical_name
from restquery.printer import unparse

if TYPE_CHECKING:
    pass
from restquery.strategies._base import (
    names,
)
from restquery.strategies._views import (
    _SCALAR_CLASSES,
    _Schema,
    _Typed,
    _View,
    _apath,
    _int_param,
    _kw,
    _names_of,
    _names_seg,
    _param,
    _request,
    _safe_name,
)
from restquery.strategies._clean import (
    _ENTITY_SET_IDS,
    _clean_keys,
    _entity_segment,
    _has_entity,
    _rest_comparators,
)
from restquery.strategies._valid import (
    _request_dataclass,
    _sc_entity,
    _sc_read,
    _valid_requests,
)
from restquery.strategies._registry import (
    _add,
    _drop,
    _filter_text_url,
    _filtered_read,
    _first_comparison,
    _get,
    _misspell,
    _mutation,
    _replace_first_comparison,
    _replace_params,
    _set_segments,
    _with_filter_expr,
)


# -- syntax errors (RQ0xx, raised by the parser) ------------------------------------------------


@_mutation("RQ001", "write text after the closing quote of the $filter value")
def _m001(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_filtered_read(schema))
    stray = draw(st.one_of(st.sampled_from(["x", " AND", "a=1", " OR b=2"]), names()))
    return _filter_text_url(req, lambda t: t) + stray, None


@_mutation("RQ002", "drop the closing quote of the quoted $filter value")
def _m002(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_filtered_read(schema))
    return _filter_text_url(req, lambda t: t)[:-1], None


@_mutation("RQ003", "open a parenthesis in $filter and never close it")
def _m003(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_filtered_read(schema))
    return _filter_text_url(req, lambda t: "(" + t), None


@_mutation("RQ004", "append a comparison whose value is missing to $filter")
def _m004(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_filtered_read(schema, placeholders=False))
    flt = _get(req, "$filter").value
    assert isinstance(flt, Filter)
    first = _first_comparison(flt.expr)
    op = draw(st.sampled_from(_rest_comparators(False)))
    return _filter_text_url(req, lambda t: f"{t} AND {unparse(first.left)}{op}"), None


@_mutation("RQ005", "replace the `?` before the first $ parameter with `/`")
def _m005(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_filtered_read(schema, placeholders=False))  # no $params JSON (see fuzz/)
    req = Request(path=Path(segments=req.path.segments), params=req.params)
    url = unparse(req)
    head = unparse(Request(path=req.path))
    return head + "/" + url[len(head) + 1 :], None


@_mutation("RQ006", "empty the key of the entity: `D()`")
def _m006(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_sc_entity(schema, "GET"))
    first = req.path.segments[0]
    assert isinstance(first, (KeySegment, LookupSegment))
    name = first.name
    url = unparse(req)
    seg = unparse(first)
    assert url.startswith("/rest/" + seg)
    return "/rest/" + _name_text(name) + "()" + url[len("/rest/" + seg) :], "GET"


def _name_text(name: str) -> str:
    return unparse(_names_seg(name))


@_mutation("RQ114", "put an `&` with no parameter after the `?`, doubled, or at the end")
def _m114(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_filtered_read(schema))
    url = unparse(req)
    head = unparse(Request(path=req.path))
    where = draw(st.sampled_from(["lead", "end", "double"]))
    if where == "lead":
        return head + "?&" + url[len(head) + 1 :], None
    first = unparse(Request(path=req.path, params=req.params[:1]))
    rest = url[len(first) :]  # "&..." when there are more parameters
    if where == "end" or not rest:
        return url + "&", None
    return first + "&" + rest, None


@_mutation("RQ008", "end $filter with a dangling AND")
def _m008(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_filtered_read(schema))
    op = draw(st.sampled_from(["AND", "OR", "EXCEPT"]))
    return _filter_text_url(req, lambda t: f"{t} {op}"), None


@_mutation("RQ009", "insert a percent-encoded byte that is not UTF-8 into $filter")
def _m009(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_filtered_read(schema))
    bad = draw(st.sampled_from(["%FF", "%C3", "%80", "%E2%82"]))
    return _filter_text_url(req, lambda t: t + bad), None


@_mutation("RQ010", "nest $filter in more parentheses than the default max_depth")
def _m010(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    from restquery.syntax.limits import DEFAULT_MAX_DEPTH

    req = draw(_filtered_read(schema))
    n = DEFAULT_MAX_DEPTH + draw(st.integers(1, 5))
    return _filter_text_url(req, lambda t: "(" * n + t + ")" * n), None


@_mutation("RQ012", "double the `/` after /rest")
def _m012(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    method = draw(st.sampled_from(["GET", "POST"]))
    req = draw(_valid_requests(schema, method))
    assume(req.path.segments)
    url = unparse(req)
    return "/rest/" + url[len("/rest") :], method


@_mutation("RQ013", "append a $top with more digits than MAX_NUMBER_DIGITS")
def _m013(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    from restquery.syntax.values import MAX_NUMBER_DIGITS

    req = draw(_filtered_read(schema))
    n = MAX_NUMBER_DIGITS + draw(st.integers(1, 50))
    digits = draw(st.sampled_from("123456789")) + "0" * (n - 1)
    return unparse(req) + "&$top=" + digits, None


# -- path structure (RQ1xx) -----------------------------------------------------------------


@_mutation("RQ101", "drop the /rest prefix")
def _m101(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    method = draw(st.sampled_from(["GET", "POST"]))
    req = draw(_valid_requests(schema, method))
    assume(req.path.segments)
    path = Path(segments=req.path.segments, prefix=False, trailing_slash=req.path.trailing_slash)
    url = unparse(Request(path=path, params=req.params))
    assume(_not_read_as_prefix(url, req))
    return url, method


def _not_read_as_prefix(url: str, req: Request) -> bool:
    # A first segment called `rest` would be read as the prefix again.
    first = req.path.segments[0]
    return getattr(first, "name", None) != "rest"


@_mutation("RQ102", "misspell a path keyword, or put `$all` after a dataclass")
def _m102(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    if draw(st.booleans()):
        kw = draw(st.sampled_from(["$catalog", "$info", "$getWebForm"]))
        bad = draw(st.sampled_from([kw.upper(), kw.capitalize(), kw + "s", kw[:-1]]))
        assume(bad != kw)
        return unparse(_request([_kw(bad)])), "GET"
    view = draw(schema.view())
    return unparse(_request([_names_seg(view.name), _kw("$all")])), "GET"


@_mutation("RQ103", "add a segment after an entity-set ID or after $info")
def _m103(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    view = draw(schema.view())
    extra = _names_seg(draw(_names_of(None if view.free else (view.name,))))
    if draw(st.booleans()):
        return unparse(_request([_kw("$info"), extra])), "GET"
    req = draw(_sc_read(schema, "GET"))
    segs = list(req.path.segments)
    if not any(isinstance(s, EntitySetSegment) for s in segs):
        segs += [_kw("$entityset"), EntitySetSegment(id=draw(_ENTITY_SET_IDS))]
    req = _drop(req, "$method", "$timeout", "$savedfilter", "$savedorderby")
    return unparse(_set_segments(req, segs + [extra])), "GET"


@_mutation("RQ104", "leave the function name out of a $singleton path")
def _m104(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    single = (
        draw(names())
        if schema.singletons is None or not schema.singletons
        else draw(st.sampled_from([s[0] for s in schema.singletons]))
    )
    return unparse(_request([_kw("$singleton"), _names_seg(single)])), "POST"


@_mutation("RQ105", "misspell the $directory action")
def _m105(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    action = draw(st.sampled_from(["Login", "LOGIN", "logon", "signin", "log-in"]))
    return unparse(
        _request(
            [_kw("$directory"), _names_seg(action)] if _safe_name(action) else [_kw("$directory")]
        )
    ), "POST"


@_mutation("RQ106", "use a legacy $directory action")
def _m106(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    action = draw(st.sampled_from(["logout", "currentUser", "currentUserBelongsTo"]))
    return unparse(_request([_kw("$directory"), _names_seg(action)])), None


@st.composite
def _read_with_params(draw: st.DrawFn, schema: _Schema) -> Request:
    req = draw(_sc_read(schema, "GET"))
    if not req.params:
        req = _add(req, _int_param("$top", draw(st.integers(0, 100))))
    return req


@st.composite
def _odata_filter(draw: st.DrawFn, schema: _Schema, words: Any, write: Any) -> str:
    """A filtered read with ``write(filter text, attribute path, word)`` as its filter, for a
    word drawn from ``words`` (OData's comparison words or functions)."""
    req = draw(_filtered_read(schema))
    flt = _get(req, "$filter").value
    assert isinstance(flt, Filter)
    left = unparse(_first_comparison(flt.expr).left)
    word = draw(st.sampled_from(sorted(words)))
    return _filter_text_url(req, lambda t: write(t, left, word))


@_mutation("RQ016", "compare with an OData word (`eq`, `gt`...) in $filter")
def _m016(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    from restquery.syntax.odata import ODATA_COMPARATORS

    write = lambda t, left, word: f"{t} AND {left} {word} 1"  # noqa: E731
    return draw(_odata_filter(schema, ODATA_COMPARATORS, write)), None


@_mutation("RQ017", "write a condition as an OData function (`contains(`...) in $filter")
def _m017(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    from restquery.syntax.odata import ODATA_FUNCTIONS

    write = lambda t, left, fn: f"{fn}({left},'x') AND {t}"  # noqa: E731
    return draw(_odata_filter(schema, ODATA_FUNCTIONS, write)), None


@_mutation("RQ115", "ask for attributes with OData's `$select`")
def _m115(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_sc_read(schema, "GET"))
    req = _drop(req, "$attributes")
    return unparse(_add(req, Param(name="$select", value=RawValue(text=draw(names()))))), "GET"


@_mutation("RQ116", "write a sort list with a space bare, without its double quotes")
def _m116(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    from restquery.strategies._views import _typed_of

    view = draw(schema.view(lambda v: v.sortable != ()))
    typed = draw(_typed_of(view.sortable))
    direction = draw(st.sampled_from(["asc", "desc", "ASC", "DESC"]))
    item = SortItem(path=_apath(typed[0]), direction=direction)
    return unparse(_request([_names_seg(view.name)], [_param("$orderby", SortList(items=(item,)))])), "GET"


@_mutation("RQ107", "misspell a parameter name")
def _m107(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_read_with_params(schema))
    i = draw(st.integers(0, len(req.params) - 1))
    p = req.params[i]
    bad = draw(_misspell(p.name[1:], lambda n: canonical_name("$" + n) is not None))
    params_ = list(req.params)
    params_[i] = Param(name="$" + bad, value=_as_raw(p), quote=p.quote)
    return unparse(_replace_params(req, params_)), "GET"


def _as_raw(p: Param) -> Any:
    """The value of ``p`` as an unknown parameter would carry it (its text)."""
    if p.value is None:
        return None
    return RawValue(text=unparse(p.value))


@_mutation("RQ108", "write a parameter name in another letter case")
def _m108(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_read_with_params(schema))
    i = draw(st.integers(0, len(req.params) - 1))
    p = req.params[i]
    spelling = draw(st.sampled_from([p.name.upper(), p.name.lower(), p.name.swapcase()]))
    assume(spelling != p.name)
    params_ = list(req.params)
    params_[i] = Param(name=spelling, value=p.value, quote=p.quote, trailing_slash=p.trailing_slash)
    return unparse(_replace_params(req, params_)), "GET"


@_mutation("RQ109", "drop the `$` of a parameter name")
def _m109(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_read_with_params(schema))
    i = draw(st.integers(0, len(req.params) - 1))
    p = req.params[i]
    params_ = list(req.params)
    params_[i] = Param(name=p.name[1:], value=_as_raw(p), quote=p.quote)
    return unparse(_replace_params(req, params_)), "GET"


@_mutation("RQ110", "repeat a parameter")
def _m110(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_read_with_params(schema))
    p = draw(st.sampled_from(req.params))
    return unparse(_add(req, p)), "GET"


@_mutation("RQ111", 'empty the entity key (`D("")`) or make it composite (`D(1,2)`)')
def _m111(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    view = draw(schema.view())
    if draw(st.booleans()):
        first: Segment = KeySegment(
            name=view.name, key=Key(value="", quoted=True), brackets=draw(st.booleans())
        )
    else:
        args = draw(st.lists(_clean_keys("numeric"), min_size=2, max_size=3))
        first = CallSegment(name=view.name, args=tuple(args))
    return unparse(_request([first])), "GET"


# -- schema (RQ2xx, need a catalog) ----------------------------------------------------------


@_mutation("RQ112", "write a raw `&` inside the quoted $filter value")
def _m112(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_filtered_read(schema, placeholders=False))
    flt = _get(req, "$filter").value
    assert isinstance(flt, Filter)
    first = _first_comparison(flt.expr)
    value = draw(st.sampled_from(["a&b", "&", "x&$method=delete&"]))
    new = Comparison(left=first.left, op="=", right=Text(value=value, quoted=True))
    return unparse(_with_filter_expr(req, _replace_first_comparison(flt.expr, new))), "GET"


@_mutation("RQ113", "write a raw `+` in a quoted text of the $filter value")
def _m113(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_filtered_read(schema, placeholders=False))
    flt = _get(req, "$filter").value
    assert isinstance(flt, Filter)
    first = _first_comparison(flt.expr)
    marker = "QplusQ"  # the printer writes a `+` as %2B: put the raw one in afterwards
    value = draw(st.sampled_from(["a", "O", "x y"])) + marker + draw(st.sampled_from(["b", "1"]))
    new = Comparison(left=first.left, op="=", right=Text(value=value, quoted=True))
    url = unparse(_with_filter_expr(req, _replace_first_comparison(flt.expr, new)))
    return url.replace(marker, "+"), "GET"


@_mutation("RQ201", "misspell the dataclass name", needs_catalog=True)
def _m201(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_sc_read(schema, "GET"))
    first = req.path.segments[0]
    assert isinstance(first, NamesSegment) and first.name
    bad = draw(_misspell(first.name, lambda n: n in schema.dataclass_names))
    return unparse(_set_segments(req, (_names_seg(bad),) + req.path.segments[1:])), "GET"


@_mutation(
    "RQ202",
    "misspell an attribute in $filter",
    needs_catalog=True,
    available=lambda s: s.has(lambda v: bool(v.filterable)),
)
def _m202(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_filtered_read(schema))
    view = schema.target(_request_dataclass(req) or "")
    assert view is not None
    flt = _get(req, "$filter").value
    assert isinstance(flt, Filter)
    first = _first_comparison(flt.expr)
    assert isinstance(first.left, AttributePath)
    bad = draw(_misspell(first.left.parts[0].name, lambda n: n in view.known))
    left = AttributePath(parts=(PathPart(name=bad),) + first.left.parts[1:])
    new = Comparison(left=left, op=first.op, right=first.right)
    return unparse(_with_filter_expr(req, _replace_first_comparison(flt.expr, new))), "GET"


def _has_functions(schema: _Schema) -> bool:
    return bool(schema.singletons) or any(
        v.class_functions or v.entity_functions for v in schema.views
    )


@_mutation(
    "RQ203",
    "misspell a function, or call an entity function on the dataclass",
    needs_catalog=True,
    available=_has_functions,
)
def _m203(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    options = []
    if schema.singletons:
        options.append("singleton")
    if any(v.entity_functions for v in schema.views):
        options.append("entity-on-dataclass")
    if any(v.class_functions and _has_entity(v) for v in schema.views):
        options.append("class-on-entity")
    kind = draw(st.sampled_from(options))
    if kind == "singleton":
        assert schema.singletons
        single, fn, _ = draw(st.sampled_from(schema.singletons))
        known = {f for s, f, _ in schema.singletons if s == single}
        bad = draw(_misspell(fn, lambda n: n in known))
        return unparse(_request([_kw("$singleton"), _names_seg(single), _names_seg(bad)])), "POST"
    if kind == "entity-on-dataclass":
        view = draw(schema.view(lambda v: bool(v.entity_functions)))
        fn = draw(st.sampled_from([n for n, _ in view.entity_functions or ()]))
        assume(fn not in {n for n, _ in view.class_functions or ()})
        return unparse(_request([_names_seg(view.name), _names_seg(fn)])), "POST"
    view = draw(schema.view(lambda v: bool(v.class_functions) and _has_entity(v)))
    fn = draw(st.sampled_from([n for n, _ in view.class_functions or ()]))
    assume(fn not in {n for n, _ in view.entity_functions or ()})
    return unparse(_request([draw(_entity_segment(view)), _names_seg(fn)])), "POST"


@_mutation(
    "RQ204",
    "give a text key to a numeric primary key",
    needs_catalog=True,
    available=lambda s: any(v.key == "numeric" for v in s.views),
)
def _m204(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    view = draw(schema.view(lambda v: v.key == "numeric"))
    key = draw(st.sampled_from(["acme", "A1", "IT0911AB2200", "x-1", "one"]))
    return unparse(_request([KeySegment(name=view.name, key=Key(value=key))])), "GET"


@_mutation(
    "RQ205",
    "look an entity up by a calculated, alias or relation attribute",
    needs_catalog=True,
    available=lambda s: any(v.non_storage for v in s.views),
)
def _m205(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    view = draw(schema.view(lambda v: bool(v.non_storage)))
    attr = draw(st.sampled_from(view.non_storage))
    seg = LookupSegment(name=view.name, attribute=attr, value=draw(_clean_keys("string")))
    return unparse(_request([seg])), "GET"


@_mutation(
    "RQ206",
    "follow a scalar attribute with a property name in $filter",
    needs_catalog=True,
    available=lambda s: s.has(
        lambda v: any(t[1] in _SCALAR_CLASSES and len(t[0]) == 1 for t in v.filterable or ())
    ),
)
def _m206(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    def scalars(v: _View) -> list[_Typed]:
        return [t for t in v.filterable or () if t[1] in _SCALAR_CLASSES and len(t[0]) == 1]

    view = draw(schema.view(lambda v: bool(scalars(v))))
    names_, _ = draw(st.sampled_from(scalars(view)))
    prop = draw(st.sampled_from(["amount", "value", "x"]))
    left = _apath(names_ + (prop,))
    flt = Filter(expr=Comparison(left=left, op="=", right=Number(value=1)))
    return unparse(_request([_names_seg(view.name)], [_param("$filter", flt, '"')])), "GET"
