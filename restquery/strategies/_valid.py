"""Valid requests, one documented form at a time, and catalog-consistent requests."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from hypothesis import assume
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from restquery.ast import (
    Boolean,
    CallSegment,
    EntitySetSegment,
    Filter,
    KeySegment,
    LookupSegment,
    NamesSegment,
    Param,
    PathList,
    Request,
    Segment,
    SortList,
)
from restquery.params import PARAMETERS
from restquery.params import names as parameter_names
from restquery.printer import unparse
from restquery.semantics.paths import COLLECTION_FORMS, ENTITY_FORMS

if TYPE_CHECKING:
    pass
from restquery.strategies._base import (
    names,
)
from restquery.strategies._trees import (
    _param_for,
    _unknown_names,
    origins,
)
from restquery.strategies._views import (
    _COMPUTE_BY_CLASS,
    _IMAGE_FORMATS,
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
    _schema,
    _true,
    _typed_of,
    _word,
)
from restquery.strategies._clean import (
    _ENTITY_SET_IDS,
    _any,
    _clean_attribute_lists,
    _clean_filters,
    _clean_json_params,
    _clean_sort_lists,
    _entity_segment,
    _function_args,
    _has_entity,
)


# ---------------------------------------------------------------------------------------------
# Valid requests, one documented form at a time (spec §2.4, §3)
# ---------------------------------------------------------------------------------------------


@st.composite
def _read_params(
    draw: st.DrawFn,
    view: _View,
    *,
    entity_set: bool = False,
    create: bool | None = None,
    want_filter: bool | None = None,
) -> list[Param]:
    """Parameters of a collection read (P1, P5, P9, P10), warning-free together."""
    out: list[Param] = []
    has_filter = draw(st.booleans()) if want_filter is None else want_filter
    flt: Filter | None = None
    if has_filter and not (view.filterable is not None and not view.filterable):
        flt, count = draw(_clean_filters(view))
        out.append(_param("$filter", flt, draw(st.sampled_from(['"', '"', '"', "'", ""]))))
        if count:
            out.append(_param("$params", draw(_clean_json_params(count)), "'"))
    sort: SortList | None = None
    if draw(st.booleans()) and not (view.sortable is not None and not view.sortable):
        sort = draw(_clean_sort_lists(view))
        quote = draw(st.sampled_from(['"', '"', "'", ""]))
        if not quote and (len(sort.items) > 1 or any(i.direction for i in sort.items)):
            quote = '"'  # printed with a space: bare, it is RQ116's
        out.append(_param("$orderby", sort, quote))
    if create is None:
        create = draw(st.integers(0, 3)) == 0
    if create:
        out.append(_word("$method", "entityset"))
        if draw(st.booleans()):
            out.append(_int_param("$timeout", draw(st.integers(1, 86_400))))
        if flt is not None and draw(st.booleans()):
            out.append(_param("$savedfilter", flt, '"'))
        if sort is not None and draw(st.booleans()):
            out.append(_param("$savedorderby", sort, '"'))
    else:
        top = draw(st.sampled_from([None, *parameter_names(synonyms_of="$top")]))
        if top is not None:
            out.append(_int_param(top, draw(st.integers(0, 10_000))))
        if draw(st.booleans()):
            out.append(_int_param("$skip", draw(st.integers(0, 10_000))))
    if draw(st.booleans()):
        out.append(_param("$attributes", draw(_clean_attribute_lists(view))))
    as_array = draw(st.integers(0, 3)) == 0
    if as_array:
        out.append(_true("$asArray"))
    if draw(st.integers(0, 3)) == 0:
        out.append(
            _word("$format", "json" if as_array else draw(st.sampled_from(["json", "looker"])))
        )
    if flt is not None:
        for name in ("$querypath", "$queryplan"):
            if draw(st.integers(0, 4)) == 0:
                out.append(_true(name))
    return out


#: The collection reads (spec §2.4) the read scenario draws, and the sequences of segment kinds
#: the path machine gives them (:data:`restquery.semantics.paths.COLLECTION_FORMS`): ``L`` an
#: attribute list, ``D`` one attribute, ``E`` ``$entityset``, ``I`` an entity-set ID.
READ_FORMS = ("P1", "P5", "P9", "P10")
READ_SEQUENCES = tuple(
    kinds for kinds, form in COLLECTION_FORMS.items() if form in READ_FORMS and set(kinds) <= set("LDEI")
)

#: The entity forms the entity scenario draws with something after the entity (P6).
ENTITY_SEQUENCES = tuple(kinds for kinds, form in ENTITY_FORMS.items() if form == "P6")


@st.composite
def _segments_of(draw: st.DrawFn, kinds: str, view: _View) -> list[Segment]:
    """Segments after the dataclass name, one per letter of the path machine's ``kinds``."""
    segs: list[Segment] = []
    for kind in kinds:
        if kind in "LD":
            count = (2, 3) if kind == "L" else (1, 1)
            if view.sortable is None:
                picked = draw(st.lists(names(), min_size=count[0], max_size=count[1], unique=True))
                segs.append(NamesSegment(paths=tuple(_apath((n,)) for n in picked)))
            else:
                chosen = draw(st.lists(st.sampled_from(view.sortable), min_size=count[0],
                                       max_size=count[1], unique=True))
                segs.append(NamesSegment(paths=tuple(_apath(t[0]) for t in chosen)))
        elif kind == "E":
            segs.append(_kw("$entityset"))
        elif kind == "I":
            segs.append(EntitySetSegment(id=draw(_ENTITY_SET_IDS)))
        else:  # pragma: no cover - READ_SEQUENCES holds no other letter
            raise ValueError(f"no segment for kind {kind!r}")
    return segs


