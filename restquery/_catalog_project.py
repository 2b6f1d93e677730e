"""Reading a 4D project's own sources into a :class:`~restquery.catalog.Catalog`: the loading
half of :meth:`restquery.catalog.Catalog.from_project`, with no network and no 4D.

Three kinds of file make the schema (``docs/catalog.md`` says what each part becomes, and from
which documentation):

* ``Project/Sources/catalog.4DCatalog``, the structure (XML): tables, fields and their types,
  primary keys, relations, what is hidden from REST;
* ``Project/Sources/Classes/*.4dm``, the ORDA classes: functions, computed attributes and
  aliases, exposed or not, and the shared and session singletons;
* ``Project/Sources/roles.json``, kept as it is on the catalog (``Catalog.roles``).

A file that cannot be read as the format says gives a :class:`~restquery.errors.CatalogError`
naming the file and the line (``catalog.4DCatalog:12: ...``).
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
from collections.abc import Iterator, Mapping
from typing import Any
from xml.parsers import expat

from restquery._names import Names as _Names
from restquery.catalog import (
    ALIAS,
    APPLY_TO_DATACLASS,
    APPLY_TO_DATASTORE,
    APPLY_TO_ENTITY,
    APPLY_TO_ENTITY_SELECTION,
    CALCULATED,
    RELATED_ENTITIES,
    RELATED_ENTITY,
    STORAGE,
    Attribute,
    Catalog,
    DataClass,
    Function,
    Singleton,
)
from restquery.errors import CatalogError

__all__ = ["FIELD_TYPES", "RETURN_TYPES", "load_project"]

#: The ``type`` codes of a ``<field>`` in ``catalog.4DCatalog`` and the type name ``$catalog``
#: reports for each (spec §9.2). The codes are the value kinds of 4D's database engine
#: (``VValueKind``: 1 VK_BOOLEAN, 3 VK_WORD, 4 VK_LONG, 5 VK_LONG8, 6 VK_REAL, 7 VK_FLOAT,
#: 8 VK_TIME, 9 VK_DURATION, 10 VK_STRING, 12 VK_IMAGE, 13 VK_UUID, 14 VK_TEXT,
#: 18 VK_BLOB_DB4D, 19 VK_STRING_UTF8, 20 VK_TEXT_UTF8, 21 VK_BLOB_OBJ), and the names are
#: the engine's names for those kinds (``bool``, ``word``, ... ``blob`` for VK_BLOB_DB4D).
#: Text (14, 19, 20) is reported as ``string``, as 4D's ``$catalog`` does for every text
#: field; an alpha field with ``store_as_UUID`` is a ``uuid``.
FIELD_TYPES: Mapping[str, str] = {
    "1": "bool",
    "3": "word",
    "4": "long",
    "5": "long64",
    "6": "number",
    "7": "float",
    "8": "date",
    "9": "duration",
    "10": "string",
    "12": "image",
    "13": "uuid",
    "14": "string",
    "18": "blob",
    "19": "string",
    "20": "string",
    "21": "object",
}

#: The declared return type of a computed attribute's getter (``Function get fullName() :
#: Text``) and the type name ``$catalog`` reports for it. A class of the project (``cs.X``)
#: names a dataclass or an entity selection class, found when the catalog is built.
RETURN_TYPES: Mapping[str, str] = {
    "text": "string",
    "string": "string",
    "integer": "long",
    "longint": "long",
    "real": "number",
    "number": "number",
    "boolean": "bool",
    "date": "date",
    "time": "duration",
    "picture": "image",
    "blob": "blob",
    "4d.blob": "blob",
    "object": "object",
    "collection": "object",
    "4d.vector": "object",
}

#: The class a file extends, and what its functions apply to (``applyTo``).
_EXTENDS = {
    "dataclass": APPLY_TO_DATACLASS,
    "entity": APPLY_TO_ENTITY,
    "entityselection": APPLY_TO_ENTITY_SELECTION,
    "datastoreimplementation": APPLY_TO_DATASTORE,
}
#: The class name suffix of each kind of ORDA class (``EmployeeEntity``, ``EmployeeSelection``).
_SUFFIX = {APPLY_TO_ENTITY: "Entity", APPLY_TO_ENTITY_SELECTION: "Selection"}

_TRUE = "true"
_PUBLIC = "public"


def _fail(source: str, line: int | None, reason: str) -> CatalogError:
    where = f"{source}:{line}" if line is not None else source
    err = CatalogError(f"{where}: {reason}", source=source, reason=reason)
    err.line = line  # type: ignore[attr-defined]
    return err


# ---------------------------------------------------------------------------------------------
# Finding the files


def _sources(path: str | os.PathLike[str]) -> str:
    """``Project/Sources`` of the project at ``path`` (the folder holding ``Project/``, or
    ``Project/`` itself)."""
    root = os.fspath(path)
    for candidate in (os.path.join(root, "Project", "Sources"), os.path.join(root, "Sources")):
        if os.path.isfile(os.path.join(candidate, "catalog.4DCatalog")):
            return candidate
    if not os.path.isdir(root):
        raise _fail(root, None, "not a folder (expected a 4D project: the folder holding Project/)")
    raise _fail(
        root,
        None,
        "not a 4D project folder: expected Project/Sources/catalog.4DCatalog under it (or"
        " Sources/catalog.4DCatalog in the Project folder itself)",
    )


def _read(path: str) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError as err:
        raise _fail(path, None, f"cannot read the file: {err.strerror or err}") from None


# ---------------------------------------------------------------------------------------------
# catalog.4DCatalog


class _El:
    """One XML element with the line it starts on."""

    __slots__ = ("attrs", "children", "line", "tag")

    def __init__(self, tag: str, attrs: dict[str, str], line: int) -> None:
        self.tag = tag
        self.attrs = attrs
        self.line = line
        self.children: list[_El] = []

    def all(self, tag: str) -> Iterator[_El]:
        return (c for c in self.children if c.tag == tag)

    def first(self, tag: str) -> _El | None:
        return next(self.all(tag), None)

    def flag(self, name: str) -> bool:
        return self.attrs.get(name, "").lower() == _TRUE


def _xml(data: bytes, source: str) -> _El:
    """The document element of ``data``. Entity declarations are refused (no entity
    expansion, however nested) and no external DTD is fetched."""
    parser = expat.ParserCreate()
    stack: list[_El] = []
    root: list[_El] = []

    def start(tag: str, attrs: dict[str, str]) -> None:
        el = _El(tag, attrs, parser.CurrentLineNumber)
        (stack[-1].children if stack else root).append(el)
        stack.append(el)

    def end(tag: str) -> None:
        stack.pop()

    def entity(name: str, *args: Any) -> None:
        raise _fail(source, parser.CurrentLineNumber, f"declares the entity {name!r}: not accepted")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.EntityDeclHandler = entity
    try:
        parser.Parse(data, True)
    except expat.ExpatError as err:
        reason = expat.ErrorString(err.code)
        raise _fail(
            source, err.lineno, f"not well-formed XML: {reason} (column {err.offset + 1})"
        ) from None
    if not root or root[0].tag != "base":
        found = f"<{root[0].tag}>" if root else "nothing"
        raise _fail(source, root[0].line if root else None, f"expected a <base> element, found {found}")
    return root[0]


def _name(el: _El, source: str, what: str) -> str:
    name = el.attrs.get("name")
    if not name:
        raise _fail(source, el.line, f"<{el.tag}> has no name attribute: expected the {what}'s name")
    return name


class _Table:
    """A table of the structure as ORDA maps it: its fields as attributes, its key."""

    __slots__ = ("attributes", "exposed", "key", "line", "name", "number", "uuid")

    def __init__(self, name: str, line: int, uuid: str | None, number: int | None) -> None:
        self.name = name
        self.line = line
        self.uuid = uuid
        self.number = number
        self.attributes: dict[str, Attribute] = {}
        self.key: tuple[str, ...] = ()
        self.exposed = True


def _tables(base: _El, source: str) -> tuple[dict[str, _Table], dict[str, str]]:
    """The tables ORDA references (not trashed, one primary key), by name, and the field
    names by field UUID."""
    # Indexes name their fields by UUID and by table and field name.
    indexed: set[str | tuple[str, str]] = set()
    for index in base.all("index"):
        for ref in index.all("field_ref"):
            if ref.attrs.get("uuid"):
                indexed.add(ref.attrs["uuid"])
            table_ref = ref.first("table_ref")
            if table_ref is not None:
                indexed.add((table_ref.attrs.get("name", ""), ref.attrs.get("name", "")))
    tables: dict[str, _Table] = {}
    fields_by_uuid: dict[str, str] = {}
    for el in base.all("table"):
        name = _name(el, source, "table")
        extra = el.first("table_extra")
        if extra is not None and extra.flag("trashed"):
            continue  # in the trash: not part of the structure any more
        if name in tables:
            raise _fail(source, el.line, f'a second table named "{name}" (first on line {tables[name].line})')
        number = el.attrs.get("id")
        table = _Table(name, el.line, el.attrs.get("uuid"), int(number) if number and number.isdigit() else None)
        table.exposed = not el.flag("hide_in_REST")
        keys = [k.attrs.get("field_name") or "" for k in el.all("primary_key")]
        for field in el.all("field"):
            fname = _name(field, source, "field")
            code = field.attrs.get("type")
            if code is None:
                raise _fail(source, field.line, f'field "{name}.{fname}" has no type attribute')
            type_name = FIELD_TYPES.get(code)
            if type_name is None:
                raise _fail(
                    source,
                    field.line,
                    f'field "{name}.{fname}" has type="{code}", not a field type code this module'
                    f" knows (expected one of {', '.join(FIELD_TYPES)})",
                )
            if type_name == "string" and field.flag("store_as_UUID"):
                type_name = "uuid"
            if fname in table.attributes:
                raise _fail(source, field.line, f'a second field named "{fname}" in table "{name}"')
            uuid = field.attrs.get("uuid")
            if uuid:
                fields_by_uuid[uuid] = fname
            exposed = not field.flag("hide_in_REST")
            table.attributes[fname] = Attribute(
                name=fname,
                kind=STORAGE,
                type=type_name,
                indexed=(uuid is not None and uuid in indexed) or (name, fname) in indexed,
                identifying=keys == [fname],
                unique=field.flag("unique"),
                exposed=exposed,
                scope=_PUBLIC if exposed else None,
            )
        for k in keys:
            if k not in table.attributes:
                raise _fail(
                    source, el.line, f'the primary key of table "{name}" names "{k}", not one of its fields'
                )
        if len(keys) != 1:
            continue  # no primary key, or a composite one: ORDA does not reference the table
        table.key = (keys[0],)
        tables[name] = table
    return tables, fields_by_uuid


def _relations(base: _El, source: str, tables: dict[str, _Table]) -> None:
    """Add each relation to its two tables: the N→1 attribute (``name_Nto1``) on the source
    table, the 1→N attribute (``name_1toN``) on the destination table."""
    for el in base.all("relation"):
        ends: dict[str, str] = {}
        for rf in el.all("related_field"):
            kind = rf.attrs.get("kind")
            ref = rf.first("field_ref")
            table_ref = ref.first("table_ref") if ref is not None else None
            if kind not in ("source", "destination") or table_ref is None:
                raise _fail(
                    source,
                    rf.line,
                    '<related_field> needs kind="source" or kind="destination" and a'
                    " <field_ref> holding a <table_ref>",
                )
            ends[kind] = _name(table_ref, source, "table")
        if len(ends) != 2:
            raise _fail(source, el.line, "<relation> needs a source and a destination <related_field>")
        many, one = tables.get(ends["source"]), tables.get(ends["destination"])
        if many is None or one is None:
            continue  # a table ORDA does not reference: neither side is an attribute
        # A relation named like an attribute its table already has (often the foreign key
        # field itself: a field `product` and the relation `product`) is not mapped: the
        # field keeps the name (assumed; docs/catalog.md).
        n_to_1, one_to_n = el.attrs.get("name_Nto1"), el.attrs.get("name_1toN")
        if n_to_1 and n_to_1 not in many.attributes:
            many.attributes[n_to_1] = Attribute(
                name=n_to_1, kind=RELATED_ENTITY, type=one.name, path=one.name,
                exposed=one.exposed, scope=_PUBLIC if one.exposed else None,
            )
        if one_to_n and one_to_n not in one.attributes:
            one.attributes[one_to_n] = Attribute(
                name=one_to_n, kind=RELATED_ENTITIES, type=f"{many.name}Selection",
                path=n_to_1 or None, reverse_path=True, exposed=many.exposed,
                scope=_PUBLIC if many.exposed else None,
            )


def _add(table: _Table, attr: Attribute, source: str, line: int) -> None:
    if attr.name in table.attributes:
        kind = "computed attribute" if attr.kind == CALCULATED else "alias"
        raise _fail(
            source, line, f'the {kind} "{attr.name}" is already an attribute of "{table.name}"'
        )
    table.attributes[attr.name] = attr


# ---------------------------------------------------------------------------------------------
# ORDA classes (.4dm)

_EXTENDS_RE = re.compile(r"^\s*Class\s+extends\s+([\w.]+)", re.I | re.M)
_SINGLETON_RE = re.compile(r"^\s*(shared|session)\s+singleton\s+Class\s+constructor\b", re.I | re.M)
# `exposed onHTTPGet Function name(...)`, `Function get name(...) : Text`, `local Function ...`
_FUNCTION_RE = re.compile(
    r"^[ \t]*(?P<mods>(?:(?:exposed|local|onHTTPGet)[ \t]+)*)Function[ \t]+"
    r"(?:(?P<acc>get|set|query|orderBy)[ \t]+)?(?P<name>[A-Za-z_][\w]*)[ \t]*(?P<rest>.*)$",
    re.I | re.M,
)
_ALIAS_RE = re.compile(
    r"^[ \t]*(?P<mods>(?:exposed[ \t]+)?)Alias[ \t]+(?P<name>[A-Za-z_]\w*)[ \t]+(?P<path>[\w.]+)",
    re.I | re.M,
)
_RETURN_RE = re.compile(r"\)\s*(?:->\s*\$\w+\s*)?:\s*([\w.]+)")
_BLOCK_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_LINE_COMMENT = re.compile(r'("(?:[^"\\\n]|\\.)*")|//[^\n]*')


def _code(text: str) -> str:
    """The class text without its comments (a ``//`` inside a string stays), lines kept."""
    text = _BLOCK_COMMENT.sub(lambda m: "\n" * m.group().count("\n"), text)
    return _LINE_COMMENT.sub(lambda m: m.group(1) or "", text)


class _Class:
    """What one class file declares."""

    __slots__ = ("aliases", "computed", "extends", "functions", "name", "singleton", "source")

    def __init__(self, name: str, source: str) -> None:
        self.name = name
        self.source = source
        self.extends: str | None = None
        self.singleton = False
        self.functions: list[tuple[str, bool, bool, int]] = []  # name, exposed, onHTTPGet, line
        # name -> [type, exposed, has a getter, has a setter, line of the getter]
        self.computed: dict[str, list[Any]] = {}
        self.aliases: list[tuple[str, str, bool, int]] = []  # name, path, exposed, line


def _read_class(path: str) -> _Class:
    data = _read(path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise _fail(path, line, f"not UTF-8 text (byte {err.start})") from None
    code = _code(text.replace("\r\n", "\n").replace("\r", "\n"))
    cls = _Class(os.path.splitext(os.path.basename(path))[0], path)
    m = _EXTENDS_RE.search(code)
    if m is not None:
        cls.extends = m.group(1).rsplit(".", 1)[-1].lower()
    cls.singleton = _SINGLETON_RE.search(code) is not None

    def line_of(pos: int) -> int:
        return code.count("\n", 0, pos) + 1

    for m in _FUNCTION_RE.finditer(code):
        mods = m.group("mods").lower().split()
        exposed, on_get = "exposed" in mods, "onhttpget" in mods
        name, acc = m.group("name"), (m.group("acc") or "").lower()
        if acc in ("get", "set"):
            entry = cls.computed.setdefault(name, [None, False, False, False, 0])
            if acc == "get":
                ret = _RETURN_RE.search(m.group("rest"))
                entry[0] = _return_type(ret.group(1)) if ret else None
                entry[1], entry[2], entry[4] = exposed, True, line_of(m.start())
            else:
                entry[3] = True
        elif not acc:
            cls.functions.append((name, exposed, on_get, line_of(m.start())))
    for m in _ALIAS_RE.finditer(code):
        exposed = "exposed" in m.group("mods").lower()
        cls.aliases.append((m.group("name"), m.group("path"), exposed, line_of(m.start())))
    return cls


def _return_type(declared: str) -> str:
    low = declared.lower()
    if low.startswith("cs."):
        return declared[3:]  # a class of the project: resolved against the dataclasses
    return RETURN_TYPES.get(low, declared)


def _classes(sources: str) -> list[_Class]:
    folder = os.path.join(sources, "Classes")
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []
    return [_read_class(os.path.join(folder, n)) for n in names if n.lower().endswith(".4dm")]


def _function(name: str, exposed: bool, on_get: bool, apply_to: str | None) -> Function:
    return Function(
        name=name,
        apply_to=apply_to,
        allowed_on_http_get=on_get,
        exposed=exposed,
        scope=_PUBLIC if exposed else None,
    )


# ---------------------------------------------------------------------------------------------
# The catalog


def load_project(path: str | os.PathLike[str]) -> Catalog:
    """The catalog of the 4D project at ``path`` (see :meth:`Catalog.from_project`)."""
    sources = _sources(path)
    structure = os.path.join(sources, "catalog.4DCatalog")
    base = _xml(_read(structure), structure)
    tables, _ = _tables(base, structure)
    _relations(base, structure, tables)
    classes = _classes(sources)

    functions: dict[str, list[Function]] = {name: [] for name in tables}
    datastore: list[Function] = []
    singletons: dict[str, Singleton] = {}
    pending_computed: list[tuple[_Table, _Class]] = []
    for cls in classes:
        apply_to = _EXTENDS.get(cls.extends or "")
        if apply_to is None:
            if cls.singleton:
                singletons[cls.name] = Singleton(
                    name=cls.name,
                    functions=tuple(_function(n, e, g, None) for n, e, g, _ in cls.functions),
                )
            continue
        owner_name = cls.name
        suffix = _SUFFIX.get(apply_to)
        if suffix is not None:
            if not cls.name.endswith(suffix):
                continue
            owner_name = cls.name[: -len(suffix)]
        fns = [_function(n, e, g, apply_to) for n, e, g, _ in cls.functions]
        if apply_to == APPLY_TO_DATASTORE:
            datastore.extend(fns)
            continue
        table = tables.get(owner_name)
        if table is None:
            continue  # a class of no referenced table: ORDA ignores it
        functions[owner_name].extend(fns)
        if apply_to == APPLY_TO_ENTITY:
            pending_computed.append((table, cls))
    for table, cls in pending_computed:
        for name, (kind, exposed, getter, setter, line) in cls.computed.items():
            if not getter:
                continue  # a setter alone declares no attribute
            if kind and kind.endswith("Entity") and kind[: -len("Entity")] in tables:
                kind = kind[: -len("Entity")]  # cs.EmployeeEntity: an entity of Employee
            _add(table, Attribute(name=name, kind=CALCULATED, type=kind, read_only=not setter,
                                  exposed=exposed, scope=_PUBLIC if exposed else None),
                 cls.source, line)
        for name, target, exposed, line in cls.aliases:
            _add(table, Attribute(name=name, kind=ALIAS, path=target, read_only=True,
                                  exposed=exposed, scope=_PUBLIC if exposed else None),
                 cls.source, line)

    roles_path = os.path.join(sources, "roles.json")
    roles = _roles(roles_path) if os.path.exists(roles_path) else None
    parts = (base, tables, functions, datastore, singletons, roles, structure)
    return _typed(_build(*parts), *parts)


def _build(
    base: _El,
    tables: dict[str, _Table],
    functions: dict[str, list[Function]],
    datastore: list[Function],
    singletons: dict[str, Singleton],
    roles: Mapping[str, Any] | None,
    source: str,
) -> Catalog:
    dataclasses = {
        t.name: DataClass(
            name=t.name,
            class_name=t.name,
            collection_name=f"{t.name}Selection",
            data_uri=f"/rest/{t.name}",
            attributes=_Names(t.attributes.items()),
            key=t.key,
            functions=tuple(functions[t.name]),
            exposed=t.exposed,
            scope=_PUBLIC if t.exposed else None,
        )
        for t in tables.values()
    }
    return Catalog(
        dataclasses=_Names(dataclasses.items()),
        functions=tuple(datastore),
        singletons=_Names(singletons.items()),
        unique_id=base.attrs.get("uuid"),
        roles=roles,
        source=source,
    )


def _typed(catalog: Catalog, *parts: Any) -> Catalog:
    """The catalog with each alias typed as ``$catalog`` types it: the type of what its path
    reaches (a scalar type, the target dataclass, or its selection class)."""
    tables: dict[str, _Table] = parts[1]
    changed = False
    for table in tables.values():
        dc = catalog.dataclasses[table.name]
        for name, attr in list(table.attributes.items()):
            if attr.kind != ALIAS or attr.type is not None or not attr.path:
                continue
            res = catalog.resolve_path(dc, attr.path)
            if not res.ok or not res.checked:
                continue
            if res.target is not None:
                kind = res.target.collection_name if res.to_many else res.target.name
            elif res.in_object:
                kind = "object"
            else:
                kind = res.effective.type if res.effective is not None else None
            if kind:
                table.attributes[name] = dataclasses.replace(attr, type=kind)
                changed = True
    return _build(*parts) if changed else catalog


def _roles(path: str) -> Mapping[str, Any]:
    data = _read(path)
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as err:
        raise _fail(path, None, f"not UTF-8 text (byte {err.start})") from None
    except json.JSONDecodeError as err:
        raise _fail(path, err.lineno, f"not JSON: {err.msg} (column {err.colno})") from None
    except RecursionError:
        raise _fail(path, None, "not JSON this module accepts: nested too deeply") from None
    if not isinstance(doc, dict):
        raise _fail(path, 1, f"expected a JSON object (privileges, roles, permissions), got {type(doc).__name__}")
    return doc
