"""Turns Lark's parse errors into located :class:`RestQuerySyntaxError` with words users know.

Terminal names never reach the user: each is described ("a comparison operator such as `=` or
`>`", :mod:`restquery.syntax.expected`), and the common mistakes get their own codes, messages and hints:

======  ==========================  ==========================================================
code    name                        mistake
======  ==========================  ==========================================================
RQ001   syntax-error                anything else
RQ002   unterminated-quote          ``$filter="lastName=Jones``, ``lastName='Jones`` in a
                                    filter, ``$params='["a"``, ``Company("abc``
RQ003   unbalanced-parenthesis      ``(a=1 AND b=2``, ``a=1)``, ``Company(1``, ``Company[1``,
                                    ``id IN [1,2``, ``$params='[1,2'``
RQ004   missing-value               ``salary>``, ``a= AND b=1``, ``$filter=`` (raised by the
                                    parser)
RQ005   missing-question-mark       ``/rest/Employee/$filter="..."`` (raised by the parser)
RQ006   empty-key                   ``Company()``, ``Company[]``
RQ008   dangling-operator           ``a=1 AND``, ``a=1 AND )``, ``AND a=1``, ``a=1 OR OR b=2``
RQ009   invalid-percent-encoding    ``%FF``, ``%C3`` alone (raised while decoding)
RQ010   limit-exceeded              a limit option (raised by the parser)
RQ012   empty-segment               ``/rest//Company``
RQ013   number-too-long             a number of more than ``MAX_NUMBER_DIGITS`` digits (raised
                                    by the parser, :mod:`restquery.syntax.values`)
RQ016   odata-operator              ``lastName eq 'Jones'``, ``salary gt 1000`` (OData's
                                    comparison words); fixed to ``=``, ``>``...
RQ017   odata-function              ``contains(lastName,'on')``, ``startswith(...)``,
                                    ``endswith(...)``; fixed to ``@`` wildcards and ``begin``
======  ==========================  ==========================================================

:data:`INTEGRATION_CODES` lists the codes that only the server integrations report, about the
request rather than the URL text (``parse`` never raises them): RQ014 ``ambiguous-target``,
RQ015 ``unfilled-template``.

An error is classified by the parser's state where it stopped: the terminals it expected
(:mod:`restquery.syntax.expected`) and what it had read, its value stack
(:mod:`restquery.syntax.read`); the text before the error is not scanned again.

Spans index the text exactly as the caller gave it: positions in a percent-decoded component
go through its :class:`~restquery.syntax.decode.OffsetMap`.
"""

from __future__ import annotations

import re

from restquery.syntax.decode import OffsetMap, decode
from restquery.syntax.expected import (
    CLOSERS,
    END,
    KINDS,
    PAIRS,
    VALUE,
    describe,
    unmatched_open,
)
from restquery.errors import RestQuerySyntaxError
from restquery.params import value_kind
from restquery.syntax.lexicon import lexicon
from restquery.syntax.odata import odata_mistake
from restquery.syntax.read import (
    BEFORE_OPERAND,
    OPERATORS,
    Read,
    comparator_before,
    ends_with_comparator,
    from_top,
    is_comparator,
    is_operator_word,
    read_stack,
)


__all__ = ["INTEGRATION_CODES", "RETIRED_CODES", "SYNTAX_CODES", "as_shown", "translate"]

#: code -> (name, short description), for documentation and tooling.
SYNTAX_CODES: dict[str, tuple[str, str]] = {
    "RQ001": ("syntax-error", "The text does not follow the grammar."),
    "RQ002": ("unterminated-quote", "A quoted value, text or key is not closed."),
    "RQ003": ("unbalanced-parenthesis", "A parenthesis or bracket is not matched."),
    "RQ004": ("missing-value", "A comparator or parameter has no value."),
    "RQ005": ("missing-question-mark", "A parameter is written as a path segment."),
    "RQ006": ("empty-key", "An entity key is empty."),
    "RQ008": ("dangling-operator", "A logical operator lacks a condition on one side."),
    "RQ009": ("invalid-percent-encoding", "Percent-encoded bytes are not UTF-8."),
    "RQ010": ("limit-exceeded", "The input exceeds a limit option."),
    "RQ012": ("empty-segment", "Two `/` follow each other in the path."),
    "RQ013": ("number-too-long", "A number has more digits than the limit."),
    "RQ016": ("odata-operator", "An OData comparison word (`eq`, `gt`...) stands for a comparator."),
    "RQ017": ("odata-function", "An OData function (`contains(`...) stands for a condition."),
}