@st.composite
def _sc_read(draw: st.DrawFn, schema: _Schema, method: str | None) -> Request:
    """P1, P5, P9, P10: a dataclass, its attribute list, an entity set; collection parameters.
    The path is one of the path machine's sequences of those forms."""
    view = draw(schema.view())
    lists_ok = view.sortable is None or len(view.sortable) >= 2
    lists_ok_one = view.sortable is None or len(view.sortable) >= 1
    usable = [
        k for k in READ_SEQUENCES
        if ("L" not in k or lists_ok) and ("D" not in k or lists_ok_one)
    ]
    # The plain dataclass most often, as in real traffic.
    kinds = draw(st.sampled_from(usable)) if draw(st.integers(0, 2)) == 0 else ""
    segs: list[Segment] = [_names_seg(view.name), *draw(_segments_of(kinds, view))]
    entity_set = "E" in kinds
    create = False if method not in (None, "GET") else None
    params_ = draw(_read_params(view, entity_set=entity_set, create=create))
    trailing = not entity_set and draw(st.integers(0, 3)) == 0
    return _request(segs, draw(st.permutations(params_)), trailing=trailing)


@st.composite
def _sc_entity(draw: st.DrawFn, schema: _Schema, method: str | None) -> Request:
    """P2, P3, P4, P6: one entity, maybe an attribute list after it (the path machine's entity
    sequences of those forms); ``$attributes``, ``$lock``."""
    view = draw(schema.view(_has_entity))
    segs: list[Segment] = [draw(_entity_segment(view))]
    out: list[Param] = []
    kinds = ""
    if draw(st.integers(0, 3)) == 0 and (view.sortable is None or len(view.sortable) >= 2):
        kinds = draw(st.sampled_from(ENTITY_SEQUENCES))
    segs += draw(_segments_of(kinds, view))
    if not kinds and draw(st.booleans()):
        out.append(_param("$lock", Boolean(value=draw(st.booleans()))))
    if draw(st.booleans()):
        out.append(_param("$attributes", draw(_clean_attribute_lists(view))))
    return _request(segs, draw(st.permutations(out)), trailing=draw(st.booleans()))


