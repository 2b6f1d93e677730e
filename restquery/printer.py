"""``unparse()``: a tree back to its canonical URL.

Canonical spelling (what ``tests/fixtures/identity.txt`` pins):

* The docs' raw style by default: spaces, quotes and ``@`` stay readable
  (``/rest/Employee?$filter="lastName='A@' AND salary>20000"``). Percent-encoding is used only
  where a character would otherwise change the structure: ``%`` before two hex digits
  (``%25``), control characters, and per component:

  - path segments: ``/`` and ``?`` (``%2F``, ``%3F``) and a ``"`` that is not a key's quote;
  - parameter names: ``&`` and ``=``, and a leading ``?``;
  - a quoted value: the quote character it is wrapped in (``%22`` / ``%27``);
  - an unquoted value: ``&`` (``%26``) and a leading ``"`` or ``'``.

  ``encode=True`` instead gives the wire form that HTTP clients send: everything outside
  RFC 3986's unreserved set and a few harmless delimiters (``$()[],:.*@!`` and, in values,
  ``/=?``) is percent-encoded as UTF-8, so the output holds no space, quote, ``<``, ``>`` or
  non-ASCII character.
* Path: ``/rest`` then ``/segment`` each; one trailing ``/`` when the tree records it (a
  request with no origin, path or parameter prints ``?``). Keys
  keep their quoting (a text key that cannot be written bare, or that looks like a number, is
  double-quoted); names, lists and paths are joined with ``,`` and ``.`` without spaces.
* Parameters in tree order, joined with ``&``; each name as written and each value inside the
  quote the tree records; the docs' stray ``/`` after a quoted value when the tree records it.
* Filters: symbol comparators without spaces (``salary>20000``, a space only before a value
  that starts with a comparator character), word comparators and logical operators upper-case
  between single spaces (``lastName BEGIN j``, ``a=1 AND b=2``); operator spellings (``&&``,
  ``|``, ``#``, ``==``) are kept. Parentheses are printed where the tree records them and
  wherever precedence needs them (NOT, then AND, then OR/EXCEPT, left-associative), never
  elsewhere. A one-operand ``BoolOp`` prints its operand.
* Filter values: a text keeps its quoting where the grammar allows it: bare when unquoted
  and read back as the same text (``john``, ``O'Reilly``), else in single quotes
  (``'A@ B'``, ``'123'``, ``'true'``, ``IS 'not'``); inside ``IN [...]`` a quoted text holding
  ``'`` is written as a JSON string (``"d'e"``). Numbers keep their lexeme (``1.50``); new
  floats are written without exponent (``0.0000001``). Dates ``YYYY-MM-DD``.
* Sort lists: ``path`` or ``path ASC|DESC``; ``$attributes``/``$expand`` comma lists;
  ``$params`` as compact JSON (relaxed: object keys unquoted where they are names) with a
  single quote inside strings written ``\\u0027``; ``Integer`` and ``Boolean`` values keep
  their lexeme.

``parse(unparse(tree)) == tree`` for every tree the parser produces. For hand-built trees the
``quoted`` flag of a text or key is a preference the printer overrides when the language
needs it (``Text("a b")`` prints ``'a b'``); a tree that no URL spells — a text holding both
a ``'`` and a space, a quoted key holding ``"``, an empty attribute list, an entity-set ID
outside ``$entityset/`` — raises :class:`restquery.UnparseError`, and nothing else escapes.

>>> import restquery
>>> restquery.unparse(restquery.parse('/rest/Employee?$filter="Quantity > 4 and b begin x"'))
'/rest/Employee?$filter="Quantity>4 AND b BEGIN x"'
"""

from __future__ import annotations

import datetime
import json
import math
import re
from collections.abc import Callable
from decimal import Decimal

from urllib.parse import quote as _quote