#: Codes no longer reported, with what took their place: code -> (name, successor code).
RETIRED_CODES: dict[str, tuple[str, str]] = {
    "RQ007": ("empty-parameter", "RQ114"),
}

#: Codes of the same series that only the server integrations report (a request target the
#: server would route otherwise than it reads): code -> (name, message).
INTEGRATION_CODES: dict[str, tuple[str, str]] = {
    "RQ014": (
        "ambiguous-target",
        (
            "The request target is not in the form the server routes: it could reach the REST"
            " server without being checked."
        ),
    ),
    "RQ015": (
        "unfilled-template",
        (
            "The request holds a template placeholder its client did not fill in: what it"
            " stands for could not be checked."
        ),
    ),
}


_QUOTE_INSIDE = (
    "to put a `'` inside a text, use a placeholder such as `:1` and pass the text in `$params`,"
    " writing the quote as `\\u0027`"
)


# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------


def as_shown(text: str, limit: int = 24) -> str:
    """User text fit for a message: short, every unprintable character escaped (no ANSI)."""
    if len(text) > limit:
        text = text[:limit] + "…"
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def _upper_op(word: str) -> str:
    return word.upper() if word[:1].isalpha() else word


def _error(
    code: str, message: str, omap: OffsetMap, start: int, end: int, hint: str | None, url: str
) -> RestQuerySyntaxError:
    return RestQuerySyntaxError(
        code, message, omap.span(start, end), hint=hint, url=url, name=SYNTAX_CODES[code][0]
    )


def _kind(what: str) -> str:
    if what == "url":
        return "url"
    if what == "path segment":
        return "segment"
    name = what.removesuffix(" value")
    kind = value_kind(name) or ""
    return kind if kind in KINDS else "value"


def _where(what: str, text: str) -> str:
    if what == "url":
        return "the URL"
    if what == "path segment":
        return (
            f"the path segment `{as_shown(text, 40)}`"
            if text and len(text) <= 40
            else "the path segment"
        )
    return f"the {as_shown(what, 40)}"


def _generic(
    expected: set[str],
    kind: str,
    text: str,
    pos: int,
    end: int,
    found: str | None,
    omap: OffsetMap,
    where: str,
    url: str,
) -> RestQuerySyntaxError:
    description = describe(expected, kind, text, pos)
    if found is None:
        message = f"{where[0].upper()}{where[1:]} ends too early"
        message += f"; expected {description}." if description else "."
        hint = f"add {description} at the end" if description else None
    else:
        message = f"Unexpected `{as_shown(found)}` in {where}"
        message += f"; expected {description}." if description else "."
        hint = f"write {description} here" if description else f"remove `{as_shown(found)}`"
    return _error("RQ001", message, omap, pos, end, hint, url)


# ---------------------------------------------------------------------------------------------
# translate()
# ---------------------------------------------------------------------------------------------


def translate(
    exc: Exception, text: str, omap: OffsetMap, what: str, url: str
) -> RestQuerySyntaxError:
    """A located syntax error for ``exc``, raised while parsing ``text`` (``what`` names it).

    ``text`` is the (decoded) text the parser saw, ``omap`` maps its offsets to ``url``.
    """
    from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedToken

    kind = _kind(what)
    where = _where(what, text)
    found: str | None
    tok_type: str | None
    if isinstance(exc, UnexpectedCharacters):
        pos = min(int(exc.pos_in_stream or 0), len(text))
        end = min(pos + 1, len(text))
        found = text[pos:end] or None
        tok_type = None
        expected = set(exc.allowed or ())
    elif isinstance(exc, UnexpectedToken):
        tok = exc.token
        at_end = tok.type in END
        pos = len(text) if at_end else tok.start_pos
        end = pos if at_end else tok.end_pos
        found = None if at_end else str(tok.value)
        tok_type = None if at_end else tok.type
        expected = set(exc.expected or ())
    elif isinstance(exc, UnexpectedEOF):
        pos = end = len(text)
        found = tok_type = None
        expected = set(exc.expected or ())
    else:
        # not a parse error of the grammar (should not happen): never show its internals
        return _error(
            "RQ001", f"{where[0].upper()}{where[1:]} cannot be read.", omap, 0, len(text), None, url
        )

    args = (text, pos, end, found, tok_type, expected, omap, where, url, read_stack(exc))
    handler = {
        "url": _url_error,
        "segment": _segment_error,
        "filter": _filter_error,
        "json": _json_error,
    }.get(kind)
    error = _quote_error(kind, *args)
    if error is None and handler is not None:
        error = handler(*args)
    if error is None:
        error = _bracket_error(kind, *args)
    if error is None:
        error = _generic(expected, kind, text, pos, end, found, omap, where, url)
    return error


