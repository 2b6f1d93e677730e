"""R15: ``$binary=true`` reads a BLOB or picture as a document and needs ``$expand`` naming
that attribute (spec §3.6, §7.3; the ``$binary`` page is the seed of this project).

Valid, per the design decisions: ``GET /rest/Company(11)/blobAtt?$binary=true&$expand=blobAtt``,
``GET /rest/User(5)/profilePicture?$binary=true&$expand=profilePicture`` (a picture), and
``$binary`` on a collection combined with ``$filter`` and ``$orderby`` whose ``$expand`` names a
BLOB or picture attribute of that dataclass. ``$binary`` on ``POST /rest/$upload`` is R16.
"""

from __future__ import annotations

from collections.abc import Iterator

from restquery.ast import Boolean, PathList
from restquery.diagnostics import Diagnostic, Edit, Fix
from restquery.rules._base import Context, Rule, rule


def _binary_true(ctx: Context) -> bool:
    if ctx.shape.resource == "upload":
        return False
    p = ctx.param("$binary")
    return p is not None and isinstance(p.value, Boolean) and p.value.value


def _path_attribute(ctx: Context) -> str | None:
    """The attribute named by the last path segment when the path is P8 (one entity's
    attribute)."""
    shape = ctx.shape
    if shape.form == "P8" and shape.tail is not None and shape.tail_kind != "function":
        return shape.tail.paths[0].dotted
    return None


def _expanded(ctx: Context) -> list[str]:
    p = ctx.param("$expand")
    if p is None or not isinstance(p.value, PathList):
        return []
    return [path.dotted for path in p.value.paths]


@rule(
    "RQ301",
    "binary-requires-expand",
    "error",
    spec="R15",
    message="`$binary=true` needs `$expand` naming the BLOB or picture attribute to download.",
    when=("$binary",),
)
def binary_requires_expand(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """``$binary=true`` without ``$expand``.

    Why: the server saves the BLOB as a document only when ``$expand`` names the BLOB attribute
    ("you must also pass ``$expand={blobAttributeName}``", 4D:$binary).

    Example: ``/rest/Company(11)/blobAtt?$binary=true`` — error.
    ``/rest/Company(11)/blobAtt?$binary=true&$expand=blobAtt`` — valid.

    Fix: add ``&$expand=`` with the attribute that ends the path.

    Spec: R15, §3.6.
    """
    if not _binary_true(ctx) or ctx.param("$expand") is not None:
        return
    binary = ctx.param("$binary")
    assert binary is not None
    attribute = _path_attribute(ctx)
    if attribute is not None:
        hint = f"add &$expand={attribute}"
        fix = ctx.append_param(f"$expand={attribute}", f"add $expand={attribute}")
    else:
        hint = "add &$expand= naming the BLOB or picture attribute to download"
        fix = None
    yield rule.at(binary.span, param="$binary", hint=hint, fix=fix)


@rule(
    "RQ302",
    "binary-expand-mismatch",
    "error",
    spec="R15",
    message="`$expand` must name `{attribute}`, the attribute whose value `$binary` downloads.",
    when=("$binary",),
)
def binary_expand_mismatch(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """``$binary=true`` on an entity's attribute with ``$expand`` naming another attribute.

    Why: the server downloads the attribute that ends the path; ``$expand`` must name that same
    attribute (4D:$binary, and every server-generated URI repeats it).

    Example: ``/rest/Company(11)/blobAtt?$binary=true&$expand=logo`` — error.

    Fix: make ``$expand`` name the attribute that ends the path.

    Spec: R15, §3.5, §3.6.
    """
    if not _binary_true(ctx):
        return
    attribute = _path_attribute(ctx)
    expand = ctx.param("$expand")
    if attribute is None or expand is None or not isinstance(expand.value, PathList):
        return
    names = _expanded(ctx)
    if attribute in names:
        return
    value = expand.value
    fix = Fix(
        edits=(Edit(offset=value.span.start, length=value.span.end - value.span.start, text=attribute),),
        description=f"expand {attribute}",
    ) if ctx.url is not None and not expand.quote else None
    yield rule.at(
        value.span, param="$expand", hint=f"use $expand={attribute}", fix=fix, attribute=attribute
    )


@rule(
    "RQ303",
    "binary-attribute-type",
    "error",
    spec="R15",
    message="`$binary` downloads BLOB or picture attributes; `{attribute}` is of type `{type}`.",
    needs_catalog=True,
    when=("$binary",),
)
def binary_attribute_type(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """With a catalog: ``$binary=true`` on an attribute that is neither ``blob`` nor ``image``.

    Why: only BLOB (and, per the ``$binary`` page, picture) values can be saved as a document.

    Example: ``/rest/Company(11)/name?$binary=true&$expand=name`` — error (``name`` is a string).

    Fix: address a BLOB or picture attribute, or drop ``$binary``.

    Spec: R15 (type part [I]).
    """
    dc = ctx.dataclass
    if not _binary_true(ctx) or dc is None or ctx.catalog is None:
        return
    targets = []
    attribute = _path_attribute(ctx)
    if attribute is not None and ctx.shape.tail is not None:
        targets.append((attribute, ctx.shape.tail.span))
    else:
        expand = ctx.param("$expand")
        if expand is not None and isinstance(expand.value, PathList):
            targets.extend((p.dotted, p.span) for p in expand.value.paths)
    for name, span in targets:
        res = ctx.catalog.resolve_path(dc, name)
        attr = res.effective if res.ok and res.checked else None
        if attr is None or attr.type is None:
            continue  # unknown names are R10's business
        if attr.is_blob or attr.is_picture:
            continue
        yield rule.at(
            span,
            param="$binary",
            hint="address a BLOB or picture attribute, or remove $binary",
            attribute=name,
            type=attr.type,
        )


RULES = (binary_requires_expand, binary_expand_mismatch, binary_attribute_type)