from restquery.syntax.lexicon import INTEGER, NUMBER, lexicon
from restquery.syntax.values import MAX_NUMBER_DIGITS, digit_count, int_too_long, typed_token
from restquery.ast import (
    AttributeItem,
    AttributeList,
    AttributePath,
    Boolean,
    BoolOp,
    CallSegment,
    Collection,
    Comparison,
    Date,
    EntitySetSegment,
    Filter,
    Formula,
    Integer,
    Key,
    KeySegment,
    KeywordSegment,
    LookupSegment,
    NamesSegment,
    Node,
    Not,
    Null,
    Number,
    Origin,
    Param,
    Params,
    Path,
    PathList,
    PathPart,
    Placeholder,
    RawValue,
    Request,
    SortItem,
    SortList,
    Template,
    Text,
    Word,
    is_template,
)
from restquery.errors import UnparseError
from restquery.params import KINDS, parameter

TYPE_CHECKING = False  # mypy reads the TYPE_CHECKING branches; typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any

__all__ = ["unparse"]

# What may be written bare, and how keywords are spelled, is what the grammar's terminals say:
# the printer asks the lexicon, so it cannot disagree with the parser.
_HEX_ESCAPE = re.compile(r"%(?=[0-9A-Fa-f]{2})")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

# Characters left as they are in encode=True mode, per component (RFC 3986 unreserved
# characters are always kept by urllib.parse.quote).
_SAFE_PATH = "$()[],:*@!"
_SAFE_NAME = "$"
_SAFE_VALUE = "$()[],:*@!/=?"

_Escape = Callable[[str], str]

#: The value nodes the parser makes of each value kind of the parameter table; ``RawValue`` is
#: what any kind reads as when its text is not one of them, ``Template`` when it is a template.
_VALUE_NODES: dict[str, tuple[type, ...]] = {
    "filter": (Filter, RawValue, Template),
    "sort": (SortList, RawValue, Template),
    "attributes": (AttributeList, RawValue, Template),
    "paths": (PathList, RawValue, Template),
    "json": (Params, RawValue, Template),
    "int": (Integer, RawValue, Template),
    "bool": (Boolean, RawValue, Template),
    "word": (Word, RawValue, Template),
}


def unparse(request: Request | Node, *, encode: bool = False) -> str:
    """The canonical URL of ``request``, or the text of any other node printed alone.

    A :class:`~restquery.ast.Request` gives a whole URL; a parameter value (``Filter``,
    ``SortList``, ...), a filter expression or value, a ``Path``, a segment, an ``Origin`` or a
    ``Param`` gives its own text, decoded (``encode`` applies to whole requests only).

    >>> import restquery
    >>> restquery.unparse(restquery.parse("/rest/Company(1)/?$attributes=name, staff.*"))
    '/rest/Company(1)/?$attributes=name,staff.*'
    >>> restquery.unparse(restquery.parse('/rest/People?$filter="name=\\'A@\\'"'), encode=True)
    '/rest/People?$filter=%22name=%27A@%27%22'
    >>> restquery.unparse(restquery.parse('/rest/E?$filter="a=1 or b=2"').params[0].value)
    'a=1 OR b=2'

    Raises :class:`restquery.UnparseError` when no URL spells the tree.
    """
    try:
        if isinstance(request, Request):
            return _request(request, encode)
        return _node_alone(request, encode)
    except UnparseError:
        raise
    except (TypeError, ValueError, AttributeError, KeyError, UnicodeError, RecursionError) as exc:
        raise UnparseError(f"The tree cannot be printed: {exc}") from None


def _node_alone(node: Any, encode: bool) -> str:
    if isinstance(node, Path):
        return _path(node, encode)
    if isinstance(node, Origin):
        return _origin(node)
    if isinstance(node, Param):
        return _param(node, encode)
    if isinstance(node, _SEGMENTS):
        return _segment(node, _raw_path_text, '"')
    if isinstance(node, AttributePath):
        return _attribute_path(node)
    if isinstance(node, SortItem):
        return _sort_item(node)
    if isinstance(node, AttributeItem):
        return _attribute_item(node)
    if isinstance(node, (Text, Number, Date, Null, Placeholder, Collection)):
        return _operand_value(node, collection=False)
    return _value(node)  # a Boolean prints the same as a filter value or a parameter value


