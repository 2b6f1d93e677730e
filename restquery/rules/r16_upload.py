"""R16: ``POST /rest/$upload`` takes exactly one of ``$rawPict=true`` (an image) and
``$binary=true`` (any other file) (spec §3.6, §3.26, §7.3).

``$binary`` on a data read is R15's business; the values other than ``true``/``false`` and the
missing value are R33's (RQ335).
"""

from __future__ import annotations

from collections.abc import Iterator

from restquery.ast import Boolean, KeywordSegment, Span
from restquery.diagnostics import Diagnostic
from restquery.params import names
from restquery.rules._base import Context, Rule, on_path, rule

_FLAGS = names(resource="upload", flag=True)


def _upload_span(ctx: Context) -> Span:
    for seg in ctx.request.path.segments:
        if isinstance(seg, KeywordSegment) and seg.keyword == "$upload":
            return seg.span
    return ctx.request.path.span  # pragma: no cover - the shape says the path is $upload


@rule(
    "RQ304",
    "upload-flags",
    "error",
    spec="R16",
    message="An upload is sent with POST and exactly one of `$rawPict=true` or `$binary=true`: "
    "{problem}.",
    when=(on_path("$upload"),),
)
def upload_flags(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """``$upload`` without exactly one of ``$rawPict=true`` / ``$binary=true``, or not by POST.

    Why: ``$upload`` stores the request body and returns an ID; ``$rawPict=true`` says the body
    is a picture, ``$binary=true`` that it is any other file (4D:$upload). With neither, or
    both, the server cannot tell what it receives; the upload is a ``POST`` (checked only when
    the HTTP method is given). A flag set to ``false`` counts as absent.

    Example: ``POST /rest/$upload`` — error. ``POST /rest/$upload?$rawPict=true&$binary=true`` —
    error. ``GET /rest/$upload?$rawPict=true`` — error. ``POST /rest/$upload?$rawPict=true``
    and ``POST localhost:80/rest/$upload?$binary=true`` — valid.

    Fix: add ``?$rawPict=true`` for a picture or ``?$binary=true`` for another file, keep only
    one of them, and send the request with POST.

    Spec: R16, §3.6, §3.26.
    """
    if ctx.shape.resource != "upload":
        return
    present = [p for p in ctx.iter_params() if p.canonical in _FLAGS]
    on = [p for p in present if isinstance(p.value, Boolean) and p.value.value]
    for p in present:
        if isinstance(p.value, Boolean) and not p.value.value:
            yield rule.at(
                p.value.span,
                param=p.canonical,
                hint=f"set {p.canonical}=true",
                problem=f"`{p.canonical}` is false",
            )
    if not present:
        yield rule.at(
            _upload_span(ctx),
            hint="add ?$rawPict=true for a picture or ?$binary=true for another file",
            problem="neither is given",
        )
    elif on and any(p.canonical != on[0].canonical for p in on):
        second = next(p for p in on if p.canonical != on[0].canonical)
        yield rule.at(
            second.span,
            param=second.canonical,
            hint="keep only one: $rawPict for a picture, $binary for another file",
            problem="both are given",
        )
    if ctx.method is not None and ctx.method != "POST":
        yield rule.at(
            _upload_span(ctx),
            hint="send the request with POST",
            problem=f"the request uses {ctx.method}",
        )


RULES = (upload_flags,)
