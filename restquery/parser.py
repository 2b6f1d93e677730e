"""``parse()``: raw URL text to a :class:`restquery.ast.Request`, orchestrating
:mod:`restquery.syntax` — split the URL, decode each component, take the lean pass where it
applies and the LALR parser elsewhere, apply the limits.

Parsing is thread-safe: parsers are shared and hold no per-parse state. The limits are
keyword options (:mod:`restquery.syntax.limits`); numbers have a fixed limit,
:data:`~restquery.syntax.values.MAX_NUMBER_DIGITS` digits (RQ013).
"""

from __future__ import annotations

import functools
import os
import re

from restquery.syntax.decode import OffsetMap, decode
from restquery.syntax.values import (
    MAX_NUMBER_DIGITS,
    LongNumber,
    digit_count,
    json_int,
    number_too_long,
)
from restquery.ast import (
    AttributePath,
    NamesSegment,
    PathPart,
    Boolean,
    Comparison,
    Integer,
    KeywordSegment,
    Origin,
    Param,
    Params,
    Path,
    RawValue,
    Request,
    Span,
    Template,
    Word,
)
from restquery.errors import RestQueryError, RestQueryLimitError, RestQuerySyntaxError
from restquery.params import canonical_name, parameter, value_kind
from restquery.syntax.grammar import build_parsers, lean
from restquery.syntax.grammar import parsers as _parsers
from restquery.syntax.lexicon import INTEGER, lexicon
from restquery.syntax.split import Origin as SplitOrigin
from restquery.syntax.split import RawParam, Split
from restquery.syntax.split import Segment as SplitSegment
from restquery.syntax.limits import (
    DEFAULT_MAX_DEPTH,
    DEFAULT_MAX_LENGTH,
    DEFAULT_MAX_PARAMS,
    check_expr_depth,
    check_paren_depth,
)

TYPE_CHECKING = False  # mypy reads the TYPE_CHECKING branches; typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "DEFAULT_MAX_DEPTH",
    "DEFAULT_MAX_LENGTH",
    "DEFAULT_MAX_PARAMS",
    "MAX_NUMBER_DIGITS",
    "build_parsers",
    "parse",
    "parse_value",
]

_MISSING_QMARK = re.compile(r"\$([A-Za-z]+)=")
# A segment that may start with `$`, raw or encoded, and the part of it that may hold `$name=`.
_SEGMENT_PARAM = re.compile(r"/(?=\$|%24)")
_SEGMENT_HEAD = re.compile(r'[^/?"]*')
_ORIGIN = re.compile(
    r"(?:(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]*)://)?(?P<host>\[[^\]]*\]|[^:]*)(?::(?P<port>[0-9]*))?"
)


#: Shortcuts for common shapes (restquery.syntax.lean); tests switch them off to compare.
FAST_PATHS = not os.environ.get("RESTQUERY_NO_FASTPATH")


# ---------------------------------------------------------------------------------------------
# parse()
# ---------------------------------------------------------------------------------------------


