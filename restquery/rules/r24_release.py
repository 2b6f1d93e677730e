"""R24: ``$method=release`` frees one entity set, and is deprecated since 4D 21 R4 (spec §3.13,
§7.3, §11).

Documented: ``GET /rest/Employee/$entityset/4C51204DD8184B65AC7D79F09A077F24?$method=release``;
4D 21 R4 replaces it with ``POST /rest/Employee/$entityset/$release`` and the IDs in the body.
"""

from __future__ import annotations

from collections.abc import Iterator

from restquery.diagnostics import Diagnostic
from restquery.rules._base import Context, Rule, rule
from restquery.semantics.facts import method_value, path_kind


@rule(
    "RQ320",
    "release-target",
    "error",
    spec="R24",
    message="A `$method=release` request releases an entity set and needs a path ending with "
    "`$entityset/` and its ID, not {what}.",
    when=("$method",),
)
def release_target(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """``$method=release`` on a path other than ``{dataClass}/$entityset/{entitySetID}``.

    Why: the server removes the entity set named in the path from its cache (4D:$method); on
    any other path there is no entity set to release. Other resources are R42's business.

    Example: ``GET /rest/Employee?$method=release`` — error.
    ``GET /rest/Employee/$entityset/4C51204DD8184B65AC7D79F09A077F24?$method=release`` — valid
    (but see RQ321).

    Fix: address the entity set: ``/rest/{dataClass}/$entityset/{entitySetID}``.

    Spec: R24, §3.13.
    """
    shape = ctx.shape
    if method_value(ctx) != "release" or shape.resource != "dataclass" or shape.form is None:
        return
    if shape.form == "P9":
        return
    p = ctx.param("$method")
    assert p is not None
    yield rule.at(
        p.span,
        param="$method",
        hint=f"address the entity set: /rest/{shape.dataclass}/$entityset/{{entitySetID}}",
        what=path_kind(ctx),
    )


@rule(
    "RQ321",
    "release-deprecated",
    "warning",
    spec="R24",
    message="The `$method=release` request is deprecated since 4D 21 R4.",
    when=("$method",),
)
def release_deprecated(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """``$method=release``, deprecated since 4D 21 R4.

    Why: 4D 21 R4 deprecates ``$method=release`` in favour of ``POST
    /rest/{dataClass}/$entityset/$release`` with a JSON array of entity-set IDs in the body
    (4D:$method, 4D:$entityset, §11); older servers only know the deprecated form.

    Example: ``GET /rest/Employee/$entityset/4C51204DD8184B65AC7D79F09A077F24?$method=release``
    — warning. ``POST /rest/Employee/$entityset/$release`` — valid.

    Fix: send ``POST /rest/{dataClass}/$entityset/$release`` with the IDs in the body (on
    4D 21 R4 and later).

    Spec: R24, §3.13, §11.
    """
    if method_value(ctx) != "release" or ctx.shape.resource != "dataclass":
        return  # R42 reports `$method` on other resources
    p = ctx.param("$method")
    assert p is not None
    dataclass = ctx.shape.dataclass or "{dataClass}"
    yield rule.at(
        p.span,
        param="$method",
        hint=f"use POST /rest/{dataclass}/$entityset/$release with the IDs in the body",
    )


RULES = (release_target, release_deprecated)
