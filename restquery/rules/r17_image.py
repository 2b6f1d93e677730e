"""R17: ``$imageformat`` and ``$version`` read one entity's picture, named again by ``$expand``
(spec §3.7, §3.8, §7.3).

Documented: ``/rest/Employee(1)/photo?$imageformat=best&$version=1&$expand=photo`` and the
server-generated ``…/photo?$imageformat=best&$version=12&$expand=photo``.
"""

from __future__ import annotations

from collections.abc import Iterator

from restquery.ast import Integer, Param, PathList, RawValue, Word
from restquery.diagnostics import Diagnostic, Edit, Fix
from restquery.params import declared, names
from restquery.rules._base import Context, Rule, rule
from restquery.semantics.facts import value_span, value_text

_IMAGE_PARAMS = names(group="picture")

#: §3.7: the 4D table (GIF, PNG, JPEG, TIFF, best) and Qodly's extension and MIME spellings.
IMAGE_FORMATS = frozenset(v.lower() for v in declared("$imageformat").values)
_ALLOWED_TEXT = "best, GIF, PNG, JPEG, TIFF (or .png, image/png…)"


def _image_params(ctx: Context) -> list[Param]:
    return [p for p in ctx.iter_params() if p.canonical in _IMAGE_PARAMS]


def _picture_attribute(ctx: Context) -> str | None:
    """The attribute that ends a P8 path (one entity's attribute), dotted."""
    shape = ctx.shape
    if shape.form == "P8" and shape.tail is not None and shape.tail_kind != "function":
        return shape.tail.paths[0].dotted
    return None