def parse(
    url: str | bytes,
    *,
    method: str | None = None,
    max_length: int | None = DEFAULT_MAX_LENGTH,
    max_depth: int | None = DEFAULT_MAX_DEPTH,
    max_params: int | None = DEFAULT_MAX_PARAMS,
    plus_as_space: bool = False,
) -> Request:
    """Parse a 4D REST request URL, raw or percent-encoded.

    ``method`` is the HTTP verb, kept on the tree for the checker. Limits: ``max_length``
    characters of URL, ``max_depth`` nesting levels in a filter, ``max_params`` parameters;
    ``None`` lifts a limit. Bytes are read as UTF-8. With ``plus_as_space`` a ``+`` in the
    query string is a space, as HTML forms and ``requests``/``httpx`` ``params=`` write one
    (``%2B`` stays a plus); without it a ``+`` is a plus (RFC 3986, spec §1.4). Spans index
    the text as given either way.

    >>> req = parse('/rest/Employee?$filter="salary>20000"&$top=10', method="get")
    >>> req.method, req.path.segments[0].name, req.param("$top").value.value
    ('GET', 'Employee', 10)

    Raises :class:`restquery.RestQuerySyntaxError` (``.code``, ``.span``, ``.message``,
    ``.hint``) on text that is not a URL of the language.
    """
    if isinstance(url, (bytes, bytearray)):
        try:
            url = bytes(url).decode("utf-8")
        except UnicodeDecodeError as err:
            raise RestQuerySyntaxError(
                "RQ009",
                "The URL bytes are not valid UTF-8.",
                Span(err.start, err.end),
                hint="send the URL percent-encoded as UTF-8",
                name="invalid-percent-encoding",
            ) from None
    elif not isinstance(url, str):
        raise RestQuerySyntaxError(
            "RQ001",
            f"A URL must be text, not {type(url).__name__}.",
            Span(0, 0),
            hint="pass the URL as a str",
        )
    if method is not None:
        if not isinstance(method, str) or not method.isalpha():
            raise RestQuerySyntaxError(
                "RQ001",
                f"{method!r} is not an HTTP method.",
                Span(0, 0),
                hint="pass a method such as 'GET' or 'POST'",
                url=url,
            )
        method = method.upper()
    if max_length is not None and len(url) > max_length:
        raise RestQueryLimitError(
            "RQ010",
            f"The URL is {len(url)} characters long, over the limit max_length={max_length}.",
            Span(max_length, len(url)),
            hint="shorten the URL or raise the max_length option",
            url=url,
            name="limit-exceeded",
        )
    if not url or url.isspace():
        raise RestQuerySyntaxError(
            "RQ001", "The URL is empty.", Span(0, len(url)), hint="write a URL such as /rest/Company", url=url
        )
    if not url.isascii():
        lone = _SURROGATE.search(url)
        if lone is not None:
            # No HTTP request can carry one: bytes decoded as UTF-8 never give a surrogate.
            raise RestQuerySyntaxError(
                "RQ009",
                f"The URL holds a lone surrogate (U+{ord(lone.group()):04X}), which is not a character.",
                Span(lone.start(), lone.end()),
                hint="pass text decoded from UTF-8",
                url=url,
                name="invalid-percent-encoding",
            )
    split = lean().split(url) if FAST_PATHS else None
    if split is None:
        url_parser = _parsers()[0]
        try:
            split = url_parser.parse(url, start="url")
        except RestQueryError:
            raise
        except Exception as exc:
            # The docs' missing "?" explains a failure anywhere after it (a quote in a value
            # that the path level reads differently): say that, not what broke later.
            query_at = url.find("?")
            for m in _SEGMENT_PARAM.finditer(url, 0, query_at if query_at >= 0 else len(url)):
                piece = _SEGMENT_HEAD.match(url, m.end())
                assert piece is not None  # the pattern matches the empty string too
                missing = _missing_qmark(url, *_decoded_prefix(url, m.end(), piece.end()))
                if missing is not None:
                    raise missing from None
            raise _translate(exc, url, OffsetMap(0), "url", url) from None
    try:
        origin = _origin(url, split.origin) if split.origin is not None else None
        path = _path(url, split)
        params: tuple[Param, ...] = ()
        raw_params = split.params
        if raw_params:
            if max_params is not None and len(raw_params) > max_params:
                raise RestQueryLimitError(
                    "RQ010",
                    f"The URL has {len(raw_params)} parameters, over the limit"
                    f" max_params={max_params}.",
                    Span(raw_params[max_params].name_start, len(url)),
                    hint="send fewer parameters or raise the max_params option",
                    url=url,
                    name="limit-exceeded",
                )
            # A `+` for a space is one character for one: the offsets of the text as given
            # index the text read that way too.
            text = url
            if plus_as_space and "+" in url:
                at = raw_params[0].name_start
                text = url[:at] + url[at:].replace("+", " ")
            params = tuple([_param(text, p, max_depth) for p in raw_params])
    except RestQuerySyntaxError as located:
        # Errors raised below the parse of one component (the typing of a lexeme) do not
        # know the URL they are about; they are about the text as given.
        if located.url is None or located.url is not url:
            located.url = url
        raise
    start = origin.span[0] if origin else path._span >> 32
    cut = split.fragment  # the request ends where its fragment's `#` stands
    fragment, end = (url[cut + 1 :], cut) if cut >= 0 else (None, len(url))
    return Request._new(path, params, origin, method, fragment, start << 32 | end)