@st.composite
def _sc_attribute(draw: st.DrawFn, schema: _Schema, method: str | None) -> Request:
    """P8: one entity's attribute, maybe with the deferred ``$expand`` of a relation."""
    view = draw(schema.view(lambda v: _has_entity(v) and bool(v.storage or v.to_one or v.to_many)))
    entity = draw(_entity_segment(view))
    if view.free:
        name = draw(names())
        expand = draw(st.booleans())
    else:
        relations = tuple(n for n, _ in (view.to_one or ()) + (view.to_many or ()))
        scalars = tuple(t[0][0] for t in view.storage or () if len(t[0]) == 1)
        name = draw(st.sampled_from(relations + scalars))
        expand = name in relations and draw(st.booleans())
    params_ = [_param("$expand", PathList(paths=(_apath((name,)),)))] if expand else []
    return _request([entity, _names_seg(name)], params_, trailing=draw(st.booleans()))


def _binary_need(v: _View) -> bool:
    return bool(v.blobs or v.pictures)


@st.composite
def _sc_binary(draw: st.DrawFn, schema: _Schema, method: str | None) -> Request:
    """``$binary=true&$expand=attr`` on one entity's BLOB or picture, or on a collection with
    ``$filter`` and ``$orderby`` (the seed document, spec R15)."""
    view = draw(schema.view(lambda v: _binary_need(v) and _has_entity(v)))
    attr = draw(_names_of(None if view.free else (view.blobs or ()) + (view.pictures or ())))
    binary = [_true("$binary"), _param("$expand", PathList(paths=(_apath((attr,)),)))]
    if draw(st.booleans()):
        segs: list[Segment] = [draw(_entity_segment(view)), _names_seg(attr)]
        return _request(segs, draw(st.permutations(binary)))
    extra: list[Param] = []
    if draw(st.booleans()) and view.filterable != ():
        flt, _count = draw(_clean_filters(view, placeholders=False))
        extra.append(_param("$filter", flt, '"'))
    if draw(st.booleans()) and view.sortable != ():
        extra.append(_param("$orderby", draw(_clean_sort_lists(view)), '"'))
    return _request([_names_seg(view.name)], draw(st.permutations(extra + binary)))


@st.composite
def _sc_image(draw: st.DrawFn, schema: _Schema, method: str | None) -> Request:
    """``$imageformat`` and/or ``$version`` on one entity's picture, named in ``$expand``."""
    view = draw(schema.view(lambda v: bool(v.pictures) and _has_entity(v)))
    attr = draw(_names_of(view.pictures))
    which = draw(st.sampled_from(["format", "version", "both"]))
    out = [_param("$expand", PathList(paths=(_apath((attr,)),)))]
    if which != "version":
        out.append(_word("$imageformat", draw(st.sampled_from(_IMAGE_FORMATS))))
    if which != "format":
        out.append(_int_param("$version", draw(st.integers(0, 1000))))
    segs = [draw(_entity_segment(view)), _names_seg(attr)]
    return _request(segs, draw(st.permutations(out)))


@st.composite
def _sc_compute(draw: st.DrawFn, schema: _Schema, method: str | None) -> Request:
    """P7 with ``$compute`` (a value the attribute's type supports) or ``$distinct=true``."""
    view = draw(schema.view(lambda v: bool(v.storage)))
    names_, type_class = draw(_typed_of(view.storage))
    out: list[Param] = []
    if draw(st.booleans()):
        out.append(_word("$compute", draw(st.sampled_from(_COMPUTE_BY_CLASS[type_class]))))
    else:
        out.append(_true("$distinct"))
    if draw(st.booleans()) and view.filterable != ():
        flt, count = draw(_clean_filters(view))
        out.append(_param("$filter", flt, '"'))
        if count:
            out.append(_param("$params", draw(_clean_json_params(count)), "'"))
    segs = [_names_seg(view.name), _dotted_seg(names_)]
    return _request(segs, draw(st.permutations(out)), trailing=draw(st.booleans()))


