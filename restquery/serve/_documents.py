"""``$catalog`` documents written from a :class:`~restquery.Catalog` (spec §9), and the JSON
Schemas of 4D's response shapes (``restquery/serve/responses.schema.json``)."""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

__all__ = ["catalog_document", "dataclass_document", "response_schema"]


def _attribute(attr: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"name": attr.name, "kind": attr.kind, "scope": attr.scope or "public"}
    if attr.type:
        out["type"] = attr.type
    if attr.path:
        out["path"] = attr.path
    for flag, key in (("identifying", "identifying"), ("indexed", "indexed"), ("unique", "unique"),
                      ("read_only", "readOnly"), ("reverse_path", "reversePath")):
        if getattr(attr, flag):
            out[key] = True
    return out


def _function(fn: Any, apply_to: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"name": fn.name}
    if apply_to or fn.apply_to:
        out["applyTo"] = apply_to or fn.apply_to
    out.update({"scope": fn.scope or "public", "allowedOnHTTPGET": fn.allowed_on_http_get, "exposed": fn.exposed})
    return out


def dataclass_document(dc: Any) -> dict[str, Any]:
    """The ``$catalog/{dataClass}`` object of ``dc``."""
    return {
        "name": dc.name,
        "className": dc.class_name or dc.name,
        "collectionName": dc.collection_name or f"{dc.name}Selection",
        "scope": dc.scope or "public",
        "dataURI": dc.data_uri or f"/rest/{dc.name}",
        **({"defaultTopSize": dc.default_top_size} if dc.default_top_size else {}),
        "attributes": [_attribute(a) for a in dc.attributes.values() if a.exposed],
        "key": [{"name": k} for k in dc.key],
        "methods": [_function(f) for f in dc.functions if f.exposed],
    }


def catalog_document(catalog: Any, *, full: bool) -> dict[str, Any]:
    """``$catalog`` (``full=False``: names and URIs) or ``$catalog/$all``."""
    classes = [dc for dc in catalog.dataclasses.values() if dc.exposed]
    doc: dict[str, Any] = {"__UNIQID": catalog.unique_id or "00000000000000000000000000000000"}
    if full:
        doc["dataClasses"] = [dataclass_document(dc) for dc in classes]
    else:
        doc["dataClasses"] = [{"name": dc.name, "uri": f"/rest/$catalog/{dc.name}",
                               "dataURI": dc.data_uri or f"/rest/{dc.name}"} for dc in classes]
    if catalog.functions:
        doc["methods"] = [_function(f, "dataStore") for f in catalog.functions if f.exposed]
    if catalog.singletons:
        doc["singletons"] = [{"name": s.name, "methods": [_function(f) for f in s.functions if f.exposed]}
                             for s in catalog.singletons.values()]
    return doc


@functools.cache
def _schemas() -> dict[str, Any]:
    text = resources.files("restquery.serve").joinpath("responses.schema.json").read_text(encoding="utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


def response_schema(name: str) -> dict[str, Any]:
    """The JSON Schema of one of 4D's response shapes: ``error``, ``collection``, ``entity``,
    ``ok``, ``result``, ``info``, ``catalog``, ``catalogAll``, ``dataclass``, ``upload``. Each
    is a ``$ref`` into the one document, so that its ``$defs`` resolve."""
    doc = _schemas()
    if name not in doc["$defs"]:
        raise KeyError(name)
    return {**doc, "$ref": f"#/$defs/{name}"}