# ---------------------------------------------------------------------------------------------
# Escaping
# ---------------------------------------------------------------------------------------------


def _raw_escape(text: str, extra: str = "") -> str:
    """Doc-style escaping: only what would change the structure (a raw ``#`` anywhere ends
    the URL, so it is always ``%23``)."""
    if "%" in text:
        text = _HEX_ESCAPE.sub("%25", text)
    if _CONTROL.search(text):
        text = _CONTROL.sub(lambda m: f"%{ord(m.group()):02X}", text)
    if "#" in text:
        text = text.replace("#", "%23")
    for ch in extra:
        if ch in text:
            text = text.replace(ch, f"%{ord(ch):02X}")
    return text


def _raw_path_text(text: str) -> str:
    return _raw_escape(text, '/?"')


def _encoded_path_text(text: str) -> str:
    return _quote(text, safe=_SAFE_PATH)


# ---------------------------------------------------------------------------------------------
# URL anatomy
# ---------------------------------------------------------------------------------------------


def _request(req: Request, encode: bool) -> str:
    out = []
    if req.origin is not None:
        out.append(_origin(req.origin))
    out.append(_path(req.path, encode))
    if req.params:
        out.append("?")
        out.append("&".join(_param(p, encode) for p in req.params))
    elif not out[-1] and len(out) == 1 and req.fragment is None:
        # Nothing but an empty query: "?" is the only text that parses to this tree.
        out.append("?")
    if req.fragment is not None:
        if not isinstance(req.fragment, str):
            raise UnparseError(f"{req.fragment!r} is not a fragment (text after `#`).")
        out.append("#" + req.fragment)  # kept as written: a fragment is never sent
    return "".join(out)


def _origin(origin: Origin) -> str:
    if origin.placeholder is not None:
        if not lexicon().pattern("url.TEMPLATE").fullmatch(origin.placeholder):
            raise UnparseError(
                f"{origin.placeholder!r} is not an origin placeholder ({{{{...}}}})."
            )
        return origin.placeholder
    host = origin.host
    whole = lexicon().pattern("url.ORIGIN").fullmatch
    # A host is an ORIGIN with no scheme (no `/`) and no port (no `:` outside IPv6 brackets).
    if (
        not isinstance(host, str)
        or "/" in host
        or not whole(host)
        or (":" in host and not (host[:1] == "[" and host[-1:] == "]"))
    ):
        raise UnparseError(f"{host!r} is not a host name or address.")
    text = host
    if origin.scheme is not None:
        # The host holds no `/`, so `scheme://host` is an ORIGIN exactly when the scheme is
        # one (and reads back as this scheme).
        scheme = origin.scheme
        if not isinstance(scheme, str) or not whole(f"{scheme}://{host}"):
            raise UnparseError(f"{scheme!r} is not a URL scheme.")
        text = f"{scheme}://{host}"
    if origin.port is not None:
        if isinstance(origin.port, bool) or not isinstance(origin.port, int):
            raise UnparseError(f"{origin.port!r} is not a port number.")
        port = _int_text(origin.port, "port")
        if origin.port < 0:
            raise UnparseError(f"{port} is not a port number.")
        text += f":{port}"
    return text


def _path(path: Path, encode: bool) -> str:
    esc: _Escape = _encoded_path_text if encode else _raw_path_text
    dq = "%22" if encode else '"'
    parts = ["/rest"] if path.prefix else []
    previous: Any = None
    for i, seg in enumerate(path.segments):
        after_entityset = type(previous) is KeywordSegment and previous.keyword == "$entityset"
        if after_entityset and not isinstance(seg, (EntitySetSegment, KeywordSegment)):
            raise UnparseError("The segment after `$entityset` is an entity-set ID or a keyword.")
        if isinstance(seg, EntitySetSegment) and not after_entityset:
            raise UnparseError("An entity-set ID can only follow `$entityset`.")
        if i == 0 and not path.prefix and isinstance(seg, NamesSegment) and seg.name == "rest":
            raise UnparseError("A path without the /rest prefix cannot start with `rest`.")
        parts.append("/" + _segment(seg, esc, dq))
        previous = seg
    text = "".join(parts)
    if path.trailing_slash:
        text += "/"
    return text


