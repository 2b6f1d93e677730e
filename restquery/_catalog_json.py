"""Reading a ``$catalog`` document into a :class:`~restquery.catalog.Catalog`, checking each
field it uses: the loading half of :meth:`restquery.catalog.Catalog.from_json`."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any

from restquery.syntax.values import MAX_NUMBER_DIGITS, LongNumber, int_too_long, json_int
from restquery._names import Names as _Names
from restquery.catalog import (
    _APPLY_TO,
    ATTRIBUTE_KINDS,
    Attribute,
    Catalog,
    DataClass,
    Function,
    Singleton,
)
from restquery.errors import CatalogError

__all__ = ["Loader", "decode_text", "error", "load", "parse_json"]

_DEFAULT_SOURCE = "<catalog>"


def load(obj_or_path: Any, source: str | None) -> Catalog:
    """The catalog of ``obj_or_path``: parsed JSON, JSON text, UTF-8 bytes or a path."""
    doc: Any
    if isinstance(
        obj_or_path, (Mapping, list, tuple)
    ):  # parsed JSON (an array is refused below)
        doc = obj_or_path
        label = source or _DEFAULT_SOURCE
    elif isinstance(obj_or_path, (bytes, bytearray, memoryview)):
        label = source or _DEFAULT_SOURCE
        doc = parse_json(decode_text(bytes(obj_or_path), label), label)
    elif isinstance(obj_or_path, str) and obj_or_path.lstrip()[:1] in ("{", "["):
        label = source or _DEFAULT_SOURCE
        doc = parse_json(obj_or_path, label)
    elif isinstance(obj_or_path, (str, os.PathLike)):
        path = os.fspath(obj_or_path)
        label = source or str(path)
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except (OSError, ValueError) as err:  # ValueError: NUL in the path
            reason = getattr(err, "strerror", None) or str(err)
            raise error(label, None, f"cannot read the file: {reason}") from None
        doc = parse_json(decode_text(data, label), label)
    else:
        raise error(
            source or _DEFAULT_SOURCE,
            None,
            "expected a JSON object, JSON text, bytes or a file path, "
            f"got {type(obj_or_path).__name__}",
        )
    return Loader(label).catalog(doc)


def error(source: str, pointer: str | None, message: str) -> CatalogError:
    """A CatalogError whose ``source``, ``pointer`` (``/`` for the whole document, ``None`` when
    the text is not a JSON document at all) and ``reason`` attributes repeat its message parts."""
    if pointer is not None:
        pointer = pointer or "/"
    text = f"{source}: {pointer}: {message}" if pointer is not None else f"{source}: {message}"
    return CatalogError(text, source=source, pointer=pointer, reason=message)


def decode_text(data: bytes, label: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise error(label, None, f"not UTF-8 text (byte {err.start})") from None


def parse_json(text: str, label: str) -> Any:
    try:
        # The URL's digit limit: past a few thousand digits int() fails with a bare ValueError.
        return json.loads(text, parse_int=json_int)
    except LongNumber as err:
        raise error(
            label,
            None,
            f"not JSON this module accepts: a number is {err.digits} digits long, over the limit"
            f" of {MAX_NUMBER_DIGITS} digits",
        ) from None
    except json.JSONDecodeError as err:
        raise error(
            label, None, f"not JSON: {err.msg} (line {err.lineno}, column {err.colno})"
        ) from None
    except RecursionError:
        raise error(label, None, "not JSON this module accepts: nested too deeply") from None
    except ValueError as err:  # e.g. an integer with too many digits
        raise error(label, None, f"not JSON: {err}") from None


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, Mapping):
        return "object"
    if isinstance(value, (list, tuple)):
        return "array"
    return type(value).__name__


def _show(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and int_too_long(value):
        return f"an integer of more than {MAX_NUMBER_DIGITS} digits"
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        try:
            text = repr(value)
        except ValueError:  # a container holding an integer too long to print
            text = f"a {type(value).__name__}"
    return text if len(text) <= 60 else text[:57] + "..."


def _key(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


class Loader:
    """Turns a parsed document into a :class:`Catalog`, checking each field it uses."""

    __slots__ = ("source",)

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, pointer: str, message: str) -> CatalogError:
        return error(self.source, pointer, message)

    # field readers: absent or null means "not given"

    def opt_str(self, obj: Mapping[str, Any], key: str, ptr: str) -> str | None:
        value = obj.get(key)
        if value is None or isinstance(value, str):
            return value
        raise self.fail(f"{ptr}/{_key(key)}", f'"{key}" must be a string, got {_json_type(value)}')

    def opt_bool(self, obj: Mapping[str, Any], key: str, ptr: str, default: bool) -> bool:
        value = obj.get(key)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        raise self.fail(f"{ptr}/{_key(key)}", f'"{key}" must be a boolean, got {_json_type(value)}')

    def opt_int(self, obj: Mapping[str, Any], key: str, ptr: str) -> int | None:
        value = obj.get(key)
        if value is None:
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, int) and not isinstance(value, bool) and not int_too_long(value):
            return value
        shown = _show(value) if isinstance(value, (int, float)) else _json_type(value)
        raise self.fail(f"{ptr}/{_key(key)}", f'"{key}" must be an integer, got {shown}')

    def opt_array(self, obj: Mapping[str, Any], key: str, ptr: str) -> list[Any] | None:
        value = obj.get(key)
        if value is None:
            return None
        if isinstance(value, (list, tuple)):
            return list(value)
        raise self.fail(f"{ptr}/{_key(key)}", f'"{key}" must be an array, got {_json_type(value)}')

    def object(self, value: Any, ptr: str, what: str) -> Mapping[str, Any]:
        if isinstance(value, Mapping):
            return value
        raise self.fail(ptr, f"{what} must be an object, got {_json_type(value)}")

    def name(self, obj: Mapping[str, Any], ptr: str, what: str) -> str:
        if "name" not in obj or obj["name"] is None:
            raise self.fail(ptr, f'{what} has no "name"')
        value = obj["name"]
        if not isinstance(value, str):
            raise self.fail(f"{ptr}/name", f'"name" must be a string, got {_json_type(value)}')
        if not value:
            raise self.fail(f"{ptr}/name", '"name" must not be empty')
        return value

    # document parts

    def catalog(self, doc: Any) -> Catalog:
        if not isinstance(doc, Mapping):
            raise self.fail("", f"the document must be a JSON object, got {_json_type(doc)}")
        if "dataClasses" in doc or "dataClass" in doc:
            key = "dataClasses" if "dataClasses" in doc else "dataClass"
            raw = doc[key]
            if isinstance(raw, Mapping) and key == "dataClass":
                raw = [raw]
            elif not isinstance(raw, (list, tuple)):
                raise self.fail(f"/{key}", f'"{key}" must be an array, got {_json_type(raw)}')
            entries = [(item, f"/{key}/{i}") for i, item in enumerate(raw)]
            functions = self.functions(doc, "", "methods")
            partial = False
        elif "attributes" in doc:  # a bare 4D /rest/$catalog/{dataClass} body
            entries = [(doc, "")]
            functions = ()
            partial = True
        else:
            raise self.fail(
                "",
                'no "dataClasses" array (expected a /rest/$catalog, /rest/$catalog/$all or '
                "/rest/$catalog/{dataClass} document)",
            )
        dataclasses: dict[str, DataClass] = {}
        where: dict[str, str] = {}
        for item, ptr in entries:
            dc = self.dataclass(item, ptr)
            if dc.name in dataclasses:
                raise self.fail(
                    f"{ptr}/name",
                    f'duplicate dataclass name "{dc.name}" (first at {where[dc.name]})',
                )
            dataclasses[dc.name] = dc
            where[dc.name] = ptr or "/"
        singletons: dict[str, Singleton] = {}
        seen: dict[str, str] = {}
        for i, item in enumerate(self.opt_array(doc, "singletons", "") or ()):
            ptr = f"/singletons/{i}"
            obj = self.object(item, ptr, "a singleton")
            name = self.name(obj, ptr, "singleton")
            if name in singletons:
                raise self.fail(
                    f"{ptr}/name", f'duplicate singleton name "{name}" (first at {seen[name]})'
                )
            singletons[name] = Singleton(name=name, functions=self.functions(obj, ptr, "methods"))
            seen[name] = ptr
        return Catalog(
            dataclasses=_Names(dataclasses.items()),
            functions=functions,
            singletons=_Names(singletons.items()),
            unique_id=self.opt_str(doc, "__UNIQID", ""),
            name=self.opt_str(doc, "__NAME", ""),
            partial=partial,
            source=self.source,
        )

    def dataclass(self, item: Any, ptr: str) -> DataClass:
        obj = self.object(item, ptr or "", "a dataclass")
        name = self.name(obj, ptr, "dataclass")
        raw_attrs = self.opt_array(obj, "attributes", ptr)
        attributes: dict[str, Attribute] = {}
        where: dict[str, str] = {}
        for i, raw in enumerate(raw_attrs or ()):
            aptr = f"{ptr}/attributes/{i}"
            attr = self.attribute(raw, aptr)
            if attr.name in attributes:
                raise self.fail(
                    f"{aptr}/name",
                    f'duplicate attribute name "{attr.name}" in dataclass "{name}" '
                    f"(first at {where[attr.name]})",
                )
            attributes[attr.name] = attr
            where[attr.name] = aptr
        key: list[str] = []
        for i, entry in enumerate(self.opt_array(obj, "key", ptr) or ()):
            kptr = f"{ptr}/key/{i}"
            if isinstance(entry, str):  # tolerated: ["ID"] instead of [{"name": "ID"}]
                kname, kname_ptr = entry, kptr
            else:
                kname = self.name(self.object(entry, kptr, "a key entry"), kptr, "key entry")
                kname_ptr = f"{kptr}/name"
            if raw_attrs is not None and kname not in attributes:
                raise self.fail(
                    kname_ptr, f'key attribute "{kname}" is not an attribute of dataclass "{name}"'
                )
            key.append(kname)
        return DataClass(
            name=name,
            class_name=self.opt_str(obj, "className", ptr),
            collection_name=self.opt_str(obj, "collectionName", ptr),
            data_uri=self.opt_str(obj, "dataURI", ptr),
            default_top_size=self.opt_int(obj, "defaultTopSize", ptr),
            attributes=_Names(attributes.items()),
            key=tuple(key),
            functions=self.functions(obj, ptr, "methods"),
            attributes_known=raw_attrs is not None,
            exposed=self.opt_bool(obj, "exposed", ptr, True),
            scope=self.opt_str(obj, "scope", ptr),
        )

    def attribute(self, item: Any, ptr: str) -> Attribute:
        obj = self.object(item, ptr, "an attribute")
        name = self.name(obj, ptr, "attribute")
        kind = obj.get("kind")
        if kind is None:
            raise self.fail(ptr, f'attribute "{name}" has no "kind"')
        if not isinstance(kind, str):
            raise self.fail(f"{ptr}/kind", f'"kind" must be a string, got {_json_type(kind)}')
        if kind not in ATTRIBUTE_KINDS:
            raise self.fail(
                f"{ptr}/kind",
                f'"kind" must be one of {", ".join(ATTRIBUTE_KINDS)}, got {_show(kind)}',
            )
        return Attribute(
            name=name,
            kind=kind,
            type=self.opt_str(obj, "type", ptr),
            path=self.opt_str(obj, "path", ptr),
            reverse_path=self.opt_bool(obj, "reversePath", ptr, False),
            read_only=self.opt_bool(obj, "readOnly", ptr, False),
            indexed=self.opt_bool(obj, "indexed", ptr, False),
            identifying=self.opt_bool(obj, "identifying", ptr, False),
            unique=self.opt_bool(obj, "unique", ptr, False),
            exposed=self.opt_bool(obj, "exposed", ptr, True),
            scope=self.opt_str(obj, "scope", ptr),
        )

    def functions(self, obj: Mapping[str, Any], ptr: str, key: str) -> tuple[Function, ...]:
        out: list[Function] = []
        where: dict[tuple[str, str | None], str] = {}
        for i, item in enumerate(self.opt_array(obj, key, ptr) or ()):
            fptr = f"{ptr}/{key}/{i}"
            fobj = self.object(item, fptr, "a function")
            name = self.name(fobj, fptr, "function")
            apply_to = self.opt_str(fobj, "applyTo", fptr)
            if apply_to is not None:
                apply_to = _APPLY_TO.get(apply_to.lower(), apply_to)
            if (name, apply_to) in where:
                raise self.fail(
                    f"{fptr}/name",
                    f'duplicate function "{name}" (first at {where[name, apply_to]})',
                )
            where[name, apply_to] = fptr
            out.append(
                Function(
                    name=name,
                    apply_to=apply_to,
                    allowed_on_http_get=self.opt_bool(fobj, "allowedOnHTTPGET", fptr, False),
                    exposed=self.opt_bool(fobj, "exposed", fptr, True),
                    scope=self.opt_str(fobj, "scope", fptr),
                )
            )
        return tuple(out)