def _quote_error(
    kind: str,
    text: str,
    pos: int,
    end: int,
    found: str | None,
    tok_type: str | None,
    expected: set[str],
    omap: OffsetMap,
    where: str,
    url: str,
    read: tuple[Read, ...],
) -> RestQuerySyntaxError | None:
    """RQ002: a quote where a quoted thing may start, and no closing quote after it."""
    if pos >= len(text) or text[pos] not in "\"'":
        return None
    q = text[pos]
    close = text.find(q, pos + 1)
    if kind == "url":
        cut = text.find("#", pos + 1)
        if cut >= 0 and (close < 0 or cut < close) and (
            expected & {"DQ_VALUE", "SQ_VALUE", "SEGMENT", "SLASH"}
        ):
            return _cut_by_fragment(text, pos, cut, expected, omap, url, read)
        if expected & {"DQ_VALUE", "SQ_VALUE"} and close < 0:
            name = _param_name(read)
            value = f"the {name} value" if name else "the value"
            return _error(
                "RQ002",
                f"The `{q}` that opens {value} is never closed.",
                omap,
                pos,
                len(text),
                f"add a closing `{q}` at the end of {value}",
                url,
            )
        in_path = not expected & {"PNAME", "EQ", "AMPS", "DQ_VALUE"}
        if in_path and q == '"':
            stop = len(text)
            for sep in "/?":
                at = text.find(sep, pos)
                if at >= 0:
                    stop = min(stop, at)
            if close < 0 or close > stop:
                return _path_quote(pos, stop, omap, url, read)
        return None
    if close >= 0 and tok_type is not None:
        return None
    if kind == "segment":
        return _path_quote(pos, len(text), omap, url, read)
    quote_word = "`'`" if q == "'" else '`"`'
    if pos == 0 or not text[:pos].strip():
        message = f"The {quote_word} that opens {where} is never closed."
        hint = f"add a closing {quote_word} at the end of the value"
    elif kind == "filter" and q == "'":
        message = f"The {quote_word} that opens a text in {where} is never closed."
        hint = f"add the closing `'` after the text; {_QUOTE_INSIDE}"
    else:
        message = f"The {quote_word} opened here in {where} is never closed."
        hint = f"add the closing {quote_word}"
    return _error("RQ002", message, omap, pos, len(text), hint, url)


def _cut_by_fragment(
    text: str,
    pos: int,
    cut: int,
    expected: set[str],
    omap: OffsetMap,
    url: str,
    read: tuple[Read, ...],
) -> RestQuerySyntaxError:
    """RQ002: a raw ``#`` inside a quoted value or key ends the URL there (RFC 3986 §3.5), so
    the quote is never closed: the ``#`` must be written ``%23``."""
    q = text[pos]
    name = None
    if expected & {"DQ_VALUE", "SQ_VALUE"}:
        name = _param_name(read)
        what = f"the {name} value" if name else "the value"
        noun = "value"
    else:
        what, noun = "this quoted key", "key"
    hint = f"write a `#` that belongs to the {noun} as `%23`"
    if name is not None and value_kind(name) == "filter":
        hint += " (and `!=` for \"not equal\", the REST spelling of `#`)"
    return _error(
        "RQ002",
        f"The `#` here ends the URL (what follows it is a fragment, which is never sent), so"
        f" the `{q}` that opens {what} is never closed.",
        omap,
        pos,
        cut + 1,
        hint,
        url,
    )


def _path_quote(
    pos: int, stop: int, omap: OffsetMap, url: str, read: tuple[Read, ...]
) -> RestQuerySyntaxError:
    name = _dataclass_name(read)
    return _error(
        "RQ002",
        'The `"` that opens this quoted key is never closed.',
        omap,
        pos,
        stop,
        f'add the closing `"` after the key, as in `{name}("abc")`',
        url,
    )