@st.composite
def _sc_subentityset(draw: st.DrawFn, schema: _Schema, method: str | None) -> Request:
    """``D(key)/relation?$expand=relation&$method=subentityset[&$subOrderby=...]`` (1→N)."""
    view = draw(schema.view(lambda v: bool(v.to_many) and _has_entity(v)))
    if view.free:
        relation, target = draw(names()), _View("")
    else:
        assert view.to_many
        relation, target_name = draw(st.sampled_from(view.to_many))
        target = schema.target(target_name) or _View(target_name)
    out = [
        _param("$expand", PathList(paths=(_apath((relation,)),))),
        _word("$method", "subentityset"),
    ]
    if draw(st.booleans()) and target.sortable != ():
        out.append(_param("$subOrderby", draw(_clean_sort_lists(target))))
    segs = [draw(_entity_segment(view)), _names_seg(relation)]
    return _request(segs, draw(st.permutations(out)))


@st.composite
def _sc_entity_set_ops(draw: st.DrawFn, schema: _Schema, method: str | None) -> Request:
    """``$logicOperator`` with ``$otherCollection``, or ``$clean=true&$method=entityset``,
    on ``D/$entityset/ID`` (spec §3.21–§3.23)."""
    view = draw(schema.view())
    segs = [_names_seg(view.name), _kw("$entityset"), EntitySetSegment(id=draw(_ENTITY_SET_IDS))]
    if draw(st.booleans()):
        op = draw(st.sampled_from(["AND", "OR", "EXCEPT", "INTERSECT", "and", "intersect"]))
        out = [_word("$logicOperator", op), _word("$otherCollection", draw(_ENTITY_SET_IDS))]
        if op.upper() != "INTERSECT" and draw(st.booleans()):
            out.append(_word("$method", "entityset"))
    else:
        out = [_true("$clean"), _word("$method", "entityset")]
    return _request(segs, draw(st.permutations(out)))


@st.composite
def _sc_release(draw: st.DrawFn, schema: _Schema, method: str | None) -> Request:
    """``POST D/$entityset/$release`` (4D 21 R4)."""
    view = draw(schema.view())
    return _request([_names_seg(view.name), _kw("$entityset"), _kw("$release")])


@st.composite
def _sc_update(draw: st.DrawFn, schema: _Schema, method: str | None) -> Request:
    """``POST D?$method=update[&$atomic=true]`` (PUT and PATCH: Qodly's forms)."""
    view = draw(schema.view())
    out = [_word("$method", "update")]
    flag = draw(st.sampled_from([None, *parameter_names(synonyms_of="$atomic")]))
    if flag is not None:
        out.append(_true(flag))
    return _request(
        [_names_seg(view.name)], draw(st.permutations(out)), trailing=draw(st.booleans())
    )


@st.composite
def _sc_delete(draw: st.DrawFn, schema: _Schema, method: str | None) -> Request:
    """``$method=delete`` on one entity, a filtered dataclass or an entity set (POST; the
    DELETE verb may leave ``$method`` out)."""
    view = draw(schema.view())
    kind = draw(st.sampled_from(["entity", "filter", "entityset"]))
    if kind == "entity" and not _has_entity(view):
        kind = "entityset"
    if kind == "filter" and view.filterable == ():
        kind = "entityset"
    out: list[Param] = []
    if method != "DELETE" or draw(st.booleans()):
        out.append(_word("$method", "delete"))
    if kind == "entity":
        segs: list[Segment] = [draw(_entity_segment(view))]
    elif kind == "filter":
        segs = [_names_seg(view.name)]
        flt, count = draw(_clean_filters(view))
        out.append(_param("$filter", flt, '"'))
        if count:
            out.append(_param("$params", draw(_clean_json_params(count)), "'"))
    else:
        segs = [
            _names_seg(view.name),
            _kw("$entityset"),
            EntitySetSegment(id=draw(_ENTITY_SET_IDS)),
        ]
    return _request(
        segs, draw(st.permutations(out)), trailing=kind == "entity" and draw(st.booleans())
    )


def _functions(schema: _Schema, get: bool) -> list[str]:
    """The kinds of function call the schema offers (with GET: only GET-callable ones)."""
    if schema.free:
        return ["class", "entity", "datastore", "singleton"]
    kinds = []
    if any(ok or not get for v in schema.views for _, ok in v.class_functions or ()):
        kinds.append("class")
    if any(
        (ok or not get) and _has_entity(v)
        for v in schema.views
        for _, ok in v.entity_functions or ()
    ):
        kinds.append("entity")
    if any(ok or not get for _, ok in schema.datastore_functions or ()):
        kinds.append("datastore")
    if any(ok or not get for _, _, ok in schema.singletons or ()):
        kinds.append("singleton")
    return kinds


