"""The schema of a 4D / Qodly ORDA datastore, read from a ``$catalog`` JSON document (spec §9).

The checker's schema-aware rules (R9–R14, R15, R17, R18, R25, R40, R44, R49) ask this module
whether a dataclass, attribute, function or singleton exists, what an attribute's kind and type
are, and where a relation leads. Every lookup is case-sensitive (spec §1.5).

>>> from restquery.catalog import Catalog
>>> cat = Catalog.from_json('''{"dataClasses": [
...   {"name": "Company", "collectionName": "CompanySelection", "attributes": [
...     {"name": "name", "kind": "storage", "type": "string"},
...     {"name": "staff", "kind": "relatedEntities", "type": "EmployeeSelection", "path": "employer"}]},
...   {"name": "Employee", "collectionName": "EmployeeSelection", "attributes": [
...     {"name": "ID", "kind": "storage", "type": "long", "identifying": true},
...     {"name": "salary", "kind": "storage", "type": "number"},
...     {"name": "employer", "kind": "relatedEntity", "type": "Company", "path": "Company"}]}]}''')
>>> emp = cat.dataclass("Employee")
>>> emp.key, emp.attribute("salary").is_numeric
(('ID',), True)
>>> cat.relation_target(cat.dataclass("Company"), "staff").name
'Employee'
>>> res = cat.resolve_path(emp, "employer.staff.salary")
>>> res.ok, res.attribute.name, res.dataclass.name
(True, 'salary', 'Employee')
>>> bad = cat.resolve_path(emp, "salary.amount")
>>> bad.error_index, bad.reason
(1, 'not-an-object')
>>> suggestions("salry", emp.attributes)
['salary']

A malformed document raises :class:`~restquery.errors.CatalogError` naming the place with a
JSON-pointer-like location:

>>> Catalog.from_json('{"dataClasses": [{"attributes": []}]}')
Traceback (most recent call last):
    ...
restquery.errors.CatalogError: <catalog>: /dataClasses/0: dataclass has no "name"

A relation whose target is not in the document is *not* an error: a ``$catalog/Employee``
document describes one dataclass whose relations lead elsewhere. Such a relation is kept,
:meth:`Catalog.relation_target` returns ``None`` for it and :meth:`Catalog.resolve_path` reports
``unknown-target`` when a path continues through it, so the checker can say so at the URL.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from restquery._records import field, record

from restquery._suggest import suggestions
from restquery._names import Names as _Names
from restquery.ast import is_template
from restquery.errors import CatalogError

TYPE_CHECKING = False  # mypy reads the TYPE_CHECKING branches; typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any, Final, Literal, NamedTuple, TypeAlias, TypeVar

    _V = TypeVar("_V")
else:
    from restquery._records import NamedTuple

__all__ = [
    "ALIAS",
    "APPLY_TO_DATACLASS",
    "APPLY_TO_DATASTORE",
    "APPLY_TO_ENTITY",
    "APPLY_TO_ENTITY_SELECTION",
    "ATTRIBUTE_KINDS",
    "CALCULATED",
    "NOT_AN_OBJECT",
    "RELATED_ENTITIES",
    "RELATED_ENTITY",
    "STORAGE",
    "UNKNOWN_ATTRIBUTE",
    "UNKNOWN_TARGET",
    "Attribute",
    "Catalog",
    "DataClass",
    "Function",
    "PathError",
    "PathResolution",
    "Singleton",
    "TypeClass",
    "catalog_argument",
    "suggestions",
    "type_class",
]


# Attribute kinds (spec §9.2).
STORAGE = "storage"
RELATED_ENTITY = "relatedEntity"
RELATED_ENTITIES = "relatedEntities"
CALCULATED = "calculated"
ALIAS = "alias"
ATTRIBUTE_KINDS: tuple[str, ...] = (STORAGE, RELATED_ENTITY, RELATED_ENTITIES, CALCULATED, ALIAS)

# Function targets (`applyTo`), normalised; other spellings are kept as written.
APPLY_TO_DATASTORE = "dataStore"
APPLY_TO_DATACLASS = "dataClass"
APPLY_TO_ENTITY = "entity"
APPLY_TO_ENTITY_SELECTION = "entitySelection"
_APPLY_TO = {
    "datastore": APPLY_TO_DATASTORE,
    "dataclass": APPLY_TO_DATACLASS,
    "entity": APPLY_TO_ENTITY,
    "entityselection": APPLY_TO_ENTITY_SELECTION,
    "entitycollection": APPLY_TO_ENTITY_SELECTION,  # Wakanda-era spelling
}

# Reasons a path does not resolve (PathResolution.reason).
UNKNOWN_ATTRIBUTE: Final = "unknown-attribute"
NOT_AN_OBJECT: Final = "not-an-object"
UNKNOWN_TARGET: Final = "unknown-target"
if TYPE_CHECKING:
    PathError: TypeAlias = Literal["unknown-attribute", "not-an-object", "unknown-target"]
    TypeClass: TypeAlias = Literal[
        "numeric", "string", "date", "boolean", "picture", "blob", "object", "uuid", "vector",
        "unknown",
    ]
else:  # both are strings, of the values above
    PathError = TypeClass = str
_TYPE_CLASSES: dict[str, TypeClass] = {
    "number": "numeric",
    "long": "numeric",
    "long64": "numeric",
    "word": "numeric",
    "byte": "numeric",
    "integer": "numeric",
    "float": "numeric",
    "duration": "numeric",
    "string": "string",
    "text": "string",
    "date": "date",
    "bool": "boolean",
    "boolean": "boolean",
    "image": "picture",
    "picture": "picture",
    "blob": "blob",
    "object": "object",
    "uuid": "uuid",
    "vector": "vector",
}

# An alias may name another alias; deeper chains than this are treated as unresolvable.
_MAX_ALIAS_DEPTH = 32


def type_class(type_name: str | None) -> TypeClass:
    """Classify a catalog ``type`` string (spec §9.2), ignoring case.

    ``object`` attributes hold any JSON, including 4D vectors: the catalog cannot tell a vector
    from another object, so a checker applying R40 should treat ``object`` as possibly a vector.

    >>> type_class("long64"), type_class("image"), type_class("Company"), type_class(None)
    ('numeric', 'picture', 'unknown', 'unknown')
    """
    if not type_name:
        return "unknown"
    return _TYPE_CLASSES.get(type_name.lower(), "unknown")


def _index(items: Any, what: str, owner: str) -> _Names[Any]:
    """Build a :class:`_Names` from a mapping or an iterable of named items (hand-built models)."""
    if isinstance(items, _Names):
        return items
    pairs = list(items.items()) if isinstance(items, Mapping) else [(i.name, i) for i in items]
    out: dict[str, Any] = {}
    for name, item in pairs:
        if name in out:
            raise CatalogError(f"duplicate {what} name {name!r} in {owner}")
        if item.name != name:
            raise CatalogError(f"{what} {item.name!r} is filed under the name {name!r} in {owner}")
        out[name] = item
    return _Names(out.items())


@record
class Attribute:
    """One attribute of a dataclass (spec §9.2).

    ``type`` is the scalar type for storage, calculated and alias attributes, the target
    dataclass name for ``relatedEntity`` and the target selection class for ``relatedEntities``.
    ``path`` is the target dataclass (relatedEntity), the opposite relation (relatedEntities) or
    the aliased path (alias). Flags absent from the document are ``False``; ``exposed`` defaults
    to ``True`` (4D lists only exposed attributes; Qodly marks them).

    >>> a = Attribute(name="photo", kind="storage", type="image")
    >>> a.is_picture, a.is_relation, a.type_class
    (True, False, 'picture')
    """

    name: str
    kind: str = STORAGE
    type: str | None = None
    path: str | None = None
    reverse_path: bool = False
    read_only: bool = False
    indexed: bool = False
    identifying: bool = False
    unique: bool = False
    exposed: bool = True
    scope: str | None = None

    @property
    def type_class(self) -> TypeClass:
        """:func:`type_class` of ``type``; ``"unknown"`` for relation attributes."""
        return "unknown" if self.is_relation else type_class(self.type)

    @property
    def is_numeric(self) -> bool:
        """``number``, ``long``, ``long64``, ``word``, ``byte``, ``integer``, ``float``, ``duration``."""
        return self.type_class == "numeric"

    @property
    def is_picture(self) -> bool:
        """``image`` (or ``picture``)."""
        return self.type_class == "picture"

    @property
    def is_blob(self) -> bool:
        """``blob``."""
        return self.type_class == "blob"

    @property
    def is_object(self) -> bool:
        """``object``: any property path below it is accepted (R14)."""
        return self.type_class == "object"

    @property
    def is_relation(self) -> bool:
        """Kind ``relatedEntity`` or ``relatedEntities`` (an alias of a relation is not; see
        :attr:`PathResolution.effective`)."""
        return self.kind in (RELATED_ENTITY, RELATED_ENTITIES)

    @property
    def is_related_entity(self) -> bool:
        """Kind ``relatedEntity`` (N→1)."""
        return self.kind == RELATED_ENTITY

    @property
    def is_related_entities(self) -> bool:
        """Kind ``relatedEntities`` (1→N), the only kind ``$method=subentityset`` accepts (R25)."""
        return self.kind == RELATED_ENTITIES


@record
class Function:
    """An exposed function: datastore, dataclass, entity, entity-selection or singleton.

    ``apply_to`` is normalised to ``dataStore``, ``dataClass``, ``entity`` or
    ``entitySelection`` (``entityCollection`` reads as ``entitySelection``); ``None`` when the
    document does not say (singleton functions). ``allowed_on_http_get`` is ``False`` unless
    the catalog says ``allowedOnHTTPGET: true`` (R44).

    >>> Function(name="getCity", apply_to="dataClass", allowed_on_http_get=True).allowed_on_http_get
    True
    """

    name: str
    apply_to: str | None = None
    allowed_on_http_get: bool = False
    exposed: bool = True
    scope: str | None = None


def _find_function(
    functions: Sequence[Function], name: str, apply_to: str | None
) -> Function | None:
    wanted = _APPLY_TO.get(apply_to.lower(), apply_to) if apply_to else None
    for fn in functions:
        if fn.name == name and (wanted is None or fn.apply_to in (None, wanted)):
            return fn
    return None


@record
class Singleton:
    """A shared singleton listed in ``singletons`` with its exposed functions (``methods``).

    >>> s = Singleton(name="VehicleFactory", functions=(Function(name="buildVehicle"),))
    >>> s.function("buildVehicle").allowed_on_http_get, s.function("BuildVehicle")
    (False, None)
    """

    name: str
    functions: tuple[Function, ...] = ()

    def function(self, name: str) -> Function | None:
        """The function called ``name`` (exact case), or ``None``."""
        return _find_function(self.functions, name, None)


_NO_ATTRIBUTES: _Names[Attribute] = _Names()


@record
class DataClass:
    """A dataclass: its attributes in document order, its key and its functions.

    ``attributes_known`` is ``False`` when the document only listed the dataclass (the short
    ``/rest/$catalog`` form): its name can be checked, its attribute names cannot.
    ``key`` names the primary-key attribute(s); when not given it is derived from the
    ``identifying`` attributes. ``functions`` may hold two functions of one name with different
    ``apply_to`` (an entity function and an entity-selection function, for instance).
    ``exposed`` is ``False`` only when a Qodly document says so (the server answers 404).
    Built by hand, ``attributes`` may be any iterable of :class:`Attribute`; it is stored as a
    read-only mapping (the same goes for :class:`Catalog`'s ``dataclasses`` and ``singletons``).

    >>> dc = DataClass(name="City", attributes=[Attribute(name="ID", type="long", identifying=True)],
    ...                functions=(Function(name="getPopulation", apply_to="entity"),))
    >>> dc.key, dc.primary_key.type, dc.attribute("id")
    (('ID',), 'long', None)
    >>> dc.function("getPopulation", apply_to="entitySelection") is None
    True
    """

    name: str
    class_name: str | None = None
    collection_name: str | None = None
    data_uri: str | None = None
    default_top_size: int | None = None
    attributes: Mapping[str, Attribute] = _NO_ATTRIBUTES
    key: tuple[str, ...] = ()
    functions: tuple[Function, ...] = ()
    attributes_known: bool = True
    exposed: bool = True
    scope: str | None = None

    def __post_init__(self) -> None:
        attrs = _index(self.attributes, "attribute", f"dataclass {self.name!r}")
        object.__setattr__(self, "attributes", attrs)
        object.__setattr__(self, "functions", tuple(self.functions))
        if not self.key:
            key = tuple(a.name for a in attrs.values() if a.identifying)
            object.__setattr__(self, "key", key)
        else:
            object.__setattr__(self, "key", tuple(self.key))

    def __repr__(self) -> str:
        known = list(self.attributes) if self.attributes_known else "unknown"
        return f"DataClass(name={self.name!r}, attributes={known}, key={self.key!r})"

    def attribute(self, name: str) -> Attribute | None:
        """The attribute called ``name`` (exact case), or ``None``."""
        return self.attributes.get(name)

    def function(self, name: str, *, apply_to: str | None = None) -> Function | None:
        """The first function called ``name`` (exact case); with ``apply_to``, the first whose
        ``apply_to`` matches it or is unknown. ``None`` if there is none."""
        return _find_function(self.functions, name, apply_to)

    @property
    def key_attributes(self) -> tuple[Attribute, ...]:
        """The attributes named by ``key`` (those present)."""
        return tuple(a for a in map(self.attributes.get, self.key) if a is not None)

    @property
    def primary_key(self) -> Attribute | None:
        """The first key attribute, or ``None`` (unknown attributes, or no key)."""
        keys = self.key_attributes
        return keys[0] if keys else None


@record
class PathResolution:
    """What :meth:`Catalog.resolve_path` found for a dotted attribute path.

    On success (``ok``): ``attribute`` is the attribute named by the last name that is an
    attribute (the ``object`` attribute itself when the path went into it, ``in_object``), owned by
    ``dataclass``. ``effective`` is that attribute with aliases followed (``None`` if an alias
    cannot be followed); ``target`` is the dataclass the path reaches when it ends on a relation
    (or an alias of one), ``to_many`` whether that is a 1→N relation. ``property_path`` holds the
    names below an ``object`` attribute. ``checked`` is ``False`` when the walk reached a dataclass
    whose attributes are unknown, an attribute of unknown type or a template placeholder
    (``{{attribute}}``): the rest was not verified.

    On failure: ``error_index`` is the index in ``names`` of the first bad name and ``reason`` is
    one of ``unknown-attribute`` (``dataclass`` is where it was looked up — suggest from its
    attributes), ``not-an-object`` (a name follows a non-object, non-relation ``attribute``) or
    ``unknown-target`` (``attribute`` at ``error_index`` is a relation whose target is not in
    the catalog).
    """

    dataclass: DataClass | None
    attribute: Attribute | None = None
    effective: Attribute | None = None
    target: DataClass | None = None
    to_many: bool = False
    in_object: bool = False
    property_path: tuple[str, ...] = ()
    checked: bool = True
    error_index: int | None = None
    reason: PathError | None = None

    @property
    def ok(self) -> bool:
        """True when every name resolved (or could not be checked)."""
        return self.error_index is None

    def __repr__(self) -> str:
        parts = [
            f"dataclass={self.dataclass.name if self.dataclass else None!r}",
            f"attribute={self.attribute.name if self.attribute else None!r}",
        ]
        if self.effective is not None and self.effective is not self.attribute:
            parts.append(f"effective={self.effective.name!r}")
        if self.target is not None:
            parts.append(f"target={self.target.name!r}, to_many={self.to_many}")
        if self.in_object:
            parts.append(f"property_path={self.property_path!r}")
        if not self.checked:
            parts.append("checked=False")
        if self.error_index is not None:
            parts.append(f"error_index={self.error_index}, reason={self.reason!r}")
        return f"PathResolution({', '.join(parts)})"


@record
class Catalog:
    """A datastore schema: dataclasses by name (document order), datastore functions and
    singletons. Build it with :meth:`from_json`. ``partial`` is true for a
    ``$catalog/{dataClass}`` document, which describes one dataclass and says nothing of the
    others (so a name it lacks is not known to be wrong).

    >>> cat = Catalog(dataclasses=[DataClass(name="City")],
    ...               functions=(Function(name="getName", apply_to="dataStore"),))
    >>> cat.dataclass("City").name, cat.dataclass("city"), cat.function("getName").apply_to
    ('City', None, 'dataStore')
    """

    dataclasses: Mapping[str, DataClass] = field(default_factory=lambda: _Names())
    functions: tuple[Function, ...] = ()
    singletons: Mapping[str, Singleton] = field(default_factory=lambda: _Names())
    unique_id: str | None = None
    name: str | None = None
    partial: bool = False
    source: str | None = field(default=None, compare=False)
    #: ``Project/Sources/roles.json`` of a project (:meth:`from_project`), as read; else None.
    roles: Mapping[str, Any] | None = field(default=None, compare=False, repr=False)
    _by_collection: Mapping[str, DataClass] = field(
        init=False, repr=False, compare=False, hash=False
    )
    # resolve_path()'s answers, by dataclass and path: a catalog never changes, and a server
    # meets the same paths request after request.
    _resolved: dict[tuple[int, tuple[str, ...]], tuple[DataClass, PathResolution]] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        dcs = _index(self.dataclasses, "dataclass", "the catalog")
        object.__setattr__(self, "dataclasses", dcs)
        object.__setattr__(self, "singletons", _index(self.singletons, "singleton", "the catalog"))
        object.__setattr__(self, "functions", tuple(self.functions))
        by_collection: dict[str, DataClass] = {}
        for dc in dcs.values():
            if dc.collection_name:
                by_collection.setdefault(dc.collection_name, dc)
        object.__setattr__(self, "_by_collection", _Names(by_collection.items()))

    def __repr__(self) -> str:
        where = f", source={self.source!r}" if self.source else ""
        return f"Catalog(dataclasses={list(self.dataclasses)}{where})"

    # -- loading -------------------------------------------------------------------------------

    @classmethod
    def from_json(
        cls,
        obj_or_path: Mapping[str, Any] | str | bytes | os.PathLike[str] | Catalog,
        *,
        source: str | None = None,
    ) -> Catalog:
        """Load a ``$catalog`` document.

        ``obj_or_path`` is an already-parsed JSON object, JSON text (a ``str`` whose first
        non-blank character is ``{`` or ``[``), UTF-8 ``bytes``, or a path (any other ``str``, or
        an ``os.PathLike``). Accepted shapes: ``/rest/$catalog`` (dataclasses without
        attributes: ``attributes_known`` is ``False``), ``/rest/$catalog/$all``, the 4D
        spelling ``dataClass`` for ``dataClasses`` (spec §12 item 13), a bare
        ``/rest/$catalog/{dataClass}`` object, and the Qodly variants (``__NAME``,
        ``properties``, ``exposed``...; unknown keys are ignored). A :class:`Catalog` is returned
        as is. ``source`` names the document in error messages (default: the path, or
        ``<catalog>``).

        Raises :class:`~restquery.errors.CatalogError` for an unreadable file, text that is not
        JSON, or a malformed document; the message reads ``source: /json/pointer: problem``.

        >>> Catalog.from_json({"name": "Employee", "attributes": []}).dataclass("Employee").key
        ()
        >>> Catalog.from_json(b'{"dataClasses": 3}')
        Traceback (most recent call last):
            ...
        restquery.errors.CatalogError: <catalog>: /dataClasses: "dataClasses" must be an array, got number
        """
        if isinstance(obj_or_path, Catalog):
            return obj_or_path
        from restquery._catalog_json import load

        return load(obj_or_path, source)

    @classmethod
    def from_project(cls, path: str | os.PathLike[str]) -> Catalog:
        """The schema of the 4D project at ``path`` (the folder holding ``Project/``, or
        ``Project/`` itself), read from its sources with no server: ``catalog.4DCatalog``, the
        ORDA classes and ``roles.json`` (kept as :attr:`roles`). What REST does not expose is
        kept with ``exposed=False``; ``docs/catalog.md`` tells how each part is read. Raises
        :class:`~restquery.errors.CatalogError` naming the file and line it cannot read."""
        from restquery._catalog_project import load_project

        return load_project(path)

    # -- lookups -------------------------------------------------------------------------------

    def dataclass(self, name: str) -> DataClass | None:
        """The dataclass called ``name`` (exact case), or ``None`` (R9)."""
        return self.dataclasses.get(name)

    def function(self, name: str) -> Function | None:
        """The datastore function (top-level ``methods``) called ``name``, or ``None``."""
        return _find_function(self.functions, name, None)

    def singleton(self, name: str) -> Singleton | None:
        """The singleton called ``name`` (exact case), or ``None`` (R4)."""
        return self.singletons.get(name)

    @property
    def attributes_known(self) -> bool:
        """False if any dataclass was listed without its attributes (short ``$catalog``)."""
        return all(dc.attributes_known for dc in self.dataclasses.values())

    def relation_target(self, dataclass: DataClass, attribute: Attribute | str) -> DataClass | None:
        """The dataclass reached through ``attribute`` of ``dataclass``, or ``None``.

        relatedEntity: the dataclass named by ``type`` (fallback ``path``). relatedEntities: the
        dataclass whose ``collectionName`` equals ``type`` (fallback: ``type`` without a trailing
        ``Selection``/``Collection``, then the dataclass holding the opposite relation named by
        ``path``). An alias leads where its path leads; an alias or calculated attribute whose
        ``type`` is a dataclass or selection class leads there. ``None`` for scalars, unknown
        attributes and targets missing from the catalog.

        >>> cat = Catalog(dataclasses=[
        ...     DataClass(name="A", attributes=[Attribute(name="b", kind="relatedEntity", type="B")]),
        ...     DataClass(name="B", collection_name="BSelection")])
        >>> cat.relation_target(cat.dataclass("A"), "b").name
        'B'
        """
        attr = dataclass.attribute(attribute) if isinstance(attribute, str) else attribute
        if attr is None:
            return None
        return _Walker(self).step(dataclass, attr).target

    def unresolved_relations(self) -> tuple[tuple[DataClass, Attribute], ...]:
        """Every relation attribute whose target is not in the catalog, in document order.

        >>> Catalog.from_json({"name": "Employee", "attributes": [
        ...     {"name": "employer", "kind": "relatedEntity", "type": "Company"}]}
        ... ).unresolved_relations()[0][1].name
        'employer'
        """
        walker = _Walker(self)
        return tuple(
            (dc, attr)
            for dc in self.dataclasses.values()
            for attr in dc.attributes.values()
            if attr.is_relation and walker.step(dc, attr).target is None
        )

    def resolve_path(self, dataclass: DataClass, names: Sequence[str] | str) -> PathResolution:
        """Walk an attribute path (``employer.staff.lastName`` or its list of names) from
        ``dataclass``, hop by hop through relations and aliases (R10), accepting any property
        below an ``object`` attribute (R14). See :class:`PathResolution` for the answer.

        >>> cat = Catalog(dataclasses=[DataClass(name="P", attributes=[
        ...     Attribute(name="info", type="object"), Attribute(name="age", type="long")])])
        >>> p = cat.dataclass("P")
        >>> r = cat.resolve_path(p, "info.a.b")
        >>> r.ok, r.in_object, r.property_path
        (True, True, ('a', 'b'))
        >>> r = cat.resolve_path(p, ["age", "x"])
        >>> r.ok, r.error_index, r.reason, r.attribute.name
        (False, 1, 'not-an-object', 'age')
        >>> cat.resolve_path(p, "Age").reason
        'unknown-attribute'
        """
        parts = tuple(names.split(".")) if isinstance(names, str) else tuple(names)
        key = (id(dataclass), parts)
        known = self._resolved.get(key)
        if known is not None and known[0] is dataclass:
            return known[1]
        resolution = _Walker(self).walk(dataclass, parts)
        if len(self._resolved) >= 4096:
            self._resolved.clear()
        self._resolved[key] = (dataclass, resolution)
        return resolution

    # -- used by the walker ----------------------------------------------------------------------

    def _dataclass_for_type(self, type_name: str | None) -> tuple[DataClass | None, bool]:
        """A type string naming a dataclass (N→1) or a selection class (1→N)."""
        if not type_name:
            return None, False
        dc = self.dataclasses.get(type_name)
        if dc is not None:
            return dc, False
        return self._selection_target(type_name), True

    def _selection_target(self, type_name: str) -> DataClass | None:
        dc = self._by_collection.get(type_name)
        if dc is not None:
            return dc
        for suffix in ("Selection", "Collection"):
            if type_name.endswith(suffix) and len(type_name) > len(suffix):
                dc = self.dataclasses.get(type_name[: -len(suffix)])
                if dc is not None:
                    return dc
        return None


def catalog_argument(value: object, project: object = None) -> Catalog | None:
    """The catalog a ``catalog=`` argument names, read the one way every entry point reads it
    (``validate``, the integrations, ``lint_text``, the strategies): ``None`` is no catalog; a
    :class:`Catalog` is itself; a parsed JSON object, JSON text or bytes are loaded; a path (a
    ``str`` that is not JSON text, or an ``os.PathLike``) is loaded once per file and
    modification (its modification time and size), so a server or a loop passing the same
    path pays for the file once. Anything else raises :class:`CatalogError` naming the type.
    A ``project=`` argument (the path of a 4D project) is read with :meth:`Catalog.from_project`
    instead; both at once is an error.

    >>> catalog_argument(None) is None
    True
    >>> catalog_argument(3)
    Traceback (most recent call last):
        ...
    restquery.errors.CatalogError: catalog must be a Catalog, a $catalog JSON document (parsed, text or bytes) or a path to one, not int
    """
    if project is not None:
        if value is not None:
            raise CatalogError("give a catalog or a project, not both")
        if not isinstance(project, (str, os.PathLike)):
            raise CatalogError(f"project must be the path of a 4D project, not {type(project).__name__}")
        return Catalog.from_project(project)
    if value is None or isinstance(value, Catalog):
        return value
    if isinstance(value, str) and value.lstrip()[:1] not in ("{", "["):
        return _from_file(value)
    if isinstance(value, os.PathLike):
        return _from_file(os.fspath(value))
    if isinstance(value, (Mapping, str, bytes, bytearray)):
        return Catalog.from_json(bytes(value) if isinstance(value, bytearray) else value)
    raise CatalogError(
        "catalog must be a Catalog, a $catalog JSON document (parsed, text or bytes) or a path"
        f" to one, not {type(value).__name__}"
    )


#: path -> (modification time, size, catalog): the files catalog_argument() has loaded.
_FILES: dict[str, tuple[int, int, Catalog]] = {}


def _from_file(path: str) -> Catalog:
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return Catalog.from_json(path)  # it reports the file it cannot read
    key = os.path.abspath(path)
    cached = _FILES.get(key)
    if cached is not None and cached[:2] == (st.st_mtime_ns, st.st_size):
        return cached[2]
    catalog = Catalog.from_json(path)
    if len(_FILES) >= 64:
        _FILES.clear()
    _FILES[key] = (st.st_mtime_ns, st.st_size, catalog)
    return catalog


# --------------------------------------------------------------------------------------------
# Path walking


class _Step(NamedTuple):
    """How a path may continue after an attribute."""

    category: Literal["scalar", "object", "link", "unknown"]
    target: DataClass | None = None
    to_many: bool = False
    effective: Attribute | None = None


def _found(owner: DataClass, attr: Attribute, step: _Step, **extra: Any) -> PathResolution:
    return PathResolution(
        dataclass=owner,
        attribute=attr,
        effective=step.effective,
        target=step.target,
        to_many=step.to_many,
        **extra,
    )


class _Walker:
    """One lookup's worth of state: a memo of alias resolutions and the aliases being followed,
    so alias chains cost linear time and cycles end."""

    __slots__ = ("_active", "_cat", "_memo")

    def __init__(self, cat: Catalog) -> None:
        self._cat = cat
        self._memo: dict[tuple[str, str], _Step] = {}
        self._active: set[tuple[str, str]] = set()

    def walk(self, start: DataClass, names: tuple[str, ...]) -> PathResolution:
        owner = start
        last = len(names) - 1
        for i, name in enumerate(names):
            if not owner.attributes_known:
                return PathResolution(dataclass=owner, checked=False)
            attr = owner.attribute(name)
            if attr is None:
                if is_template(name):  # {{attribute}}: what it names is unknown
                    return PathResolution(dataclass=owner, checked=False)
                return PathResolution(dataclass=owner, error_index=i, reason=UNKNOWN_ATTRIBUTE)
            step = self.step(owner, attr)
            if i == last:
                return _found(owner, attr, step)
            if step.category == "object":
                return _found(owner, attr, step, in_object=True, property_path=names[i + 1 :])
            if step.category == "unknown":
                return _found(owner, attr, step, checked=False)
            if step.category == "scalar":
                return _found(owner, attr, step, error_index=i + 1, reason=NOT_AN_OBJECT)
            if step.target is None:
                return _found(owner, attr, step, error_index=i, reason=UNKNOWN_TARGET)
            owner = step.target
        return PathResolution(dataclass=owner)

    def step(self, owner: DataClass, attr: Attribute) -> _Step:
        cat = self._cat
        if attr.kind == RELATED_ENTITY:
            target = cat.dataclasses.get(attr.type or "") or cat.dataclasses.get(attr.path or "")
            return _Step("link", target, False, attr)
        if attr.kind == RELATED_ENTITIES:
            target = cat._selection_target(attr.type) if attr.type else None
            if target is None and attr.type:
                target = cat.dataclasses.get(attr.type)
            if target is None and attr.path:
                target = self._opposite(owner, attr.path)
            return _Step("link", target, True, attr)
        if attr.kind == ALIAS:
            key = (owner.name, attr.name)
            if key in self._memo:
                return self._memo[key]
            if key in self._active or len(self._active) >= _MAX_ALIAS_DEPTH:
                return self._by_type(attr, None)
            self._active.add(key)
            try:
                step = self._alias(owner, attr)
            finally:
                self._active.discard(key)
            self._memo[key] = step
            return step
        return self._by_type(attr, attr)

    def _alias(self, owner: DataClass, attr: Attribute) -> _Step:
        if attr.path:
            res = self.walk(owner, tuple(attr.path.split(".")))
            if res.ok and res.checked and not res.in_object and res.attribute is not None:
                eff = res.effective
                if res.target is not None:
                    return _Step("link", res.target, res.to_many, eff)
                if eff is not None and eff.is_relation:
                    return _Step("link", None, eff.is_related_entities, eff)
                if eff is not None:
                    return self._by_type(eff, eff)
        return self._by_type(attr, None)

    def _by_type(self, attr: Attribute, effective: Attribute | None) -> _Step:
        """Storage and calculated attributes, and aliases that cannot be followed."""
        tc = type_class(attr.type)
        if tc == "object":
            return _Step("object", effective=effective)
        if tc != "unknown":
            return _Step("scalar", effective=effective)
        target, to_many = self._cat._dataclass_for_type(attr.type)
        if target is not None:
            return _Step("link", target, to_many, effective)
        # An unknown type word may be a scalar type newer than this module; do not guess.
        return _Step("unknown", effective=effective)

    def _opposite(self, owner: DataClass, relation: str) -> DataClass | None:
        """The dataclass holding the N→1 relation ``relation`` that leads to ``owner``."""
        found = [
            dc
            for dc in self._cat.dataclasses.values()
            if (a := dc.attribute(relation)) is not None
            and a.kind == RELATED_ENTITY
            and owner.name in (a.type, a.path)
        ]
        return found[0] if len(found) == 1 else None