_SEGMENTS = (KeywordSegment, NamesSegment, KeySegment, LookupSegment, CallSegment, EntitySetSegment)


def _segment(seg: Node, esc: _Escape, dq: str) -> str:
    if isinstance(seg, KeywordSegment):
        if not isinstance(seg.keyword, str) or not lexicon().pattern("url.KEYWORD").fullmatch(
            seg.keyword
        ):
            raise UnparseError(f"{seg.keyword!r} is not a `$` path keyword.")
        return seg.keyword
    if isinstance(seg, NamesSegment):
        if not seg.paths:
            raise UnparseError("A names segment needs at least one name.")
        return ",".join(_seg_path(p, esc) for p in seg.paths)
    if isinstance(seg, KeySegment):
        key = _key(seg.key, esc, dq)
        name = esc(_name(seg.name))
        return f"{name}[{key}]" if seg.brackets else f"{name}({key})"
    if isinstance(seg, LookupSegment):
        return f"{esc(_name(seg.name))}:{esc(_name(seg.attribute))}({_key(seg.value, esc, dq)})"
    if isinstance(seg, CallSegment):
        if len(seg.args) < 2:
            raise UnparseError("A call segment needs at least two arguments; use KeySegment.")
        return f"{esc(_name(seg.name))}({','.join(_key(a, esc, dq) for a in seg.args)})"
    if isinstance(seg, EntitySetSegment):
        if not isinstance(seg.id, str) or not lexicon().pattern("url.SET_ID").fullmatch(seg.id):
            raise UnparseError(f"{seg.id!r} cannot be written as an entity-set ID.")
        key = f"[{_key(seg.key, esc, dq)}]" if seg.key is not None else ""
        return esc(seg.id) + key
    raise UnparseError(f"{type(seg).__name__} is not a path segment.")


def _name(name: str) -> str:
    if not isinstance(name, str) or not lexicon().pattern("query.NAME").fullmatch(name):
        raise UnparseError(f"{name!r} is not a name (a letter or `_`, then letters or digits).")
    return name


def _seg_path(path: AttributePath, esc: _Escape) -> str:
    if not path.parts:
        raise UnparseError("An attribute path needs at least one name.")
    for part in path.parts:
        if part.index is not None or part.class_index is not None:
            raise UnparseError("Indexed path parts ([] and {n}) cannot appear in a URL path.")
    return ".".join(esc(_name(p.name)) for p in path.parts)


def _key(key: Key, esc: _Escape, dq: str) -> str:
    if not isinstance(key, Key):
        raise UnparseError(f"{type(key).__name__} is not a key.")
    value = key.value
    if isinstance(value, bool):
        raise UnparseError("A key is a number or a text, not a boolean.")
    if isinstance(value, (int, float)):
        raw = key.raw
        if raw is not None and NUMBER.fullmatch(raw) and _same_number(raw, value):
            return raw
        return _number(value)
    if not isinstance(value, str):
        raise UnparseError(f"A key is a number or a text, not {type(value).__name__}.")
    bare = lexicon().pattern("url.BARE_KEY").fullmatch(value)
    if not key.quoted and bare and not NUMBER.fullmatch(value):
        return esc(value)
    if '"' in value:
        raise UnparseError(f"The key {value!r} holds a double quote, which no key can spell.")
    return dq + esc(value) + dq