@rule(
    "RQ305",
    "image-params-require-expand",
    "error",
    spec="R17",
    message="Picture parameters need a path ending with one entity's picture attribute, named "
    "again in `$expand`: {problem}.",
    when=_IMAGE_PARAMS,
)
def image_params_require_expand(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """``$imageformat`` or ``$version`` without ``$expand`` naming the picture ending the path.

    Why: both parameters apply to one entity's picture attribute (path form P8), and the server
    returns the whole picture only when ``$expand`` names that attribute (4D:$imageformat,
    4D:$version); every server-generated picture URI repeats it. Reported once per request;
    other resources than dataclasses are R42's business.

    Example: ``/rest/Employee(1)/photo?$imageformat=best`` — error (no ``$expand``).
    ``/rest/Employee?$imageformat=png&$expand=photo`` — error (not one entity's attribute).
    ``/rest/Employee(1)/photo?$imageformat=best&$version=1&$expand=photo`` — valid.

    Fix: address ``/rest/{dataClass}({key})/{pictureAttribute}`` and add
    ``&$expand={pictureAttribute}``.

    Spec: R17, §3.7, §3.8.
    """
    params = _image_params(ctx)
    if not params or ctx.shape.resource != "dataclass":
        return  # other resources are R42's business
    first = params[0]
    attribute = _picture_attribute(ctx)
    if attribute is None:
        yield rule.at(
            first.span,
            param=first.canonical,
            hint="address one entity's picture attribute, as in "
            "/rest/Employee(1)/photo?$imageformat=best&$expand=photo",
            problem="the path does not end with an entity's attribute",
        )
        return
    expand = ctx.param("$expand")
    if expand is None:
        yield rule.at(
            first.span,
            param=first.canonical,
            hint=f"add &$expand={attribute}",
            fix=ctx.append_param(f"$expand={attribute}", f"add $expand={attribute}"),
            problem="`$expand` is missing",
        )
        return
    value = expand.value
    if not isinstance(value, PathList) or attribute in (p.dotted for p in value.paths):
        return
    fix = None
    if not expand.quote:
        fix = Fix(
            edits=(
                Edit(offset=value.span[0], length=value.span[1] - value.span[0], text=attribute),
            ),
            description=f"expand {attribute}",
        )
    yield rule.at(
        value.span,
        param="$expand",
        hint=f"use $expand={attribute}",
        fix=fix,
        problem=f"`$expand` does not name `{attribute}`",
    )


@rule(
    "RQ306",
    "invalid-image-param-value",
    "error",
    spec="R17",
    message="The `{name}` parameter does not take {value}.",
    when=_IMAGE_PARAMS,
)
def invalid_image_param_value(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """``$imageformat`` outside the documented formats, or ``$version`` not a whole number.

    Why: ``$imageformat`` takes ``GIF``, ``PNG``, ``JPEG``, ``TIFF`` or ``best`` (4D), or the
    Qodly spellings ``.png`` / ``image/png`` and so on, in any case (§3.7, §12 item 14; the Mac
    OS type codes Qodly mentions are not listed anywhere and are not accepted here).
    ``$version`` is the picture version number the server sent (4D:$version). A missing or
    empty value is reported too.

    Example: ``/rest/Employee(1)/photo?$imageformat=jpg&$expand=photo`` — error.
    ``/rest/Employee(1)/photo?$version=latest&$expand=photo`` — error.
    ``/rest/Employee(1)/photo?$imageformat=.png&$version=3&$expand=photo`` — valid.

    Fix: use one of the listed formats; give ``$version`` the number from the picture's
    ``__deferred`` URI.

    Spec: R17, §3.7, §3.8.
    """
    for p in _image_params(ctx):
        value = p.value
        if p.canonical == "$imageformat":
            if isinstance(value, Word) and value.value.lower() in IMAGE_FORMATS:
                continue
            text = value_text(p)
            hint = f"use one of {_ALLOWED_TEXT}"
            close = ctx.did_you_mean(text, sorted(IMAGE_FORMATS)) if text else None
            if close:
                hint = f"{hint}; {close}"
        else:
            if isinstance(value, Integer) and value.value >= 0:
                continue
            text = (
                value.text
                if isinstance(value, RawValue)
                else (str(value.value) if isinstance(value, Integer) else "")
            )
            hint = "give the picture version number the server sent, such as $version=1"
        shown = f"`{text}`" if text else "an empty value"
        yield rule.at(value_span(p), param=p.canonical, hint=hint, value=shown, name=p.canonical)


@rule(
    "RQ307",
    "image-attribute-type",
    "error",
    spec="R17",
    message="Picture parameters apply to picture attributes; `{attribute}` is {what}.",
    needs_catalog=True,
    when=_IMAGE_PARAMS,
)
def image_attribute_type(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """With a catalog: ``$imageformat`` or ``$version`` on an attribute that is not a picture.

    Why: only ``image`` attributes have formats and versions (4D:$imageformat, 4D:$version).
    Stays silent when the catalog cannot tell (unknown attribute — R10's business —, unknown
    type, a property inside an object attribute).

    Example: ``/rest/Employee(1)/lastName?$imageformat=png&$expand=lastName`` — error
    (``lastName`` is a string). ``/rest/Employee(1)/photo?$imageformat=png&$expand=photo`` —
    valid.

    Fix: address a picture attribute, or remove ``$imageformat`` and ``$version``.

    Spec: R17 (type part [I]), §3.7.
    """
    dc = ctx.dataclass
    tail = ctx.shape.tail
    if dc is None or ctx.catalog is None or tail is None or not _image_params(ctx):
        return
    attribute = _picture_attribute(ctx)
    if attribute is None:
        return
    res = ctx.catalog.resolve_path(dc, tail.paths[0].names)
    if not res.ok or not res.checked or res.in_object or res.attribute is None:
        return
    eff = res.effective
    if res.target is not None or (eff is not None and eff.is_relation):
        what = "a relation"
    elif eff is None or eff.type_class == "unknown" or eff.is_picture:
        return
    else:
        what = f"of type `{eff.type}`"
    yield rule.at(
        tail.span,
        hint="address a picture attribute, or remove $imageformat and $version",
        attribute=attribute,
        what=what,
    )


RULES = (image_params_require_expand, invalid_image_param_value, image_attribute_type)
