"""Mutations for the parameter rules RQ301-RQ339."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hypothesis import assume
from hypothesis import strategies as st

from restquery.ast import (
    AttributeItem,
    AttributeList,
    Boolean,
    EntitySetSegment,
    NamesSegment,
    Param,
    PathList,
    RawValue,
    Request,
    Segment,
)
from restquery.printer import unparse

if TYPE_CHECKING:
    pass
from restquery.strategies._views import (
    _SCALAR_CLASSES,
    _Schema,
    _View,
    _apath,
    _dotted_seg,
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
    _ENTITY_SET_IDS,
    _clean_sort_lists,
    _entity_segment,
    _has_entity,
)
from restquery.strategies._valid import (
    _binary_need,
    _read_params,
    _request_dataclass,
    _sc_attribute,
    _sc_binary,
    _sc_compute,
    _sc_delete,
    _sc_entity,
    _sc_entity_set_ops,
    _sc_image,
    _sc_read,
    _sc_subentityset,
    _sc_update,
    _sc_upload,
    _valid_requests,
)
from restquery.strategies._registry import (
    _add,
    _drop,
    _get,
    _mutation,
    _set_segments,
)


# -- parameters (RQ3xx) ----------------------------------------------------------------------


def _binary_available(s: _Schema) -> bool:
    return s.has(lambda v: _binary_need(v) and _has_entity(v))


@st.composite
def _entity_binary(draw: st.DrawFn, schema: _Schema) -> Request:
    """A valid ``D(key)/attr?$binary=true&$expand=attr``."""
    view = draw(schema.view(lambda v: _binary_need(v) and _has_entity(v)))
    attr = draw(_names_of(None if view.free else (view.blobs or ()) + (view.pictures or ())))
    segs: list[Segment] = [draw(_entity_segment(view)), _names_seg(attr)]
    return _request(segs, [_true("$binary"), _param("$expand", PathList(paths=(_apath((attr,)),)))])


@_mutation("RQ301", "drop the $expand that goes with $binary=true", available=_binary_available)
def _m301(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(st.one_of(_entity_binary(schema), _sc_binary(schema, "GET")))
    return unparse(_drop(req, "$expand")), "GET"


def _other_name(draw: st.DrawFn, view: _View, avoid: str) -> str:
    pool = (
        None
        if view.free
        else tuple(
            n
            for n in (view.blobs or ())
            + (view.pictures or ())
            + tuple(t[0][0] for t in view.storage or ())
            if n != avoid
        )
    )
    if pool is not None and not pool:
        pool = (avoid + "2",)
    name = draw(_names_of(pool))
    assume(name != avoid)
    return name


@_mutation(
    "RQ302",
    "make $expand name another attribute than the downloaded one",
    available=_binary_available,
)
def _m302(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_entity_binary(schema))
    view = schema.target(_request_dataclass(req) or "") or _View("")
    tail = req.path.segments[1]
    assert isinstance(tail, NamesSegment) and tail.name
    other = _other_name(draw, view, tail.name)
    req = _add(_drop(req, "$expand"), _param("$expand", PathList(paths=(_apath((other,)),))))
    return unparse(req), "GET"


def _scalar_storage(v: _View) -> tuple[str, ...]:
    return tuple(t[0][0] for t in v.storage or () if len(t[0]) == 1 and t[1] in _SCALAR_CLASSES)


@_mutation(
    "RQ303",
    "download a string or number attribute with $binary",
    needs_catalog=True,
    available=lambda s: any(_scalar_storage(v) and _has_entity(v) for v in s.views),
)
def _m303(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    view = draw(schema.view(lambda v: bool(_scalar_storage(v)) and _has_entity(v)))
    attr = draw(st.sampled_from(_scalar_storage(view)))
    segs: list[Segment] = [draw(_entity_segment(view)), _names_seg(attr)]
    req = _request(segs, [_true("$binary"), _param("$expand", PathList(paths=(_apath((attr,)),)))])
    return unparse(req), "GET"


@_mutation("RQ304", "upload without a kind flag, with both, or with GET")
def _m304(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_sc_upload(schema, "POST"))
    how = draw(st.sampled_from(["none", "both", "get"]))
    if how == "none":
        return unparse(_drop(req, "$rawPict", "$binary")), "POST"
    if how == "both":
        return unparse(
            _add(_drop(req, "$rawPict", "$binary"), _true("$rawPict"), _true("$binary"))
        ), "POST"
    return unparse(req), "GET"


def _image_available(s: _Schema) -> bool:
    return s.has(lambda v: bool(v.pictures) and _has_entity(v))


@_mutation(
    "RQ305", "drop the $expand that goes with $imageformat/$version", available=_image_available
)
def _m305(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_sc_image(schema, "GET"))
    return unparse(_drop(req, "$expand")), "GET"


@_mutation(
    "RQ306",
    "give $imageformat an undocumented format or $version a non-number",
    available=_image_available,
)
def _m306(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_sc_image(schema, "GET"))
    if draw(st.booleans()):
        bad = _word(
            "$imageformat", draw(st.sampled_from(["jpg", "bmp", "webp", "image/jpg", "svg"]))
        )
        return unparse(_add(_drop(req, "$imageformat"), bad)), "GET"
    bad = _param("$version", RawValue(text=draw(st.sampled_from(["latest", "v2", "1.5", "x"]))))
    return unparse(_add(_drop(req, "$version"), bad)), "GET"


@_mutation(
    "RQ307",
    "ask a string attribute for $imageformat",
    needs_catalog=True,
    available=lambda s: any(_scalar_storage(v) and _has_entity(v) for v in s.views),
)
def _m307(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    view = draw(schema.view(lambda v: bool(_scalar_storage(v)) and _has_entity(v)))
    attr = draw(st.sampled_from(_scalar_storage(view)))
    segs: list[Segment] = [draw(_entity_segment(view)), _names_seg(attr)]
    out = [_word("$imageformat", "png"), _param("$expand", PathList(paths=(_apath((attr,)),)))]
    return unparse(_request(segs, out)), "GET"


def _compute_available(s: _Schema) -> bool:
    return s.has(lambda v: bool(v.storage))


@st.composite
def _compute(draw: st.DrawFn, schema: _Schema) -> Request:
    req = draw(_sc_compute(schema, "GET"))
    if req.param("$compute") is None:
        req = _add(_drop(req, "$distinct"), _word("$compute", "count"))
    return req


@_mutation("RQ308", "move the $compute attribute out of the path", available=_compute_available)
def _m308(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_compute(schema))
    return unparse(_set_segments(req, req.path.segments[:1])), "GET"


@_mutation(
    "RQ309",
    "name the $compute attribute with $attributes (Qodly's form)",
    available=_compute_available,
)
def _m309(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_compute(schema))
    tail = req.path.segments[1]
    assert isinstance(tail, NamesSegment)
    req = _add(
        _set_segments(req, req.path.segments[:1]),
        _param("$attributes", AttributeList(items=(AttributeItem(path=tail.paths[0]),))),
    )
    return unparse(req), "GET"


@_mutation("RQ310", "give $compute an undocumented value", available=_compute_available)
def _m310(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_compute(schema))
    bad = draw(st.sampled_from(["avg", "total", "mean", "countDistinct", "all"]))
    return unparse(_add(_drop(req, "$compute"), _word("$compute", bad))), "GET"


@_mutation(
    "RQ311",
    "sum or average a string attribute",
    needs_catalog=True,
    available=lambda s: any(t[1] == "string" for v in s.views for t in v.storage or ()),
)
def _m311(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    view = draw(schema.view(lambda v: any(t[1] == "string" for t in v.storage or ())))
    attr = draw(st.sampled_from([t[0] for t in view.storage or () if t[1] == "string"]))
    out = [_word("$compute", draw(st.sampled_from(["sum", "average"])))]
    return unparse(_request([_names_seg(view.name), _dotted_seg(attr)], out)), "GET"


@_mutation(
    "RQ312", "ask $distinct on the dataclass instead of an attribute", available=_compute_available
)
def _m312(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_sc_compute(schema, "GET"))
    req = _add(_drop(req, "$compute", "$distinct"), _true("$distinct"))
    return unparse(_set_segments(req, req.path.segments[:1])), "GET"


@_mutation("RQ313", "give $method an undocumented value")
def _m313(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_sc_delete(schema, "POST"))
    bad = draw(st.sampled_from(["remove", "destroy", "create", "save", "get"]))
    return unparse(_add(_drop(req, "$method"), _word("$method", bad))), "POST"


@_mutation("RQ314", "write the legacy $method=validate or Qodly's $method=insert")
def _m314(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_sc_update(schema, "POST"))
    req = _drop(req, "$atomic", "$atOnce", "$method")
    return unparse(
        _add(req, _word("$method", draw(st.sampled_from(["validate", "insert"]))))
    ), "POST"


@_mutation("RQ315", "send $method=update with GET, or $method=entityset with POST")
def _m315(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    if draw(st.booleans()):
        req = draw(_sc_update(schema, "POST"))
        return unparse(_drop(req, "$atomic", "$atOnce")), "GET"
    req = draw(_sc_entity_set_ops(schema, "GET"))
    if req.param("$method") is None:
        req = _add(req, _word("$method", "entityset"))
    return unparse(req), "POST"


@_mutation("RQ316", "send a request with DELETE, or $method=delete with GET")
def _m316(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    if draw(st.booleans()):
        return draw(_urls_for(schema, "DELETE")), "DELETE"
    req = draw(_sc_delete(schema, "POST"))
    return unparse(req), "GET"


def _urls_for(schema: _Schema, method: str) -> st.SearchStrategy[str]:
    return _valid_requests(schema, method).map(unparse)


@_mutation("RQ317", "send $method=update to one entity")
def _m317(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_sc_update(schema, "POST"))
    view = draw(schema.view(_has_entity))
    return unparse(_set_segments(req, [draw(_entity_segment(view))])), "POST"


@_mutation(
    "RQ318",
    "send $method=delete to an entity's attribute",
    available=lambda s: s.has(
        lambda v: _has_entity(v) and bool(v.storage or v.to_one or v.to_many)
    ),
)
def _m318(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_sc_attribute(schema, "GET"))
    return unparse(_add(_drop(req, "$expand"), _word("$method", "delete"))), "POST"


@_mutation("RQ319", "drop the $filter of a filtered delete")
def _m319(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    view = draw(schema.view())
    req = _request([_names_seg(view.name)], [_word("$method", "delete")])
    return unparse(req), "POST"


@_mutation("RQ320", "send $method=release to a dataclass")
def _m320(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    view = draw(schema.view())
    return unparse(_request([_names_seg(view.name)], [_word("$method", "release")])), "GET"


@_mutation("RQ321", "release an entity set with the deprecated $method=release")
def _m321(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    view = draw(schema.view())
    segs = [_names_seg(view.name), _kw("$entityset"), EntitySetSegment(id=draw(_ENTITY_SET_IDS))]
    return unparse(_request(segs, [_word("$method", "release")])), "GET"


def _sub_available(s: _Schema) -> bool:
    return s.has(lambda v: bool(v.to_many) and _has_entity(v))


@_mutation("RQ322", "drop the $expand of $method=subentityset", available=_sub_available)
def _m322(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_sc_subentityset(schema, "GET"))
    return unparse(_drop(req, "$expand")), "GET"


@_mutation("RQ323", "keep $subOrderby but drop $method=subentityset", available=_sub_available)
def _m323(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_sc_subentityset(schema, "GET"))
    if req.param("$subOrderby") is None:
        view = schema.target(_request_dataclass(req) or "") or _View("")
        target = view
        if not view.free:
            rel = req.path.segments[1]
            assert isinstance(rel, NamesSegment)
            target_name = dict(view.to_many or ()).get(rel.name or "", "")
            target = schema.target(target_name) or _View(target_name)
        assume(target.sortable != ())
        req = _add(req, _param("$subOrderby", draw(_clean_sort_lists(target))))
    return unparse(_drop(req, "$method")), "GET"


@_mutation("RQ324", "add $timeout to a plain read")
def _m324(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_sc_read(schema, "GET"))
    req = _drop(req, "$method", "$timeout", "$savedfilter", "$savedorderby")
    return unparse(_add(req, _int_param("$timeout", draw(st.integers(1, 7200))))), "GET"


@st.composite
def _creation(draw: st.DrawFn, schema: _Schema, *, want_filter: bool | None = None) -> Request:
    """A valid ``GET D?...&$method=entityset``."""
    view = draw(schema.view(lambda v: want_filter is not True or v.filterable != ()))
    params_ = draw(_read_params(view, create=True, want_filter=want_filter))
    return _request([_names_seg(view.name)], params_)


@_mutation("RQ325", "give $timeout zero, a negative number or text")
def _m325(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = _drop(draw(_creation(schema)), "$timeout")
    bad = draw(
        st.one_of(
            st.integers(-100_000, 0).map(lambda v: _int_param("$timeout", v)),
            st.sampled_from(["10m", "1h", "never"]).map(
                lambda t: _param("$timeout", RawValue(text=t))
            ),
        )
    )
    return unparse(_add(req, bad)), "GET"


@_mutation(
    "RQ326",
    "send $savedfilter without its $filter when creating an entity set",
    available=lambda s: s.has(lambda v: v.filterable != ()),
)
def _m326(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = _drop(draw(_creation(schema, want_filter=True)), "$savedfilter", "$params")
    flt = _get(req, "$filter")
    req = _drop(req, "$filter", "$querypath", "$queryplan")
    return unparse(_add(req, Param(name="$savedfilter", value=flt.value, quote='"'))), "GET"


@_mutation(
    "RQ327",
    "write $savedfilter=true instead of repeating the filter",
    available=lambda s: s.has(lambda v: v.filterable != ()),
)
def _m327(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = _drop(draw(_creation(schema, want_filter=True)), "$savedfilter")
    return unparse(_add(req, _true("$savedfilter"))), "GET"


@_mutation("RQ328", "drop $otherCollection, or give $logicOperator an unknown operator")
def _m328(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    view = draw(schema.view())
    segs = [_names_seg(view.name), _kw("$entityset"), EntitySetSegment(id=draw(_ENTITY_SET_IDS))]
    if draw(st.booleans()):
        out = [_word("$logicOperator", draw(st.sampled_from(["AND", "OR", "EXCEPT", "INTERSECT"])))]
    else:
        out = [
            _word("$logicOperator", draw(st.sampled_from(["XOR", "NOT", "UNION", "MINUS"]))),
            _word("$otherCollection", draw(_ENTITY_SET_IDS)),
        ]
    return unparse(_request(segs, out)), "GET"


@_mutation("RQ329", "combine $logicOperator=INTERSECT with $method=entityset")
def _m329(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    view = draw(schema.view())
    segs = [_names_seg(view.name), _kw("$entityset"), EntitySetSegment(id=draw(_ENTITY_SET_IDS))]
    out = [
        _word("$logicOperator", "INTERSECT"),
        _word("$otherCollection", draw(_ENTITY_SET_IDS)),
        _word("$method", "entityset"),
    ]
    return unparse(_request(segs, draw(st.permutations(out)))), "GET"


@_mutation("RQ330", "drop the $method=entityset that goes with $clean=true")
def _m330(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    view = draw(schema.view())
    segs = [_names_seg(view.name), _kw("$entityset"), EntitySetSegment(id=draw(_ENTITY_SET_IDS))]
    return unparse(_request(segs, [_true("$clean")])), "GET"


@_mutation("RQ331", "make $top, $limit or $skip negative")
def _m331(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_sc_read(schema, "GET"))
    req = _drop(
        req, "$top", "$limit", "$skip", "$method", "$timeout", "$savedfilter", "$savedorderby"
    )
    name = draw(st.sampled_from(["$top", "$limit", "$skip"]))
    return unparse(_add(req, _int_param(name, draw(st.integers(-(10**6), -1))))), "GET"


@_mutation("RQ332", "give both $top and $limit")
def _m332(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_sc_read(schema, "GET"))
    req = _drop(req, "$top", "$limit", "$method", "$timeout", "$savedfilter", "$savedorderby")
    n = draw(st.integers(0, 100))
    return unparse(_add(req, _int_param("$top", n), _int_param("$limit", n))), "GET"


@_mutation("RQ333", "page ($top/$skip) while creating an entity set")
def _m333(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_creation(schema))
    name = draw(st.sampled_from(["$top", "$limit", "$skip"]))
    return unparse(_add(req, _int_param(name, draw(st.integers(0, 100))))), "GET"


@_mutation("RQ334", "lock a collection, or give $lock a value other than true/false")
def _m334(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    if draw(st.booleans()):
        req = draw(_sc_read(schema, "GET"))
        return unparse(_add(req, _true("$lock"))), "GET"
    req = _drop(draw(_sc_entity(schema, "GET")), "$lock")
    return unparse(
        _add(req, _param("$lock", RawValue(text=draw(st.sampled_from(["yes", "1", "on"])))))
    ), "GET"


@_mutation("RQ335", "write a flag with a value other than true/false")
def _m335(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = _drop(draw(_sc_read(schema, "GET")), "$asArray", "$format")
    text = draw(st.sampled_from(["1", "yes", "on", "", "TRUE!"]))
    return unparse(_add(req, _param("$asArray", RawValue(text=text)))), "GET"


@_mutation("RQ336", "set a flag to false")
def _m336(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = _drop(draw(_sc_read(schema, "GET")), "$asArray", "$format")
    return unparse(_add(req, _param("$asArray", Boolean(value=False, raw="false")))), "GET"


@_mutation("RQ337", "give $format an unknown value")
def _m337(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = _drop(draw(_sc_read(schema, "GET")), "$format", "$asArray")
    return unparse(
        _add(req, _word("$format", draw(st.sampled_from(["xml", "csv", "JSONL", "html"]))))
    ), "GET"


@_mutation("RQ338", "add $asArray=true to $compute or $distinct", available=_compute_available)
def _m338(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_sc_compute(schema, "GET"))
    return unparse(_add(req, _true("$asArray"))), "GET"


@_mutation("RQ339", "send $atomic=true with GET")
def _m339(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_sc_read(schema, "GET"))
    return unparse(_add(req, _true(draw(st.sampled_from(["$atomic", "$atOnce"]))))), "GET"