def _dataclass_name(read: tuple[Read, ...]) -> str:
    """The name before the bracket of a key the parser was reading (``Company(``): the name
    token of a segment, or the path segment token of a URL; ``Company`` when there is none."""
    for entry in reversed(read):
        if entry.kind == "NAME" and entry.text:
            return entry.text
        if entry.kind == "SEGMENT" and entry.text:
            m = lexicon().pattern("url.NAME").match(entry.text)
            return m.group() if m else "Company"
    return "Company"


def _param_name(read: tuple[Read, ...], back: int = 0) -> str | None:
    """The parameter whose value the parser was about to read (``$filter=`` on top of the
    stack), or, ``back`` entries further down, whose value it had just read."""
    eq, name = from_top(read, 1 + back), from_top(read, 2 + back)
    if eq is None or name is None or eq.kind != "EQ" or name.kind != "PNAME" or not name.text:
        return None
    return as_shown(name.text)


_STRAY = re.compile(r"[^\"'&/]+")


def _decoded_or_raw(text: str, start: int, end: int) -> str:
    try:
        return decode(text, start, end)[0]
    except RestQuerySyntaxError:
        return text[start:end]


def _url_error(
    text: str,
    pos: int,
    end: int,
    found: str | None,
    tok_type: str | None,
    expected: set[str],
    omap: OffsetMap,
    where: str,
    url: str,
    read: tuple[Read, ...],
) -> RestQuerySyntaxError | None:
    ch = text[pos] if pos < len(text) else ""
    if "PNAME" in expected:
        if ch == "=":
            return _error(
                "RQ001",
                "A parameter has no name before this `=`.",
                omap,
                pos,
                pos + 1,
                "write the parameter name before `=`, as in `$top=10`",
                url,
            )
    if ch == "/" and "SEGMENT" in expected and pos > 0 and text[pos - 1] == "/":
        return _error(
            "RQ012",
            "The path has an empty segment: two `/` follow each other.",
            omap,
            pos - 1,
            pos + 1,
            "remove one of the `/`",
            url,
        )
    value_tok = from_top(read)
    if (
        "AMPS" in expected
        and ch
        and value_tok is not None
        and value_tok.kind in ("DQ_VALUE", "SQ_VALUE")
        and value_tok.end == pos
    ):
        q = text[pos - 1]
        name = _param_name(read, 1)
        value = f"the {name} value" if name else "the quoted value"
        # The stray text runs to the next delimiter, whatever token the lexer happened to
        # read there (it reads `x%41` and `xA` differently).
        stray = _STRAY.match(text, pos)
        if stray is not None:
            end = stray.end()
            found = _decoded_or_raw(text, pos, end)
        shown = as_shown(found or ch)
        if ch == q:
            hint = f"remove the extra `{q}`"
        elif q == '"' and ends_with_comparator(value_tok.text or ""):
            hint = (
                "inside a double-quoted value write text in single quotes, as in"
                " `$filter=\"lastName='Smith'\"`"
            )
        else:
            hint = "put `&` before the next parameter, or move this text inside the quotes"
        return _error(
            "RQ001",
            f"Unexpected `{shown}` after the closing `{q}` of {value}; expected `&` or the end"
            " of the URL.",
            omap,
            pos,
            end,
            hint,
            url,
        )
    return None


def _segment_error(
    text: str,
    pos: int,
    end: int,
    found: str | None,
    tok_type: str | None,
    expected: set[str],
    omap: OffsetMap,
    where: str,
    url: str,
    read: tuple[Read, ...],
) -> RestQuerySyntaxError | None:
    if expected & {"QUOTED_KEY", "BARE_KEY"} and tok_type in ("RPAR", "RSQB") and pos > 0:
        opener = text[pos - 1]
        if opener in "([":
            name = _dataclass_name(read)
            closer = PAIRS[opener]
            return _error(
                "RQ006",
                f"The entity key between `{opener}` and `{closer}` is empty.",
                omap,
                pos - 1,
                end,
                f"write the key between the brackets, as in `{name}{opener}1{closer}`",
                url,
            )
    if found is not None and expected and expected <= END:
        return _error(
            "RQ001",
            f"Unexpected `{as_shown(found)}` after the end of {where}.",
            omap,
            pos,
            end,
            f"remove `{as_shown(found)}`, or start a new path segment with `/`",
            url,
        )
    return None