def _param(param: Param, encode: bool) -> str:
    if not isinstance(param.name, str) or not param.name:
        raise UnparseError("A parameter needs a name.")
    if encode:
        name = _quote(param.name, safe=_SAFE_NAME)
    else:
        name = _raw_escape(param.name, "&=")
        if name.startswith("?"):
            name = "%3F" + name[1:]
    if param.value is None:
        if param.quote or param.trailing_slash:
            raise UnparseError("A parameter without a value has no quote and no stray `/`.")
        return name
    known = parameter(param.name)
    if known is not None and not isinstance(param.value, _VALUE_NODES[known.kind]) and not (
        known.takes_true and type(param.value) is Boolean and param.value.value
    ):
        raise UnparseError(
            f"The {known.name} parameter takes {KINDS[known.kind]}; "
            f"a {type(param.value).__name__} would read back as something else."
        )
    text = _value(param.value)
    quote = param.quote
    slash = "/" if param.trailing_slash else ""
    if quote not in ("", '"', "'"):
        raise UnparseError(f"{quote!r} is not a quote character.")
    if not quote:
        if param.trailing_slash:
            raise UnparseError("A stray `/` can only follow a quoted value.")
        if (len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'") or (
            len(text) >= 3 and text[-1] == "/" and text[0] == text[-2] and text[0] in "\"'"
        ):
            raise UnparseError(
                f"The unquoted value {text!r} would read as a quoted value; set Param.quote."
            )
    if encode:
        return f"{name}={_quote(quote + text + quote, safe=_SAFE_VALUE)}{slash}"
    # A `+` is written `%2B`: form decoders (and `plus_as_space`) read a raw one as a space.
    if quote:
        return f"{name}={quote}{_raw_escape(text, quote + '+')}{quote}{slash}"
    body = _raw_escape(text, "+&")
    if body[:1] in ("'", '"'):
        body = f"%{ord(body[0]):02X}" + body[1:]
    return f"{name}={body}"


# ---------------------------------------------------------------------------------------------
# Parameter values
# ---------------------------------------------------------------------------------------------


def _value(value: Node) -> str:
    if isinstance(value, Filter):
        text = _expr(value.expr)
        if value.order_by is not None:
            text += f" {lexicon().canonical('query.ORDER_BY')} " + _value(value.order_by)
        return text
    if isinstance(value, SortList):
        if not value.items:
            raise UnparseError("A sort list needs at least one item.")
        return ",".join(_sort_item(i) for i in value.items)
    if isinstance(value, AttributeList):
        if not value.items:
            raise UnparseError("An attribute list needs at least one item.")
        if len(value.items) > 1 and any(i.path is None for i in value.items):
            raise UnparseError("`*` alone selects every attribute; it cannot share a list.")
        return ",".join(_attribute_item(i) for i in value.items)
    if isinstance(value, PathList):
        if not value.paths:
            raise UnparseError("$expand needs at least one attribute.")
        return ",".join(_attribute_path(p) for p in value.paths)
    if isinstance(value, Params):
        return _json(value)
    if isinstance(value, Integer):
        if isinstance(value.value, bool) or not isinstance(value.value, int):
            raise UnparseError(f"{value.value!r} is not an integer.")
        text = _int_text(value.value, "integer")
        raw = value.raw
        if raw is not None and _short(raw) and INTEGER.fullmatch(raw) and int(raw) == value.value:
            return raw
        return text
    if isinstance(value, Boolean):
        raw = value.raw
        if raw is not None and raw.lower() == ("true" if value.value else "false"):
            return raw
        return "true" if value.value else "false"
    if isinstance(value, Word):
        if not isinstance(value.value, str) or not value.value:
            raise UnparseError("A word value needs at least one character.")
        return value.value
    if isinstance(value, RawValue):
        if not isinstance(value.text, str):
            raise UnparseError("A raw value holds text.")
        return value.text
    if isinstance(value, Template):
        return _template(value, "url.TEMPLATE")
    if isinstance(value, (Comparison, Not, BoolOp, Formula)):
        return _expr(value)
    raise UnparseError(f"{type(value).__name__} is not a parameter value.")


def _sort_item(item: SortItem) -> str:
    text = _attribute_path(item.path)
    return text + (f" {_direction(item.direction)}" if item.direction else "")


def _direction(direction: str) -> str:
    up = direction.upper()
    if up not in lexicon().directions:
        raise UnparseError(f"{direction!r} is not a sort direction (ASC or DESC).")
    return up


