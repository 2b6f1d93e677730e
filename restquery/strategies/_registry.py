"""Invalid requests: the registry of mutations and what they share."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from hypothesis import strategies as st

from restquery.ast import (
    BoolOp,
    Comparison,
    Expr,
    Filter,
    Param,
    Path,
    Request,
)
from restquery.printer import unparse

if TYPE_CHECKING:
    pass
from restquery.strategies._views import (
    _Schema,
    _names_seg,
    _param,
    _request,
    _safe_name,
)
from restquery.strategies._clean import (
    _clean_filters,
    _clean_json_params,
)
from restquery.strategies._valid import (
    _read_params,
)


# ---------------------------------------------------------------------------------------------
# Invalid requests: one targeted mutation of a valid one per code
# ---------------------------------------------------------------------------------------------


class InvalidURL(NamedTuple):
    """A URL, the code :func:`restquery.validate` must report for it, and the HTTP verb to
    validate (and send) it with (``None``: any, the finding does not depend on it).

    Unpacks as a triple: ``url, code, method = case``.
    """

    url: str
    code: str
    method: str | None


class _Mutation(NamedTuple):
    code: str
    what: str
    build: Callable[[_Schema], st.SearchStrategy[tuple[str, str | None]]]
    needs_catalog: bool = False
    opt_in: bool = False
    available: Callable[[_Schema], bool] = lambda s: True


_MUTATIONS: dict[str, _Mutation] = {}


def _mutation(
    code: str,
    what: str,
    *,
    needs_catalog: bool = False,
    opt_in: bool = False,
    available: Callable[[_Schema], bool] = lambda s: True,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        _MUTATIONS[code] = _Mutation(code, what, st.composite(fn), needs_catalog, opt_in, available)
        return fn

    return register


def _replace_params(req: Request, params_: list[Param] | tuple[Param, ...]) -> Request:
    return Request(path=req.path, params=tuple(params_), origin=req.origin, method=req.method)


def _drop(req: Request, *names_: str) -> Request:
    return _replace_params(req, [p for p in req.params if p.canonical not in names_])


def _add(req: Request, *params_: Param) -> Request:
    return _replace_params(req, list(req.params) + list(params_))


def _set_segments(req: Request, segments: Sequence[Any]) -> Request:
    path = Path(
        segments=tuple(segments), prefix=req.path.prefix, trailing_slash=req.path.trailing_slash
    )
    return Request(path=path, params=req.params, origin=req.origin, method=req.method)


def _get(req: Request, name: str) -> Param:
    p = req.param(name)
    assert p is not None, (name, req)
    return p


def _misspell(name: str, taken: Callable[[str], bool]) -> st.SearchStrategy[str]:
    """Typos of ``name`` (a letter doubled, dropped, swapped, changed) that ``taken`` rejects."""
    cands = set()
    for i in range(len(name)):
        cands.add(name[:i] + name[i] + name[i:])
        if len(name) > 1:
            cands.add(name[:i] + name[i + 1 :])
        if i + 1 < len(name):
            cands.add(name[:i] + name[i + 1] + name[i] + name[i + 2 :])
        cands.add(name[:i] + ("x" if name[i] != "x" else "y") + name[i + 1 :])
    good = sorted(c for c in cands if c and _safe_name(c) and not taken(c))
    good = good or [name + "Zz"]
    return st.sampled_from(good)


def _filter_text_url(req: Request, text_of_filter: Callable[[str], str]) -> str:
    """The URL of ``req`` whose last parameter is a ``"``-quoted ``$filter``, with its text
    (as printed, escapes included) replaced by ``text_of_filter(text)``: string-level
    mutations for syntax errors."""
    flt = req.params[-1]
    assert flt.canonical == "$filter" and flt.quote == '"' and not flt.trailing_slash
    url = unparse(req)
    head = unparse(_replace_params(req, req.params[:-1]))
    start = len(head) + 1 + len(flt.name) + 2  # after `&$filter="`
    assert url[start - 2 : start] == '="' and url.endswith('"'), url
    return url[:start] + text_of_filter(url[start:-1]) + '"'


@st.composite
def _filtered_read(draw: st.DrawFn, schema: _Schema, *, placeholders: bool = True) -> Request:
    """A valid collection read whose last parameter is ``$filter="..."``."""
    view = draw(schema.view(lambda v: v.filterable != ()))
    flt, count = draw(_clean_filters(view, placeholders=placeholders))
    out = [p for p in draw(_read_params(view, create=False, want_filter=False))]
    if count:
        out.append(_param("$params", draw(_clean_json_params(count)), "'"))
    out.append(_param("$filter", flt, '"'))
    return _request([_names_seg(view.name)], out)


def _first_comparison(expr: Expr) -> Comparison:
    while not isinstance(expr, Comparison):
        expr = expr.operands[0] if isinstance(expr, BoolOp) else expr.operand  # type: ignore[union-attr]
    return expr


def _replace_first_comparison(expr: Expr, new: Expr) -> Expr:
    if isinstance(expr, Comparison):
        return new
    if isinstance(expr, BoolOp):
        first = _replace_first_comparison(expr.operands[0], new)
        return BoolOp(op=expr.op, operands=(first,) + expr.operands[1:], parens=expr.parens)
    return expr


def _with_filter_expr(req: Request, expr: Expr) -> Request:
    return _replace_params(
        req,
        [
            Param(
                name=p.name, value=Filter(expr=expr), quote=p.quote, trailing_slash=p.trailing_slash
            )
            if p.canonical == "$filter"
            else p
            for p in req.params
        ],
    )