def _origin(url: str, piece: SplitOrigin) -> Origin:
    span = Span(piece.start, piece.end)
    text = url[piece.start : piece.end]
    if piece.placeholder:
        return Origin(placeholder=text, span=span)
    m = _ORIGIN.fullmatch(text)
    assert m is not None  # the terminal only matches this shape
    port = m.group("port")
    if len(port or "") > MAX_NUMBER_DIGITS:
        at = piece.start + m.start("port")
        raise number_too_long(len(port), Span(at, at + len(port)))
    return Origin(
        scheme=m.group("scheme"),
        host=m.group("host"),
        port=int(port) if port else None,
        span=span,
    )


def _path(url: str, split: Split) -> Path:
    pieces, trailing = split.segments, split.trailing_slash
    segments = []
    prefix = bool(pieces) and url[pieces[0].start : pieces[0].end] == "rest"
    previous: Any = None
    plain = lean()._name.fullmatch if FAST_PATHS else None
    for piece in pieces[1 if prefix else 0 :]:
        start, end = piece
        if plain is not None and plain(url, start, end) and url.find("%", start, end) < 0 and (
            type(previous) is not KeywordSegment or previous.keyword != "$entityset"
        ):
            # One plain name, the commonest segment: nothing to decode, nothing to look up (a
            # name may hold a `%` only inside a template, `{{a%41}}`, which is decoded).
            part = PathPart._new(url[start:end], None, None, start << 32 | end)
            previous = NamesSegment._new((AttributePath._new((part,), None),), None)
        else:
            previous = _segment(url, piece, previous)
        segments.append(previous)
    if pieces:
        span = (pieces[0].start - 1) << 32 | (pieces[-1].end + (1 if trailing else 0))
    else:
        # "/" alone, or nothing between the origin and the query (or the fragment)
        end = split.query
        if end < 0:
            end = split.fragment if split.fragment >= 0 else len(url)
        span = (end - 1 if trailing else end) << 32 | end
    return Path._new(tuple(segments), prefix, trailing, span)


def _missing_qmark(url: str, text: str, omap: OffsetMap) -> RestQuerySyntaxError | None:
    """RQ005 when the (decoded) path segment ``text`` is a parameter (``/$filter=...``)."""
    m = _MISSING_QMARK.match(text)
    if m is None or canonical_name("$" + m.group(1)) is None:
        return None
    from restquery.syntax.explain import as_shown

    name = "$" + m.group(1)
    slash = omap.pos(0) - 1
    return RestQuerySyntaxError(
        "RQ005",
        f"The parameter {name} is written as a path segment: a `?` must start the query.",
        Span(slash, omap.pos(len(name))),
        hint=f"replace the `/` before `{name}` with `?`, as in `{as_shown(url[:slash], 60)}?{name}=…`",
        url=url,
        name="missing-question-mark",
    )


def _decoded_prefix(url: str, start: int, end: int) -> tuple[str, OffsetMap]:
    """``url[start:end]`` decoded, or as much of it as precedes its first bad escape."""
    try:
        return decode(url, start, end)
    except RestQuerySyntaxError as bad:
        return decode(url, start, bad.span.start)


def _segment(url: str, piece: SplitSegment, previous: Any) -> Any:
    try:
        text, omap = decode(url, piece.start, piece.end, what="a path segment")
    except RestQuerySyntaxError as bad:
        # The missing `?` explains a bad escape in what was meant as a parameter value.
        err = _missing_qmark(url, *decode(url, piece.start, bad.span.start))
        raise (err or bad) from None
    if text[:1] == "$":
        err = _missing_qmark(url, text, omap)
        if err is not None:
            raise err
    start = "entity_set" if (
        type(previous) is KeywordSegment and previous.keyword == "$entityset"
    ) else "segment"
    if FAST_PATHS:
        fast = lean()
        node = fast.segment(text, omap) if start == "segment" else fast.entity_set(text, omap)
        if node is not None:
            return node
    return _sub_parse(_parsers()[0], text, omap, start, "path segment", url)


def _translate(exc: Exception, text: str, omap: OffsetMap, what: str, url: str) -> Exception:
    from restquery.syntax.explain import translate

    return translate(exc, text, omap, what, url)


def _sub_parse(parser: Any, text: str, omap: OffsetMap, start: str, what: str, url: str) -> Any:
    from restquery.syntax.transformer import CURRENT_MAP

    token = CURRENT_MAP.set(omap)
    try:
        return parser.parse(text, start=start)
    except RestQueryError:
        raise
    except Exception as exc:
        raise _translate(exc, text, omap, what, url) from None
    finally:
        CURRENT_MAP.reset(token)