@st.composite
def _sc_function(draw: st.DrawFn, schema: _Schema, method: str | None) -> Request:
    """P12, P14, P18, P19: a dataclass, entity, datastore or singleton function, with its
    arguments in ``$params``; with GET only functions the catalog allows on GET."""
    get = method == "GET"
    kind = draw(st.sampled_from(_functions(schema, get)))

    def callable_(fns: tuple[tuple[str, bool], ...] | None) -> tuple[str, ...] | None:
        if fns is None:
            return None
        return tuple(n for n, ok in fns if ok or not get)

    if kind == "class":
        view = draw(schema.view(lambda v: bool(callable_(v.class_functions))))
        segs: list[Segment] = [
            _names_seg(view.name),
            _names_seg(draw(_names_of(callable_(view.class_functions)))),
        ]
    elif kind == "entity":
        view = draw(schema.view(lambda v: bool(callable_(v.entity_functions)) and _has_entity(v)))
        fn = draw(_names_of(callable_(view.entity_functions)))
        segs = [draw(_entity_segment(view)), _names_seg(fn)]
    elif kind == "datastore":
        fn = draw(_names_of(callable_(schema.datastore_functions)))
        if schema.free:
            assume(fn != "$all")
        segs = [_kw("$catalog"), _names_seg(fn)]
    else:
        if schema.singletons is None:
            single, fn = draw(names()), draw(names())
        else:
            single, fn, _ = draw(st.sampled_from([s for s in schema.singletons if s[2] or not get]))
        segs = [_kw("$singleton"), _names_seg(single), _names_seg(fn)]
    out = [_param("$params", draw(_function_args()), "'")] if draw(st.booleans()) else []
    return _request(segs, out)


@st.composite
def _sc_descriptive(draw: st.DrawFn, schema: _Schema, method: str | None) -> Request:
    """``$catalog``, ``$catalog/$all``, ``$catalog/{dataClass}``, ``$info``, ``$querypath``,
    ``$getWebForm``."""
    kinds = ["catalog", "all", "info", "webform", "querypath"]
    kinds += ["dataclass"] if schema.has(_any) else []
    kind = draw(st.sampled_from(kinds))
    if kind == "catalog":
        return _request([_kw("$catalog")])
    if kind == "all":
        return _request([_kw("$catalog"), _kw("$all")])
    if kind == "dataclass":
        view = draw(schema.view())
        return _request([_kw("$catalog"), _names_seg(view.name)])
    if kind == "info":
        return _request([_kw("$info")])
    if kind == "querypath":
        return _request([_kw("$querypath")])
    return _request([_kw("$getWebForm")])


def _sc_login(schema: _Schema, method: str | None) -> st.SearchStrategy[Request]:
    """``POST $directory/login``."""
    return st.just(_request([_kw("$directory"), _names_seg("login")]))


@st.composite
def _sc_upload(draw: st.DrawFn, schema: _Schema, method: str | None) -> Request:
    """``POST $upload?$rawPict=true`` or ``?$binary=true``, maybe with ``$timeout``."""
    out = [_true(draw(st.sampled_from(["$rawPict", "$binary"])))]
    if draw(st.booleans()):
        out.append(_int_param("$timeout", draw(st.integers(1, 3600))))
    return _request([_kw("$upload")], draw(st.permutations(out)))


_Scenario = Callable[[_Schema, "str | None"], st.SearchStrategy[Request]]