def _filter_error(
    text: str,
    pos: int,
    end: int,
    found: str | None,
    tok_type: str | None,
    expected: set[str],
    omap: OffsetMap,
    where: str,
    url: str,
    read: tuple[Read, ...],
) -> RestQuerySyntaxError | None:
    top, below = from_top(read), from_top(read, 2)
    wants_condition = "NAME" in expected and ("LPAR" in expected or "NOT" in expected)
    if wants_condition:
        # `a=1 AND`, `a=1 AND )`, `NOT`, `(a=1 OR )`: an operator was the last thing read
        if top is not None and top.kind in OPERATORS and top.text:
            shown = _upper_op(top.text)
            return _error(
                "RQ008",
                f"The operator `{shown}` in {where} has no condition after it.",
                omap,
                top.start,
                top.end,
                f"write a condition after `{shown}` or remove it",
                url,
            )
        if tok_type in ("AND_OP", "OR_OP") and found:
            shown = _upper_op(found)
            return _error(
                "RQ008",
                f"The operator `{shown}` in {where} has no condition before it.",
                omap,
                pos,
                end,
                f"write a condition before `{shown}` or remove it",
                url,
            )
        if tok_type == "RPAR":
            open_at = unmatched_open(text, pos, "(", ")")
            if open_at is not None and not text[open_at + 1 : pos].strip():
                return _error(
                    "RQ001",
                    f"The parentheses in {where} hold no condition.",
                    omap,
                    open_at,
                    end,
                    "write a condition between the parentheses or remove them",
                    url,
                )
    if expected & lexicon().comparator_terminals:
        odata = _odata_error(text, pos, end, found, tok_type, omap, where, url, top)
        if odata is not None:
            return odata
        # after an attribute path: was the "attribute" an operator word? (`AND a=1`)
        if (
            top is not None
            and top.kind == "NAME"
            and is_operator_word(top.text)
            and (below is None or below.kind in BEFORE_OPERAND)
        ):
            shown = _upper_op(top.text or "")
            if below is not None and below.kind in OPERATORS:
                message = f"The operator `{shown}` in {where} follows another logical operator."
                hint = f"write a condition before `{shown}` or remove one of the operators"
            else:
                message = f"The operator `{shown}` in {where} has no condition before it."
                hint = f"write a condition before `{shown}` or remove it"
            return _error("RQ008", message, omap, top.start, top.end, hint, url)
    if expected & {"BARE", "SQ_TEXT"}:
        cmp = top if is_comparator(top) else None
        op = cmp.text or "" if cmp else "the comparator"
        op_start, op_end = (cmp.start, cmp.end) if cmp else (pos, end)
        if tok_type == "LPAR":
            return _error(
                "RQ001",
                f"Unexpected `(` after `{op}` in {where}; expected {VALUE}.",
                omap,
                pos,
                end,
                "remove the parentheses around the value",
                url,
            )
        if tok_type == "DQ_STRING" and found and "'" not in found:
            return _error(
                "RQ001",
                f"The text `{as_shown(found)}` in {where} is in double quotes; a filter puts text"
                " in single quotes.",
                omap,
                pos,
                end,
                f"write `'{as_shown(found[1:-1])}'` instead",
                url,
            )
        if found is None or tok_type in ("RPAR", "AND_OP", "OR_OP", "RSQB"):
            return _missing_value(op, op_start, op_end, omap, url)
    if expected & {"AND_OP", "OR_OP"} and found is not None:
        # a complete condition was read; `a= AND b=1` reads `AND` as the value
        if (
            top is not None
            and top.kind == "BARE"
            and is_operator_word(top.text, negations=True)
            and below is not None
            and below.kind == "comparator"
        ):
            lo, hi = comparator_before(text, top.start, below.text or "")
            return _missing_value(text[lo:hi], lo, hi, omap, url)
        if tok_type not in ("RPAR", "RSQB"):
            description = describe(expected, "filter", text, pos)
            if tok_type == "NAME":
                # Show the whole bare run a second condition starts with (`lastName=Jones`).
                run = lexicon().pattern("query.BARE").match(text, pos)
                if run is not None and run.end() > end:
                    end = run.end()
                    found = text[pos:end]
            if tok_type == "NOT":
                hint = "to negate a condition, join it with `AND NOT`, as in `a=1 AND NOT b=2`"
            elif tok_type == "SQ_TEXT" and top and top.kind == "SQ_TEXT" and top.end == pos:
                hint = f"a doubled `''` does not put a quote inside a text; {_QUOTE_INSIDE}"
            else:
                hint = (
                    "join two conditions with `AND`, `OR` or `EXCEPT`; put text that holds"
                    " spaces in single quotes, as in `'John Smith'`"
                )
            return _error(
                "RQ001",
                f"Unexpected `{as_shown(found)}` after a complete condition in {where};"
                f" expected {description}.",
                omap,
                pos,
                end,
                hint,
                url,
            )
    return None