# ---------------------------------------------------------------------------------------------
# Parameters
# ---------------------------------------------------------------------------------------------


def _param(url: str, raw: RawParam, max_depth: int | None) -> Param:
    name_start, name_end = raw.name_start, raw.name_end
    name = url[name_start:name_end]
    if "%" in name:
        name = decode(url, name_start, name_end, what="a parameter name")[0]
    if raw.eq < 0:
        return Param._new(name, None, "", False, name_start << 32 | name_end)
    value_start, value_end = raw.value_start, raw.value_end
    slash = raw.slash >= 0
    end = raw.slash + 1 if slash else value_end
    text, omap = decode(url, value_start, value_end, what=f"the {name} value")
    quote = ""
    if not slash and len(text) >= 3 and text[-1] == "/" and text[0] == text[-2] in "\"'":
        # An encoded value with the docs' stray slash: %22...%22/ (spec §1.2).
        end = omap.span(len(text) - 1, len(text)).end
        slash = True
        text = text[:-1]
        omap = omap.shifted(0, len(text))
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        quote = text[0]
        omap = omap.shifted(1, len(text) - 1)
        text = text[1:-1]
    value = _value(url, name, text, omap, max_depth, value_start, value_end)
    return Param._new(name, value, quote, slash, name_start << 32 | end)


#: The value kinds whose language is a list of names, which may be templates themselves.
_NAME_LISTS = frozenset({"sort", "attributes", "paths"})


def _whole_template(text: str) -> bool:
    return lexicon().pattern("url.TEMPLATE").fullmatch(text) is not None


def _value(
    url: str,
    name: str,
    text: str,
    omap: OffsetMap,
    max_depth: int | None,
    value_start: int,
    value_end: int,
) -> Any:
    known = parameter(name)
    if known is None:
        return RawValue._new(text, omap.packed(0, len(text)))
    kind = known.kind
    if "{{" in text and kind not in _NAME_LISTS and _whole_template(text.strip()):
        # A template for the whole value (spec §1.1): `$top={{n}}`, `$filter="{{filter}}"`.
        # A list of names reads it as a name: `$expand={{attribute}}` is a path list.
        return Template._new(text, omap.packed(0, len(text)))
    if kind == "int":
        span = omap.packed(0, len(text))
        if INTEGER.fullmatch(text):
            if len(text) > MAX_NUMBER_DIGITS and digit_count(text) > MAX_NUMBER_DIGITS:
                raise number_too_long(digit_count(text), omap.span(0, len(text)), url)
            return Integer._new(int(text), text, span)
        return RawValue._new(text, span)
    if kind == "bool" or (known.takes_true and text.lower() == "true"):
        span = omap.packed(0, len(text))
        low = text.lower()
        if low == "true" or low == "false":
            return Boolean._new(low == "true", text, span)
        return RawValue._new(text, span)
    if kind == "word":
        span = omap.packed(0, len(text))
        if not text:
            return RawValue._new(text, span)
        return Word._new(text, span)
    if not text.strip():
        raise RestQuerySyntaxError(
            "RQ004",
            f"The {canonical_name(name)} parameter has no value.",
            Span(value_start, value_end)
            if value_end > value_start
            else Span(value_start - 1, value_start),
            hint=f"write a value after `{name}=` or remove the parameter",
            url=url,
            name="missing-value",
        )
    return parse_value(name, text, omap=omap, max_depth=max_depth, url=url)


