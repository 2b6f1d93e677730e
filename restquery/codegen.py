"""``restquery codegen``: a Python module of typed fields, one class per dataclass of a catalog,
for :mod:`restquery.build`. With it a misspelt attribute or a value of the wrong type is an error
of the type checker, before anything runs::

    from schema import Employee           # written by: restquery codegen --catalog catalog.json -o schema.py
    Q(Employee).filter(Employee.salary > 20000)        # fine
    Q(Employee).filter(Employee.salry > 1)             # mypy: "EmployeeFields" has no attribute "salry"
    Q(Employee).filter(Employee.salary > "x")          # mypy: unsupported operand types

Each dataclass ``D`` becomes a class ``DFields`` (a :class:`restquery.build.Fields`) whose
properties are its attributes: a scalar one is a ``Field`` of its Python type, a relation leads
to the fields of the dataclass it reaches (``Employee.employer.name``), and the module-level
``D = DFields()`` is what ``Q(D)`` takes. The module is deterministic (the catalog's order,
nothing of the moment it was written) and clean under ``mypy --strict``. Attributes whose
names are not Python identifiers are listed in a comment and left out; a name that is a
Python keyword gets a trailing ``_`` (``from_``).
"""

from __future__ import annotations

import argparse
import keyword
import sys
from typing import Any

__all__ = ["HELP", "PYTHON_TYPES", "configure", "generate", "python_type", "run"]

HELP = "write a Python module of typed fields per dataclass, for restquery.build"

#: catalog type class (:func:`restquery.catalog.type_class`) -> the Python type its values are
#: compared with; ``number`` and ``float`` are floats, the other numeric types whole numbers.
PYTHON_TYPES = {
    "string": "str",
    "uuid": "str",
    "boolean": "bool",
    "date": "datetime.date",
}
_FLOATS = frozenset({"number", "float"})


def python_type(type_name: str | None) -> str:
    """The Python type (as written in an annotation) that values of a catalog ``type`` are
    compared with: ``"int"``, ``"float"``, ``"str"``, ``"bool"``, ``"datetime.date"``, or
    ``"object"`` for what a filter does not compare (BLOBs, pictures, objects)."""
    from restquery.catalog import type_class

    cls = type_class(type_name)
    if cls == "numeric":
        return "float" if (type_name or "").lower() in _FLOATS else "int"
    return PYTHON_TYPES.get(cls, "object")


def _identifier(name: str) -> str | None:
    if not name.isidentifier() or name.startswith("_"):
        return None
    return name + "_" if keyword.iskeyword(name) else name


def generate(catalog: Any, source: str = "the catalog") -> str:
    """The module's text for ``catalog`` (``source`` names it in the module's docstring)."""
    classes = {}
    for dc in catalog.dataclasses.values():
        ident = _identifier(dc.name)
        if ident is not None and ident not in ("Field", "Fields", "datetime"):
            classes[dc.name] = ident
    out: list[str] = []
    for dc in catalog.dataclasses.values():
        ident = classes.get(dc.name)
        if ident is None:
            continue
        out.append(f"\n\nclass {ident}Fields(Fields):\n")
        out.append(f'    """The attributes of `{dc.name}`."""\n\n')
        out.append(f"    __restquery_dataclass__ = {dc.name!r}\n")
        skipped = []
        for attr in dc.attributes.values():
            name = _identifier(attr.name)
            if name is None or name in ("path",):
                skipped.append(attr.name)
                continue
            target = catalog.relation_target(dc, attr)
            if attr.is_relation or (target is not None and attr.kind == "alias"):
                if target is None or target.name not in classes:
                    skipped.append(attr.name)
                    continue
                cls = classes[target.name] + "Fields"
                out.append(
                    f"\n    @property\n    def {name}(self) -> {cls}:\n"
                    f"        return {cls}((*self._prefix, {attr.name!r}))\n"
                )
                continue
            py = python_type(attr.type)
            out.append(
                f"\n    @property\n    def {name}(self) -> Field[{py}]:\n"
                f"        return self._field({attr.name!r})\n"
            )
        if skipped:
            out.append(f"\n    # not written (not Python names, or leading nowhere): {', '.join(skipped)}\n")
    out.append("\n\n")
    for ident in classes.values():
        out.append(f"{ident} = {ident}Fields()\n")
    body = "".join(out)
    head = [
        f'"""Typed fields of the dataclasses of {source}, for restquery.build.\n\n'
        'Written by `restquery codegen`; do not edit: write it again when the catalog changes.\n"""\n\n',
        "from __future__ import annotations\n\n",
        "import datetime\n\n" if "datetime.date" in body else "",
        "from restquery.build import Field, Fields\n\n",
        f"__all__ = [{', '.join(repr(n) for n in sorted(classes.values()))}]\n",
    ]
    return "".join(head) + body


def configure(p: argparse.ArgumentParser) -> None:
    from restquery.cli import PROJECT_HELP

    schema = p.add_mutually_exclusive_group(required=True)
    schema.add_argument("--catalog", metavar="FILE", help="a $catalog/$all JSON export")
    schema.add_argument("--project", metavar="DIR", help=PROJECT_HELP)
    p.add_argument("-o", "--output", metavar="FILE", help="write the module to FILE, not standard output")


def run(args: argparse.Namespace) -> int:
    from restquery.catalog import Catalog
    from restquery.errors import CatalogError

    try:
        catalog = Catalog.from_json(args.catalog) if args.catalog else Catalog.from_project(args.project)
    except CatalogError as err:
        print(f"restquery: error: {' '.join(str(err).split())}", file=sys.stderr)
        return 2
    source = f"`{args.catalog or args.project}`"
    text = generate(catalog, source.replace("\\", "/"))
    if args.output:
        try:
            with open(args.output, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
        except OSError as err:
            print(f"restquery: error: cannot write {args.output}: {err.strerror or err}", file=sys.stderr)
            return 2
    else:
        sys.stdout.write(text)
    return 0
