"""R36: ``$atomic``/``$atOnce`` runs the actions of a POST in one transaction (spec §3.20)."""

from __future__ import annotations

from collections.abc import Iterator

from restquery.ast import Boolean, Param, Word
from restquery.diagnostics import Diagnostic
from restquery.params import names
from restquery.rules._base import Context, Rule, rule
from restquery.semantics.facts import reported_by_r42

_ATOMIC = names(synonyms_of="$atomic")


def _atomic_params(ctx: Context) -> list[Param]:
    """``$atomic``/``$atOnce``/``$atonce`` parameters that are not explicitly ``false``."""
    out = []
    for p in ctx.iter_params():
        if p.canonical in _ATOMIC:
            if isinstance(p.value, Boolean) and not p.value.value:
                continue  # off: R33 says it is pointless
            if reported_by_r42(ctx, p.canonical):
                continue
            out.append(p)
    return out


@rule(
    "RQ339",
    "atomic-with-get",
    "error",
    spec="R36",
    message="The `{name}` parameter needs a POST request; a GET request has no actions to "
    "group in a transaction.",
    when=_ATOMIC,
)
def atomic_with_get(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """With the HTTP method known: ``$atomic``/``$atOnce`` on a ``GET`` request.

    Why: ``$atomic=true`` (or ``$atOnce=true``) makes the server run all the actions of the
    request in one transaction, cancelling all of them if one fails (4D:$atomic_$atonce);
    the actions are the entities a ``POST …?$method=update`` saves. A ``GET`` saves nothing.

    Example: ``GET /rest/Employee?$atomic=true`` — error.
    ``POST /rest/Employee?$method=update&$atomic=true`` — valid.

    Fix: send the request with POST and ``$method=update``, or remove the parameter.

    Spec: R36, §3.20.
    """
    if ctx.method != "GET":
        return
    for p in _atomic_params(ctx):
        yield rule.at(
            p.span,
            param=p.canonical,
            hint=f"send it with POST and $method=update, or remove {p.name}",
            name=p.name,
        )


@rule(
    "RQ340",
    "atomic-without-update",
    "warning",
    spec="R36",
    message="The `{name}` parameter is documented only with `$method=update`.",
    when=_ATOMIC,
)
def atomic_without_update(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """``$atomic``/``$atOnce`` on a request that is not a ``$method=update``.

    Why: 4D documents the transaction flag with ``POST …?$method=update&$atomic=true``
    (4D:$atomic_$atonce). Qodly also shows it alone (``POST /rest/Users?$atomic=true``) and with
    ``$method=delete`` or ``$method=insert`` (spec §12.1): Qodly-only forms, hence a warning.
    ``GET`` requests are RQ339's.

    Example: ``POST /rest/Users?$method=delete&$atomic=true`` — warning.
    ``POST /rest/Users?$method=update&$atomic=true`` — valid.

    Fix: use it with ``$method=update``, or check that your server honours it here.

    Spec: R36, §3.20, §12.1.
    """
    if ctx.method == "GET":
        return
    method = ctx.param("$method")
    if (
        method is not None
        and isinstance(method.value, Word)
        and (method.value.value.lower() == "update")
    ):
        return
    for p in _atomic_params(ctx):
        yield rule.at(
            p.span,
            param=p.canonical,
            hint=f"use {p.name} with $method=update",
            name=p.name,
        )


RULES = (atomic_with_get, atomic_without_update)
