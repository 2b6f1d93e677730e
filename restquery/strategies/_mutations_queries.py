"""Mutations for the parameter rules RQ340-RQ360: queries, $params, filters, paths."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hypothesis import assume
from hypothesis import strategies as st

from restquery.ast import (
    BoolOp,
    Comparison,
    EntitySetSegment,
    Filter,
    KeySegment,
    NamesSegment,
    Params,
    PathList,
    Placeholder,
    Request,
    Text,
)
from restquery.printer import unparse

if TYPE_CHECKING:
    pass
from restquery.strategies._base import (
    names,
)
from restquery.strategies._views import (
    _Schema,
    _View,
    _apath,
    _int_param,
    _kw,
    _names_of,
    _names_seg,
    _param,
    _request,
    _true,
    _word,
)
from restquery.strategies._clean import (
    _JSON_SCALAR_VALUES,
    _clean_comparisons,
    _clean_filters,
    _clean_json_params,
    _clean_keys,
    _clean_sort_lists,
    _has_entity,
)
from restquery.strategies._valid import (
    _functions,
    _request_dataclass,
    _sc_attribute,
    _sc_delete,
    _sc_descriptive,
    _sc_entity,
    _sc_function,
    _sc_login,
    _sc_read,
    _sc_release,
)
from restquery.strategies._registry import (
    _add,
    _drop,
    _filtered_read,
    _first_comparison,
    _get,
    _mutation,
    _replace_first_comparison,
    _with_filter_expr,
)
from restquery.strategies._mutations_params import (
    _other_name,
)


@_mutation("RQ340", "add $atomic=true to a delete")
def _m340(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_sc_delete(schema, "POST"))
    return unparse(_add(req, _true(draw(st.sampled_from(["$atomic", "$atOnce"]))))), "POST"


@_mutation("RQ341", "ask $querypath or $queryplan without a $filter")
def _m341(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_sc_read(schema, "GET"))
    req = _drop(req, "$filter", "$params", "$savedfilter", "$querypath", "$queryplan")
    return unparse(_add(req, _true(draw(st.sampled_from(["$querypath", "$queryplan"]))))), "GET"


@st.composite
def _with_placeholders(draw: st.DrawFn, schema: _Schema) -> Request:
    """A valid read whose ``$filter`` uses ``:1``... and ``$params`` feeds them."""
    view = draw(schema.view(lambda v: v.filterable != ()))
    flt, count = draw(_clean_filters(view))
    if count == 0:  # make the first comparison use :1
        first = _first_comparison(flt.expr)
        new = Comparison(left=first.left, op=first.op, right=Placeholder(index=1))
        flt = Filter(expr=_replace_first_comparison(flt.expr, new))
        count = 1
    out = [_param("$filter", flt, '"'), _param("$params", draw(_clean_json_params(count)), "'")]
    return _request([_names_seg(view.name)], out)


@_mutation("RQ342", "send $params as a bare JSON value instead of an array")
def _m342(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_with_placeholders(schema))
    value = draw(
        st.one_of(_JSON_SCALAR_VALUES, st.dictionaries(names(), _JSON_SCALAR_VALUES, max_size=2))
    )
    return unparse(
        _add(
            _drop(req, "$params"),
            _param("$params", Params(items=(value,), value_is_array=False), "'"),
        )
    ), "GET"


@_mutation("RQ343", "write $params as relaxed JSON with unquoted keys")
def _m343(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_with_placeholders(schema))
    p = _get(req, "$params").value
    assert isinstance(p, Params)
    items = list(p.items)
    items[0] = {draw(names().filter(lambda n: "vector" not in n.lower())): items[0]}
    return unparse(
        _add(
            _drop(req, "$params"), _param("$params", Params(items=tuple(items), relaxed=True), "'")
        )
    ), "GET"


@_mutation("RQ344", "drop the last $params element a placeholder needs")
def _m344(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_with_placeholders(schema))
    p = _get(req, "$params").value
    assert isinstance(p, Params)
    return unparse(
        _add(_drop(req, "$params"), _param("$params", Params(items=p.items[:-1]), "'"))
    ), "GET"


@_mutation("RQ345", "add a $params element no placeholder uses")
def _m345(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_with_placeholders(schema))
    p = _get(req, "$params").value
    assert isinstance(p, Params)
    extra = draw(_JSON_SCALAR_VALUES)
    return unparse(
        _add(_drop(req, "$params"), _param("$params", Params(items=p.items + (extra,)), "'"))
    ), "GET"


@_mutation("RQ346", "replace an indexed placeholder by a named one")
def _m346(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_with_placeholders(schema))
    flt = _get(req, "$filter").value
    assert isinstance(flt, Filter)
    first = _first_comparison(flt.expr)
    new = Comparison(left=first.left, op=first.op, right=Placeholder(name=draw(names())))
    return unparse(_with_filter_expr(req, _replace_first_comparison(flt.expr, new))), "GET"


@_mutation("RQ347", "give an entity-set ID that is not 32 hexadecimal characters")
def _m347(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    view = draw(schema.view())
    bad = draw(
        st.one_of(
            st.sampled_from(["ABC123", "entitySetID", "0ANUMBER", "8DB0556854HDK52FR5974F"]),
            st.text("0123456789ABCDEF", min_size=1, max_size=31),
            st.text("0123456789ABCDEF", min_size=33, max_size=40),
        )
    )
    segs = [_names_seg(view.name), _kw("$entityset"), EntitySetSegment(id=bad)]
    return unparse(_request(segs)), "GET"


@_mutation("RQ348", "compare with a $params vector using `=`")
def _m348(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    view = draw(schema.view())
    attr = draw(
        _names_of(
            None
            if view.free
            else tuple(t[0][0] for t in view.storage or () if t[1] == "object")
            or tuple(t[0][0] for t in view.filterable or ())
            or (view.name,)
        )
    )
    op = draw(st.sampled_from(["=", "!=", "BEGIN", "=="]))
    flt = Filter(expr=Comparison(left=_apath((attr,)), op=op, right=Placeholder(index=1)))
    vector = {
        "vector": draw(st.lists(st.floats(-1, 1, width=32), min_size=1, max_size=4)),
        "metric": "cosine",
        "threshold": 0.8,
    }
    out = [_param("$filter", flt, '"'), _param("$params", Params(items=(vector,)), "'")]
    return unparse(_request([_names_seg(view.name)], out)), "GET"


@_mutation("RQ349", "use a query()-only comparator or operator spelling in $filter")
def _m349(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_filtered_read(schema, placeholders=False))
    flt = _get(req, "$filter").value
    assert isinstance(flt, Filter)
    first = _first_comparison(flt.expr)
    op = draw(st.sampled_from(["==", "#", "!==", "==="]))
    new = Comparison(left=first.left, op=op, right=first.right)
    expr = _replace_first_comparison(flt.expr, new)
    if isinstance(expr, BoolOp) and draw(st.booleans()):
        expr = BoolOp(
            op={"AND": "&&", "OR": "||"}.get(expr.op, expr.op),
            operands=expr.operands,
            parens=expr.parens,
        )
    return unparse(_with_filter_expr(req, expr)), "GET"


@_mutation("RQ350", "write `*` as a wildcard in a $filter text")
def _m350(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_filtered_read(schema, placeholders=False))
    flt = _get(req, "$filter").value
    assert isinstance(flt, Filter)
    first = _first_comparison(flt.expr)
    value = draw(st.sampled_from(["a*", "*son", "J*n*", "*"]))
    new = Comparison(
        left=first.left,
        op=draw(st.sampled_from(["=", "!="])),
        right=Text(value=value, quoted=draw(st.booleans())),
    )
    return unparse(_with_filter_expr(req, _replace_first_comparison(flt.expr, new))), "GET"


@_mutation("RQ351", "mix AND with OR without parentheses")
def _m351(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    view = draw(schema.view(lambda v: v.filterable != ()))
    comps = [draw(_clean_comparisons(view, False)) for _ in range(3)]
    inner = BoolOp(op="AND", operands=(comps[0], comps[1]))
    outer_op = draw(st.sampled_from(["OR", "EXCEPT"]))
    operands = (inner, comps[2]) if draw(st.booleans()) else (comps[2], inner)
    flt = Filter(expr=BoolOp(op=outer_op, operands=operands))
    return unparse(_request([_names_seg(view.name)], [_param("$filter", flt, '"')])), "GET"


@_mutation("RQ352", "add a data parameter to $catalog, $info or $directory/login")
def _m352(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    if draw(st.booleans()):
        req = draw(_sc_login(schema, "POST"))
        method = "POST"
    else:
        req = draw(_sc_descriptive(schema, "GET"))
        method = "GET"
    extra = draw(
        st.sampled_from(
            [
                _int_param("$top", 10),
                _int_param("$skip", 5),
                _true("$asArray"),
                _word("$method", "entityset"),
            ]
        )
    )
    return unparse(_add(req, extra)), method


@_mutation("RQ353", "sort, filter or page one entity")
def _m353(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_sc_entity(schema, "GET"))
    assume(len(req.path.segments) == 1)
    req = _drop(req, "$lock")
    view = schema.target(_request_dataclass(req) or "") or _View("x")
    extra = draw(
        st.one_of(
            st.just(_int_param("$top", 10)),
            st.just(_int_param("$skip", 1)),
            _clean_sort_lists(view).map(lambda s: _param("$orderby", s, '"'))
            if view.sortable != ()
            else st.just(_true("$asArray")),
        )
    )
    return unparse(_add(req, extra)), "GET"


@_mutation(
    "RQ354",
    "call a function with PUT (or, with a catalog, with GET when it is not allowed on GET)",
    available=lambda s: bool(_functions(s, False)),
)
def _m354(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    if not schema.free and draw(st.booleans()):
        not_get = [
            ("class", v, n) for v in schema.views for n, ok in v.class_functions or () if not ok
        ] + [("singleton", None, s) for s in schema.singletons or () if not s[2]]
        if not_get:
            kind, view, what = draw(st.sampled_from(not_get))
            if kind == "class":
                assert view is not None
                return unparse(_request([_names_seg(view.name), _names_seg(what)])), "GET"  # type: ignore[arg-type]
            return unparse(
                _request([_kw("$singleton"), _names_seg(what[0]), _names_seg(what[1])])
            ), "GET"
    if schema.free:  # without a catalog only a $singleton path is surely a function call
        req = _request([_kw("$singleton"), _names_seg(draw(names())), _names_seg(draw(names()))])
    else:
        req = draw(_sc_function(schema, "POST"))
    return unparse(req), draw(st.sampled_from(["PUT", "PATCH", "DELETE"]))


@_mutation("RQ355", "open a session with GET $directory/login")
def _m355(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    return unparse(_request([_kw("$directory"), _names_seg("login")])), draw(
        st.sampled_from(["GET", "PUT"])
    )


@_mutation("RQ356", "release entity sets with GET $entityset/$release")
def _m356(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_sc_release(schema, "POST"))
    return unparse(req), "GET"


@_mutation("RQ361", "search a text with the wildcard `@` at both ends", opt_in=True)
def _m361(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    from restquery.strategies._registry import _filter_text_url, _filtered_read

    req = draw(_filtered_read(schema))
    word = draw(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8))
    left = draw(names())
    return _filter_text_url(req, lambda t: f"{t} AND {left}='@{word}@'"), None


@_mutation("RQ357", "read data without a session (force-login mode)", opt_in=True)
def _m357(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_sc_read(schema, "GET"))
    return unparse(req), "GET"


@_mutation("RQ358", "write an entity key in parentheses", opt_in=True)
def _m358(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    view = draw(schema.view(lambda v: v.key != "none"))
    seg = KeySegment(name=view.name, key=draw(_clean_keys(view.key)), brackets=False)
    return unparse(_request([seg])), "GET"


@_mutation(
    "RQ359",
    "make $expand name another attribute on an entity's attribute",
    available=lambda s: s.has(
        lambda v: _has_entity(v) and bool(v.storage or v.to_one or v.to_many)
    ),
)
def _m359(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = _drop(draw(_sc_attribute(schema, "GET")), "$expand")
    tail = req.path.segments[1]
    assert isinstance(tail, NamesSegment) and tail.name
    view = schema.target(_request_dataclass(req) or "") or _View("")
    other = _other_name(draw, view, tail.name)
    return unparse(_add(req, _param("$expand", PathList(paths=(_apath((other,)),))))), "GET"


@_mutation(
    "RQ360",
    "load a relation of a collection with $expand",
    available=lambda s: s.has(lambda v: bool(v.to_one or v.to_many)),
)
def _m360(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    view = draw(schema.view(lambda v: bool(v.to_one or v.to_many)))
    relation = draw(
        _names_of(
            None if view.free else tuple(n for n, _ in (view.to_one or ()) + (view.to_many or ()))
        )
    )
    return unparse(
        _request(
            [_names_seg(view.name)], [_param("$expand", PathList(paths=(_apath((relation,)),)))]
        )
    ), "GET"
