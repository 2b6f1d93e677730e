"""R33: boolean flag parameters take ``true`` (``false`` is tolerated) (spec §3, §7.3).

``$lock`` is a flag with two meaningful values and belongs to R32.
"""

from __future__ import annotations

from collections.abc import Iterator

from restquery.ast import Boolean, Param
from restquery.diagnostics import Diagnostic, Edit, Fix
from restquery.params import names
from restquery.rules._base import Context, Rule, rule
from restquery.semantics.facts import reported_by_r42

#: Flags whose only documented value is ``true`` (the parameter table's ``flag``).
FLAGS = names(flag=True)


def _flag_params(ctx: Context) -> Iterator[tuple[str, Param]]:
    for p in ctx.iter_params():
        name = p.canonical
        if name is not None and name in FLAGS and not reported_by_r42(ctx, name):
            yield name, p


@rule(
    "RQ335",
    "flag-value",
    "error",
    spec="R33",
    message="The `{name}` flag takes the value `true`.",
    when=FLAGS,
)
def flag_value(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """A flag parameter written without a value or with a value other than ``true``/``false``.

    Why: ``$asArray``, ``$distinct``, ``$querypath``, ``$queryplan``, ``$clean``, ``$atomic``/
    ``$atOnce``, ``$rawPict`` and ``$binary`` are only documented as ``…=true``; ``1``,
    ``yes``, an empty value or a bare ``?$asArray`` are not part of the language and the
    server does not read them as "on".

    Example: ``/rest/Users/?$asArray`` — error. ``/rest/Users/?$asArray=1`` — error.
    ``/rest/Users/?$asArray=true`` — valid.

    Fix: write ``=true``.

    Spec: R33, §3.
    """
    for name, p in _flag_params(ctx):
        value = p.value
        if isinstance(value, Boolean):
            continue
        if value is None:
            fix = Fix(
                edits=(Edit(offset=p.span.end, length=0, text="=true"),),
                description=f"write {p.name}=true",
            )
            yield rule.at(p.span, param=name, hint=f"write {p.name}=true", fix=fix, name=name)
        else:
            span = value.span if value.span.end > value.span.start else p.span
            yield rule.at(span, param=name, hint=f"write {p.name}=true", name=name)


@rule(
    "RQ336",
    "flag-false",
    "warning",
    spec="R33",
    message="The `{name}` flag is written with `false`, which leaves it off.",
    when=FLAGS,
)
def flag_false(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """A flag parameter set to ``false``.

    Why: the docs only show these flags with ``true``; ``false`` is tolerated and means the
    same as leaving the parameter out, so it only adds noise (and may hide a mistake). On
    ``$upload``, ``$rawPict=false``/``$binary=false`` leave the upload without its kind, which
    R16 reports as an error.

    Example: ``/rest/Users/?$asArray=false`` — warning. ``/rest/Users`` — valid.

    Fix: remove the parameter.

    Spec: R33, §3.
    """
    upload = ctx.shape.resource == "upload"
    for name, p in _flag_params(ctx):
        value = p.value
        if upload and name in ("$rawPict", "$binary"):
            continue  # on `$upload` a false flag is R16's error (RQ304)
        if isinstance(value, Boolean) and not value.value:
            yield rule.at(
                value.span,
                param=name,
                hint=f"remove {p.name}=false",
                fix=ctx.remove_param(p, f"remove {p.name}"),
                name=name,
            )


RULES = (flag_value, flag_false)