def _attribute_item(item: AttributeItem) -> str:
    if item.path is None:
        if not item.star:
            raise UnparseError("An attribute item needs a path or a star.")
        return "*"
    return _attribute_path(item.path) + (".*" if item.star else "")


def _attribute_path(path: AttributePath) -> str:
    if not isinstance(path, AttributePath):
        raise UnparseError(f"{type(path).__name__} is not an attribute path.")
    if not path.parts:
        raise UnparseError("An attribute path needs at least one name.")
    return ".".join(_path_part(p) for p in path.parts)


def _path_part(part: PathPart) -> str:
    text = _name(part.name)
    if part.index is not None:
        if not isinstance(part.index, str) or not lexicon().pattern("query.INDEX").fullmatch(
            f"[{part.index}]"
        ):
            raise UnparseError(f"{part.index!r} is not a collection index (empty or one letter).")
        text += f"[{part.index}]"
    if part.class_index is not None:
        if (
            isinstance(part.class_index, bool)
            or not isinstance(part.class_index, int)
            or part.class_index < 0
        ):
            raise UnparseError("A class index is a non-negative integer.")
        text += f"{{{_int_text(part.class_index, 'class index')}}}"
    return text


def _json(value: Params) -> str:
    if value.value_is_array:
        payload: Any = list(value.items)
    else:
        if len(value.items) != 1 or isinstance(value.items[0], (list, tuple)):
            raise UnparseError("A non-array $params value holds exactly one item, not an array.")
        payload = value.items[0]
    text, bare_keys = _json_text(payload, relaxed=value.relaxed)
    if value.relaxed and not bare_keys:
        # `relaxed` records the unquoted-key form; without such a key the text is plain JSON.
        raise UnparseError("A relaxed $params value needs an object key written as a name.")
    return text.replace("'", "\\u0027")


def _json_text(data: Any, *, relaxed: bool) -> tuple[str, bool]:
    """Compact JSON, keys unquoted where they are names when ``relaxed``; whether any was.

    Iterative: nesting depth is bounded only by the URL length.
    """
    out: list[str] = []
    bare_keys = False
    name = lexicon().pattern("query.NAME").fullmatch
    literals = lexicon().json_literals
    stack: list[Any] = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, _Lit):
            out.append(item)
        elif isinstance(item, dict):
            pieces: list[Any] = [_Lit("{")]
            for n, (key, val) in enumerate(item.items()):
                if not isinstance(key, str):
                    raise UnparseError(f"A JSON object key is text, not {type(key).__name__}.")
                bare = relaxed and name(key) and key not in literals
                bare_keys = bare_keys or bool(bare)
                key_text = key if bare else json.dumps(key, ensure_ascii=False)
                pieces.append(_Lit(("," if n else "") + key_text + ":"))
                pieces.append(val)
            pieces.append(_Lit("}"))
            stack.extend(reversed(pieces))
        elif isinstance(item, (list, tuple)):
            pieces = [_Lit("[")]
            for n, val in enumerate(item):
                if n:
                    pieces.append(_Lit(","))
                pieces.append(val)
            pieces.append(_Lit("]"))
            stack.extend(reversed(pieces))
        elif isinstance(item, Template):
            out.append(_template(item, "query.TEMPLATE"))
        elif item is None or isinstance(item, (str, int, float)):
            if isinstance(item, int) and not isinstance(item, bool):
                _int_text(item, "$params number")
            try:
                text = json.dumps(item, ensure_ascii=False, allow_nan=False)
            except ValueError:
                raise UnparseError(f"{item!r} cannot be written in JSON.") from None
            # `1e16`, not `1e+16`: a `+` in a query string reads as a space to form decoders.
            out.append(text.replace("e+", "e") if type(item) is float else text)
        else:
            raise UnparseError(f"{type(item).__name__} is not a JSON value.")
    return "".join(out), bare_keys


class _Lit(str):
    """JSON punctuation on the printer's stack, written as is (a plain ``str`` is a value)."""