def _odata_error(
    text: str,
    pos: int,
    end: int,
    found: str | None,
    tok_type: str | None,
    omap: OffsetMap,
    where: str,
    url: str,
    top: Read | None,
) -> RestQuerySyntaxError | None:
    """RQ016/RQ017: OData where a 4D comparator is expected (after an attribute path)."""
    said = odata_mistake(text, pos, end, found, tok_type, top)
    if said is None:
        return None
    code, start, stop, message, hint, replacement = said
    span = omap.span(start, stop)
    if replacement is not None and url[span.start : span.end] != text[start:stop]:
        replacement = None  # percent-encoded in the URL: the fix would not read back the same
    return RestQuerySyntaxError(
        code, f"{message} in {where}.", span, hint=hint, url=url, name=SYNTAX_CODES[code][0],
        replacement=replacement,
    )


def _missing_value(
    op: str, start: int, end: int, omap: OffsetMap, url: str
) -> RestQuerySyntaxError:
    shown = op.upper() if op[:1].isalpha() else op
    shown = " ".join(shown.split())
    return _error(
        "RQ004",
        f"The comparison has no value after `{shown}`.",
        omap,
        start,
        end,
        f"write a value after `{shown}`, such as `'Smith'`, `42` or `:1`",
        url,
    )


def _json_error(
    text: str,
    pos: int,
    end: int,
    found: str | None,
    tok_type: str | None,
    expected: set[str],
    omap: OffsetMap,
    where: str,
    url: str,
    read: tuple[Read, ...],
) -> RestQuerySyntaxError | None:
    comma = from_top(read)
    if found is not None and tok_type in ("RBRACE", "RSQB") and comma and comma.kind == "COMMA":
        return _error(
            "RQ001",
            f"A `,` in {where} is followed by no value.",
            omap,
            comma.start,
            comma.end,
            "remove the final `,` (JSON allows no trailing comma)",
            url,
        )
    return None


def _bracket_error(
    kind: str,
    text: str,
    pos: int,
    end: int,
    found: str | None,
    tok_type: str | None,
    expected: set[str],
    omap: OffsetMap,
    where: str,
    url: str,
    read: tuple[Read, ...],
) -> RestQuerySyntaxError | None:
    """RQ003: an opener never closed, or a closer that closes nothing."""
    at_end = found is None
    names = {"$END" if n in END else n for n in expected}
    for opener in "([{":
        closer = PAIRS[opener]
        if closer == "}" and kind != "json":
            continue
        open_at = unmatched_open(text, pos, opener, closer)
        if open_at is None:
            continue
        closer_name = {"(": "RPAR", "[": "RSQB", "{": "RBRACE"}[opener]
        # at the end of the text, or where the open group could only go on or close
        unclosed = (
            at_end and (closer_name in names or (opener != "(" and kind in ("filter", "json")))
        ) or (
            closer_name in names
            and tok_type in ("AND_OP", "OR_OP", "RPAR", "RSQB", "RBRACE")
            and tok_type != closer_name
        )
        if unclosed:
            return _error(
                "RQ003",
                f"This `{opener}` in {where} is never closed.",
                omap,
                open_at,
                open_at + 1,
                f"add the matching `{closer}`",
                url,
            )
    if tok_type in ("RPAR", "RSQB", "RBRACE") and tok_type not in names and found:
        opener = CLOSERS[tok_type]
        if unmatched_open(text, pos, opener, found) is None:
            return _error(
                "RQ003",
                f"This `{found}` in {where} closes nothing.",
                omap,
                pos,
                end,
                f"remove the `{found}` or add the matching `{opener}` before it",
                url,
            )
    if tok_type is None and found in (")", "]", "}"):
        opener = {")": "(", "]": "[", "}": "{"}[found]
        return _error(
            "RQ003",
            f"This `{found}` in {where} closes nothing.",
            omap,
            pos,
            end,
            f"remove the `{found}` or add the matching `{opener}` before it",
            url,
        )
    return None