def parse_value(
    name: str,
    text: str,
    *,
    omap: OffsetMap | None = None,
    max_depth: int | None = DEFAULT_MAX_DEPTH,
    url: str | None = None,
) -> Any:
    """Parse the decoded, unquoted value of a sub-language parameter on its own.

    >>> parse_value("$orderby", "lastName desc").items[0].direction
    'DESC'
    """
    kind = value_kind(name)
    omap = omap or OffsetMap(0)
    src = url if url is not None else text
    fast = lean() if FAST_PATHS else None
    if kind == "filter":
        result, nesting = fast.filter_nesting(text, omap) if fast is not None else (None, 0)
        if max_depth is not None:
            # The same limits, in the same order, whichever pass built the tree.
            check_paren_depth(text, omap, max_depth, src)
        if result is None:
            result = _sub_parse(_parsers()[1], text, omap, "filter", _where(name), src)
            nesting = -1
        if max_depth is not None and not 0 <= nesting <= max_depth and type(result.expr) is not Comparison:
            check_expr_depth(result, max_depth, src)
        return result
    if kind == "sort":
        node = fast.sort_list(text, omap) if fast is not None else None
        return node or _sub_parse(_parsers()[1], text, omap, "sort_list", _where(name), src)
    if kind == "attributes":
        node = fast.attribute_list(text, omap) if fast is not None else None
        return node or _sub_parse(_parsers()[1], text, omap, "attribute_list", _where(name), src)
    if kind == "paths":
        node = fast.path_list(text, omap) if fast is not None else None
        return node or _sub_parse(_parsers()[1], text, omap, "path_list", _where(name), src)
    if kind == "json":
        return _params_value(text, omap, _where(name), src)
    from restquery.syntax.explain import as_shown

    raise RestQueryError(f"{as_shown(name, 60)} does not take a structured value")


def _where(name: str) -> str:
    return f"{canonical_name(name) or name} value"


def _params_value(text: str, omap: OffsetMap, where: str, url: str) -> Params:
    import json

    span = omap.span(0, len(text))
    relaxed = False
    try:
        data = json.loads(
            text, parse_constant=_no_constant, parse_float=_finite_float, parse_int=json_int
        )
    except LongNumber as long:
        raise _json_too_long(text, long.digits, omap, url) from None
    except _OutOfRange:
        raise RestQuerySyntaxError(
            "RQ001",
            f"The {where} holds a number that is not finite (NaN, Infinity or out of range).",
            span,
            hint="write finite numbers only",
            url=url,
        ) from None
    except (ValueError, RecursionError):
        data = _sub_parse(_parsers()[1], text, omap, "json_value", where, url)
        try:
            data = _json_leaf(data)
        except ValueError:
            raise RestQuerySyntaxError(
                "RQ001",
                f"The {where} is not JSON: a text holds a raw control character or a bad escape.",
                span,
                hint="escape control characters in JSON strings (\\n, \\u001f)",
                url=url,
            ) from None
        # Relaxed means unquoted keys, not a template value ([{{id}}]) nor strict JSON too deep
        # for the json module.
        strings = lexicon().pattern("query.DQ_STRING")
        relaxed = _unquoted_key().search(strings.sub('""', text)) is not None
    if isinstance(data, list):
        return Params(items=tuple(data), relaxed=relaxed, raw=text, span=span)
    return Params(items=(data,), relaxed=relaxed, value_is_array=False, raw=text, span=span)


@functools.cache
def _unquoted_key() -> re.Pattern[str]:
    # An object key written as a name (the grammar's NAME), once quoted texts are blanked.
    return re.compile(r"[{,]\s*(?:" + lexicon().pattern("query.NAME").pattern + r")\s*:")


class _OutOfRange(ValueError):
    pass


def _no_constant(name: str) -> Any:
    raise _OutOfRange(name)


# A JSON text as the json module reads it: strings, then numbers (its own number syntax).
_JSON_LEXEMES = re.compile(
    r'"(?:[^"\\]|\\.)*"|(-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)'
)


def _json_too_long(text: str, digits: int, omap: OffsetMap, url: str) -> RestQueryLimitError:
    """RQ013 at the first number of ``digits`` digits in the JSON ``text`` (the json module
    stops at the first one it cannot take, and does not say where it is)."""
    for m in _JSON_LEXEMES.finditer(text):
        if m.group(1) is not None and digit_count(m.group(1)) == digits:
            return number_too_long(digits, omap.span(m.start(1), m.end(1)), url)
    return number_too_long(digits, omap.span(0, len(text)), url)  # pragma: no cover


def _finite_float(text: str) -> float:
    import math

    if len(text) > MAX_NUMBER_DIGITS and digit_count(text) > MAX_NUMBER_DIGITS:
        raise LongNumber(digit_count(text))
    value = float(text)
    if not math.isfinite(value):
        raise _OutOfRange(text)
    return value


def _json_leaf(data: Any) -> Any:
    # A top-level scalar comes back as a token from the relaxed grammar.
    import json

    if isinstance(data, (list, dict)):
        return data
    return json.loads(str(data))


_SURROGATE = re.compile("[\ud800-\udfff]")