# ---------------------------------------------------------------------------------------------
# Filters
# ---------------------------------------------------------------------------------------------

_LEVEL = {"OR": 1, "EXCEPT": 1, "AND": 2}


def _level(node: Node) -> int:
    if isinstance(node, BoolOp):
        return _LEVEL[lexicon().logical[node.op]]
    if isinstance(node, Not):
        return 3
    return 4


def _expr(root: Node) -> str:
    """Print an expression with an explicit stack, so deep trees do not exhaust recursion."""
    out: list[str] = []
    # Items are text to emit or (node, parent level, position among siblings, parent op).
    stack: list[Any] = [(root, 0, 0, None)]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
            continue
        node, parent_level, position, parent_op = item
        parens = 0
        while isinstance(node, BoolOp) and len(node.operands) == 1:
            _check_op(node)
            parens += node.parens
            node = node.operands[0]
        parts: list[Any]
        if isinstance(node, Comparison):
            parts = [_comparison(node)]
        elif isinstance(node, Formula):
            parts = [_formula(node)]
        elif isinstance(node, Not):
            parts = [f"{lexicon().canonical('query.NOT')} ", (node.operand, 3, 0, None)]
        elif isinstance(node, BoolOp):
            _check_op(node)
            if not node.operands:
                raise UnparseError("A logical operator needs operands.")
            level = _LEVEL[lexicon().logical[node.op]]
            parts = []
            for i, child in enumerate(node.operands):
                if i:
                    parts.append(f" {node.op} ")
                parts.append((child, level, i, node.op))
        else:
            raise UnparseError(f"{type(node).__name__} is not a filter expression.")
        parens += node.parens
        if not parens and _needs_parens(node, parent_level, position, parent_op):
            parens = 1
        if parens:
            stack.append(")" * parens)
        stack.extend(reversed(parts))
        if parens:
            stack.append("(" * parens)
    return "".join(out)


def _formula(node: Formula) -> str:
    text = f"eval({node.text})"
    if not isinstance(node.text, str) or not lexicon().pattern("query.FORMULA").fullmatch(text):
        raise UnparseError(
            "A formula must balance its parentheses (at most two levels deep) and its quotes."
        )
    return text


def _check_op(node: BoolOp) -> None:
    if node.op not in lexicon().logical:
        raise UnparseError(f"{node.op!r} is not a logical operator.")


def _needs_parens(node: Node, parent_level: int, position: int, parent_op: str | None) -> bool:
    if parent_level == 0:
        return False
    level = _level(node)
    if level < parent_level:
        return True
    if level == parent_level and isinstance(node, BoolOp):
        # Left-associative: a nested run on the left only needs parentheses when it would
        # merge into the parent's run; anything nested on the right always does.
        return position > 0 or node.op == parent_op
    return False


def _comparison(node: Comparison) -> str:
    left = node.left
    if isinstance(left, Placeholder):
        left_text = _placeholder(left)
    elif isinstance(left, AttributePath):
        left_text = _attribute_path(left)
    else:
        raise UnparseError(f"{type(left).__name__} cannot stand left of a comparator.")
    op = node.op
    lex = lexicon()
    if op in lex.word_comparators:
        right = _operand_value(node.right, collection=False, after=op)
        return f"{left_text} {op} {right}"
    if op not in lex.symbol_comparators:
        raise UnparseError(f"{op!r} is not a comparator.")
    right = _operand_value(node.right, collection=False)
    if any(c[0] == right[:1] for c in lex.symbol_comparators):
        # Keep the value from merging into the comparator (a= =x is not a==x).
        return f"{left_text}{op} {right}"
    return f"{left_text}{op}{right}"


def _placeholder(node: Placeholder) -> str:
    if node.index is not None:
        if isinstance(node.index, bool) or not isinstance(node.index, int) or node.index < 0:
            raise UnparseError("A placeholder index is a non-negative integer.")
        return f":{_int_text(node.index, 'placeholder index')}"
    name = node.name
    if not isinstance(name, str) or not lexicon().pattern("query.PLACEHOLDER").fullmatch(f":{name}"):
        raise UnparseError("A placeholder needs an index or a name.")
    return f":{node.name}"