#: name -> (strategy, verbs it is valid with, availability in a schema).
_SCENARIOS: dict[str, tuple[_Scenario, frozenset[str], Callable[[_Schema], bool]]] = {
    "read": (_sc_read, frozenset({"GET"}), lambda s: s.has(_any)),
    "entity": (_sc_entity, frozenset({"GET"}), lambda s: s.has(_has_entity)),
    "attribute": (
        _sc_attribute,
        frozenset({"GET"}),
        lambda s: s.has(lambda v: _has_entity(v) and bool(v.storage or v.to_one or v.to_many)),
    ),
    "binary": (
        _sc_binary,
        frozenset({"GET"}),
        lambda s: s.has(lambda v: _binary_need(v) and _has_entity(v)),
    ),
    "image": (
        _sc_image,
        frozenset({"GET"}),
        lambda s: s.has(lambda v: bool(v.pictures) and _has_entity(v)),
    ),
    "compute": (_sc_compute, frozenset({"GET"}), lambda s: s.has(lambda v: bool(v.storage))),
    "subentityset": (
        _sc_subentityset,
        frozenset({"GET"}),
        lambda s: s.has(lambda v: bool(v.to_many) and _has_entity(v)),
    ),
    "entityset": (_sc_entity_set_ops, frozenset({"GET"}), lambda s: s.has(_any)),
    "release": (_sc_release, frozenset({"POST"}), lambda s: s.has(_any)),
    "update": (_sc_update, frozenset({"POST", "PUT", "PATCH"}), lambda s: s.has(_any)),
    "delete": (_sc_delete, frozenset({"POST", "DELETE"}), lambda s: s.has(_any)),
    "function": (_sc_function, frozenset({"POST"}), lambda s: bool(_functions(s, False))),
    "function-get": (_sc_function, frozenset({"GET"}), lambda s: bool(_functions(s, True))),
    "descriptive": (_sc_descriptive, frozenset({"GET"}), lambda s: True),
    "login": (_sc_login, frozenset({"POST"}), lambda s: True),
    "upload": (_sc_upload, frozenset({"POST"}), lambda s: True),
}

#: The verbs :func:`urls` accepts (``None``: the HTTP method is not known).
URL_METHODS = (None, "GET", "POST", "PUT", "PATCH", "DELETE")


def _valid_requests(schema: _Schema, method: str | None) -> st.SearchStrategy[Request]:
    chosen = [
        fn(schema, method)
        for fn, verbs, available in _SCENARIOS.values()
        if (method is None or method in verbs) and available(schema)
    ]
    if not chosen:
        raise InvalidArgument(f"no valid request of this catalog is sent with {method}")
    return st.one_of(chosen)


def urls(
    catalog: Any = None, *, method: str | None = None, encode: bool = False
) -> st.SearchStrategy[str]:
    """URLs that parse and that :func:`restquery.validate` finds nothing wrong with.

    Built valid, one documented form at a time (spec §2.4): collection reads with
    ``$filter`` (and the ``$params`` its ``:n`` placeholders need), ``$orderby``, paging,
    ``$attributes``, ``$method=entityset`` with ``$timeout`` and saved values; one entity, its
    attributes and relations; ``$binary`` and picture downloads; ``$compute`` and
    ``$distinct``; ``$method=subentityset``; entity-set combinations and ``$clean``;
    ``$method=update`` and ``delete``; ``$entityset/$release``; function calls (dataclass,
    entity, datastore, singleton); ``$catalog``, ``$info``, ``$getWebForm``,
    ``$directory/login``, ``$upload``. No rejection sampling is involved.

    ``catalog`` (a :class:`~restquery.Catalog`, a ``$catalog`` JSON document or a path to one)
    makes every name one the catalog defines, with values of the attribute's type, and the URL
    valid under ``validate(url, catalog=catalog)``.

    ``method`` is the HTTP verb the URL will be sent with (``None``: unknown, any form):
    ``"GET"`` draws reads and GET-callable functions, ``"POST"`` writes, function calls,
    uploads and logins, ``"PUT"``/``"PATCH"`` Qodly's updates, ``"DELETE"`` Qodly's deletes.
    ``validate(url, catalog=catalog, method=method)`` then returns ``[]`` — except that every
    PUT, PATCH or DELETE request draws the warning RQ316 (a Qodly-only verb) and nothing else.

    ``encode=True`` gives the wire form (percent-encoded, ASCII, no space or quote), ready for
    an HTTP client; it validates the same. URLs never carry an origin: join them to your
    server's base URL.

    Send generated requests to a server under test (a 4D or Qodly server, or a mock of one)::

        import httpx
        import restquery
        from hypothesis import given, settings
        from restquery.strategies import urls

        CATALOG = restquery.Catalog.from_json("catalog.json")   # GET /rest/$catalog/$all

        @settings(max_examples=500, deadline=None)
        @given(urls(CATALOG, method="GET", encode=True))
        def test_server_answers_valid_requests(url):
            with httpx.Client(base_url="http://127.0.0.1:8081") as client:
                response = client.get(url)
            # a valid request may find nothing (404), but never breaks the server
            assert response.status_code < 500, (url, response.text)

    >>> import restquery
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10)
    ... @given(urls(method="GET"))
    ... def check(url):
    ...     assert restquery.validate(url, method="GET") == []
    >>> check()
    """
    if method is not None:
        method = method.upper()
    if method not in URL_METHODS:
        raise InvalidArgument(f"method must be one of {URL_METHODS[1:]} or None, not {method!r}")
    schema = _schema(catalog)
    return _valid_requests(schema, method).map(lambda r: unparse(r, encode=encode))


