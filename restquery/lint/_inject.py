"""Values spliced into a query language by code: the injection lints (RQ601–RQ603).

A hole (``${name}``, an f-string's ``{name}``, ``+ $name +``) inside the value of a parameter
that holds a small language of its own (``$filter``, ``$orderby``, ``$attributes``, ``$params``:
the value kinds ``filter``, ``sort``, ``attributes`` and ``json`` of :mod:`restquery.params`)
lets whatever the variable holds rewrite the request: a ``'`` ends the text, ``x' OR salary>0``
widens the filter, a ``"`` ends the parameter. 4D answers this with placeholders: ``:1`` in the
filter, the values in ``$params`` (spec §3.2, R38).

* RQ601 ``spliced-filter-value``: a comparison value of ``$filter`` comes from code. Fix (where
  the language makes it mechanical: JavaScript/TypeScript, Python f-strings and ``+``, 4D ``+``):
  the whole string expression rewritten with ``:N`` placeholders and a ``$params`` array built
  from the same expressions, encoded by the language's own functions.
* RQ602 ``spliced-params``: the JSON of ``$params`` is written around values from code (a value
  holding ``"`` breaks it). Fix: the array serialised by the language (``JSON.stringify``,
  ``json.dumps``, ``JSON Stringify``).
* RQ603 ``spliced-query-structure``: code writes names, operators or a whole ``$filter``,
  ``$orderby`` or ``$attributes``: no placeholder can stand for those, so no fix; the hint says
  to check the text against the names it may take.

A hole that fills a key (``Employee(${id})``), a whole path segment or the value of any other
parameter is not an injection: the grammar reads it as one token whatever it holds.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator, Sequence
from typing import Any

from restquery.ast import (
    BoolOp,
    Collection,
    Comparison,
    Not,
    Param,
    Request,
    Span,
    Template,
    Text,
)
from restquery.diagnostics import Diagnostic, Edit, Fix
from restquery.lint._text import HOLE, CodeOrigin, Hole
from restquery.lint._text import Text as TextOf
from restquery.params import value_kind
from restquery.rules._code_lints import CODE_LINTS

__all__ = ["SPLICED_KINDS", "Spliced", "spliced"]

#: The value kinds whose text is a language of its own (a hole in them can change structure).
SPLICED_KINDS = frozenset({"filter", "sort", "attributes", "json"})

def _diagnostic(code: str, message: str, span: Span, param: str, hint: str) -> Diagnostic:
    lint = CODE_LINTS[code]
    return Diagnostic(
        code=lint.code, name=lint.name, severity=lint.severity, message=message, span=span,
        param=param, hint=hint,
    )


@dataclasses.dataclass(frozen=True, slots=True)
class Spliced:
    """One injection finding: ``span`` indexes the checked URL (the placed one); ``fix``
    edits the file, or is ``None``."""

    diagnostic: Diagnostic
    fix: Fix | None = None


def _holes_in(ranges: Sequence[tuple[int, int]], span: Span) -> list[int]:
    return [n for n, (a, b) in enumerate(ranges) if span.start <= a and b <= span.end]


def _comparisons(node: Any) -> Iterator[Comparison]:
    if isinstance(node, Comparison):
        yield node
    elif isinstance(node, BoolOp):
        for operand in node.operands:
            yield from _comparisons(operand)
    elif isinstance(node, Not):
        yield from _comparisons(node.operand)


def _value_nodes(right: Any) -> list[Any]:
    return list(right.items) if isinstance(right, Collection) else [right]


def spliced(
    request: Request,
    placed: Any,
    text: TextOf,
    holes: Sequence[Hole],
    url_start: int,
    url_end: int,
) -> list[Spliced]:
    """The injection findings of ``request``, parsed from ``placed.url`` (the URL with its
    holes placed at ``placed.ranges``; ``placed.map_span`` maps a span of it to the
    occurrence's characters, ``text.chars[url_start:url_end]``, and to ``placed.display``).
    ``text.origin`` says which code wrote the text, for the fixes."""
    out: list[Spliced] = []
    ctx = _Where(placed, text.chars, holes, text.holes, text.origin, url_start, url_end)
    has_params = any(value_kind(p.name) == "json" for p in request.params)
    for p in request.params:
        kind = value_kind(p.name)
        found = _holes_in(placed.ranges, p.span)
        if kind not in SPLICED_KINDS or not found:
            continue
        if kind == "filter":
            out.extend(_filter(p, ctx, has_params))
        elif kind == "json":
            out.extend(_params(p, ctx))
        else:
            out.append(_structure(p, placed.ranges[found[0]], holes[found[0]], kind))
    return out


@dataclasses.dataclass(frozen=True, slots=True)
class _Where:
    placed: Any
    chars: str
    holes: Sequence[Hole]
    text_holes: dict[int, Hole]
    origin: CodeOrigin | None
    url_start: int
    url_end: int

    def chars_of(self, span: Span) -> tuple[int, int]:
        """Where ``span`` of the checked URL is in ``chars``."""
        cs, ce, _ds, _de = self.placed.map_span(span.start, span.end)
        return self.url_start + cs, self.url_start + ce

    def shown(self, span: Span) -> str:
        """``span`` of the checked URL as the code writes it (holes as written)."""
        _cs, _ce, ds, de = self.placed.map_span(span.start, span.end)
        return str(self.placed.display[ds:de])


def _structure(p: Param, at: tuple[int, int], hole: Hole, kind: str) -> Spliced:
    what = {"filter": "the filter", "sort": "the sort order", "attributes": "the attribute list"}
    message = (
        f"`{hole.display}` writes part of {what.get(kind, 'the value')} of {p.name}: whatever it"
        " holds becomes names and operators of the request."
    )
    hint = (
        "check it against the attribute names it may take (the catalog's) before it goes in the URL;"
        " values belong in $params with :N placeholders"
    )
    return Spliced(_diagnostic("RQ603", message, Span(*at), p.name, hint))


def _filter(p: Param, ctx: _Where, has_params: bool) -> list[Spliced]:
    ranges = ctx.placed.ranges
    inside = set(_holes_in(ranges, p.span))
    tokens: list[Any] = []
    for c in _comparisons(getattr(p.value, "expr", None)):
        for node in _value_nodes(c.right):
            found = _holes_in(ranges, node.span)
            if found and isinstance(node, (Text, Template)):
                tokens.append(node)
                inside -= set(found)
    out: list[Spliced] = []
    if tokens:
        first = tokens[0]
        more = f" (and {len(tokens) - 1} more)" if len(tokens) > 1 else ""
        message = (
            f"The {p.name} value `{ctx.shown(first.span)}` is spliced in by code{more}: a `'`,"
            " `\"` or `x' OR salary>0` in it changes the query."
        )
        hint = "write a :N placeholder in the filter and pass the value in $params"
        fix = None
        if not has_params and not inside and ctx.origin is not None:
            fix = _placeholder_fix(tokens, ctx, ctx.origin)
        out.append(Spliced(_diagnostic("RQ601", message, first.span, p.name, hint), fix))
    for n in sorted(inside):
        out.append(_structure(p, ranges[n], ctx.holes[n], "filter"))
    return out


def _params(p: Param, ctx: _Where) -> list[Spliced]:
    found = _holes_in(ctx.placed.ranges, p.span)
    span = p.value.span if p.value is not None else p.span
    a, b = ctx.chars_of(span)
    if ctx.chars[a:b].strip("'") == HOLE:
        return []  # the whole array comes serialised from code: the way to write it
    message = (
        f"The JSON of {p.name} is written around `{ctx.holes[found[0]].display}` by code: a"
        " value holding `\"` or `]` breaks the array or adds items to it."
    )
    hint = "serialise the array with the language's JSON encoder and encode it for the URL"
    fix = None
    if ctx.origin is not None and p.value is not None:
        a, b = ctx.chars_of(span)
        if p.quote and ctx.chars[a - 1 : a] == p.quote and ctx.chars[b : b + 1] == p.quote:
            a, b = a - 1, b + 1  # the quotes go with the JSON they held
        fix = _params_fix(a, b, ctx, ctx.origin)
    return [Spliced(_diagnostic("RQ602", message, span, p.name, hint), fix)]


# --- the rewrites ----------------------------------------------------------------------------

# A string expression as parts: ("lit", text) or ("code", expression).
_Parts = list[tuple[str, str]]


def _expression(hole: Hole, origin: CodeOrigin) -> str | None:
    """The expression a hole holds, or ``None`` when it is not one (``%s``, ``.format``
    fields, an f-string field with a conversion or a format)."""
    src = origin.source[hole.start : hole.end]
    if hole.kind == "operand":
        return src
    if hole.kind == "field":
        inner = src[2:-1] if src.startswith("${") else src[1:-1]
        if origin.lang == "python" and any(c in inner for c in "!:"):
            return None
        return inner.strip() or None
    return None


def _parts(
    chars: str, a: int, b: int, holes_at: dict[int, Hole], origin: CodeOrigin
) -> _Parts | None:
    parts: _Parts = []
    run: list[str] = []
    for i in range(a, b):
        c = chars[i]
        if c != HOLE:
            run.append(c)
            continue
        expr = _expression(holes_at[i], origin)
        if expr is None:
            return None
        if run:
            parts.append(("lit", "".join(run)))
            run = []
        parts.append(("code", expr))
    if run:
        parts.append(("lit", "".join(run)))
    return parts


class _Lang:
    """How one language writes a string expression made of literal text and code."""

    def __init__(self, origin: CodeOrigin) -> None:
        self.lang = origin.lang

    def string(self, parts: _Parts) -> str | None:
        if self.lang == "js":
            out = []
            for kind, text in parts:
                if kind == "code":
                    out.append("${" + text + "}")
                else:
                    out.append(text.replace("\\", "\\\\").replace("`", "\\`").replace("${", "\\${"))
            return "`" + "".join(out) + "`"
        if self.lang == "python":
            return _fstring(parts, '"')
        if self.lang == "4d":
            pieces = []
            for kind, text in parts:
                if kind == "code":
                    pieces.append(text)
                else:
                    pieces.append('"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"')
            return "+".join(pieces) if pieces else '""'
        return None

    def item(self, parts: _Parts) -> str | None:
        """One value of the ``$params`` array."""
        if len(parts) == 1 and parts[0][0] == "code":
            return parts[0][1]
        if self.lang == "python":
            return _fstring(parts, "'")  # f'...' inside f"...": legal before Python 3.12
        return self.string(parts)

    def encoded_json(self, items: Sequence[str]) -> tuple[str, str]:
        """Code for the URL-encoded JSON array of ``items``, and what the fix needs besides."""
        if self.lang == "js":
            return f"encodeURIComponent(JSON.stringify([{', '.join(items)}]))", ""
        if self.lang == "python":
            return (
                f"quote(json.dumps([{', '.join(items)}]))",
                " (it uses `json` and `urllib.parse.quote`: import them)",
            )
        return (
            f"JSON Stringify(New collection({'; '.join(items)}))",
            " (encode the `$params` value for the URL if the HTTP client does not)",
        )


def _fstring(parts: _Parts, quote: str) -> str | None:
    """A Python f-string of ``parts`` in ``quote``, or ``None`` when a part of code holds what
    an f-string's field cannot before Python 3.12 (quotes, backslashes, braces, line breaks)."""
    out = []
    for kind, text in parts:
        if kind == "code":
            if any(c in text for c in "\"'\\\n{}"):
                return None
            out.append("{" + text + "}")
        else:
            out.append(
                text.replace("\\", "\\\\").replace(quote, "\\" + quote).replace("\n", "\\n")
                .replace("{", "{{").replace("}", "}}")
            )
    return "f" + quote + "".join(out) + quote


def _placeholder_fix(tokens: Sequence[Any], ctx: _Where, origin: CodeOrigin) -> Fix | None:
    lang = _Lang(origin)
    chars = ctx.chars
    holes_at = ctx.text_holes
    items: list[str] = []
    cuts: list[tuple[int, int, str]] = []
    for n, node in enumerate(tokens, 1):
        a, b = ctx.chars_of(node.span)
        inner_a, inner_b = a, b
        if isinstance(node, Text) and node.quoted and b - a >= 2:
            inner_a, inner_b = a + 1, b - 1
        parts = _parts(chars, inner_a, inner_b, holes_at, origin)
        if parts is None:
            return None
        item = lang.item(parts)
        if item is None:
            return None
        items.append(item)
        cuts.append((a, b, f":{n}"))
    params, needs = lang.encoded_json(items)
    return _rewrite(
        chars, cuts, holes_at, origin, lang, appendix=("&$params=", params), at=ctx.url_end,
        description="pass the values in $params with :N placeholders" + needs,
    )


def _params_fix(a: int, b: int, ctx: _Where, origin: CodeOrigin) -> Fix | None:
    """The ``$params`` value ``chars[a:b]`` (``'[...]'`` or ``[...]``) rewritten as the
    serialised array, when each item is a JSON literal or a hole (quoted or not)."""
    lang = _Lang(origin)
    chars = ctx.chars
    holes_at = ctx.text_holes
    text = chars[a:b]
    q = 1 if text[:1] == "'" and text[-1:] == "'" else 0
    body = text[q : len(text) - q].strip()
    if not (body.startswith("[") and body.endswith("]")):
        return None
    offset = a + q + text[q:].find("[")
    items: list[str] = []
    decoder = json.JSONDecoder()
    i, end = 1, len(body) - 1
    while True:
        while i < end and body[i] in " \t\r\n":
            i += 1
        if i >= end:
            break
        c = body[i]
        if c == HOLE or (c == '"' and body[i + 1 : i + 3] == HOLE + '"'):
            k = i if c == HOLE else i + 1
            expr = _expression(holes_at[offset + k], origin)
            if expr is None:
                return None
            items.append(expr if c == HOLE else lang.item([("code", expr)]) or expr)
            i = k + (1 if c == HOLE else 2)
        else:
            if HOLE in body[i:end].split(",", 1)[0]:
                return None
            try:
                value, j = decoder.raw_decode(body, i)
            except ValueError:
                return None
            items.append(_literal(value, origin))
            i = j
        while i < end and body[i] in " \t\r\n":
            i += 1
        if i < end and body[i] == ",":
            i += 1
        elif i < end:
            return None
    params, needs = lang.encoded_json(items)
    return _rewrite(chars, [(a, b, "")], holes_at, origin, lang, appendix=("", params), at=a,
                    description="serialise the $params array" + needs)


def _literal(value: Any, origin: CodeOrigin) -> str:
    if origin.lang == "python":
        return repr(value)
    if origin.lang == "4d" and isinstance(value, bool):
        return "True" if value else "False"
    return json.dumps(value, ensure_ascii=False)


def _rewrite(
    chars: str,
    cuts: Sequence[tuple[int, int, str]],
    holes_at: dict[int, Hole],
    origin: CodeOrigin,
    lang: _Lang,
    *,
    appendix: tuple[str, str],
    at: int,
    description: str,
) -> Fix | None:
    """The whole string expression written anew: ``cuts`` replaced, ``appendix`` (literal
    text, then code) inserted at char ``at``."""
    parts: _Parts = []

    def lit(text: str) -> None:
        if not text:
            return
        if parts and parts[-1][0] == "lit":
            parts[-1] = ("lit", parts[-1][1] + text)
        else:
            parts.append(("lit", text))

    cuts = sorted(cuts)
    i = 0
    k = 0
    n = len(chars)
    while i <= n:
        if i == at:
            lit(appendix[0])
            parts.append(("code", appendix[1]))
        if i == n:
            break
        if k < len(cuts) and i == cuts[k][0]:
            lit(cuts[k][2])
            i = cuts[k][1]
            k += 1
            continue
        c = chars[i]
        if c == HOLE:
            expr = _expression(holes_at[i], origin)
            if expr is None:
                return None
            parts.append(("code", expr))
        else:
            lit(c)
        i += 1
    code = lang.string(parts)
    if code is None:
        return None
    # Unsafe: the request changes shape (the values move to $params), and Python's and 4D's
    # rewrites need more than the string (imports, URL encoding).
    return Fix(
        edits=(Edit(offset=origin.start, length=origin.end - origin.start, text=code),),
        description=description,
        safe=False,
    )