def _template(node: Template, terminal: str) -> str:
    """A template value, which must read back as one where it stands: a whole parameter value
    (``url.TEMPLATE``) or a bare filter token holding one (``query.BARE``, ``ITEM_BARE``)."""
    text = node.text
    if not isinstance(text, str) or not is_template(text) or typed_token(text):
        raise UnparseError(f"{text!r} is not a template placeholder such as {{{{id}}}}.")
    if not lexicon().pattern(terminal).fullmatch(text):
        raise UnparseError(f"The template {text!r} cannot stand here as one token.")
    return text


def _operand_value(node: Node, *, collection: bool, after: str | None = None) -> str:
    if isinstance(node, Text):
        return _text(node, collection, after)
    if isinstance(node, Template):
        return _template(node, "query.ITEM_BARE" if collection else "query.BARE")
    if isinstance(node, Number):
        raw = node.raw
        if raw is not None and NUMBER.fullmatch(raw) and _same_number(raw, node.value):
            return raw
        return _number(node.value)
    if isinstance(node, Date):
        if type(node.value) is not datetime.date:
            raise UnparseError("A date value is a datetime.date (no time).")
        return node.value.isoformat()
    if isinstance(node, (Boolean, Null)):
        value = bool(node.value) if isinstance(node, Boolean) else None
        return next(s for s, v in lexicon().json_literals.items() if v is value)
    if isinstance(node, Placeholder):
        return _placeholder(node)
    if isinstance(node, Collection):
        if collection:
            raise UnparseError("Collections cannot be nested.")
        return "[" + ",".join(_operand_value(i, collection=True) for i in node.items) + "]"
    raise UnparseError(f"{type(node).__name__} is not a filter value.")


def _text(node: Text, collection: bool, after: str | None = None) -> str:
    """``after``: the word comparator the text follows, if any."""
    value = node.value
    if not isinstance(value, str):
        raise UnparseError(f"A text value holds a str, not {type(value).__name__}.")
    lex = lexicon()
    pattern = lex.pattern("query.ITEM_BARE" if collection else "query.BARE")
    bare_ok = (
        bool(pattern.fullmatch(value))
        and not typed_token(value)
        # `IS not` would be read as the IS NOT comparator
        and not (after is not None and lex.extends_comparator(after, value))
    )
    if not node.quoted and bare_ok:
        return value
    if "'" not in value:
        return f"'{value}'"
    if collection:
        return json.dumps(value, ensure_ascii=False)
    if bare_ok:
        return value
    raise UnparseError(
        f"The text {value!r} holds a single quote and cannot be written in a filter;"
        " pass it through a placeholder and $params."
    )


def _number(value: float) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise UnparseError(f"{value!r} is not a number.")
    if isinstance(value, int):
        return _int_text(value, "number")
    if not math.isfinite(value):
        raise UnparseError(f"{value!r} cannot be written in a URL.")
    text = repr(value)
    if "e" in text or "E" in text:
        text = format(Decimal(text), "f")
    if "." not in text:
        text += ".0"
    return text


def _int_text(value: int, what: str) -> str:
    """``str(value)``, for an integer the parser would read back (RQ013 refuses longer ones,
    and past a few thousand digits Python refuses to print it)."""
    if not int_too_long(value):
        return str(value)
    raise UnparseError(
        f"The {what} has more than {MAX_NUMBER_DIGITS} digits, more than a URL may hold."
    )


def _short(raw: str) -> bool:
    """A lexeme within the digit limit (only such a one is read back as it is)."""
    return len(raw) <= MAX_NUMBER_DIGITS or digit_count(raw) <= MAX_NUMBER_DIGITS


def _same_number(raw: str, value: float) -> bool:
    if not _short(raw):
        return False
    try:
        return float(raw) == value if "." in raw else int(raw) == value
    except ValueError:
        return False