# ---------------------------------------------------------------------------------------------
# Catalog-consistent requests (requests(catalog))
# ---------------------------------------------------------------------------------------------


@st.composite
def _catalog_requests(draw: st.DrawFn, schema: _Schema, max_params: int) -> Request:
    method = draw(st.sampled_from(URL_METHODS))
    req = draw(_valid_requests(schema, method))
    view = _params_view(schema, req)
    extra: list[Param] = []
    budget = max(0, max_params - len(req.params))
    for _ in range(draw(st.integers(0, budget))):
        extra.append(draw(_schema_safe_params(view)))
    if draw(st.integers(0, 3)) == 0:
        req = Request(path=req.path, params=req.params, origin=draw(origins()))
    all_params = tuple(draw(st.permutations(list(req.params) + extra)))
    return Request(path=req.path, params=all_params, origin=req.origin, method=method)


def _params_view(schema: _Schema, req: Request) -> _View | None:
    """The dataclass whose attributes the parameters of ``req`` name: the path's dataclass,
    or the target of the relation that ends the path; ``None`` when they name none (a scalar
    attribute, a function, a descriptive resource)."""
    from restquery.shape import classify

    shape = classify(req, schema.catalog)
    if shape.resource != "dataclass" or shape.dataclass is None:
        return None
    view = schema.target(shape.dataclass)
    if view is None or shape.function is not None:
        return None
    if shape.tail is not None:
        relations = dict((view.to_one or ()) + (view.to_many or ()))
        target = relations.get(shape.tail_name or "")
        return schema.target(target) if target else None
    return view


def _request_dataclass(req: Request) -> str | None:
    segs = req.path.segments
    if not segs:
        return None
    first = segs[0]
    if isinstance(first, NamesSegment):
        return first.name
    if isinstance(first, (KeySegment, LookupSegment, CallSegment)):
        return first.name
    return None


def _schema_safe_params(view: _View | None) -> st.SearchStrategy[Param]:
    """Parameters that name no attribute, or only attributes of ``view``."""
    nameless = [n for n, kind in PARAMETERS.items() if kind in ("int", "bool", "word", "json")]
    plain = st.one_of(
        st.sampled_from(nameless).flatmap(_param_for),
        _unknown_names().flatmap(_param_for),
    )
    if view is None or view.free:
        return plain
    named: list[st.SearchStrategy[Param]] = []
    if view.filterable:
        named.append(
            _clean_filters(view, placeholders=False).map(lambda p: _param("$filter", p[0], '"'))
        )
    if view.sortable:
        named.append(_clean_sort_lists(view).map(lambda s: _param("$orderby", s, '"')))
    if view.filterable:
        named.append(_clean_attribute_lists(view).map(lambda a: _param("$attributes", a)))
    relations = tuple(n for n, _ in (view.to_one or ()) + (view.to_many or ()))
    if relations:
        named.append(
            st.sampled_from(relations).map(
                lambda n: _param("$expand", PathList(paths=(_apath((n,)),)))
            )
        )
    return st.one_of(plain, *named)
