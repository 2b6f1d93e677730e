"""Schema views: the names a valid request may use, from a catalog or schema-free."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from restquery.ast import (
    AttributePath,
    Boolean,
    Integer,
    KeywordSegment,
    NamesSegment,
    Param,
    Path,
    PathPart,
    Request,
    Word,
)

if TYPE_CHECKING:
    from restquery.catalog import Catalog
from restquery.params import declared
from restquery.strategies._base import (
    _is_keyword,
    _is_name,
    names,
)


# ---------------------------------------------------------------------------------------------
# Schema views: the names a valid request may use, from a catalog or schema-free
# ---------------------------------------------------------------------------------------------

#: Attribute type classes that hold one comparable value (filters, sorts, look-ups).
_SCALAR_CLASSES = frozenset({"numeric", "string", "date", "boolean", "uuid"})
#: Property names drawn below ``object`` attributes (the catalog does not list them).
_PROPERTIES = ("city", "property1", "zipCode", "level")
#: ``$compute`` values each attribute type class supports (spec §3.9, R18).
_COMPUTE_ALL = declared("$compute").values
_COMPUTE_BY_CLASS: dict[str, tuple[str, ...]] = {
    "numeric": _COMPUTE_ALL,
    "string": ("count", "min", "max"),
    "uuid": ("count", "min", "max"),
    "date": ("count", "min", "max"),
    "boolean": ("count",),
    "object": _COMPUTE_ALL,  # a property below an object
    "any": _COMPUTE_ALL,
}
#: Every documented ``$imageformat`` value, and the upper-case names of the 4D table.
_IMAGE_FORMATS = declared("$imageformat").values + tuple(
    v.upper() for v in declared("$imageformat").values if v.isalpha()
)

#: A typed attribute path: the names from the dataclass, and the type class at its end
#: (``"any"`` when unknown).
_Typed = tuple[tuple[str, ...], str]


def _safe_name(name: str) -> bool:
    """A catalog name the generators may print as is (an identifier that is no keyword)."""
    return _is_name(name) and not _is_keyword(name)


class _View:
    """What one dataclass offers to the generators. A ``None`` field means schema-free: any
    name drawn by :func:`names` (the checker cannot tell a wrong one without a catalog)."""

    __slots__ = (
        "blobs",
        "class_functions",
        "entity_functions",
        "filterable",
        "key",
        "known",
        "lookups",
        "name",
        "non_storage",
        "pictures",
        "sortable",
        "storage",
        "to_many",
        "to_one",
    )

    def __init__(
        self,
        name: str,
        *,
        key: str = "any",
        filterable: tuple[_Typed, ...] | None = None,
        sortable: tuple[_Typed, ...] | None = None,
        storage: tuple[_Typed, ...] | None = None,
        lookups: tuple[_Typed, ...] | None = None,
        pictures: tuple[str, ...] | None = None,
        blobs: tuple[str, ...] | None = None,
        to_one: tuple[tuple[str, str], ...] | None = None,
        to_many: tuple[tuple[str, str], ...] | None = None,
        class_functions: tuple[tuple[str, bool], ...] | None = None,
        entity_functions: tuple[tuple[str, bool], ...] | None = None,
        non_storage: tuple[str, ...] = (),
        known: frozenset[str] = frozenset(),
    ) -> None:
        self.name = name
        self.key = key
        self.filterable = filterable
        self.sortable = sortable
        self.storage = storage
        self.lookups = lookups
        self.pictures = pictures
        self.blobs = blobs
        self.to_one = to_one
        self.to_many = to_many
        self.class_functions = class_functions
        self.entity_functions = entity_functions
        self.non_storage = non_storage
        self.known = known

    @property
    def free(self) -> bool:
        """True for a schema-free view."""
        return self.filterable is None

    def __repr__(self) -> str:
        return f"_View({self.name!r}{', schema-free' if self.free else ''})"


class _Schema:
    """Every view of a catalog, its datastore functions and singletons (or schema-free)."""

    def __init__(self, catalog: Catalog | None) -> None:
        self.catalog = catalog
        self.views: tuple[_View, ...] = ()
        self.datastore_functions: tuple[tuple[str, bool], ...] | None = None
        self.singletons: tuple[tuple[str, str, bool], ...] | None = None
        self.dataclass_names: frozenset[str] = frozenset()
        if catalog is not None:
            self.views = tuple(_views(catalog))
            self.dataclass_names = frozenset(catalog.dataclasses)
            self.datastore_functions = tuple(
                (f.name, f.allowed_on_http_get)
                for f in catalog.functions
                if f.exposed and _safe_name(f.name) and catalog.dataclass(f.name) is None
            )
            self.singletons = tuple(
                (s.name, f.name, f.allowed_on_http_get)
                for s in catalog.singletons.values()
                if _safe_name(s.name)
                for f in s.functions
                if f.exposed and _safe_name(f.name)
            )

    @property
    def free(self) -> bool:
        return self.catalog is None

    def has(self, need: Callable[[_View], bool]) -> bool:
        """Whether some dataclass satisfies ``need`` (always, schema-free)."""
        return self.free or any(need(v) for v in self.views)

    def view(self, need: Callable[[_View], bool] | None = None) -> st.SearchStrategy[_View]:
        """A dataclass view; with a catalog, one that satisfies ``need``."""
        if self.free:
            return names().map(_View)
        chosen = [v for v in self.views if need is None or need(v)]
        if not chosen:
            raise InvalidArgument("the catalog has no dataclass these requests need")
        return st.sampled_from(chosen)

    def target(self, name: str) -> _View | None:
        for v in self.views:
            if v.name == name:
                return v
        return None


def _views(cat: Catalog) -> list[_View]:
    out = []
    for dc in cat.dataclasses.values():
        if not dc.exposed or not _safe_name(dc.name):
            continue
        if not dc.attributes_known:  # a short $catalog: attribute names cannot be checked
            out.append(_View(dc.name))
            continue
        functions = [f for f in dc.functions if f.exposed and _safe_name(f.name)]
        shadowed = {f.name for f in dc.functions}
        attrs = [
            a
            for a in dc.attributes.values()
            if a.exposed and _safe_name(a.name) and a.name not in shadowed
        ]

        def resolves(names: tuple[str, ...], dc: Any = dc) -> bool:
            return cat.resolve_path(dc, names).ok

        def scalar(a: Any) -> bool:
            return not a.is_relation and a.type_class in _SCALAR_CLASSES

        plain = [((a.name,), a.type_class) for a in attrs if scalar(a) and a.kind != "calculated"]
        storage = [((a.name,), a.type_class) for a in attrs if scalar(a) and a.kind == "storage"]
        objects = [
            ((a.name, p), "object")
            for a in attrs
            if a.is_object and a.kind == "storage"
            for p in _PROPERTIES[:2]
        ]
        to_one: list[tuple[str, str]] = []
        to_many: list[tuple[str, str]] = []
        hops_one: list[_Typed] = []
        hops_many: list[_Typed] = []
        for a in attrs:
            if not a.is_relation:
                continue
            target = cat.relation_target(dc, a)
            if target is None or not target.exposed or not _safe_name(target.name):
                continue
            (to_one if a.is_related_entity else to_many).append((a.name, target.name))
            target_shadowed = {f.name for f in target.functions}
            for b in target.attributes.values():
                if (
                    b.exposed
                    and _safe_name(b.name)
                    and b.name not in target_shadowed
                    and scalar(b)
                    and b.kind == "storage"
                ):
                    (hops_one if a.is_related_entity else hops_many).append(
                        ((a.name, b.name), b.type_class)
                    )
        sortable = tuple(p for p in plain + objects + hops_one if resolves(p[0]))
        filterable = tuple(p for p in plain + objects + hops_one + hops_many if resolves(p[0]))
        pk = dc.primary_key
        key = "any"
        if pk is not None and pk.type_class in ("numeric", "string", "uuid"):
            key = pk.type_class
        out.append(
            _View(
                dc.name,
                key=key if len(dc.key) == 1 else "none",
                filterable=filterable,
                sortable=sortable,
                storage=tuple(storage) + tuple(o for o in objects if resolves(o[0])),
                lookups=tuple(p for p in storage if p[1] in ("string", "numeric")),
                pictures=tuple(a.name for a in attrs if a.is_picture and a.kind == "storage"),
                blobs=tuple(a.name for a in attrs if a.is_blob and a.kind == "storage"),
                to_one=tuple(to_one),
                to_many=tuple(to_many),
                class_functions=tuple(
                    (f.name, f.allowed_on_http_get)
                    for f in functions
                    if f.apply_to in ("dataClass", "entitySelection")
                ),
                entity_functions=tuple(
                    (f.name, f.allowed_on_http_get) for f in functions if f.apply_to == "entity"
                ),
                non_storage=tuple(
                    a.name for a in attrs if a.kind in ("calculated", "alias") or a.is_relation
                ),
                known=frozenset(dc.attributes) | {f.name for f in dc.functions},
            )
        )
    return out


def _schema(catalog: Any) -> _Schema:
    """The schema view of ``catalog`` (a Catalog, a JSON document or a path; None: free)."""
    if catalog is None:
        return _Schema(None)
    from restquery.catalog import catalog_argument

    return _Schema(catalog_argument(catalog))


def _names_of(options: tuple[str, ...] | None) -> st.SearchStrategy[str]:
    return names() if options is None else st.sampled_from(options)


def _typed_of(options: tuple[_Typed, ...] | None, max_parts: int = 2) -> st.SearchStrategy[_Typed]:
    if options is None:
        return st.lists(names(), min_size=1, max_size=max_parts).map(lambda n: (tuple(n), "any"))
    return st.sampled_from(options)


def _apath(names_: tuple[str, ...]) -> AttributePath:
    return AttributePath(parts=tuple(PathPart(name=n) for n in names_))


def _names_seg(*names_: str) -> NamesSegment:
    return NamesSegment(paths=tuple(_apath((n,)) for n in names_))


def _dotted_seg(names_: tuple[str, ...]) -> NamesSegment:
    return NamesSegment(paths=(_apath(names_),))


def _kw(keyword: str) -> KeywordSegment:
    return KeywordSegment(keyword=keyword)


def _param(name: str, value: Any = None, quote: str = "") -> Param:
    return Param(name=name, value=value, quote=quote)


def _true(name: str) -> Param:
    return Param(name=name, value=Boolean(value=True, raw="true"))


def _int_param(name: str, value: int) -> Param:
    return Param(name=name, value=Integer(value=value))


def _word(name: str, value: str) -> Param:
    return Param(name=name, value=Word(value=value))


def _request(
    segments: Sequence[Any],
    params_: Sequence[Param] = (),
    *,
    trailing: bool = False,
) -> Request:
    return Request(
        path=Path(segments=tuple(segments), trailing_slash=trailing), params=tuple(params_)
    )
